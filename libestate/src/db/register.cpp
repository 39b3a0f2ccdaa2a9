#include "estate/db/register.hpp"
#include "estate/util/time.hpp"

#include "db/schema.hpp"
#include "db/sqlite.hpp"
#include "db/styles.hpp"
#include "estate/error.hpp"

#include "util/sha256.hpp"
#include <filesystem>

#include <algorithm>
#include <optional>
#include <vector>

namespace estate::db {
namespace {

void apply_migrations(Connection& conn, int from) {
    const auto& steps = migrations();
    Transaction tx(conn);
    for (int v = from; v < static_cast<int>(steps.size()); ++v) steps[static_cast<size_t>(v)](conn);
    auto st = conn.prepare("INSERT INTO register_meta(key, value) VALUES ('schema_version', ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, std::to_string(steps.size())).run();
    install_styles(conn);
    tx.commit();
}

bool looks_like_register(Connection& conn) {
    return read_schema_version(conn) > 0;
}

} // namespace

Register::Register(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
Register::Register(Register&&) noexcept = default;
Register& Register::operator=(Register&&) noexcept = default;
Register::~Register() = default;

Register Register::create(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0)
        throw usage_error("cannot create register " + path +
                          ": the file already exists; choose another name or delete it first");
    auto conn = std::make_unique<Connection>(path, Connection::Mode::create);
    // WAL: readers (QGIS, a second officer) are not blocked while an import runs.
    conn->exec("PRAGMA journal_mode = WAL");
    apply_migrations(*conn, 0);
    return Register(std::move(conn));
}

Register Register::open(const std::string& path, bool read_only) {
    if (!std::filesystem::exists(path))
        throw file_error("register " + path + " does not exist; create it with 'estate init " + path + "'");
    // An import killed mid-way leaves a rollback journal that must be played back
    // before anyone reads, and a read-only connection cannot do that. Open the file
    // for writing once and read from it: SQLite rolls a hot journal back (and leaves
    // a live import's journal alone).
    if (read_only && std::filesystem::exists(path + "-journal")) {
        try {
            Connection recover(path, Connection::Mode::read_write);
            recover.scalar_int("SELECT count(*) FROM sqlite_master");
        } catch (const database_error& e) {
            throw database_error("register " + path +
                                 " holds an interrupted import's journal that needs rolling back; "
                                 "open it once with write access (e.g. run 'estate info' as the "
                                 "file's owner): " +
                                 e.what());
        }
    }
    // Never a second descriptor on the file while a connection is open in this process:
    // closing any descriptor of a file drops every POSIX lock the process holds on it
    // (SQLite's "How to corrupt" 2.2), and another program would then think itself
    // alone, checkpoint and delete the -wal this process is using. Everything about the
    // file is asked through SQLite (which shares one set of locks between a process's
    // connections).
    auto conn =
        std::make_unique<Connection>(path, read_only ? Connection::Mode::read_only : Connection::Mode::read_write);
    int version = read_schema_version(*conn);
    if (version == 0)
        throw file_error(path + " is not an estate register (no register_meta table); "
                                "create one with 'estate init'");
    if (version < current_schema_version)
        throw file_error("register " + path + " has schema version " + std::to_string(version) +
                         " and this estate needs " + std::to_string(current_schema_version) +
                         ": back the file up, then run 'estate migrate " + path + "'");
    if (version > current_schema_version)
        throw file_error("register " + path + " has schema version " + std::to_string(version) +
                         ", newer than this estate understands (" + std::to_string(current_schema_version) +
                         "): upgrade estate");
    // The history's guards: SQLite cannot stop someone with write access to the file
    // from dropping a trigger. Whoever next opens the register for writing puts them
    // back, and the register remembers when (estate info says so: changes made while
    // they were missing have no history).
    if (!read_only) {
        size_t present = 0;
        for (const char* name : history_guard_triggers())
            present +=
                conn->prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?").bind(1, name).step();
        if (present < history_guard_triggers().size()) {
            Transaction tx(*conn);
            conn->exec(history_guards_sql());
            conn->prepare(
                    "INSERT INTO register_meta(key, value) VALUES ('history_guards_restored', ?) ON CONFLICT(key) "
                    "DO UPDATE SET value = value || ', ' || excluded.value")
                .bind(1, util::utc_now_iso())
                .run();
            tx.commit();
        }
    }
    // A register is kept in WAL mode (readers beside one writer). An import killed while
    // it ran in rollback-journal mode leaves it there: put it back, with write access
    // even for a reader. SQLite refuses while another connection has the file open
    // (anywhere): a later open does it.
    // Without waiting: an import running in rollback-journal mode holds the file for its
    // whole length, and a reader must not wait for it to end to be told no.
    if (conn->scalar_text("PRAGMA journal_mode").value_or("") != "wal") {
        try {
            std::optional<Connection> writer;
            if (read_only) writer.emplace(path, Connection::Mode::read_write);
            Connection& w = read_only ? *writer : *conn;
            sqlite3_busy_timeout(w.handle(), 0);
            struct Restore {
                Connection& w;
                ~Restore() { sqlite3_busy_timeout(w.handle(), busy_timeout_ms); }
            } restore{w};
            w.exec("PRAGMA journal_mode = wal");
        } catch (const database_error&) {
            // no write access, or others have it open: it stays as it is for now
        }
    }
    return Register(std::move(conn));
}

const std::string& Register::path() const {
    return conn_->path();
}

int Register::schema_version() const {
    return read_schema_version(*conn_);
}

Connection& Register::connection() {
    return *conn_;
}

RegisterDigest Register::file_digest() {
    // Read through the descriptor SQLite already holds (a second one, closed, would drop
    // the process's locks on the file), inside a read transaction so that no checkpoint
    // changes the file under the reading.
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(conn_->handle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file ||
        !file->pMethods)
        throw database_error("register " + path() + ": cannot read the file to checksum it");
    const bool own_transaction = sqlite3_get_autocommit(conn_->handle()) != 0;
    if (own_transaction) conn_->exec("BEGIN");
    struct End {
        Connection& c;
        bool own;
        ~End() {
            if (own) sqlite3_exec(c.handle(), "COMMIT", nullptr, nullptr, nullptr);
        }
    } end{*conn_, own_transaction};
    conn_->scalar_int("SELECT count(*) FROM sqlite_master"); // takes the read lock
    sqlite3_int64 size = 0;
    if (file->pMethods->xFileSize(file, &size) != SQLITE_OK)
        throw database_error("register " + path() + ": cannot read the file's size to checksum it");
    util::Sha256 sha;
    std::vector<unsigned char> buf(1 << 20);
    for (sqlite3_int64 at = 0; at < size;) {
        const int n = static_cast<int>(std::min<sqlite3_int64>(static_cast<sqlite3_int64>(buf.size()), size - at));
        if (file->pMethods->xRead(file, buf.data(), n, at) != SQLITE_OK)
            throw database_error("register " + path() + ": cannot read the file to checksum it");
        sha.update(buf.data(), static_cast<std::size_t>(n));
        at += n;
    }
    return RegisterDigest{sha.hex_digest(), static_cast<std::uint64_t>(size)};
}

namespace {
void check_description_key(const std::string& key) {
    // boundary: the area's outline (WKT, EPSG:27700) for the board paper's map.
    if (key != "area" && key != "partnership" && key != "boundary")
        throw usage_error("a register describes itself by 'area', 'partnership' and 'boundary', not '" + key + "'");
}
} // namespace

std::optional<std::string> Register::description(const std::string& key) {
    check_description_key(key);
    auto st = conn_->prepare("SELECT value FROM register_meta WHERE key = ?");
    st.bind(1, key);
    if (!st.step() || st.is_null(0) || st.text(0).empty()) return std::nullopt;
    return st.text(0);
}

void Register::describe(const std::string& key, const std::string& value) {
    check_description_key(key);
    if (value.empty()) {
        conn_->prepare("DELETE FROM register_meta WHERE key = ?").bind(1, key).run();
        return;
    }
    conn_
        ->prepare("INSERT INTO register_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                  "excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
}

int migrate(const std::string& path) {
    Connection conn(path, Connection::Mode::read_write);
    int version = read_schema_version(conn);
    if (version == 0 && !looks_like_register(conn) &&
        conn.scalar_int("SELECT count(*) FROM sqlite_master").value_or(0) > 0)
        throw file_error(path + " is not an estate register; refusing to change it");
    if (version > current_schema_version)
        throw file_error("register " + path + " is newer (schema " + std::to_string(version) +
                         ") than this estate understands");
    if (version < current_schema_version) apply_migrations(conn, version);
    return version;
}

} // namespace estate::db
