#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "importing/register_writer.hpp"
#include "support.hpp"

using namespace estate;

namespace {
model::Property office(const std::string& ref) {
    model::Property p;
    p.owner = "Trafford Council";
    p.ref = ref;
    p.use = "office";
    p.location = model::GridPoint{377000, 392000};
    p.location_quality = "source";
    return p;
}
} // namespace

TEST_CASE("While an import writes rows, the register's CHECK rules are applied in C++, and SQLite's "
          "are back afterwards",
          "[importing]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    auto& c = reg.connection();
    db::Transaction tx(c);
    importing::RegisterWriter writer(c);
    writer.suspend_index_triggers();
    const auto batch = writer.begin_batch("test.csv", "", "test", "");
    const auto owner = writer.owner_id("Trafford Council", "local_government");
    importing::GeometryBlobs blobs;
    std::string hash;
    auto write = [&](const model::Property& p) {
        importing::geometry_blobs(p, blobs);
        importing::content_hash(p, "", hash);
        return writer.write(p, hash, blobs, owner, batch, "", "test series");
    };
    CHECK(write(office("A1")) == importing::RegisterWriter::Outcome::inserted);

    // Each rule the table's CHECK constraints state, refused by the writer itself.
    auto bad = office("A2");
    bad.use = "stolen";
    CHECK_THROWS_WITH(write(bad), Catch::Contains("use 'stolen'"));
    bad = office("A3");
    bad.uprn = "12AB";
    CHECK_THROWS_WITH(write(bad), Catch::Contains("uprn '12AB'"));
    bad = office("A4");
    bad.market_value = -1;
    CHECK_THROWS_WITH(write(bad), Catch::Contains("market_value"));
    bad = office("A5");
    bad.utilisation = 1.5;
    CHECK_THROWS_WITH(write(bad), Catch::Contains("utilisation"));
    bad = office("A6");
    bad.tenure = "squatted";
    CHECK_THROWS_WITH(write(bad), Catch::Contains("tenure 'squatted'"));
    bad = office("A7");
    bad.condition = "E";
    CHECK_THROWS_WITH(write(bad), Catch::Contains("condition 'E'"));
    bad = office("A8");
    bad.occupancy = "haunted";
    CHECK_THROWS_WITH(write(bad), Catch::Contains("occupancy 'haunted'"));
    CHECK(*c.scalar_int("SELECT count(*) FROM properties") == 1);

    // After the rows, SQLite checks again (the pragma is off and statements recompiled).
    writer.restore_index_triggers(batch);
    CHECK_THROWS_AS(c.exec("UPDATE properties SET use = 'stolen'"), database_error);
    CHECK_THROWS_AS(c.exec("UPDATE import_batches SET rows_read = 99"), database_error);
    CHECK(c.scalar_text("PRAGMA quick_check") == "ok"); // also re-checks every CHECK constraint
}

TEST_CASE("Rows imported with SQLite's CHECK rules and foreign keys off still satisfy every one of them",
          "[importing]") {
    // The Trafford council asset list: every tenure, holding type, use and
    // occupancy its rows carry, through the normalisers, into the register.
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    importing::ImportOptions o;
    o.source = test::trafford("trafford_land_and_building_assets.csv");
    auto s = importing::import_source(reg, o);
    CHECK(s.stored() > 500);
    auto& c = reg.connection();
    CHECK(c.scalar_text("PRAGMA quick_check") == "ok");
    // Foreign keys, kept by the writer during the import, all hold, and the
    // connection checks them again afterwards.
    CHECK_FALSE(c.prepare("PRAGMA foreign_key_check").step());
    CHECK(c.scalar_int("PRAGMA foreign_keys") == 1);
    CHECK_THROWS_AS(c.exec("UPDATE properties SET owner_id = 999 WHERE id = 1"), database_error);
    // And a later statement on the same connection is checked again.
    CHECK_THROWS_AS(c.exec("UPDATE properties SET tenure = 'squatted'"), database_error);
    // The triggers lifted for the import are back: a red status needs a reason.
    CHECK_THROWS_WITH(c.exec("INSERT INTO properties(owner_id, ref, location_quality, batch_id, content_hash, "
                             "rag_status) VALUES (1, 'NEW', 'unlocated', 1, 'h', 'red')"),
                      Catch::Contains("reason"));
}
