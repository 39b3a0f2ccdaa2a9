#include <catch2/catch.hpp>

#include "estate/geo/geometry.hpp"
#include "geo/simple_ring.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace estate::geo;

namespace {

std::string wkt_of(const std::vector<double>& xy, const char* format = "%.17g") {
    std::string s = "POLYGON((";
    char buf[64];
    for (size_t i = 0; i < xy.size(); i += 2) {
        if (i) s += ",";
        std::snprintf(buf, sizeof buf, format, xy[i]);
        s += buf;
        s += " ";
        std::snprintf(buf, sizeof buf, format, xy[i + 1]);
        s += buf;
    }
    return s + "))";
}

void close(std::vector<double>& xy) {
    xy.push_back(xy[0]);
    xy.push_back(xy[1]);
}

// Rings of every kind the fast path must get right or hand over: star-shaped (valid),
// random walks (mostly self-intersecting), spikes, repeated points, figure-eights
// touching at a vertex, nearly collinear vertices, and rings not closed.
struct SampleRing {
    std::vector<double> xy;
    bool star = false; // closed, vertices in angle order around a centre (mostly valid)
};
std::vector<SampleRing> sample_rings(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<SampleRing> rings;
    for (int trial = 0; trial < 400; ++trial) {
        const int n = 3 + static_cast<int>(unit(rng) * 12);
        const double cx = 300000 + unit(rng) * 1000, cy = 200000 + unit(rng) * 1000;
        std::vector<double> angles;
        for (int i = 0; i < n; ++i) angles.push_back(unit(rng) * 2 * M_PI);
        std::sort(angles.begin(), angles.end());
        std::vector<double> star;
        for (double a : angles) {
            double r = 5 + unit(rng) * 40;
            star.push_back(std::round((cx + r * std::cos(a)) * 100) / 100); // centimetres, as files give
            star.push_back(std::round((cy + r * std::sin(a)) * 100) / 100);
        }
        std::vector<double> walk;
        for (int i = 0; i < n; ++i) {
            walk.push_back(cx + std::floor(unit(rng) * 20));
            walk.push_back(cy + std::floor(unit(rng) * 20));
        }
        auto closed_star = star;
        close(closed_star);
        rings.push_back({closed_star, true});
        auto closed_walk = walk;
        close(closed_walk);
        rings.push_back({closed_walk});
        rings.push_back({star}); // not closed (unless the last point happens to repeat the first)
        auto spike = star;       // goes out to a point and straight back
        spike.insert(spike.begin() + 2, {star[0] + 30, star[1]});
        spike.insert(spike.begin() + 4, {star[0], star[1]});
        close(spike);
        rings.push_back({spike});
        auto repeated = star; // one point twice in a row
        repeated.insert(repeated.begin() + 2, {star[2], star[3]});
        close(repeated);
        rings.push_back({repeated});
        if (n >= 4) { // nearly collinear: a vertex moved onto (or a hair off) its neighbours' line
            auto flat = star;
            double t = unit(rng);
            flat[2] = star[0] + t * (star[4] - star[0]) + (trial % 3 == 0 ? 0 : (trial % 3 == 1 ? 1e-9 : -1e-9));
            flat[3] = star[1] + t * (star[5] - star[1]);
            close(flat);
            rings.push_back({flat});
        }
    }
    // A figure of eight touching itself at one vertex, and a square with a vertex on an edge.
    rings.push_back({{0, 0, 10, 0, 5, 5, 10, 10, 0, 10, 5, 5, 0, 0}});
    rings.push_back({{0, 0, 10, 0, 10, 10, 5, 0, 0, 10, 0, 0}});
    return rings;
}

} // namespace

TEST_CASE("The one-ring fast path gives GEOS's answer whenever it answers", "[geo][simple_ring][slow]") {
    std::mt19937_64 rng(20261127);
    ToGrid grid("EPSG:27700");
    GeometryEngine fast, geos;
    geos.use_fast_path(false);
    int stars = 0, stars_taken = 0;
    for (const auto& [xy, star] : sample_rings(rng)) {
        const std::string wkt = wkt_of(xy);
        INFO(wkt);
        for (bool need_point : {true, false}) {
            auto a = fast.footprint_from_wkt(wkt, grid, need_point);
            auto b = geos.footprint_from_wkt(wkt, grid, need_point);
            CHECK(a.problem == b.problem);
            CHECK(a.problem_reason == b.problem_reason);
            CHECK(a.repaired == b.repaired);
            CHECK(a.wkb == b.wkb); // byte for byte
            if (need_point) {
                CHECK(a.point_on_surface.easting == b.point_on_surface.easting);
                CHECK(a.point_on_surface.northing == b.point_on_surface.northing);
            }
        }
        std::vector<double> read;
        REQUIRE(simple_ring::read_wkt(wkt, read));
        CHECK(read == xy); // the text read back to the same doubles
        auto b = geos.footprint_from_wkt(wkt, grid, false);
        const bool geos_valid = !b.problem && !b.repaired;
        const bool taken = simple_ring::certainly_valid(read);
        if (taken) CHECK(geos_valid); // never "valid" where GEOS says otherwise
        stars += star && geos_valid;
        stars_taken += star && geos_valid && taken;
    }
    // The fast path takes the ordinary footprint: every valid star-shaped ring (rings
    // with repeated or collinear points, valid to GEOS too, go to GEOS).
    CHECK(stars > 350);
    CHECK(stars_taken == stars);
}

TEST_CASE("The fast path reads the WKT and WKB spellings sources use, and hands over the rest", "[geo][simple_ring]") {
    std::vector<double> xy;
    const std::vector<double> square = {0, 0, 100, 0, 100, 50, 0, 50, 0, 0};
    CHECK(simple_ring::read_wkt("POLYGON((0 0,100 0,100 50,0 50,0 0))", xy));
    CHECK(xy == square);
    CHECK(simple_ring::read_wkt("  polygon ( ( 0 0 , 1e2 0,100 5E1, 0 50 ,0 0 ) ) ", xy));
    CHECK(xy == square);
    CHECK(simple_ring::read_wkt("MULTIPOLYGON(((0 0,100 0,100 50,0 50,0 0)))", xy));
    CHECK(xy == square);
    // Handed to GEOS: a hole, a second polygon, 3-D, EMPTY, junk after, a third ordinate.
    CHECK_FALSE(simple_ring::read_wkt("POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))", xy));
    CHECK_FALSE(simple_ring::read_wkt("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))", xy));
    CHECK_FALSE(simple_ring::read_wkt("POLYGON Z((0 0 1,1 0 1,1 1 1,0 0 1))", xy));
    CHECK_FALSE(simple_ring::read_wkt("POLYGON EMPTY", xy));
    CHECK_FALSE(simple_ring::read_wkt("POLYGON((0 0,1 0,1 1,0 0)) x", xy));
    CHECK_FALSE(simple_ring::read_wkt("POLYGON((0 0 5,1 0 5,1 1 5,0 0 5))", xy));
    CHECK_FALSE(simple_ring::read_wkt("POINT(1 2)", xy));

    // WKB of the same square, both byte orders, as Polygon and as MultiPolygon.
    std::vector<unsigned char> multi;
    simple_ring::write_multipolygon_wkb(square, multi);
    CHECK(simple_ring::read_wkb(multi.data(), multi.size(), xy));
    CHECK(xy == square);
    std::vector<unsigned char> polygon(multi.begin() + 9, multi.end()); // the Polygon inside
    CHECK(simple_ring::read_wkb(polygon.data(), polygon.size(), xy));
    CHECK(xy == square);
    std::vector<unsigned char> big = {0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 5};
    for (double v : square) {
        unsigned char b[8];
        std::memcpy(b, &v, 8);
        for (int i = 7; i >= 0; --i) big.push_back(b[i]);
    }
    CHECK(simple_ring::read_wkb(big.data(), big.size(), xy));
    CHECK(xy == square);
    big.push_back(0); // a stray byte: not the fast path's to judge
    CHECK_FALSE(simple_ring::read_wkb(big.data(), big.size(), xy));

    // And through the engine: the WKB path gives what GEOS gives, from WGS84 too.
    GeometryEngine fast, geos;
    geos.use_fast_path(false);
    ToGrid wgs84("EPSG:4326");
    const std::vector<double> lonlat = {-2.35, 52.48, -2.34, 52.48, -2.34, 52.49, -2.35, 52.49, -2.35, 52.48};
    std::vector<unsigned char> wkb;
    simple_ring::write_multipolygon_wkb(lonlat, wkb);
    auto a = fast.footprint_from_wkb(wkb.data(), wkb.size(), wgs84);
    auto b = geos.footprint_from_wkb(wkb.data(), wkb.size(), wgs84);
    REQUIRE_FALSE(a.problem);
    CHECK(a.wkb == b.wkb);
    CHECK(a.point_on_surface.easting == b.point_on_surface.easting);
    CHECK(a.point_on_surface.northing == b.point_on_surface.northing);
}
