#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "estate/synth/county.hpp"
#include "support.hpp"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace estate;

namespace {

// What a user would compare: every property, batch and reject, in order.
std::string snapshot(const std::string& path) {
    // Opened as `estate info` opens it: read-only, through the register.
    auto reg = db::Register::open(path, true);
    auto& c = reg.connection();
    std::string out;
    // The schema too: an import lifts triggers and (into an empty register) indexes
    // for its length; an interrupted one must leave every one of them in place.
    for (const char* sql :
         {"SELECT type, name, sql FROM sqlite_master ORDER BY type, name",
          "SELECT id, ref, content_hash, AsText(geom) FROM properties ORDER BY id",
          "SELECT id, rows_read FROM import_batches ORDER BY id", "SELECT count(*) FROM rejected_rows"}) {
        auto st = c.prepare(sql);
        while (st.step())
            for (int i = 0; i < st.column_count(); ++i) out += st.as_text(i) + "|";
        out += "\n";
    }
    CHECK(c.scalar_text("PRAGMA integrity_check") == "ok");
    return out;
}

void write_county(const std::string& path, std::int64_t n) {
    std::ofstream out(path, std::ios::binary);
    synth::write_county_csv(out, {n, 3, 5000});
}

} // namespace

TEST_CASE("An interrupted import leaves the register exactly as it was", "[import][transactions]") {
    test::TempDir tmp;
    std::string path = tmp.path("r.sqlite");
    write_county(tmp.path("first.csv"), 50);
    write_county(tmp.path("big.csv"), 12000);
    // Into an empty register (its indexes are lifted for the import) or one with rows.
    const bool empty = GENERATE(true, false);
    INFO((empty ? "empty register" : "register with rows"));
    {
        auto reg = db::Register::create(path);
        if (!empty) {
            importing::ImportOptions o;
            o.source = tmp.path("first.csv");
            importing::import_source(reg, o);
        }
    }
    std::string before = snapshot(path);
    {
        auto reg = db::Register::open(path);
        std::atomic<bool> cancel{false};
        importing::ImportOptions o;
        o.source = tmp.path("big.csv");
        o.cancel = &cancel;
        // Ask to stop once some rows have gone in.
        o.progress = [&](std::int64_t done, std::optional<std::int64_t>) {
            if (done >= 5000) cancel = true;
        };
        CHECK_THROWS_AS(importing::import_source(reg, o), interrupted);
    }
    CHECK(snapshot(path) == before);
}

TEST_CASE("A kill -9 mid-import leaves the register exactly as it was", "[import][transactions][slow]") {
    test::TempDir tmp;
    std::string path = tmp.path("r.sqlite");
    write_county(tmp.path("first.csv"), 50);
    write_county(tmp.path("big.csv"), 200000);
    REQUIRE(test::run_estate("init " + test::sh(path)).exit_code == 0);
    REQUIRE(test::run_estate("import " + test::sh(path) + " " + test::sh(tmp.path("first.csv"))).exit_code == 0);
    std::string before = snapshot(path);

    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Progress lines go to a file the parent watches.
        if (!freopen(tmp.path("progress.txt").c_str(), "w", stderr)) _exit(126);
        execl(ESTATE_CLI, ESTATE_CLI, "import", path.c_str(), tmp.path("big.csv").c_str(), "--progress",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    // Kill it once it has stored tens of thousands of rows in its open transaction.
    bool writing = false;
    for (int i = 0; i < 12000 && !writing; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        writing = test::read_file(tmp.path("progress.txt")).find(": 50,000") != std::string::npos;
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(writing);
    CHECK(WIFSIGNALED(status));
    CHECK(snapshot(path) == before);
    // The killed import ran in rollback-journal mode; the register is back in WAL once opened.
    CHECK(test::run_estate("info " + test::sh(path)).exit_code == 0);
    CHECK(test::run_shell("sqlite3 " + test::sh(path) + " 'PRAGMA journal_mode'").out == "wal\n");
    // The register is still usable: the same import now goes through whole.
    auto r = test::run_estate("import " + test::sh(path) + " " + test::sh(tmp.path("big.csv")) + " --json");
    CHECK(r.exit_code == 0);
    CHECK(test::parse_json(r.out).get<int>("read") == 200000);
    CHECK(test::parse_json(r.out).get<int>("rejected") == 0);
}

TEST_CASE("An import goes through while someone else has the register open, and leaves it in WAL",
          "[import][transactions]") {
    test::TempDir tmp;
    const std::string path = tmp.path("r.sqlite");
    write_county(tmp.path("first.csv"), 50);
    write_county(tmp.path("second.csv"), 80);
    REQUIRE(test::run_estate("init " + test::sh(path)).exit_code == 0);
    REQUIRE(test::run_estate("import " + test::sh(path) + " " + test::sh(tmp.path("first.csv"))).exit_code == 0);
    // QGIS (or an export, or a sqlite3 shell) has the file open and has read from it.
    db::Connection reader(path, db::Connection::Mode::read_only);
    CHECK(reader.scalar_int("SELECT count(*) FROM properties") == 50);
    auto r = test::run_estate("import " + test::sh(path) + " " + test::sh(tmp.path("second.csv")) + " --json");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, !Catch::Contains("database is locked"));
    CHECK(reader.scalar_int("SELECT count(*) FROM properties") == 80); // the reader sees the import
    CHECK(test::run_shell("sqlite3 " + test::sh(path) + " 'PRAGMA journal_mode'").out == "wal\n");
}

TEST_CASE("Two imports started together wait their turn, and both go in", "[import][transactions][slow]") {
    test::TempDir tmp;
    const std::string path = tmp.path("r.sqlite");
    write_county(tmp.path("first.csv"), 20000);
    REQUIRE(test::run_estate("init " + test::sh(path)).exit_code == 0);
    test::write_file(tmp.path("second.csv"), "ref,name,owner,postcode\nL1,Central Library,Trafford Council,M33 7ZZ\n");
    // The first rebuilds the spatial indexes of an empty register as the second waits.
    const auto r = test::run_shell(
        "sh -c " +
        test::sh("(" + test::sh(ESTATE_CLI) + " import " + test::sh(path) + " " + test::sh(tmp.path("first.csv")) +
                 " --no-progress >/dev/null 2>&1; echo first $?) & sleep 0.3; " + test::sh(ESTATE_CLI) + " import " +
                 test::sh(path) + " " + test::sh(tmp.path("second.csv")) +
                 " --profile generic --no-progress >/dev/null 2>" + test::sh(tmp.path("second.err")) +
                 "; echo second $?; wait"));
    CHECK_THAT(r.out, Catch::Contains("first 0") && Catch::Contains("second 0"));
    CHECK(test::read_file(tmp.path("second.err")).find("no such table") == std::string::npos);
    db::Connection c(path, db::Connection::Mode::read_only);
    CHECK(c.scalar_int("SELECT count(*) FROM properties") == 20001);
    CHECK(c.scalar_int("SELECT count(*) FROM import_batches") == 2);
}
