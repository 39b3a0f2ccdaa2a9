#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/geo/geometry.hpp"

#include <functional>
#include <random>
#include <string>

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

TEST_CASE("A footprint of more vertices than any building outline is kept as its hull, in bounded time", "[geo]") {
    GeometryEngine engine;
    ToGrid grid("EPSG:27700");
    // 200,000 vertices scattered in a 100 m square: self-intersecting everywhere, which
    // took GEOS's repair minutes and gigabytes.
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> at(0, 100);
    std::string wkt = "POLYGON((";
    const std::string first = std::to_string(380000 + at(rng)) + " " + std::to_string(390000 + at(rng));
    wkt += first;
    for (int i = 1; i < 200000; ++i)
        wkt += "," + std::to_string(380000 + at(rng)) + " " + std::to_string(390000 + at(rng));
    wkt += "," + first + "))";
    auto f = engine.footprint_from_wkt(wkt, grid, true);
    REQUIRE_FALSE(f.problem);
    CHECK(f.hull_of_vertices == 200001);
    CHECK_FALSE(f.repaired); // a hull is valid as it is
    CHECK(f.point_on_surface.easting > 380000);
    CHECK(f.point_on_surface.easting < 380100);
    // An ordinary outline is not touched.
    CHECK_FALSE(engine.footprint_from_wkt("POLYGON((0 0,100 0,100 50,0 50,0 0))", grid).hull_of_vertices);
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

namespace {

// Little-endian (NDR) 2-D WKB rewritten big-endian (XDR), as some sources write it.
std::vector<unsigned char> to_big_endian(const std::vector<unsigned char>& in) {
    std::vector<unsigned char> out;
    size_t pos = 0;
    auto word = [&](size_t n) {
        for (size_t i = 0; i < n; ++i) out.push_back(in[pos + n - 1 - i]);
        pos += n;
    };
    auto u32 = [&] {
        std::uint32_t v = in[pos] | in[pos + 1] << 8 | in[pos + 2] << 16 | std::uint32_t(in[pos + 3]) << 24;
        word(4);
        return v;
    };
    std::function<void()> geometry = [&] {
        out.push_back(0); // XDR
        ++pos;
        const std::uint32_t type = u32();
        if (type == 1) {
            word(8);
            word(8);
            return;
        }
        const std::uint32_t n = u32();
        for (std::uint32_t i = 0; i < n; ++i) {
            if (type == 3) {
                const std::uint32_t m = u32();
                for (std::uint32_t k = 0; k < 2 * m; ++k) word(8);
            } else if (type == 2) {
                word(8);
                word(8);
            } else
                geometry();
        }
    };
    geometry();
    return out;
}

} // namespace

TEST_CASE("Our SpatiaLite BLOBs are byte for byte SpatiaLite's own", "[geo]") {
    estate::db::Connection c(":memory:", estate::db::Connection::Mode::create);
    auto spatialite = [&](const std::string& sql, const std::vector<unsigned char>& wkb) {
        auto st = c.prepare(sql);
        if (!wkb.empty()) st.bind_blob(1, wkb);
        REQUIRE(st.step());
        return st.blob(0);
    };
    SECTION("points") {
        for (auto [x, y] : {std::pair{385000.25, 270000.5}, {0.0, 0.0}, {-12.5, 1e6}}) {
            auto st = c.prepare("SELECT MakePoint(?, ?, 27700)");
            st.bind(1, x).bind(2, y);
            REQUIRE(st.step());
            std::vector<unsigned char> blob = {9, 9}; // memory from an earlier use is overwritten
            estate::geo::spatialite_point_blob(x, y, 27700, blob);
            CHECK(blob == st.blob(0));
        }
    }
    SECTION("multipolygons, with holes and several parts, from either byte order") {
        for (const char* wkt :
             {"MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)))",
              "MULTIPOLYGON(((385000 270000,385100 270000,385100 270050,385000 270050,385000 270000),"
              "(385010 270010,385020 270010,385020 270020,385010 270010)),((386000 271000,386010 271000,386005 271008,"
              "386000 271000)))"}) {
            INFO(wkt);
            const auto ndr = spatialite("SELECT AsBinary(GeomFromText('" + std::string(wkt) + "'))", {});
            for (const auto& wkb : {ndr, to_big_endian(ndr)}) {
                std::vector<unsigned char> blob(500, 7);
                CHECK(estate::geo::spatialite_blob(wkb, 27700, blob));
                CHECK(blob == spatialite("SELECT CastToMultiPolygon(GeomFromWKB(?, 27700))", wkb));
            }
        }
    }
    SECTION("what it cannot encode it refuses") {
        std::vector<unsigned char> blob(10, 1);
        CHECK_FALSE(estate::geo::spatialite_blob({}, 27700, blob));
        CHECK(blob.empty());
        CHECK_FALSE(estate::geo::spatialite_blob({1, 2, 3}, 27700, blob));
        CHECK(blob.empty());
    }
}
