#include <catch2/catch.hpp>

#include "estate/error.hpp"
#include "estate/geo/crs.hpp"

#include <cmath>

using namespace estate::geo;

TEST_CASE("WGS84 longitude/latitude reach British National Grid with the axes right", "[geo]") {
    // Ordnance Survey's worked example (Caister water tower): ETRS89
    // 52 39 28.8282 N, 1 42 57.8663 E is E 651409.903, N 313177.270 by OSTN15.
    // Debian's proj-data has no OSTN15 grid, so PROJ falls back to a Helmert
    // transformation good to a few metres: allow 6 m.
    ToGrid to_grid("EPSG:4326");
    auto p = to_grid.transform(1.716073972, 52.658007833);
    REQUIRE(p);
    CHECK(std::fabs(p->easting - 651409.903) < 6.0);
    CHECK(std::fabs(p->northing - 313177.270) < 6.0);
}

TEST_CASE("Altrincham Town Hall lands in Altrincham", "[geo]") {
    ToGrid to_grid("EPSG:4326");
    auto p = to_grid.transform(-2.3520922, 53.3879587);
    REQUIRE(p);
    // Altrincham town centre is at about E 376,900 N 387,800.
    CHECK(std::fabs(p->easting - 376900) < 600);
    CHECK(std::fabs(p->northing - 387800) < 600);
    CHECK(inside_gb_grid(*p));
}

TEST_CASE("British National Grid input is passed through untouched", "[geo]") {
    ToGrid to_grid("EPSG:27700");
    CHECK(to_grid.is_identity());
    auto p = to_grid.transform(385000.5, 254800.25);
    CHECK(p->easting == 385000.5);
    CHECK(p->northing == 254800.25);
}

TEST_CASE("CRS names used by sources resolve", "[geo]") {
    CHECK(resolve_crs_name("WGS84") == "EPSG:4326");
    CHECK(resolve_crs_name("OSGB36") == "EPSG:27700");
    CHECK(resolve_crs_name("ETRS89") == "EPSG:4258");
    CHECK(resolve_crs_name("British National Grid") == "EPSG:27700");
    CHECK(resolve_crs_name("epsg:3857") == "EPSG:3857");
    CHECK_FALSE(resolve_crs_name("Mars 2000"));
    ToGrid etrs("EPSG:4258");
    auto p = etrs.transform(-2.3520922, 53.3879587);
    REQUIRE(p);
    CHECK(std::fabs(p->easting - 376900) < 600);
}

TEST_CASE("An unknown CRS is a clear error", "[geo]") {
    CHECK_THROWS_AS(ToGrid("EPSG:999999"), estate::crs_error);
    CHECK_THROWS_WITH(ToGrid("not a crs"), Catch::Contains("not a crs"));
}

TEST_CASE("The grid's extent catches swapped or foreign coordinates", "[geo]") {
    CHECK_FALSE(inside_gb_grid({-100, 5000}));
    CHECK_FALSE(inside_gb_grid({7848468, -5990957}));
    CHECK(inside_gb_grid({376900, 387800}));
}
