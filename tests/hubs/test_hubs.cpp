#include <catch2/catch.hpp>

#include "estate/error.hpp"
#include "estate/hubs/hubs.hpp"
#include "site_builders.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

using namespace estate::hubs;
using test::building;
using test::point;

namespace {

const double unknown = std::numeric_limits<double>::quiet_NaN();

SiteFacts facts(const std::string& use, double gia = unknown, const std::string& tenure = "freehold", char rag = 'u') {
    SiteFacts f;
    f.use = use;
    f.gia_m2 = gia;
    f.tenure = tenure;
    f.rag = rag;
    f.market_value = f.running_cost = f.utilisation = unknown;
    return f;
}

bool listed(const std::vector<std::string>& uses, const std::string& use) {
    return std::find(uses.begin(), uses.end(), use) != uses.end();
}

// Distinct owners of the host and of the sites in @p members.
std::int64_t agencies(const std::vector<Site>& sites, size_t host, const std::vector<size_t>& members) {
    std::set<std::int64_t> owners = {sites[host].owner_id};
    for (size_t m : members) owners.insert(sites[m].owner_id);
    return static_cast<std::int64_t>(owners.size());
}

// Brute force: the sites that could join a hub around @p host, given what is taken.
std::vector<size_t> could_join(const std::vector<Site>& sites, const std::vector<SiteFacts>& f,
                               const HubOptions& o, size_t host, const std::vector<bool>& taken) {
    Distance d;
    std::vector<size_t> out;
    for (size_t j = 0; j < sites.size(); ++j)
        if (j != host && !taken[j] && sites[j].owner_id != sites[host].owner_id && f[j].rag != 'r' &&
            listed(o.member_uses, f[j].use) && d.within(sites[host], sites[j], o.radius))
            out.push_back(j);
    return out;
}

// Every invariant a hub run must keep, checked without any index.
void check_invariants(const std::vector<Site>& sites, const std::vector<SiteFacts>& f, const HubOptions& o,
                      const std::vector<Hub>& hubs) {
    Distance d;
    std::vector<bool> taken(sites.size(), false);
    for (const auto& h : hubs) {
        INFO("hub around site " << sites[h.host].id);
        REQUIRE_FALSE(taken[h.host]);
        taken[h.host] = true;
        CHECK(listed(o.host_uses, f[h.host].use));
        std::vector<size_t> members;
        for (const auto& m : h.members) {
            REQUIRE_FALSE(taken[m.site]); // no property in two hubs
            taken[m.site] = true;
            members.push_back(m.site);
            CHECK(d.within(sites[h.host], sites[m.site], o.radius)); // within the radius of its host
            CHECK(m.distance <= o.radius);
            CHECK(m.distance == Approx(d.between(sites[h.host], sites[m.site])));
            CHECK(sites[m.site].owner_id != sites[h.host].owner_id); // other agencies only
            CHECK(f[m.site].rag != 'r');                              // red never moves
            CHECK(listed(o.member_uses, f[m.site].use));
        }
        CHECK(h.agencies == agencies(sites, h.host, members));
        CHECK(h.agencies >= o.min_agencies);
    }
    // Greedy runs until no hub can be formed from what is left.
    for (size_t h = 0; h < sites.size(); ++h) {
        if (taken[h] || !listed(o.host_uses, f[h].use)) continue;
        INFO("site " << sites[h].id << " was left out");
        CHECK(agencies(sites, h, could_join(sites, f, o, h, taken)) < o.min_agencies);
    }
}

} // namespace

TEST_CASE("Hub invariants hold on random inputs, checked by brute force", "[hubs]") {
    std::mt19937 rng(7);
    const std::vector<std::string> uses = {"office", "library", "clinic", "hospital", "fire_station", "school"};
    const std::vector<std::string> tenures = {"freehold", "leasehold_in", "leasehold_out", ""};
    for (int trial = 0; trial < 16; ++trial) {
        std::uniform_real_distribution<double> coord(0, 3000);
        std::vector<Site> sites;
        std::vector<SiteFacts> f;
        const int n = 40 + trial * 25;
        for (int i = 0; i < n; ++i) {
            const double x = coord(rng), y = coord(rng);
            const std::int64_t owner = 1 + static_cast<std::int64_t>(rng() % 6);
            sites.push_back(i % 4 == 0 ? building(i, x, y, x + 10 + i % 50, y + 20 + i % 25, owner)
                                       : point(i, x, y, owner));
            f.push_back(facts(uses[rng() % uses.size()], rng() % 3 ? 200.0 + rng() % 3000 : unknown,
                              tenures[rng() % tenures.size()], "uuagr"[rng() % 5]));
            f.back().condition = "ABCD"[rng() % 4];
            f.back().utilisation = rng() % 2 ? (rng() % 100) / 100.0 : unknown;
            f.back().market_value = 100000.0 * (rng() % 20);
            f.back().running_cost = 1000.0 * (rng() % 50);
        }
        HubOptions o;
        o.radius = 100 + 50 * (trial % 6);
        o.min_agencies = 2 + trial % 3;
        INFO("trial " << trial << " radius " << o.radius << " K " << o.min_agencies);
        auto hubs = propose_hubs(sites, f, o);
        check_invariants(sites, f, o, hubs);
        // The first hub brings the most agencies together of any candidate.
        if (!hubs.empty()) {
            std::vector<bool> none(sites.size(), false);
            std::int64_t best = 0;
            for (size_t h = 0; h < sites.size(); ++h)
                if (listed(o.host_uses, f[h].use))
                    best = std::max(best, agencies(sites, h, could_join(sites, f, o, h, none)));
            CHECK(hubs.front().agencies == best);
        }
    }
}

TEST_CASE("Hubs on adversarial inputs", "[hubs]") {
    HubOptions o;
    o.radius = 250;
    SECTION("an empty register and a single owner give no hubs") {
        CHECK(propose_hubs({}, {}, o).empty());
        std::vector<Site> s = {point(1, 0, 0), point(2, 10, 0), point(3, 20, 0)};
        std::vector<SiteFacts> f(3, facts("office", 500));
        CHECK(propose_hubs(s, f, o).empty());
    }
    SECTION("a member exactly at the radius joins; a hair beyond does not") {
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 250, 0, 2), point(3, 0, std::nextafter(250.0, 1e9), 3)};
        std::vector<SiteFacts> f(3, facts("office", 1000));
        auto hubs = propose_hubs(s, f, o);
        REQUIRE(hubs.size() == 1);
        // Site 1 is the only host with both others in reach... but site 3 is a hair too far.
        CHECK(hubs[0].agencies == 2);
        check_invariants(s, f, o, hubs);
    }
    SECTION("duplicates at one spot: each property in one hub only") {
        std::vector<Site> s;
        std::vector<SiteFacts> f;
        for (int i = 0; i < 12; ++i) {
            s.push_back(point(i, 500, 500, 1 + i % 3));
            f.push_back(facts("office", 400));
        }
        auto hubs = propose_hubs(s, f, o);
        check_invariants(s, f, o, hubs);
        CHECK(hubs.size() >= 1);
    }
    SECTION("collinear sites: members reach the host, not each other") {
        std::vector<Site> s;
        std::vector<SiteFacts> f;
        for (int i = 0; i < 30; ++i) {
            s.push_back(point(i, i * 200.0, 0, 1 + i % 2));
            f.push_back(facts("library", 300));
        }
        auto hubs = propose_hubs(s, f, o);
        check_invariants(s, f, o, hubs);
        for (const auto& h : hubs) CHECK(h.members.size() <= 2); // neighbours at 200 m; 400 m is out
    }
    SECTION("a red property hosts but never moves; land and schools take no part") {
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 50, 0, 2), point(3, 60, 0, 3), point(4, 70, 0, 4)};
        std::vector<SiteFacts> f = {facts("fire_station", 2000, "freehold", 'r'), facts("office", 100, "freehold", 'r'),
                                    facts("land"), facts("school", 900)};
        CHECK(propose_hubs(s, f, o).empty());
        f[1].rag = 'a';
        auto hubs = propose_hubs(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(s[hubs[0].host].id == 1);
        CHECK(hubs[0].members.size() == 1);
    }
    SECTION("bad options are usage errors") {
        std::vector<Site> s = {point(1, 0, 0)};
        std::vector<SiteFacts> f = {facts("office")};
        o.min_agencies = 1;
        CHECK_THROWS_AS(propose_hubs(s, f, o), estate::usage_error);
        o.min_agencies = 2;
        o.member_uses = {"offices"};
        CHECK_THROWS_WITH(propose_hubs(s, f, o), Catch::Contains("unknown use 'offices'"));
    }
}

TEST_CASE("Hub space, host preference and money follow the documented rules", "[hubs]") {
    HubOptions o;
    o.radius = 250;
    SECTION("the space assumption decides whether the host can house the members") {
        // Host 1,000 m2 at 50% use: 500 m2 spare. Two 300 m2 members need 2 x 240 = 480 m2.
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 100, 0, 2), point(3, 0, 100, 3)};
        std::vector<SiteFacts> f = {facts("office", 1000), facts("clinic", 300), facts("library", 300)};
        f[0].utilisation = 0.5;
        f[1].utilisation = 0.9; // a member's own use does not matter: it moves
        auto hubs = propose_hubs(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(s[hubs[0].host].id == 1);
        CHECK(hubs[0].host_spare_m2 == Approx(500));
        CHECK(hubs[0].need_m2 == Approx(480));
        CHECK(hubs[0].host_fits);
        // At 90% use the host has 100 m2 spare and the others cannot house it either.
        f[0].utilisation = 0.9;
        f[1] = facts("clinic", 300);
        f[1].utilisation = 0.95;
        f[2] = facts("library", 300);
        f[2].utilisation = 0.95;
        hubs = propose_hubs(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK_FALSE(hubs[0].host_fits);
        std::vector<SiteDetails> d = {{1, "A", "a1", "Town Hall"}, {2, "B", "b1", "Clinic"}, {3, "C", "c1", "Library"}};
        SiteSet set{s, 0, 0, f};
        auto text = explain_hub(hubs[0], set, o, [&](std::int64_t id) -> const SiteDetails& { return detail_of(d, id); });
        CHECK_THAT(text, Catch::Contains("no single host; new build or extension needed"));
        CHECK_THAT(text, Catch::Contains("3 agencies"));
        // A vacant host offers all its floor area.
        f[0].vacant = true;
        hubs = propose_hubs(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(s[hubs[0].host].id == 1);
        CHECK(hubs[0].host_spare_m2 == Approx(1000));
        CHECK(hubs[0].host_fits);
    }
    SECTION("of equal hubs the freehold, not-red, better-condition host is chosen") {
        // Two offices of different owners side by side: either could host the other.
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 10, 0, 2)};
        std::vector<SiteFacts> f = {facts("office", 500, "leasehold_in"), facts("office", 500, "freehold")};
        CHECK(s[propose_hubs(s, f, o)[0].host].id == 2);
        f[0].tenure = "freehold";
        f[0].condition = 'A';
        f[1].condition = 'C';
        CHECK(s[propose_hubs(s, f, o)[0].host].id == 1);
        // Red may host, but loses to a not-red host of the same standing: two offices of
        // one owner, each able to take a third agency's clinic.
        s = {point(1, 0, 0, 1), point(2, 10, 0, 1), point(3, 20, 0, 2)};
        f = {facts("office", 500, "freehold", 'r'), facts("office", 500, "freehold"), facts("clinic", 100)};
        CHECK(s[propose_hubs(s, f, o)[0].host].id == 2);
        f[0].rag = 'a';
        CHECK(s[propose_hubs(s, f, o)[0].host].id == 1); // equal now: the lower id
    }
    SECTION("only sellable members raise a receipt; every member saves its running cost") {
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 50, 0, 2), point(3, 0, 50, 3)};
        std::vector<SiteFacts> f = {facts("office", 5000), facts("clinic", 100, "leasehold_in"),
                                    facts("library", 100, "freehold")};
        f[0].utilisation = 0;
        f[1].market_value = 900000;
        f[1].running_cost = 20000;
        f[2].market_value = 400000;
        f[2].running_cost = 30000;
        auto hubs = propose_hubs(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(hubs[0].value_released == Approx(400000));
        CHECK(hubs[0].running_cost_saved == Approx(50000));
        CHECK(hubs[0].score == Approx(50000 + 0.035 * 400000));
    }
    SECTION("a member with no floor area is assumed to need its use's median, flagged") {
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 50, 0, 2), point(3, 5000, 0, 3), point(4, 6000, 0, 3),
                               point(5, 7000, 0, 3)};
        std::vector<SiteFacts> f = {facts("office", 5000), facts("clinic"), facts("clinic", 100),
                                    facts("clinic", 300), facts("clinic", 700)};
        auto hubs = propose_hubs(s, f, o);
        REQUIRE(hubs.size() == 1);
        REQUIRE(hubs[0].members.size() == 1);
        CHECK(hubs[0].members[0].need_estimated);
        CHECK(hubs[0].members[0].need_m2 == Approx(300 * 0.8));
    }
}
