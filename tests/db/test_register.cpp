#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "db/styles.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "support.hpp"

using namespace estate;

TEST_CASE("A new register is valid SpatiaLite in British National Grid", "[db]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    auto& c = reg.connection();
    CHECK(reg.schema_version() == db::current_schema_version);
    CHECK(c.scalar_int("SELECT CheckSpatialMetaData()") == 3);
    CHECK(c.scalar_int("SELECT CheckSpatialIndex('properties', 'geom')") == 1);
    CHECK(c.scalar_int("SELECT CheckSpatialIndex('properties', 'footprint')") == 1);
    CHECK(c.scalar_int("SELECT srid FROM geometry_columns WHERE f_table_name = 'properties' AND "
                       "f_geometry_column = 'geom'") == 27700);
    // QGIS finds the default style whichever way it opens the file.
    // Both geometry columns are styled: points by status, footprints by status.
    for (const char* column : {"geom", "footprint"}) {
        INFO(column);
        CHECK(c.scalar_int(std::string("SELECT count(*) FROM layer_styles WHERE f_table_name = 'properties' AND "
                                       "f_table_schema IS NULL AND useAsDefault = 1 AND f_geometry_column = '") +
                           column + "'") == 1);
        CHECK(c.scalar_int(std::string("SELECT count(*) FROM layer_styles WHERE f_table_name = 'properties(") + column +
                           ")' AND f_table_schema = ''") == 1);
    }
}

TEST_CASE("The database itself refuses values outside the vocabularies", "[db]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    auto& c = reg.connection();
    c.exec("INSERT INTO owners(name, sector) VALUES ('A', 'police')");
    CHECK_THROWS_AS(c.exec("INSERT INTO owners(name, sector) VALUES ('B', 'pirates')"), database_error);
    c.exec("INSERT INTO import_batches(source_path, source_sha256, source_bytes, profile, started_at) "
           "VALUES ('x', 'y', 0, 'p', 'now')");
    CHECK_THROWS_AS(c.exec("INSERT INTO properties(owner_id, ref, tenure, location_quality, batch_id, "
                           "content_hash) VALUES (1, 'r', 'stolen', 'unlocated', 1, 'h')"),
                    database_error);
    CHECK_THROWS_AS(c.exec("INSERT INTO properties(owner_id, ref, uprn, location_quality, batch_id, "
                           "content_hash) VALUES (1, 'r', '12AB', 'unlocated', 1, 'h')"),
                    database_error);
    // rows read must equal stored + rejected
    CHECK_THROWS_AS(c.exec("UPDATE import_batches SET rows_read = 5"), database_error);
}

TEST_CASE("Opening refuses a missing file, a foreign file and an existing one to create", "[db]") {
    test::TempDir tmp;
    CHECK_THROWS_WITH(db::Register::open(tmp.path("none.sqlite")), Catch::Contains("estate init"));
    test::write_file(tmp.path("other.sqlite"), "");
    {
        db::Connection c(tmp.path("foreign.sqlite"), db::Connection::Mode::create);
        c.exec("CREATE TABLE t(x)");
    }
    CHECK_THROWS_WITH(db::Register::open(tmp.path("foreign.sqlite")), Catch::Contains("not an estate register"));
    db::Register::create(tmp.path("r.sqlite"));
    CHECK_THROWS_AS(db::Register::create(tmp.path("r.sqlite")), usage_error);
}

TEST_CASE("Schema versions: an older register asks for migrate, a newer one is refused", "[db]") {
    test::TempDir tmp;
    std::string path = tmp.path("r.sqlite");
    db::Register::create(path);
    {
        db::Connection c(path, db::Connection::Mode::read_write);
        c.exec("UPDATE register_meta SET value = '99' WHERE key = 'schema_version'");
    }
    CHECK_THROWS_WITH(db::Register::open(path), Catch::Contains("newer"));
    CHECK_THROWS_AS(db::migrate(path), file_error); // the file is wrong, not the command line: exit 1
    {
        db::Connection c(path, db::Connection::Mode::read_write);
        c.exec("UPDATE register_meta SET value = '" + std::to_string(db::current_schema_version) +
               "' WHERE key = 'schema_version'");
    }
    CHECK(db::migrate(path) == db::current_schema_version); // nothing to do
}

TEST_CASE("Report colours come from the compiled-in styles, the one place they are chosen", "[db]") {
    CHECK(db::style_fill("properties", "red", "?") == "#d7191c");
    CHECK(db::style_fill("properties", "amber", "?") == "#fdae61");
    CHECK(db::style_fill("properties", "green", "?") == "#1a9641");
    CHECK(db::style_fill("properties", "unassessed", "?") == "#b0b0b0");
    CHECK(db::style_fill("hubs", "fits", "?") == "#2b83ba");
    CHECK(db::style_fill("hubs", "too_small", "?") == "#e66101");
    CHECK(db::style_fill("hubs", "unknown", "?") == "#7b3294");
    CHECK(db::style_fill("properties", "purple", "?") == "?");
}

TEST_CASE("A register of schema 4 migrates to the current schema with its properties intact", "[db]") {
    test::TempDir tmp;
    const std::string path = tmp.path("old.sqlite");
    const std::string gz = std::string(ESTATE_SOURCE_DIR) + "/tests/data/registers/schema4.sqlite.gz";
    REQUIRE(test::run_shell("sh -c " + test::sh("gzip -dc " + test::sh(gz) + " > " + test::sh(path))).exit_code == 0);
    CHECK_THROWS_WITH(db::Register::open(path), Catch::Contains("migrate"));
    CHECK(db::migrate(path) == 4); // the version it was at
    auto reg = db::Register::open(path);
    auto& c = reg.connection();
    CHECK(c.scalar_int("SELECT count(*) FROM properties") == 2);
    // UPRNs are stored as their number now; found either way.
    CHECK(c.scalar_text("SELECT uprn FROM properties WHERE ref = 'A1'") == "12345678");
    CHECK(db::find_one_property(reg, "000012345678").ref == "A1");
    // The widened use constraint takes 'unknown'; the database still refuses a made-up use.
    c.exec("UPDATE properties SET use = 'unknown' WHERE ref = 'A2'");
    CHECK_THROWS(c.exec("UPDATE properties SET use = 'spaceport' WHERE ref = 'A2'"));
    // The widened source constraint takes a tag made in the web app (schema 10), and
    // the history says so; a made-up source is still refused.
    c.exec("UPDATE properties SET rag_status = 'red', rag_reason = 'Closing', rag_set_by = 'Lee Brown', "
           "rag_source = 'web', version = version + 1 WHERE ref = 'A2'");
    CHECK(c.scalar_text("SELECT source FROM rag_history ORDER BY id DESC LIMIT 1") == "web");
    CHECK_THROWS(c.exec("UPDATE properties SET rag_source = 'fax', rag_reason = 'x', version = version + 1 "
                        "WHERE ref = 'A2'"));
    CHECK(c.scalar_text("PRAGMA integrity_check") == "ok");
    CHECK(c.scalar_int("SELECT CheckSpatialMetaData()") == 3);
    // The same file imported again: the two properties are found, not added again.
    importing::ImportOptions o;
    o.source = std::string(ESTATE_SOURCE_DIR) + "/tests/data/registers/schema4.csv";
    auto s = importing::import_source(reg, o);
    CHECK(s.inserted == 0);
    CHECK(s.read == 2);
    CHECK(c.scalar_int("SELECT count(*) FROM properties") == 2);
}

TEST_CASE("Connections wait 30 seconds for another writer, SpatiaLite loaded or not", "[db]") {
    test::TempDir tmp;
    db::Register::create(tmp.path("r.sqlite"));
    db::Connection c(tmp.path("r.sqlite"), db::Connection::Mode::read_write);
    CHECK(c.scalar_int("PRAGMA busy_timeout") == 30000); // SpatiaLite's own initialisation sets 5000
}
