// The register is never opened a second time behind SQLite's back while a connection
// holds it: closing any descriptor of a file drops all of the process's POSIX locks on
// it, after which another program believes itself alone, checkpoints and deletes the
// -wal this process is still using (confirmed tags lost, "disk I/O error" ever after).

#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/exporting/export.hpp"
#include "estate/report/board_report.hpp"
#include "support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace estate;

namespace {

// True when another process would find this process's SQLite shared lock on the
// register (a WAL connection holds it from its first read until it closes): asked from
// a child process, whose own descriptor cannot drop the parent's locks.
bool another_process_sees_our_lock(const std::string& path) {
    const pid_t child = fork();
    if (child == 0) {
        const int fd = ::open(path.c_str(), O_RDONLY);
        struct flock lock {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = 0x40000000 + 2; // SQLite's SHARED_FIRST: PENDING_BYTE + 2
        lock.l_len = 510;              // SHARED_SIZE
        const bool held = fd >= 0 && fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type == F_RDLCK;
        _exit(held ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace

TEST_CASE("Nothing this process does drops its locks on a register it holds open", "[db]") {
    test::TempDir tmp;
    const std::string path = test::trafford_register(tmp);
    auto held = db::Register::open(path, true);
    held.connection().scalar_int("SELECT count(*) FROM properties"); // its first read takes the lock
    REQUIRE(another_process_sees_our_lock(path));

    SECTION("opening it again, to read and to write") {
        { auto reader = db::Register::open(path, true); }
        CHECK(another_process_sees_our_lock(path));
        { auto writer = db::Register::open(path); }
        CHECK(another_process_sees_our_lock(path));
    }
    SECTION("a register left in rollback-journal mode put back into WAL") {
        held = db::Register::open(path, true); // the old handle closes first
        {
            db::Connection c(path, db::Connection::Mode::read_write);
            // (SQLite refuses while the held connection has it open: nothing changes)
            try {
                c.exec("PRAGMA journal_mode = delete");
            } catch (const std::exception&) {
            }
        }
        { auto reader = db::Register::open(path, true); }
        CHECK(another_process_sees_our_lock(path));
    }
    SECTION("the board report's checksum of the file") {
        report::Options o;
        o.record = false;
        report::Written about;
        auto other = db::Register::open(path, true);
        const auto html = report::board_report_html(other, o, about);
        CHECK(html.find("SHA-256") != std::string::npos);
        CHECK(another_process_sees_our_lock(path));
        // The checksum is of the file's bytes, as sha256sum would say once it is checkpointed.
        const auto digest = held.file_digest();
        CHECK(digest.bytes == std::filesystem::file_size(path));
        CHECK(another_process_sees_our_lock(path));
    }
    SECTION("an export") {
        exporting::Options o;
        o.format = exporting::Format::gpkg;
        o.out = tmp.path("out.gpkg");
        auto other = db::Register::open(path, true);
        exporting::export_register(other, o);
        CHECK(another_process_sees_our_lock(path));
    }
}
