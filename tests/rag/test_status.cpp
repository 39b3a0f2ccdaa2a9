#include <catch2/catch.hpp>

#include "db/schema.hpp"
#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

#include <algorithm>

#include <sys/wait.h>
#include <unistd.h>

using namespace estate;

namespace {

// A small register: two agencies, three properties, one shared UPRN.
std::string make_register(const test::TempDir& tmp) {
    std::string path = tmp.path("r.sqlite");
    auto reg = db::Register::create(path);
    test::write_file(tmp.path("a.csv"), "OrganisationLabel,AssetCode,UPRN,PropertyName\n"
                                        "Trafford Council,T1,100012797623,Town Hall\n"
                                        "Trafford Council,T2,,Depot\n"
                                        "Greater Manchester Police,P1,100012797623,Police Office\n");
    importing::ImportOptions o;
    o.source = tmp.path("a.csv");
    importing::import_source(reg, o);
    officers::add_officer(reg, {"Lee", "Trafford Council", true}); // the first officer: anyone may add them
    officers::add_officer(reg, {"Ann", "Trafford Council", false}, std::string("Lee"));
    officers::add_officer(reg, {"Pat", "Greater Manchester Police", false}, std::string("Lee"));
    return path;
}

rag::TagRequest tag(std::string property, std::string status, std::string reason, std::string by) {
    return {std::move(property), std::move(status), std::move(reason), std::move(by), std::nullopt, std::nullopt};
}

} // namespace

TEST_CASE("An officer tags their agency's property and the history records it", "[rag]") {
    test::TempDir tmp;
    auto reg = db::Register::open(make_register(tmp));
    auto r = rag::set_status(reg, tag("T1", "green", "Surplus after the move", "Ann"));
    CHECK(r.changed);
    CHECK(r.old_status == "unassessed");
    CHECK(r.version == 2);
    auto h = rag::history(reg, std::string("T1"));
    REQUIRE(h.size() == 1);
    CHECK(h[0].new_status == "green");
    CHECK(h[0].changed_by == "Ann");
    CHECK(h[0].source == "person");
    CHECK(h[0].reason == "Surplus after the move");
    // Tagging it the same again changes nothing and records nothing.
    CHECK_FALSE(rag::set_status(reg, tag("T1", "green", "Surplus after the move", "Ann")).changed);
    CHECK(rag::history(reg, std::nullopt).size() == 1);
    // The partnership-wide officer may tag another agency's property.
    CHECK(rag::set_status(reg, tag("P1", "red", "Operational custody suite", "Lee")).changed);
    auto s = rag::summary(reg);
    bool found = false;
    for (const auto& row : s)
        found |= row.owner == "Greater Manchester Police" && row.status == "red" && row.properties == 1;
    CHECK(found);
}

TEST_CASE("Refused: no reason, wrong agency, unknown officer, stale version, ambiguous key", "[rag]") {
    test::TempDir tmp;
    auto reg = db::Register::open(make_register(tmp));
    CHECK_THROWS_WITH(rag::set_status(reg, tag("T2", "red", "", "Ann")), Catch::Contains("needs a reason"));
    CHECK_THROWS_AS(rag::set_status(reg, tag("T2", "red", "x", "Pat")), officers::permission_error);
    CHECK_THROWS_AS(rag::set_status(reg, tag("T2", "red", "x", "Nobody")), officers::permission_error);
    CHECK_THROWS_WITH(rag::set_status(reg, tag("100012797623", "red", "x", "Lee")),
                      Catch::Contains("matches 2 properties") && Catch::Contains("T1") && Catch::Contains("P1"));
    rag::set_status(reg, tag("T2", "amber", "Lease exit 2027", "Ann"));
    auto stale = tag("T2", "green", "Sell", "Ann");
    stale.expect_version = 1;
    CHECK_THROWS_AS(rag::set_status(reg, stale), rag::conflict_error);
    stale.expect_version = 2;
    CHECK(rag::set_status(reg, stale).version == 3);
    CHECK(rag::history(reg, std::string("T2")).size() == 2);
}

TEST_CASE("The database guards the status whoever writes: QGIS-style edits, deletes of history", "[rag]") {
    test::TempDir tmp;
    std::string path = make_register(tmp);
    {
        // What QGIS's SpatiaLite provider sends when an officer edits the attribute table.
        db::Connection c(path, db::Connection::Mode::read_write);
        CHECK_THROWS_WITH(c.exec("UPDATE properties SET rag_status = 'green' WHERE ref = 'T2'"),
                          Catch::Contains("needs a reason"));
        c.exec("UPDATE properties SET rag_status = 'green', rag_reason = 'Vacant since 2024' WHERE ref = 'T2'");
        CHECK_THROWS_WITH(c.exec("DELETE FROM rag_history"), Catch::Contains("cannot be deleted"));
        CHECK_THROWS_WITH(c.exec("UPDATE rag_history SET new_status = 'red'"), Catch::Contains("cannot be changed"));
        CHECK_THROWS_AS(c.exec("UPDATE properties SET rag_status = 'purple', rag_reason = 'x' WHERE ref = 'T2'"),
                        database_error);
    }
    auto reg = db::Register::open(path, true);
    auto h = rag::history(reg, std::string("T2"));
    REQUIRE(h.size() == 1);
    CHECK(h[0].new_status == "green");
    CHECK(h[0].changed_by == "unidentified direct edit");
    CHECK(h[0].version == 2);
}

TEST_CASE("No SQL client can forge the history: inserts refused, its time, replaced and deleted rows", "[rag]") {
    test::TempDir tmp;
    std::string path = make_register(tmp);
    auto rows = [&](const std::string& ref) {
        auto reg = db::Register::open(path, true);
        return rag::history(reg, ref);
    };
    {
        db::Connection c(path, db::Connection::Mode::read_write);
        const std::string id = *c.scalar_text("SELECT id FROM properties WHERE ref = 'T2'");
        // A history row written by hand, even one that looks right, is refused.
        CHECK_THROWS_WITH(c.exec("INSERT INTO rag_history(property_id, old_status, new_status, reason, changed_by, "
                                 "source, changed_at, version) VALUES (" +
                                 id +
                                 ", 'unassessed', 'green', 'x', "
                                 "'Lee', 'person', '2020-01-01T00:00:00Z', 1)"),
                          Catch::Contains("written by the register itself"));
        CHECK_THROWS_WITH(c.exec("INSERT INTO rag_history_gate VALUES (" + id + ", 7)"),
                          Catch::Contains("written by the register itself"));
        // A client that claims a time and a version gets the register's time.
        c.exec("UPDATE properties SET rag_status = 'amber', rag_reason = 'Review', rag_set_by = 'Lee', rag_set_at = "
               "'2000-01-01T00:00:00Z', version = version + 1 WHERE ref = 'T2'");
        // INSERT OR REPLACE of the whole row (as a SQL client may) changes the status: one row more.
        c.exec("INSERT OR REPLACE INTO properties SELECT * FROM properties WHERE ref = 'T2'");
        c.exec("CREATE TEMP TABLE t AS SELECT * FROM properties WHERE ref = 'T2'");
        c.exec("UPDATE t SET rag_status = 'red', rag_reason = 'Kept'");
        c.exec("INSERT OR REPLACE INTO properties SELECT * FROM t");
    }
    auto h = rows("T2");
    REQUIRE(h.size() == 2);
    CHECK(h[0].new_status == "amber");
    CHECK(h[0].changed_at.substr(0, 4) != "2000"); // the register's own time
    CHECK(h[1].old_status == "amber");
    CHECK(h[1].new_status == "red");
    CHECK(h[1].changed_by == "unidentified direct edit");
    {
        // A property deleted by hand keeps its history.
        db::Connection c(path, db::Connection::Mode::read_write);
        c.exec("PRAGMA foreign_keys = OFF");
        c.exec("DELETE FROM properties WHERE ref = 'T2'");
    }
    auto reg = db::Register::open(path, true);
    auto all = rag::history(reg, std::nullopt);
    CHECK(std::count_if(all.begin(), all.end(),
                        [](const auto& e) { return e.owner == "(deleted from the register)"; }) == 2);
}

TEST_CASE("History triggers dropped by hand are put back, and a tag never goes unrecorded", "[rag]") {
    test::TempDir tmp;
    std::string path = make_register(tmp);
    {
        db::Connection c(path, db::Connection::Mode::read_write);
        c.exec("DROP TRIGGER rag_history_record");
    }
    {
        // The next open for writing puts the triggers back and remembers when.
        auto reg = db::Register::open(path);
        CHECK(reg.connection().scalar_text("SELECT value FROM register_meta WHERE key = 'history_guards_restored'"));
        rag::set_status(reg, tag("T1", "green", "Surplus", "Ann"));
        CHECK(rag::history(reg, std::string("T1")).size() == 1);
        // Dropped while the register is open: the tag is refused, nothing saved.
        db::Connection other(path, db::Connection::Mode::read_write);
        other.exec("DROP TRIGGER rag_history_record");
        CHECK_THROWS_WITH(rag::set_status(reg, tag("T1", "red", "Kept", "Ann")), Catch::Contains("nothing was saved"));
        CHECK(reg.connection().scalar_text("SELECT rag_status FROM properties WHERE ref = 'T1'") == "green");
    }
}

TEST_CASE("Two officers tagging at once from two processes never lose an update", "[rag][concurrency]") {
    test::TempDir tmp;
    std::string path = make_register(tmp);
    constexpr int per_process = 40;
    auto officer = [&](const char* who) {
        // Each process opens its own connection and tags the same property again and
        // again with a reason of its own, without --expect-version.
        auto reg = db::Register::open(path);
        for (int i = 0; i < per_process; ++i)
            rag::set_status(reg,
                            tag("T1", i % 2 ? "amber" : "green", std::string(who) + " #" + std::to_string(i), who));
    };
    pid_t children[2];
    const char* names[2] = {"Ann", "Lee"};
    for (int k = 0; k < 2; ++k) {
        children[k] = fork();
        REQUIRE(children[k] >= 0);
        if (children[k] == 0) {
            try {
                officer(names[k]);
            } catch (...) {
                _exit(1);
            }
            _exit(0);
        }
    }
    for (pid_t child : children) {
        int status = 0;
        waitpid(child, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    auto reg = db::Register::open(path, true);
    auto h = rag::history(reg, std::string("T1"));
    CHECK(h.size() == 2 * per_process);
    int ann = 0, lee = 0;
    for (const auto& e : h) (e.changed_by == "Ann" ? ann : lee)++;
    CHECK(ann == per_process);
    CHECK(lee == per_process);
    CHECK(reg.connection().scalar_int("SELECT version FROM properties WHERE ref = 'T1'") == 1 + 2 * per_process);
}

TEST_CASE("A register of schema 1 migrates to the RAG schema with its data", "[rag][db]") {
    test::TempDir tmp;
    std::string path = tmp.path("old.sqlite");
    {
        db::Connection c(path, db::Connection::Mode::create);
        c.exec("PRAGMA journal_mode = WAL");
        db::migrations()[0](c);
        c.exec("INSERT INTO register_meta(key, value) VALUES ('schema_version', '1')");
        c.exec("INSERT INTO owners(name, sector) VALUES ('Trafford Council', 'local_government')");
        c.exec("INSERT INTO import_batches(source_path, source_sha256, source_bytes, profile, started_at) "
               "VALUES ('x.csv', '', 0, 'p', '2026-01-01T00:00:00Z')");
        c.exec("INSERT INTO properties(owner_id, ref, location_quality, batch_id, content_hash, geom) "
               "VALUES (1, 'T1', 'source', 1, 'h', MakePoint(376900, 387800, 27700))");
    }
    CHECK_THROWS_WITH(db::Register::open(path), Catch::Contains("estate migrate"));
    CHECK(db::migrate(path) == 1);
    auto reg = db::Register::open(path);
    CHECK(reg.schema_version() == db::current_schema_version);
    CHECK(reg.connection().scalar_text("SELECT rag_status FROM properties WHERE ref = 'T1'") == "unassessed");
    CHECK(reg.connection().scalar_int("SELECT CheckSpatialIndex('properties', 'geom')") == 1);
}

TEST_CASE("Bulk tagging from a sheet is all or nothing, and names every bad row", "[rag]") {
    test::TempDir tmp;
    auto reg = db::Register::open(make_register(tmp));
    test::write_file(tmp.path("bad.csv"), "property,status,reason\n"
                                          "T1,Green,Surplus\n"
                                          "T2,red,\n"
                                          "P1,amber,Not ours\n"
                                          "NOPE,red,x\n");
    try {
        rag::set_statuses(reg, tmp.path("bad.csv"), "Ann");
        FAIL("a sheet with bad rows was applied");
    } catch (const file_error& e) { // exit 1: the sheet is wrong, not the command line
        std::string m = e.what();
        CHECK_THAT(m, Catch::Contains("3 rows cannot be applied"));
        CHECK_THAT(m, Catch::Contains("row 2 (T2)") && Catch::Contains("needs a reason"));
        CHECK_THAT(m, Catch::Contains("row 3 (P1)") && Catch::Contains("may not tag"));
        CHECK_THAT(m, Catch::Contains("row 4 (NOPE)"));
    }
    CHECK(rag::history(reg, std::nullopt).empty()); // nothing written, not even row 1
    test::write_file(tmp.path("good.csv"), "property,status,reason,version\n"
                                           "T1,green,Surplus,1\n"
                                           "T2,amber,Lease exit,1\n");
    auto r = rag::set_statuses(reg, tmp.path("good.csv"), "Ann");
    CHECK(r.changed == 2);
    CHECK(rag::history(reg, std::nullopt).size() == 2);
}
