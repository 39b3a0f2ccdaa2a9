#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "support.hpp"

using namespace estate;

namespace {

// The same three properties as CSV; other formats are made from it with ogr2ogr,
// the tool GIS officers would use.
const char* properties_csv = "ref,name,owner,use,tenure,lon,lat\n"
                             "F1,Caf\xC3\xA9 Hub,Trafford Council,Library,Freehold,-2.352156,53.387054\n"
                             "F2,Ysbyty Clinic,Trafford Council,Clinic,Leasehold,-2.309007,53.444834\n"
                             "F3,Depot,Trafford Council,Depot,Freehold,-2.351888,53.395925\n";

std::string make(const test::TempDir& tmp, const std::string& driver, const std::string& name) {
    std::string csv = tmp.path("src.csv");
    test::write_file(csv, properties_csv);
    std::string out = tmp.path(name);
    auto r = test::run_shell("ogr2ogr -f " + test::sh(driver) + " " + test::sh(out) + " " + test::sh(csv) +
                             " -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln properties");
    REQUIRE(r.exit_code == 0);
    return out;
}

void check_imported(const std::string& source) {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    importing::ImportOptions o;
    o.source = source;
    o.profile = "generic";
    auto s = importing::import_source(reg, o);
    CHECK(s.read == 3);
    CHECK(s.inserted == 3);
    CHECK(s.unlocated == 0);
    auto& c = reg.connection();
    CHECK(c.scalar_text("SELECT name FROM properties WHERE ref = 'F1'") == "Caf\xC3\xA9 Hub");
    CHECK(c.scalar_text("SELECT tenure FROM properties WHERE ref = 'F2'") == "leasehold_in");
    CHECK(c.scalar_text("SELECT use FROM properties WHERE ref = 'F3'") == "depot");
    // Altrincham library: about E 376,6xx N 387,7xx.
    CHECK(*c.scalar_int("SELECT CAST(X(geom) / 100 AS INTEGER) FROM properties WHERE ref = 'F1'") == 3766);
}

} // namespace

TEST_CASE("CSV with lon/lat columns", "[import][formats]") {
    test::TempDir tmp;
    test::write_file(tmp.path("p.csv"), properties_csv);
    check_imported(tmp.path("p.csv"));
}

TEST_CASE("GeoJSON points", "[import][formats]") {
    test::TempDir tmp;
    check_imported(make(tmp, "GeoJSON", "p.geojson"));
}

TEST_CASE("Shapefile points", "[import][formats]") {
    test::TempDir tmp;
    check_imported(make(tmp, "ESRI Shapefile", "p.shp"));
}

TEST_CASE("GeoPackage points", "[import][formats]") {
    test::TempDir tmp;
    check_imported(make(tmp, "GPKG", "p.gpkg"));
}

TEST_CASE("XLSX spreadsheet with lon/lat columns", "[import][formats]") {
    test::TempDir tmp;
    std::string csv = tmp.path("src.csv");
    test::write_file(csv, properties_csv);
    std::string xlsx = tmp.path("p.xlsx");
    REQUIRE(test::run_shell("ogr2ogr -f XLSX " + test::sh(xlsx) + " " + test::sh(csv)).exit_code == 0);
    check_imported(xlsx);
}

TEST_CASE("Footprint layers: polygons become footprints with a point on the surface", "[import][formats]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    importing::ImportOptions o;
    o.source = test::trafford("trafford_fire_stations.geojson");
    o.profile = "trafford-fire-stations";
    auto s = importing::import_source(reg, o);
    CHECK(s.inserted == 6);
    auto& c = reg.connection();
    CHECK(c.scalar_int("SELECT count(*) FROM properties WHERE footprint IS NOT NULL AND "
                       "ST_Within(geom, footprint)") == 6);
    CHECK(c.scalar_text("SELECT DISTINCT use FROM properties") == "fire_station");
    CHECK(c.scalar_text("SELECT name FROM owners") == "Greater Manchester Fire and Rescue Service");
    CHECK(c.scalar_text("SELECT sector FROM owners") == "fire_and_rescue");
}

TEST_CASE("An invalid footprint is repaired and flagged", "[import][formats]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("bowtie.geojson"), R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ref":"B1","name":"Bow tie"},"geometry":{"type":"Polygon",
 "coordinates":[[[-2.35,53.38],[-2.34,53.39],[-2.34,53.38],[-2.35,53.39],[-2.35,53.38]]]}},
{"type":"Feature","properties":{"ref":"L1","name":"A line"},"geometry":{"type":"LineString",
 "coordinates":[[-2.35,53.38],[-2.34,53.39]]}}]})");
    importing::ImportOptions o;
    o.source = tmp.path("bowtie.geojson");
    o.profile = "generic";
    o.owner = "Trafford Council";
    auto s = importing::import_source(reg, o);
    CHECK(s.inserted == 2); // the line's row is stored unlocated, with a warning
    CHECK(s.footprints_repaired == 1);
    CHECK(s.warnings_by_reason["unsupported_geometry"] == 1);
    CHECK(reg.connection().scalar_text("SELECT location_quality FROM properties WHERE ref = 'L1'") == "unlocated");
    CHECK(reg.connection().scalar_int("SELECT footprint_repaired FROM properties WHERE ref = 'B1'") == 1);
    CHECK(reg.connection().scalar_int("SELECT ST_IsValid(footprint) FROM properties WHERE ref = 'B1'") == 1);
}

TEST_CASE("A corrupt or missing source is a clear error and the register is untouched", "[import][formats]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("broken.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":");
    importing::ImportOptions o;
    o.source = tmp.path("broken.geojson");
    o.owner = "X";
    o.profile = "generic";
    CHECK_THROWS_WITH(importing::import_source(reg, o), Catch::Contains("broken.geojson"));
    o.source = tmp.path("nope.csv");
    CHECK_THROWS_WITH(importing::import_source(reg, o), Catch::Contains("no such file"));
    CHECK(reg.connection().scalar_int("SELECT count(*) FROM import_batches") == 0);
}
