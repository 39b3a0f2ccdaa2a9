#include <catch2/catch.hpp>

#include "estate/geo/geometry.hpp"
#include "estate/hubs/clusters.hpp"
#include "site_builders.hpp"
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

using namespace estate::hubs;
using test::building;
using test::point;

namespace {

// The reference: every pair tested, no index at all.
std::vector<std::vector<size_t>> brute_force(const std::vector<Site>& sites, double radius) {
    std::vector<size_t> label(sites.size());
    for (size_t i = 0; i < sites.size(); ++i) label[i] = i;
    auto root = [&](size_t a) {
        while (label[a] != a) a = label[a];
        return a;
    };
    Distance d;
    for (size_t i = 0; i < sites.size(); ++i)
        for (size_t j = i + 1; j < sites.size(); ++j)
            if (d.within(sites[i], sites[j], radius)) label[root(j)] = root(i);
    std::vector<std::vector<size_t>> groups;
    std::vector<long> index(sites.size(), -1);
    for (size_t i = 0; i < sites.size(); ++i) {
        size_t r = root(i);
        if (index[r] < 0) {
            index[r] = static_cast<long>(groups.size());
            groups.emplace_back();
        }
        groups[static_cast<size_t>(index[r])].push_back(i);
    }
    return groups;
}

std::vector<std::vector<size_t>> canonical(std::vector<std::vector<size_t>> p) {
    for (auto& g : p) std::sort(g.begin(), g.end());
    std::sort(p.begin(), p.end());
    return p;
}

} // namespace

TEST_CASE("Clusters equal a brute-force reference on random inputs", "[hubs][clusters]") {
    std::mt19937 rng(42);
    for (int trial = 0; trial < 20; ++trial) {
        std::uniform_real_distribution<double> coord(0, 5000);
        std::vector<Site> sites;
        int n = 50 + trial * 40;
        for (int i = 0; i < n; ++i) {
            double x = coord(rng), y = coord(rng);
            if (i % 5 == 0)
                sites.push_back(building(i, x, y, x + 10 + i % 40, y + 15 + i % 30, i % 7));
            else
                sites.push_back(point(i, x, y, i % 7));
        }
        double radius = 50 + 25 * (trial % 8);
        INFO("trial " << trial << " radius " << radius);
        CHECK(canonical(cluster_partition(sites, radius)) == canonical(brute_force(sites, radius)));
    }
}

TEST_CASE("Clusters on adversarial inputs", "[hubs][clusters]") {
    SECTION("empty") {
        CHECK(cluster_partition({}, 250).empty());
    }
    SECTION("duplicates are one cluster") {
        std::vector<Site> s = {point(1, 100, 100), point(2, 100, 100), point(3, 100, 100, 2)};
        CHECK(cluster_partition(s, 0).size() == 1);
    }
    SECTION("a distance equal to the radius counts; a hair more does not") {
        std::vector<Site> s = {point(1, 0, 0), point(2, 250, 0), point(3, 150, 200 + 250), point(4, 0, 1000),
                               point(5, std::nextafter(250.0, 1e9), 1000)};
        auto p = canonical(cluster_partition(s, 250));
        CHECK(p == canonical({{0, 1}, {2}, {3}, {4}}));
        CHECK(p == canonical(brute_force(s, 250)));
    }
    SECTION("collinear points chain across many cells") {
        std::vector<Site> s;
        for (int i = 0; i < 200; ++i) s.push_back(point(i, i * 250.0, 777));
        CHECK(cluster_partition(s, 250).size() == 1);
        CHECK(cluster_partition(s, 249.999).size() == 200);
    }
    SECTION("footprints link buildings whose points are far apart") {
        // Two 400 m long buildings 50 m apart; their centres are 450 m apart.
        std::vector<Site> s = {building(1, 0, 0, 400, 20), building(2, 450, 0, 850, 20, 2)};
        CHECK(cluster_partition(s, 100).size() == 1);
        CHECK(cluster_partition(s, 49).size() == 2);
        // A building and a plain point are compared point to point.
        std::vector<Site> m = {building(1, 0, 0, 400, 20), point(2, 450, 10, 2)};
        CHECK(cluster_partition(m, 100).size() == 2);
        CHECK(cluster_partition(m, 250).size() == 1);
    }
}

TEST_CASE("A point inside a footprint is found from the WKB alone, and settles pairs GEOS agrees on", "[hubs]") {
    using estate::geo::wkb_polygon_contains;
    const auto square = test::rectangle_wkb(0, 0, 10, 10);
    CHECK(wkb_polygon_contains(square, 5, 5) == true);
    CHECK(wkb_polygon_contains(square, 15, 5) == false);
    CHECK(wkb_polygon_contains(square, -0.001, 5) == false);
    CHECK_FALSE(wkb_polygon_contains({1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 0)); // a point
    CHECK_FALSE(wkb_polygon_contains({1, 3}, 0, 0)); // cut short
    // On random buildings: whenever the shortcut says "within", GEOS says so too.
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> coord(0, 400), size(2, 60);
    estate::hubs::Distance d;
    int settled = 0;
    for (int i = 0; i < 2000; ++i) {
        const double ax = coord(rng), ay = coord(rng), bx = coord(rng), by = coord(rng);
        auto a = test::building(2 * i, ax, ay, ax + size(rng), ay + size(rng)); // ids: Distance keeps footprints by id
        auto b = test::building(2 * i + 1, bx, by, bx + size(rng), by + size(rng));
        if (i % 3 == 0) a.x = a.max_x + 1; // a location outside its footprint settles nothing
        const double r = 20 + coord(rng) / 4;
        if (estate::hubs::Distance::surely_within(a, b, r)) {
            ++settled;
            CHECK(d.between(a, b) <= r);
        }
    }
    CHECK(settled > 50);
}
