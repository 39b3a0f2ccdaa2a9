#include <catch2/catch.hpp>

#include "estate/error.hpp"
#include "estate/geo/crs.hpp"

#include <cmath>

using namespace estate::geo;

TEST_CASE("WGS84 longitude/latitude reach British National Grid with the axes right", "[geo]") {
    // Ordnance Survey's official OSTN15 test points (all 40 in test_ostn15.cpp):
    // TP11 (Colchester), TP20 (Leeds), TP31 (St Kilda), to the millimetre.
    ToGrid to_grid("EPSG:4326");
    struct Official {
        double lon, lat, e, n;
    };
    for (const Official& o : {Official{0.89724327012, 51.89436637350, 599445.590, 225722.826},
                              Official{-1.66379168242, 53.80021519630, 422242.186, 433818.701},
                              Official{-8.57854456076, 57.81351838410, 9587.909, 899448.996}}) {
        auto p = to_grid.transform(o.lon, o.lat);
        REQUIRE(p);
        CHECK(std::fabs(p->easting - o.e) <= 0.001);
        CHECK(std::fabs(p->northing - o.n) <= 0.001);
    }
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
