#pragma once
// Private: thin RAII over the SQLite C API with SpatiaLite loaded. Not installed;
// nothing outside libestate/src sees sqlite3.h.

#include "estate/error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace estate::db {

/// Throws database_error with SQLite's message, the register's path and the SQL.
[[noreturn]] void throw_sqlite(sqlite3* db, const std::string& path, std::string_view what, std::string_view sql = {});

class Statement;

/// How long a connection waits for another writer before giving up (ms).
constexpr int busy_timeout_ms = 30000;

/// One open SQLite connection with SpatiaLite initialised on it. Move-only.
class Connection {
public:
    enum class Mode { read_only, read_write, create };
    Connection(const std::string& path, Mode mode);
    ~Connection();
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&&) = delete;
    Connection(const Connection&) = delete;

    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

    /// Runs one or more statements that return no rows.
    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    /// The single value of a one-row, one-column query (NULL -> nullopt).
    std::optional<std::int64_t> scalar_int(std::string_view sql);
    std::optional<std::string> scalar_text(std::string_view sql);
    std::int64_t last_insert_id() const;
    int changes() const;

private:
    std::string path_;
    sqlite3* db_ = nullptr;
    void* spatialite_cache_ = nullptr;
};

/// A prepared statement. bind() indices start at 1, column() indices at 0.
class Statement {
public:
    Statement(Connection& conn, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, double v);
    Statement& bind(int i, std::string_view v);
    Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Statement& bind_blob(int i, const std::vector<unsigned char>& v);
    /// Binds without copying: @p v must stay alive and unchanged until the
    /// statement has run. For hot loops that bind values they own.
    Statement& bind_static(int i, std::string_view v);
    Statement& bind_static(int i, const std::optional<std::string>& v) {
        return v ? bind_static(i, std::string_view(*v)) : bind_null(i);
    }
    Statement& bind_static_blob(int i, const std::vector<unsigned char>& v);
    Statement& bind_null(int i);
    template <class T>
    Statement& bind(int i, const std::optional<T>& v) {
        return v ? bind(i, *v) : bind_null(i);
    }

    /// Advances to the next row; false when done. Throws on error.
    bool step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool is_null(int col) const;
    std::int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    /// The same without a copy: valid until the next step() or reset().
    std::string_view view(int col) const;
    std::optional<std::string> opt_text(int col) const;
    /// A BLOB column's bytes (empty for NULL).
    std::vector<unsigned char> blob(int col) const;
    /// Any column as text: "" for NULL, reals with 17 significant digits (%.17g).
    std::string as_text(int col) const;
    std::optional<double> opt_real(int col) const;
    std::optional<std::int64_t> opt_int64(int col) const;
    int column_count() const;
    std::string column_name(int col) const;

private:
    Connection* conn_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
};

/// A transaction that rolls back unless commit() is called. BEGIN IMMEDIATE so
/// that a writer learns at once (after the busy timeout) that another holds the lock.
class Transaction {
public:
    explicit Transaction(Connection& conn);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection& conn_;
    bool open_ = true;
};

/// A pragma set for a scope: "PRAGMA name = value", and "PRAGMA name = restore_value"
/// at restore() or at the end of the scope - only when the setting took (SQLite leaves
/// some alone in some states: journal_mode while another connection has the file
/// open, foreign_keys inside a transaction). @p value is written as the pragma reads
/// back ("delete", "0", "1").
class ScopedPragma {
public:
    /// With @p best_effort, a setting SQLite refuses (the journal mode while another
    /// connection has the file open) is left as it was instead of failing.
    ScopedPragma(Connection& conn, std::string name, const std::string& value, std::string restore_value,
                 bool best_effort = false);
    ~ScopedPragma();
    ScopedPragma(const ScopedPragma&) = delete;
    ScopedPragma& operator=(const ScopedPragma&) = delete;
    /// Puts the pragma back now (once).
    void restore();

private:
    Connection& conn_;
    std::string name_, restore_value_;
    bool set_ = false;
};

} // namespace estate::db
