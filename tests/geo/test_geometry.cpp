#include <catch2/catch.hpp>

#include "estate/geo/geometry.hpp"

using namespace estate::geo;

TEST_CASE("A valid footprint is kept, with a point on its surface", "[geo]") {
    GeometryEngine engine;
    ToGrid grid("EPSG:27700");
    auto f = engine.footprint_from_wkt("POLYGON((0 0,100 0,100 50,0 50,0 0))", grid);
    REQUIRE_FALSE(f.problem);
    CHECK_FALSE(f.repaired);
    CHECK(f.point_on_surface.easting > 0);
    CHECK(f.point_on_surface.easting < 100);
    CHECK(f.point_on_surface.northing > 0);
    CHECK(f.point_on_surface.northing < 50);
    CHECK_FALSE(f.wkb.empty());
}

TEST_CASE("A self-intersecting footprint is repaired and flagged", "[geo]") {
    GeometryEngine engine;
    ToGrid grid("EPSG:27700");
    // A bow tie: invalid (self-intersection), repairable into two triangles.
    auto f = engine.footprint_from_wkt("POLYGON((0 0,10 10,10 0,0 10,0 0))", grid);
    REQUIRE_FALSE(f.problem);
    CHECK(f.repaired);
}

TEST_CASE("Footprints that cannot be used are refused with a reason", "[geo]") {
    GeometryEngine engine;
    ToGrid grid("EPSG:27700");
    auto line = engine.footprint_from_wkt("LINESTRING(0 0,10 10)", grid);
    CHECK(line.problem_reason == "unsupported_geometry");
    auto junk = engine.footprint_from_wkt("POLYGON((0 0, 1", grid);
    CHECK(junk.problem_reason == "bad_footprint");
    auto flat = engine.footprint_from_wkt("POLYGON((0 0,10 0,20 0,0 0))", grid);
    CHECK(flat.problem_reason == "bad_footprint");
}

TEST_CASE("Footprints in WGS84 are reprojected to the grid", "[geo]") {
    GeometryEngine engine;
    ToGrid wgs("EPSG:4326");
    auto f = engine.footprint_from_wkt(
        "POLYGON((-2.3290 53.4252,-2.3289 53.4253,-2.3284 53.4251,-2.3286 53.4249,-2.3290 53.4252))", wgs);
    REQUIRE_FALSE(f.problem);
    CHECK(f.point_on_surface.easting > 370000);
    CHECK(f.point_on_surface.northing > 380000);
}

TEST_CASE("A boundary tells inside from outside", "[geo]") {
    GeometryEngine engine;
    ToGrid grid("EPSG:27700");
    auto square = engine.footprint_from_wkt("POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))", grid);
    auto b = Boundary::from_wkb(square.wkb, grid, "square");
    CHECK(b.contains({500, 500}));
    CHECK_FALSE(b.contains({1500, 500}));
    CHECK(b.contains({1005, 500}, 10));
}
