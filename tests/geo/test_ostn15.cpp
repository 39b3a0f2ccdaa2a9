#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/exporting/export.hpp"
#include "estate/geo/crs.hpp"
#include "estate/geo/ostn15.hpp"
#include "estate/importing/importer.hpp"
#include "support.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace estate;

namespace {

struct TestPoint {
    std::string id;
    double lat, lon, e, n;
};

// Ordnance Survey's 40 official OSTN15 test points (tests/data/ostn15/).
std::vector<TestPoint> official_points() {
    std::ifstream in(std::string(ESTATE_SOURCE_DIR) + "/tests/data/ostn15/ostn15_testpoints_etrs_to_osgb.csv");
    std::vector<TestPoint> points;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line.rfind("id,", 0) == 0) continue;
        std::stringstream s(line);
        std::string id, lat, lon, h, e, n;
        std::getline(s, id, ',');
        std::getline(s, lat, ',');
        std::getline(s, lon, ',');
        std::getline(s, h, ',');
        std::getline(s, e, ',');
        std::getline(s, n, ',');
        points.push_back({id, std::stod(lat), std::stod(lon), std::stod(e), std::stod(n)});
    }
    return points;
}

} // namespace

TEST_CASE("OSTN15 reproduces Ordnance Survey's 40 test points to the millimetre, both ways", "[geo][ostn15]") {
    REQUIRE(geo::ostn15::available());
    const auto points = official_points();
    REQUIRE(points.size() == 40);
    double worst = 0, worst_back = 0;
    for (const auto& p : points) {
        INFO(p.id);
        auto g = geo::ostn15::to_grid(p.lon, p.lat);
        REQUIRE(g);
        // The published outputs are rounded to the millimetre.
        const double off = std::max(std::fabs(g->easting - p.e), std::fabs(g->northing - p.n));
        CHECK(off <= 0.001);
        worst = std::max(worst, off);
        // And back: the published grid position returns to the published latitude and longitude.
        auto back = geo::ostn15::to_etrs89(p.e, p.n);
        REQUIRE(back);
        auto again = geo::ostn15::to_grid(back->lon, back->lat);
        REQUIRE(again);
        const double round_trip = std::max(std::fabs(again->easting - p.e), std::fabs(again->northing - p.n));
        CHECK(round_trip < 1e-4);
        // 1 mm is about 1e-8 degrees of latitude.
        CHECK(std::fabs(back->lat - p.lat) < 2e-8);
        CHECK(std::fabs(back->lon - p.lon) < 3e-8);
        worst_back = std::max(worst_back, round_trip);
    }
    WARN("worst forward error " << worst * 1000 << " mm; worst round trip " << worst_back * 1000 << " mm");
}

TEST_CASE("British National Grid from WGS84 goes by OSTN15, not PROJ's Helmert", "[geo][ostn15]") {
    geo::ToGrid to_grid("EPSG:4326");
    for (const auto& p : official_points()) {
        INFO(p.id);
        geo::Transformation used{};
        auto g = to_grid.transform(p.lon, p.lat, &used);
        REQUIRE(g);
        CHECK(used == geo::Transformation::ostn15);
        // PROJ's Helmert is metres off on these points; this fails if it is used instead.
        CHECK(std::fabs(g->easting - p.e) <= 0.001);
        CHECK(std::fabs(g->northing - p.n) <= 0.001);
    }
    // Outside OSTN15's grid (here, west of Ireland) PROJ's Helmert is the fallback, and says so.
    geo::Transformation used{};
    auto far = to_grid.transform(-12.0, 54.0, &used);
    REQUIRE(far);
    CHECK(used == geo::Transformation::helmert);
    // Eastings and northings are left exactly as they are.
    geo::ToGrid identity("EPSG:27700");
    auto same = identity.transform(384512.123456789, 254000.987654321, &used);
    CHECK(same->easting == 384512.123456789);
    CHECK(same->northing == 254000.987654321);
    CHECK(used == geo::Transformation::none);
}

TEST_CASE("A property from WGS84 lands on OSTN15's answer and survives a GeoJSON round trip", "[geo][ostn15]") {
    test::TempDir tmp;
    // TP20 (Leeds) and TP11 (Colchester): official OSTN15 test points, as a GeoJSON layer.
    test::write_file(tmp.path("points.geojson"),
                     R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ref":"TP20","name":"Leeds"},"geometry":{"type":"Point","coordinates":[-1.66379168242,53.80021519630]}},
{"type":"Feature","properties":{"ref":"TP11","name":"Colchester"},"geometry":{"type":"Point","coordinates":[0.89724327012,51.89436637350]}}]})");
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    importing::ImportOptions o;
    o.source = tmp.path("points.geojson");
    o.profile = "generic";
    o.owner = "Test Agency";
    auto s = importing::import_source(reg, o);
    CHECK(s.inserted == 2);
    CHECK(s.transformed_by["OSTN15"] == 2);
    auto at = [](db::Register& r, const char* ref) {
        auto st = r.connection().prepare(std::string("SELECT X(geom), Y(geom), location_transform FROM properties "
                                                     "WHERE ref = '") +
                                         ref + "'");
        REQUIRE(st.step());
        CHECK(st.text(2) == "OSTN15");
        return model::GridPoint{st.real(0), st.real(1)};
    };
    const auto leeds = at(reg, "TP20"), colchester = at(reg, "TP11");
    CHECK(std::fabs(leeds.easting - 422242.186) <= 0.001);
    CHECK(std::fabs(leeds.northing - 433818.701) <= 0.001);
    CHECK(std::fabs(colchester.easting - 599445.590) <= 0.001);
    CHECK(std::fabs(colchester.northing - 225722.826) <= 0.001);

    // Out to GeoJSON (WGS84 by OSTN15's inverse) and in again: back within a millimetre.
    exporting::Options e;
    e.format = exporting::Format::geojson;
    e.out = tmp.path("out.geojson");
    exporting::export_register(reg, e);
    auto again = db::Register::create(tmp.path("again.sqlite"));
    o.source = e.out;
    CHECK(importing::import_source(again, o).inserted == 2);
    const auto leeds2 = at(again, "TP20"), colchester2 = at(again, "TP11");
    CHECK(std::fabs(leeds2.easting - leeds.easting) < 0.001);
    CHECK(std::fabs(leeds2.northing - leeds.northing) < 0.001);
    CHECK(std::fabs(colchester2.easting - colchester.easting) < 0.001);
    CHECK(std::fabs(colchester2.northing - colchester.northing) < 0.001);
}
