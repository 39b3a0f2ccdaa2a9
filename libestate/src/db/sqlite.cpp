#include "db/sqlite.hpp"

#include <spatialite.h>

#include <cstdio>
#include <mutex>

namespace estate::db {
namespace {

// spatialite_initialize() must run once per process before any connection.
void initialise_spatialite_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        // SQLite counts every allocation under a global mutex unless told not to; an
        // import makes millions of them. (Has no effect if SQLite was already started.)
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        spatialite_initialize();
    });
}

} // namespace

void throw_sqlite(sqlite3* db, const std::string& path, std::string_view what, std::string_view sql) {
    std::string msg = "register " + path + ": " + std::string(what);
    if (db) msg += ": " + std::string(sqlite3_errmsg(db));
    if (!sql.empty()) msg += " [SQL: " + std::string(sql.substr(0, 300)) + "]";
    throw database_error(msg);
}

Connection::Connection(const std::string& path, Mode mode) : path_(path) {
    initialise_spatialite_once();
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::read_only:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::read_write:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    // sqlite3_open_v2 allocates a handle even when it fails: take it first.
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw database_error("cannot open register " + path + ": " + msg +
                             (mode == Mode::create ? "" : " (create one with 'estate init " + path + "')"));
    }
    sqlite3_extended_result_codes(db_, 1);
    spatialite_cache_ = spatialite_alloc_connection();
    spatialite_init_ex(db_, spatialite_cache_, 0);
    // Two officers' processes may write at once: wait rather than fail at once. After
    // SpatiaLite is loaded: its initialisation sets a busy timeout of its own (5 s).
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    exec("PRAGMA foreign_keys = ON");
}

Connection::~Connection() {
    if (db_) sqlite3_close_v2(db_);
    // The connection must be closed before its SpatiaLite cache is released.
    if (spatialite_cache_) spatialite_cleanup_ex(spatialite_cache_);
}

Connection::Connection(Connection&& other) noexcept
    : path_(std::move(other.path_)), db_(other.db_), spatialite_cache_(other.spatialite_cache_) {
    other.db_ = nullptr;
    other.spatialite_cache_ = nullptr;
}

void Connection::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        throw database_error("register " + path_ + ": " + msg + " [SQL: " + s.substr(0, 300) + "]");
    }
}

Statement Connection::prepare(std::string_view sql) {
    return Statement(*this, sql);
}

std::optional<std::int64_t> Connection::scalar_int(std::string_view sql) {
    Statement st(*this, sql);
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return st.int64(0);
}

std::optional<std::string> Connection::scalar_text(std::string_view sql) {
    Statement st(*this, sql);
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return st.text(0);
}

std::int64_t Connection::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_);
}
int Connection::changes() const {
    return sqlite3_changes(db_);
}

Statement::Statement(Connection& conn, std::string_view sql) : conn_(&conn), sql_(sql) {
    if (sqlite3_prepare_v2(conn.handle(), sql_.data(), static_cast<int>(sql_.size()), &stmt_, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        throw_sqlite(conn.handle(), conn.path(), "cannot prepare statement", sql_);
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : conn_(other.conn_), stmt_(other.stmt_), sql_(std::move(other.sql_)) {
    other.stmt_ = nullptr;
}

Statement& Statement::bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}
Statement& Statement::bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind_blob(int i, const std::vector<unsigned char>& v) {
    if (v.empty()) return bind_null(i);
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind_static(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
}
Statement& Statement::bind_static_blob(int i, const std::vector<unsigned char>& v) {
    if (v.empty()) return bind_null(i);
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
}
Statement& Statement::bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string msg = sqlite3_errmsg(conn_->handle());
    sqlite3_reset(stmt_);
    throw database_error("register " + conn_->path() + ": " + msg + " [SQL: " + sql_.substr(0, 300) + "]");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::int64_t Statement::int64(int col) const {
    return sqlite3_column_int64(stmt_, col);
}
double Statement::real(int col) const {
    return sqlite3_column_double(stmt_, col);
}
std::string Statement::text(int col) const {
    return std::string(view(col));
}
std::string_view Statement::view(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string_view(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
}
std::optional<std::string> Statement::opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
}
std::vector<unsigned char> Statement::blob(int col) const {
    const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
    int n = sqlite3_column_bytes(stmt_, col);
    if (!data || n <= 0) return {};
    return std::vector<unsigned char>(data, data + n);
}

std::string Statement::as_text(int col) const {
    switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_NULL:
        return {};
    case SQLITE_FLOAT: {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", real(col));
        return buf;
    }
    default:
        return text(col);
    }
}
std::optional<double> Statement::opt_real(int col) const {
    if (is_null(col)) return std::nullopt;
    return real(col);
}
std::optional<std::int64_t> Statement::opt_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
}
int Statement::column_count() const {
    return sqlite3_column_count(stmt_);
}
std::string Statement::column_name(int col) const {
    return sqlite3_column_name(stmt_, col);
}

Transaction::Transaction(Connection& conn) : conn_(conn) {
    conn_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (open_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    conn_.exec("COMMIT");
    open_ = false;
}

ScopedPragma::ScopedPragma(Connection& conn, std::string name, const std::string& value, std::string restore_value,
                           bool best_effort)
    : conn_(conn), name_(std::move(name)), restore_value_(std::move(restore_value)) {
    try {
        conn_.exec("PRAGMA " + name_ + " = " + value);
    } catch (const database_error&) {
        if (!best_effort) throw;
        return; // left as it was; nothing to restore
    }
    set_ = conn_.scalar_text("PRAGMA " + name_).value_or("") == value;
}

ScopedPragma::~ScopedPragma() {
    try {
        restore();
    } catch (...) {
        // The connection is closing or broken: nothing more is done through it.
    }
}

void ScopedPragma::restore() {
    if (!set_) return;
    set_ = false;
    conn_.exec("PRAGMA " + name_ + " = " + restore_value_);
}

} // namespace estate::db
