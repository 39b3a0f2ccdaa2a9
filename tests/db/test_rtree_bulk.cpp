#include <catch2/catch.hpp>

#include "db/rtree_bulk.hpp"
#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/importing/importer.hpp"
#include "estate/synth/county.hpp"
#include "support.hpp"

#include <fstream>

using namespace estate;

namespace {

// SQLite's own structural check and SpatiaLite's content check of both indexes.
void check_indexes(db::Connection& c) {
    CHECK(c.scalar_text("SELECT rtreecheck('idx_properties_geom')") == "ok");
    CHECK(c.scalar_text("SELECT rtreecheck('idx_properties_footprint')") == "ok");
    CHECK(c.scalar_int("SELECT CheckSpatialIndex('properties', 'geom')") == 1);
    CHECK(c.scalar_int("SELECT CheckSpatialIndex('properties', 'footprint')") == 1);
}

std::int64_t in_frame(db::Connection& c, double x0, double y0, double x1, double y1) {
    std::string frame =
        std::to_string(x0) + ", " + std::to_string(y0) + ", " + std::to_string(x1) + ", " + std::to_string(y1);
    return *c.scalar_int("SELECT count(*) FROM properties WHERE ROWID IN (SELECT ROWID FROM SpatialIndex "
                         "WHERE f_table_name = 'properties' AND f_geometry_column = 'geom' AND "
                         "search_frame = BuildMbr(" +
                         frame + ", 27700))");
}

} // namespace

TEST_CASE("A bulk-loaded spatial index answers exactly like a scan", "[db][rtree]") {
    test::TempDir tmp;
    {
        std::ofstream out(tmp.path("c.csv"));
        synth::write_county_csv(out, {6000, 11, 5000}); // two county tiles, several tree levels
    }
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    importing::ImportOptions o;
    o.source = tmp.path("c.csv");
    importing::import_source(reg, o);
    auto& c = reg.connection();
    check_indexes(c);
    // Search frames around Worcester and Redditch, and Worcester in the second copy: the index finds what a full scan
    // finds.
    for (auto [x, y] : {std::pair{385000.0, 254800.0}, {404100.0, 267600.0}, {453750.0, 254800.0}}) {
        auto scan = *c.scalar_int("SELECT count(*) FROM properties WHERE X(geom) BETWEEN " + std::to_string(x - 800) +
                                  " AND " + std::to_string(x + 800) + " AND Y(geom) BETWEEN " +
                                  std::to_string(y - 800) + " AND " + std::to_string(y + 800));
        CHECK(scan > 0);
        CHECK(in_frame(c, x - 800, y - 800, x + 800, y + 800) == scan);
    }

    // A small later import updates only its own entries; the tree stays sound.
    test::write_file(tmp.path("more.csv"),
                     "owner,sector,ref,easting,northing\nWest Mercia Police,police,NEW1,385000,254800\n");
    o.source = tmp.path("more.csv");
    o.profile = "synthetic-county";
    importing::import_source(reg, o);
    check_indexes(c);
    CHECK(in_frame(c, 384999, 254799, 385001, 254801) >= 1);
    // And the index still follows edits made outside estate (SpatiaLite's triggers are back).
    c.exec("UPDATE properties SET geom = MakePoint(1000, 1000, 27700) WHERE ref = 'NEW1'");
    CHECK(in_frame(c, 999, 999, 1001, 1001) == 1);
    check_indexes(c);
}

TEST_CASE("Bulk loading an empty set leaves an empty, valid index", "[db][rtree]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    auto& c = reg.connection();
    db::Transaction tx(c);
    std::vector<db::RtreeEntry> none;
    db::bulk_load_rtree(c, "idx_properties_geom", none);
    tx.commit();
    check_indexes(c);
}
