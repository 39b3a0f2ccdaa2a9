// Benchmark: 1,000,000 ETRS89/WGS84 points to British National Grid and back, by
// estate's OSTN15 (geo::ToGrid / geo::ToLonLat) and by PROJ's own EPSG:4326 <->
// EPSG:27700 transformation (a Helmert on Debian, whose proj-data has no OSTN15
// grid), taking turns run by run in one process. Prints the median of RUNS runs of each
// and the largest difference between the two (how far off the Helmert is).
//   bench/transform.sh [POINTS] [RUNS]

#include "estate/geo/crs.hpp"
#include "estate/geo/ostn15.hpp"

#include <proj.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <class F>
double seconds(F f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    const size_t points = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    // Points over England, Wales and southern Scotland (seeded: the same every run).
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> lon(-5.5, 1.7), lat(50.2, 55.8);
    std::vector<double> x(points), y(points);
    for (size_t i = 0; i < points; ++i) {
        x[i] = lon(rng);
        y[i] = lat(rng);
    }
    estate::geo::ToGrid ostn("EPSG:4326");
    estate::geo::ToLonLat back;
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:27700", nullptr);
    PJ* helmert = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);

    std::vector<double> e(points), n(points), he(points), hn(points), lon2(points), lat2(points);
    std::vector<double> t_ostn, t_proj, t_ostn_back, t_proj_back;
    size_t by_ostn = 0;
    for (int r = 0; r < runs; ++r) {
        t_ostn.push_back(seconds([&] {
            by_ostn = 0;
            for (size_t i = 0; i < points; ++i) {
                estate::geo::Transformation used{};
                auto g = ostn.transform(x[i], y[i], &used);
                e[i] = g->easting;
                n[i] = g->northing;
                by_ostn += used == estate::geo::Transformation::ostn15;
            }
        }));
        t_proj.push_back(seconds([&] {
            std::copy(x.begin(), x.end(), he.begin());
            std::copy(y.begin(), y.end(), hn.begin());
            proj_trans_generic(helmert, PJ_FWD, he.data(), sizeof(double), points, hn.data(), sizeof(double), points,
                               nullptr, 0, 0, nullptr, 0, 0);
        }));
        t_ostn_back.push_back(seconds([&] {
            for (size_t i = 0; i < points; ++i) back.transform(e[i], n[i], lon2[i], lat2[i]);
        }));
        t_proj_back.push_back(seconds([&] {
            proj_trans_generic(helmert, PJ_INV, he.data(), sizeof(double), points, hn.data(), sizeof(double), points,
                               nullptr, 0, 0, nullptr, 0, 0);
        }));
    }
    double worst_helmert = 0, worst_round_trip = 0;
    for (size_t i = 0; i < points; ++i) {
        auto g = ostn.transform(x[i], y[i]);
        double hx = x[i], hy = y[i];
        PJ_COORD c = proj_trans(helmert, PJ_FWD, proj_coord(hx, hy, 0, 0));
        worst_helmert = std::max(worst_helmert, std::hypot(c.xy.x - g->easting, c.xy.y - g->northing));
        auto again = ostn.transform(lon2[i], lat2[i]);
        worst_round_trip = std::max(worst_round_trip, std::hypot(again->easting - e[i], again->northing - n[i]));
    }
    std::printf("points %zu, runs %d, by OSTN15 %zu (grid: %s)\n", points, runs, by_ostn,
                estate::geo::ostn15::source().c_str());
    std::printf("%-44s %10s\n", "", "median_s");
    std::printf("%-44s %10.3f\n", "to grid: estate OSTN15 (geo::ToGrid)", median(t_ostn));
    std::printf("%-44s %10.3f\n", "to grid: PROJ EPSG:4326->27700 (Helmert)", median(t_proj));
    std::printf("%-44s %10.3f\n", "to lon/lat: estate OSTN15 (geo::ToLonLat)", median(t_ostn_back));
    std::printf("%-44s %10.3f\n", "to lon/lat: PROJ EPSG:27700->4326 (Helmert)", median(t_proj_back));
    std::printf("largest Helmert - OSTN15 difference: %.3f m; OSTN15 round trip: %.6f mm\n", worst_helmert,
                worst_round_trip * 1000);
    proj_destroy(helmert);
    proj_context_destroy(ctx);
    return 0;
}
