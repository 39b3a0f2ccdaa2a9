#include <catch2/catch.hpp>

#include <map>

#include "estate/error.hpp"
#include "estate/hubs/hubs.hpp"
#include "estate/money/model.hpp"
#include "site_builders.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

using namespace estate::hubs;
namespace model = estate::model;
using estate::money::Benchmarks;
using Facts = estate::facts::Building;
using Field = estate::facts::Field;
using test::building;
using test::point;

namespace {

const double unknown = std::numeric_limits<double>::quiet_NaN();

Facts facts(const std::string& use, double gia = unknown, const std::string& tenure = "freehold",
            model::Rag rag = model::Rag::unassessed) {
    Facts f;
    f.use = use;
    f.set(Field::floor_area, gia);
    f.tenure = tenure;
    f.status = rag;
    return f;
}

// The register's benchmarks, as find_hubs makes them, from the sites themselves.
Benchmarks benchmarks(const std::vector<Facts>& f, const HubOptions& o) {
    std::vector<std::string> uses;
    std::vector<double> areas;
    for (const auto& x : f) {
        uses.push_back(x.use);
        areas.push_back(x.figure_or_nan(Field::floor_area));
    }
    return Benchmarks(o.scenario, uses, areas);
}

std::vector<Hub> propose(const std::vector<Site>& s, const std::vector<Facts>& f, const HubOptions& o) {
    return propose_hubs(s, f, o, benchmarks(f, o));
}

bool listed(const std::vector<std::string>& uses, const std::string& use) {
    return std::find(uses.begin(), uses.end(), use) != uses.end();
}

// The documented eligibility, written out again here (not the library's).
bool may_host(const Facts& f, const HubOptions& o) {
    return listed(o.host_uses, f.use) && f.status != model::Rag::green && !f.land && f.use != "unknown";
}
bool may_move(const Facts& f, const HubOptions& o) {
    return listed(o.member_uses, f.use) && f.status != model::Rag::red && !f.vacant && !f.land && f.use != "unknown";
}

// Distinct owners of the host and of the sites in @p members.
std::int64_t agencies(const std::vector<Site>& sites, size_t host, const std::vector<size_t>& members) {
    std::set<std::int64_t> owners = {sites[host].owner_id};
    for (size_t m : members) owners.insert(sites[m].owner_id);
    return static_cast<std::int64_t>(owners.size());
}

// Brute force: the sites that could join a hub around @p host, given what is taken.
std::vector<size_t> could_join(const std::vector<Site>& sites, const std::vector<Facts>& f, const HubOptions& o,
                               size_t host, const std::vector<bool>& taken) {
    Distance d;
    std::vector<size_t> out;
    for (size_t j = 0; j < sites.size(); ++j)
        if (j != host && !taken[j] && sites[j].owner_id != sites[host].owner_id && may_move(f[j], o) &&
            d.within(sites[host], sites[j], o.radius))
            out.push_back(j);
    return out;
}

// Every invariant a hub run must keep, checked without any index.
void check_invariants(const std::vector<Site>& sites, const std::vector<Facts>& f, const HubOptions& o,
                      const std::vector<Hub>& hubs) {
    Distance d;
    std::vector<bool> taken(sites.size(), false);
    bool apart = false;
    for (const auto& h : hubs) {
        INFO("hub around site " << sites[h.host].id);
        REQUIRE_FALSE(taken[h.host]);
        taken[h.host] = true;
        CHECK(may_host(f[h.host], o));
        if (!h.proposed) apart = true;
        CHECK(h.proposed != apart);                // proposed hubs first, then the ones not worth it
        CHECK((h.net_benefit >= 0) == h.proposed); // worth it exactly when the net benefit is 0 or more
        std::vector<size_t> members;
        for (const auto& m : h.members) {
            REQUIRE_FALSE(taken[m.site]); // no property in two hubs
            taken[m.site] = true;
            members.push_back(m.site);
            CHECK(d.within(sites[h.host], sites[m.site], o.radius)); // within the radius of its host
            CHECK(m.distance <= o.radius);
            CHECK(m.distance == Approx(d.between(sites[h.host], sites[m.site])));
            CHECK(sites[m.site].owner_id != sites[h.host].owner_id); // other agencies only
            CHECK(may_move(f[m.site], o));
        }
        CHECK(h.agencies == agencies(sites, h.host, members));
        CHECK(h.agencies >= o.min_agencies);
    }
    // Greedy runs until no hub can be formed from what is left, but for one that is
    // worth it only because a hub listed apart took some of its members.
    const auto b = benchmarks(f, o);
    for (size_t h = 0; h < sites.size(); ++h) {
        if (taken[h] || !may_host(f[h], o)) continue;
        INFO("site " << sites[h].id << " was left out");
        const auto members = could_join(sites, f, o, h, taken);
        if (agencies(sites, h, members) < o.min_agencies) continue;
        CHECK(apart);
        CHECK(appraise_hub(sites, f, o, b, h, members).net_benefit >= 0);
    }
}

// The plain greedy, quadratic, written from the documentation: weigh every candidate
// hub on what is left, take the best (a hub worth it before any that is not, then by the
// rank), repeat; the proposed hubs listed first, then those not worth it. A candidate hub
// worth it keeps only the members that make it worth more (docs/co-location.md, "Who
// joins a hub"). Figures by appraise_hub.
struct Chosen {
    size_t host;
    std::vector<size_t> members;
    bool proposed;
};
std::vector<Chosen> plain_greedy(const std::vector<Site>& sites, const std::vector<Facts>& f, const HubOptions& o,
                                 const Benchmarks& b) {
    auto fit_order = [](Fit x) { return x == Fit::fits ? 2 : x == Fit::unknown ? 1 : 0; };
    // Better: a before c by the documented order.
    auto better = [&](const Hub& a, const Hub& c) {
        if (a.proposed != c.proposed) return a.proposed;
        const bool by_net = o.rank == Rank::net_benefit;
        if (by_net && a.net_benefit != c.net_benefit) return a.net_benefit > c.net_benefit;
        if (a.agencies != c.agencies) return a.agencies > c.agencies;
        if (fit_order(a.fit) != fit_order(c.fit)) return fit_order(a.fit) > fit_order(c.fit);
        if (a.host_suitability != c.host_suitability) return a.host_suitability > c.host_suitability;
        if (!by_net && a.net_benefit != c.net_benefit) return a.net_benefit > c.net_benefit;
        return sites[a.host].id < sites[c.host].id;
    };
    auto worth = [&](const Hub& h) { return h.agencies >= o.min_agencies && h.net_benefit >= 0; };
    // The hub around h of the documented members: those whose release is worth it on its
    // own; then, while the host is too small, the member bringing least per m² it needs
    // leaves when the hub is worth more without it; the whole set when that is no better.
    auto candidate_hub = [&](size_t h, const std::vector<size_t>& in_reach) {
        Hub all = appraise_hub(sites, f, o, b, h, in_reach);
        all.proposed = worth(all);
        std::vector<size_t> some;
        std::map<size_t, std::pair<double, double>> gain_need;
        for (size_t m : in_reach) {
            const Hub alone = appraise_hub(sites, f, o, b, h, {m});
            gain_need[m] = {alone.members[0].release.net_pv(), alone.members[0].need_m2};
            if (gain_need[m].first >= 0) some.push_back(m);
        }
        Hub best = appraise_hub(sites, f, o, b, h, some);
        if (best.fit == Fit::too_small) {
            std::vector<size_t> order = some;
            auto per_m2 = [&](size_t m) {
                return gain_need[m].second > 0 ? gain_need[m].first / gain_need[m].second
                                               : std::numeric_limits<double>::infinity();
            };
            std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return per_m2(x) < per_m2(y); });
            for (size_t m : order) {
                if (best.fit != Fit::too_small) break;
                std::vector<size_t> without = some;
                without.erase(std::find(without.begin(), without.end(), m));
                Hub smaller = appraise_hub(sites, f, o, b, h, without);
                if (!(smaller.net_benefit > best.net_benefit)) break;
                some = without;
                best = smaller;
            }
        }
        best.proposed = worth(best);
        const bool fewer = some.size() < in_reach.size();
        if (!fewer || !best.proposed || (all.proposed && all.net_benefit >= best.net_benefit)) return all;
        return best;
    };
    std::vector<bool> taken(sites.size(), false);
    std::vector<Chosen> chosen;
    for (;;) {
        std::optional<Hub> best;
        for (size_t h = 0; h < sites.size(); ++h) {
            if (taken[h] || !may_host(f[h], o)) continue;
            auto in_reach = could_join(sites, f, o, h, taken);
            if (agencies(sites, h, in_reach) < o.min_agencies) continue;
            Hub hub = candidate_hub(h, in_reach);
            if (hub.agencies < o.min_agencies) continue;
            if (!best || better(hub, *best)) best = std::move(hub);
        }
        if (!best) break;
        std::vector<size_t> members;
        taken[best->host] = true;
        for (const auto& m : best->members) {
            taken[m.site] = true;
            members.push_back(m.site);
        }
        std::sort(members.begin(), members.end());
        chosen.push_back({best->host, members, best->proposed});
    }
    std::stable_partition(chosen.begin(), chosen.end(), [](const Chosen& c) { return c.proposed; });
    return chosen;
}

struct RandomEstate {
    std::vector<Site> sites;
    std::vector<Facts> facts;
};

RandomEstate random_estate(std::mt19937& rng, int n, double extent) {
    const std::vector<std::string> uses = {"office",       "library", "clinic",           "hospital",
                                           "fire_station", "school",  "community_centre", "unknown"};
    const std::vector<std::string> tenures = {"freehold", "leasehold_in", "leasehold_out", ""};
    std::uniform_real_distribution<double> coord(0, extent);
    RandomEstate e;
    for (int i = 0; i < n; ++i) {
        const double x = coord(rng), y = coord(rng);
        const std::int64_t owner = 1 + static_cast<std::int64_t>(rng() % 6);
        e.sites.push_back(i % 4 == 0 ? building(i, x, y, x + 10 + i % 50, y + 20 + i % 25, owner)
                                     : point(i, x, y, owner));
        const model::Rag statuses[] = {model::Rag::unassessed, model::Rag::unassessed, model::Rag::amber,
                                       model::Rag::green, model::Rag::red};
        Facts f = facts(uses[rng() % uses.size()], rng() % 3 ? 100.0 + rng() % 3000 : unknown,
                        tenures[rng() % tenures.size()], statuses[rng() % 5]);
        f.condition = "ABCD"[rng() % 4];
        f.utilisation = rng() % 2 ? (rng() % 100) / 100.0 : unknown;
        f.set(Field::market_value, rng() % 3 ? 100000.0 * (rng() % 20) : unknown);
        f.set(Field::running_cost, rng() % 3 ? 1000.0 * (rng() % 90) : unknown);
        f.vacant = rng() % 10 == 0;
        f.land = rng() % 15 == 0;
        e.facts.push_back(f);
    }
    return e;
}

} // namespace

TEST_CASE("Hub invariants hold on random inputs, checked by brute force", "[hubs]") {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 16; ++trial) {
        auto e = random_estate(rng, 40 + trial * 25, 3000);
        HubOptions o;
        o.radius = 100 + 50 * (trial % 6);
        o.min_agencies = 2 + trial % 3;
        o.rank = trial % 2 ? Rank::agencies : Rank::net_benefit;
        INFO("trial " << trial << " radius " << o.radius << " K " << o.min_agencies);
        check_invariants(e.sites, e.facts, o, propose(e.sites, e.facts, o));
    }
}

TEST_CASE("The greedy chooses exactly what a plain quadratic greedy written from the docs chooses", "[hubs]") {
    std::mt19937 rng(11);
    size_t left_out = 0, not_worth = 0; // the cases the rule is about, seen
    for (int trial = 0; trial < 24; ++trial) {
        auto e = random_estate(rng, 60 + trial * 6, 1500);
        HubOptions o;
        o.radius = 150 + 50 * (trial % 5);
        o.min_agencies = 2 + trial % 2;
        o.rank = trial % 2 ? Rank::agencies : Rank::net_benefit;
        if (trial % 3 == 0) o.scenario.extension_cost_per_m2 = 6000; // more hubs not worth it
        INFO("trial " << trial << " radius " << o.radius << " rank " << rank_words(o.rank));
        const auto b = benchmarks(e.facts, o);
        const auto hubs = propose_hubs(e.sites, e.facts, o, b);
        const auto expected = plain_greedy(e.sites, e.facts, o, b);
        REQUIRE(hubs.size() == expected.size());
        for (size_t i = 0; i < hubs.size(); ++i) {
            std::vector<size_t> members;
            for (const auto& m : hubs[i].members) members.push_back(m.site);
            std::sort(members.begin(), members.end());
            INFO("hub " << i + 1);
            CHECK(hubs[i].host == expected[i].host);
            CHECK(members == expected[i].members);
            CHECK(hubs[i].proposed == expected[i].proposed);
            left_out += hubs[i].left_out.size();
            not_worth += !hubs[i].proposed;
        }
    }
    CHECK(left_out > 0);
    CHECK(not_worth > 0);
}

TEST_CASE("A host that fits once another hub takes a member is weighed again (the smallest case)", "[hubs]") {
    // Radius 100 m along one street. X hosts M1 and M4 first; H1 could not house M1 + M2,
    // but once M1 has gone it can house M2, and it is a better host than H2.
    std::vector<Site> s = {point(1, 400000, 300000, 4), point(2, 400090, 300000, 2), point(3, 399910, 300000, 3),
                           point(4, 400180, 300000, 1), point(5, 400270, 300000, 2), point(6, 400360, 300000, 3)};
    std::vector<Facts> f = {facts("hospital", 5000), facts("office", 1000), facts("office", 100),
                            facts("hospital", 1000), facts("office", 100),  facts("hospital", 1000, "")};
    for (auto& x : f) x.condition = 'A';
    HubOptions o;
    o.radius = 100;
    o.rank = Rank::agencies;
    auto hubs = propose(s, f, o);
    REQUIRE(hubs.size() == 2);
    CHECK(s[hubs[0].host].id == 1);
    CHECK(hubs[0].members.size() == 2);
    CHECK(s[hubs[1].host].id == 4); // H1 + M2, not H2
    REQUIRE(hubs[1].members.size() == 1);
    CHECK(s[hubs[1].members[0].site].id == 5);
    CHECK(hubs[1].fit == Fit::fits);
    CHECK(hubs[1].host_suitability == 6);
}

TEST_CASE("Hubs on adversarial inputs", "[hubs]") {
    HubOptions o;
    o.radius = 250;
    SECTION("an empty register and a single owner give no hubs") {
        CHECK(propose({}, {}, o).empty());
        std::vector<Site> s = {point(1, 0, 0), point(2, 10, 0), point(3, 20, 0)};
        std::vector<Facts> f(3, facts("office", 500));
        CHECK(propose(s, f, o).empty());
    }
    SECTION("a member exactly at the radius joins; a hair beyond does not") {
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 250, 0, 2), point(3, 0, std::nextafter(250.0, 1e9), 3)};
        std::vector<Facts> f(3, facts("office", 1000));
        auto hubs = propose(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(hubs[0].agencies == 2);
        check_invariants(s, f, o, hubs);
    }
    SECTION("duplicates at one spot: each property in one hub only") {
        std::vector<Site> s;
        std::vector<Facts> f;
        for (int i = 0; i < 12; ++i) {
            s.push_back(point(i, 500, 500, 1 + i % 3));
            f.push_back(facts("office", 400));
        }
        auto hubs = propose(s, f, o);
        check_invariants(s, f, o, hubs);
        CHECK(hubs.size() >= 1);
    }
    SECTION("collinear sites: members reach the host, not each other") {
        std::vector<Site> s;
        std::vector<Facts> f;
        for (int i = 0; i < 30; ++i) {
            s.push_back(point(i, i * 200.0, 0, 1 + i % 2));
            f.push_back(facts("library", 300));
        }
        auto hubs = propose(s, f, o);
        check_invariants(s, f, o, hubs);
        for (const auto& h : hubs) CHECK(h.members.size() <= 2); // neighbours at 200 m; 400 m is out
    }
    SECTION("red hosts but never moves; green moves but never hosts; land, unknown use and schools take no part") {
        std::vector<Site> s = {point(1, 0, 0, 1), point(2, 50, 0, 2), point(3, 60, 0, 3), point(4, 70, 0, 4),
                               point(5, 80, 0, 5)};
        std::vector<Facts> f = {facts("fire_station", 2000, "freehold", model::Rag::red),
                                facts("office", 100, "freehold", model::Rag::red), facts("land"), facts("school", 900),
                                facts("unknown", 300)};
        CHECK(propose(s, f, o).empty());
        f[1].status = model::Rag::amber;
        auto hubs = propose(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(s[hubs[0].host].id == 1);
        CHECK(hubs[0].members.size() == 1);
        // Tagged green, the office moves but cannot host: the fire station still hosts it.
        f[1].status = model::Rag::green;
        f[0].use = "office";
        f[0].status = model::Rag::green; // and now nothing can host
        CHECK(propose(s, f, o).empty());
        // An office on a land holding is land: it takes no part.
        f[0] = facts("fire_station", 2000);
        f[1].land = true;
        CHECK(propose(s, f, o).empty());
    }
    SECTION("bad options are usage errors") {
        std::vector<Site> s = {point(1, 0, 0)};
        std::vector<Facts> f = {facts("office")};
        o.min_agencies = 1;
        CHECK_THROWS_AS(propose(s, f, o), estate::usage_error);
        o.min_agencies = 2;
        o.member_uses = {"offices"};
        CHECK_THROWS_WITH(propose(s, f, o), Catch::Contains("unknown use 'offices'"));
        o.member_uses = {"unknown"};
        CHECK_THROWS_WITH(propose(s, f, o), Catch::Contains("neither hosts nor moves"));
        CHECK_THROWS_WITH(parse_rank("score"), Catch::Contains("net") && Catch::Contains("agencies"));
    }
}

TEST_CASE("A host's fit has three answers, and unknown is never zero", "[hubs]") {
    HubOptions o;
    o.radius = 250;
    o.host_uses = {"fire_station"}; // one host only, whatever the money says
    // Host 1,000 m2 at 50% use: 500 m2 spare. Two 300 m2 members need 2 x 240 = 480 m2.
    std::vector<Site> s = {point(1, 0, 0, 1), point(2, 100, 0, 2), point(3, 0, 100, 3)};
    std::vector<Facts> f = {facts("fire_station", 1000), facts("clinic", 300), facts("library", 300)};
    f[0].utilisation = 0.5;
    std::vector<SiteDetails> d = {{1, "A", "a1", "Town Hall", "Town Hall", ""},
                                  {2, "B", "b1", "Clinic", "Clinic, Sale (M33)", ""},
                                  {3, "C", "c1", "Library", "Library, Sale (M33)", ""}};
    auto explain = [&](const Hub& h) {
        SiteSet set{s, 0, 0, f, {}};
        return explain_hub(h, set, o, [&](std::int64_t id) -> const SiteDetails& { return detail_of(d, id); });
    };
    SECTION("fits") {
        auto hubs = propose(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(hubs[0].fit == Fit::fits);
        CHECK(hubs[0].host_spare_m2 == Approx(500));
        CHECK(hubs[0].need_m2 == Approx(480));
        CHECK(hubs[0].extension_cost == 0);
        CHECK_THAT(explain(hubs[0]), Catch::StartsWith("Host can house them"));
    }
    SECTION("too small, by how much, with the extension costed") {
        f[0].utilisation = 0.9; // 100 m2 spare: 380 m2 short with both members
        auto hubs = propose(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(hubs[0].fit == Fit::too_small);
        // The library brings less than the extension for its 240 m2 would cost: left out,
        // the clinic alone is 140 m2 short.
        REQUIRE(hubs[0].left_out.size() == 1);
        CHECK(s[hubs[0].left_out[0].site].id == 3);
        CHECK_THAT(hubs[0].left_out[0].why, Catch::StartsWith("no room"));
        CHECK(hubs[0].shortfall_m2 == Approx(140));
        CHECK(hubs[0].extension_cost == Approx(140 * o.scenario.extension_cost_per_m2));
        CHECK_THAT(hub_verdict(hubs[0]), Catch::Contains("too small by about 140 m²"));
        CHECK_THAT(explain(hubs[0]), Catch::Contains("falls short by about 140 m²") &&
                                         Catch::Contains("Left out, the hub being worth more without them: Library"));
        // Asked for, the hub with both is still appraised whole: 380 m2 short.
        const auto both = appraise_hub(s, f, o, benchmarks(f, o), 0, {1, 2});
        CHECK(both.shortfall_m2 == Approx(380));
        CHECK(both.net_benefit < hubs[0].net_benefit);
    }
    SECTION("unknown when the host's floor area is not recorded: not 'new build needed'") {
        f[0].set(Field::floor_area, unknown);
        auto hubs = propose(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(hubs[0].fit == Fit::unknown);
        CHECK(std::isnan(hubs[0].host_spare_m2));
        CHECK(std::isnan(hubs[0].extension_cost));
        const auto text = explain(hubs[0]);
        CHECK_THAT(text, Catch::StartsWith("Host's floor area not recorded"));
        CHECK_THAT(text, !Catch::Contains("new build"));
        CHECK_THAT(text, Catch::Contains("an extension, if the host needs one, is not costed"));
    }
    SECTION("running costs: at least what is recorded, how many of how many, the rest assumed and named") {
        f[1].set(Field::running_cost, 20000);
        auto hubs = propose(s, f, o);
        REQUIRE(hubs.size() == 1);
        CHECK(hubs[0].running_costs_recorded == 1);
        CHECK(hubs[0].running_costs_assumed == 1);
        CHECK(hubs[0].running_cost_recorded == Approx(20000));
        const double library = 300 * o.scenario.running_cost_per_m2.at("library");
        CHECK(hubs[0].running_cost_saved == Approx(20000 + library));
        const auto text = explain(hubs[0]);
        CHECK_THAT(text, Catch::Contains("at least £20,000 a year: running costs recorded for 1 of 2 members"));
        CHECK_THAT(text, Catch::Contains("Running cost of Library, Sale (M33): assumed £45,000 a year: its 300 m² at "
                                         "£150 per m², typical for a library (scenario default v4)"));
        CHECK_THAT(text, !Catch::Contains("£0"));
    }
}

TEST_CASE("Figures the register lacks come from the register's median, else the scenario's typical figure", "[hubs]") {
    HubOptions o;
    auto& s = o.scenario;
    REQUIRE(s.min_recorded_for_median == 5);
    SECTION("an even count takes the mean of the two middle values") {
        Benchmarks b(s, {"office", "office", "office", "office", "office", "office"},
                     {100, 200, 300, 12000, 12000, 400});
        const auto f = b.floor_area("office", std::nullopt);
        CHECK(f.basis == estate::money::Figure::Basis::register_median);
        CHECK(f.value == Approx(350));
        CHECK_THAT(f.words, Catch::Contains("the median floor area of the 6 buildings of its use (Office)"));
    }
    SECTION("fewer recorded values than the scenario asks for: the typical figure, named with the scenario") {
        Benchmarks b(s, {"office", "office", "clinic"}, {12000, 12000, unknown});
        const auto f = b.floor_area("office", std::nullopt);
        CHECK(f.basis == estate::money::Figure::Basis::typical);
        CHECK(f.value == Approx(s.typical_floor_area_m2.at("office")));
        CHECK(f.words == "assumed 1,000 m², typical for an office (scenario default v4)");
        CHECK(b.floor_area("office", 250.0).basis == estate::money::Figure::Basis::recorded);
        CHECK(b.floor_area("depot", std::nullopt).value == Approx(s.typical_floor_area_m2.at("default")));
    }
    SECTION("a member's assumed floor area is flagged in the hub and named in its text") {
        std::vector<Site> sites = {point(1, 0, 0, 1), point(2, 50, 0, 2)};
        std::vector<Facts> f = {facts("fire_station", 5000), facts("office")};
        auto hubs = propose(sites, f, o);
        REQUIRE(hubs.size() == 1);
        REQUIRE(hubs[0].members.size() == 1);
        CHECK(hubs[0].need_assumed);
        CHECK(hubs[0].members[0].floor_area.assumed());
        CHECK(hubs[0].members[0].need_m2 == Approx(1000 * s.space_factor));
        std::vector<SiteDetails> d = {{1, "A", "a1", "Town Hall", "Town Hall", ""},
                                      {2, "DWP", "j1", "Jobcentre Plus", "Jobcentre Plus, Sale (M33)", ""}};
        SiteSet set{sites, 0, 0, f, {}};
        const auto text =
            explain_hub(hubs[0], set, o, [&](std::int64_t id) -> const SiteDetails& { return detail_of(d, id); });
        CHECK_THAT(text, Catch::Contains("Floor area of Jobcentre Plus, Sale (M33): assumed 1,000 m², typical for an "
                                         "office (scenario default v4)"));
    }
}

TEST_CASE("A hub's money is the receipts model's, and one not worth it is listed apart", "[hubs]") {
    HubOptions o;
    o.radius = 250;
    const auto& sc = o.scenario;
    // One freehold office member, every figure recorded; the host fits.
    std::vector<Site> s = {point(1, 0, 0, 1), point(2, 50, 0, 2)};
    std::vector<Facts> f = {facts("hospital", 5000), facts("office", 1000)};
    f[0].utilisation = 0;
    f[1].set(Field::market_value, 2000000);
    f[1].set(Field::running_cost, 100000);
    auto hubs = propose(s, f, o);
    REQUIRE(hubs.size() == 1);
    // By hand, as docs/receipts.md works it: sold in year 3 at 2% growth, less 2% sales
    // costs, or a year later with the 30% chance of slippage the central case expects;
    // moving (£100/m2), fit-out (0.8 x £500/m2) and six months of running both buildings
    // the year before the sale; running costs saved from the sale to year 9; all
    // discounted at 3.5%.
    auto disc = [&](int i) { return 1 / std::pow(1 + sc.discount_rate, i); };
    double net = 0;
    for (auto [year, share] : {std::pair{3, 0.7}, {4, 0.3}}) {
        net += share * 2000000 * std::pow(1.02, year) * 0.98 * disc(year);
        net -= share * (1000 * 100 + 1000 * 0.8 * 500 + 100000 * 6 / 12.0) * disc(year - 1);
        for (int i = year; i < 10; ++i) net += share * 100000 * disc(i);
    }
    CHECK(sc.slip_probability == 0.3);
    CHECK(sc.double_running_months == 6);
    CHECK(hubs[0].net_benefit == Approx(net).epsilon(1e-12));
    CHECK(hubs[0].moving_costs == Approx(500000));
    CHECK(hubs[0].double_running == Approx(50000));
    CHECK(hubs[0].value_released == Approx(2000000));
    CHECK(hubs[0].proposed);

    SECTION("a host far too small for a member with nothing to sell: not worth it on these figures") {
        f[0].utilisation = 1; // no space at all: an extension of 800 m2
        f[1].tenure = "leasehold_in";
        f[1].set(Field::running_cost, 5000);
        auto apart = propose(s, f, o);
        REQUIRE(apart.size() == 1);
        CHECK_FALSE(apart[0].proposed);
        CHECK(apart[0].net_benefit < 0);
        CHECK(apart[0].extension_cost == Approx(800 * sc.extension_cost_per_m2));
        CHECK_THAT(hub_verdict(apart[0]), Catch::StartsWith("not worth it on these figures"));
    }
    SECTION("rank by net benefit puts the larger benefit first; --rank agencies the more agencies") {
        // Hub A: 3 agencies, small benefit. Hub B (3 km away): 2 agencies, large benefit.
        std::vector<Site> t = {point(1, 0, 0, 1), point(2, 50, 0, 2), point(3, 0, 50, 3), point(4, 3000, 0, 1),
                               point(5, 3050, 0, 2)};
        std::vector<Facts> g = {facts("hospital", 5000), facts("library", 100), facts("clinic", 100),
                                facts("hospital", 5000), facts("office", 1000)};
        g[4].set(Field::market_value, 3000000);
        auto by_net = propose(t, g, o);
        REQUIRE(by_net.size() == 2);
        CHECK(t[by_net[0].host].id == 4);
        o.rank = Rank::agencies;
        auto by_agencies = propose(t, g, o);
        REQUIRE(by_agencies.size() == 2);
        CHECK(t[by_agencies[0].host].id == 1);
    }
}

TEST_CASE("Of equal hubs the freehold, not-red, better-condition host is chosen", "[hubs]") {
    HubOptions o;
    o.radius = 250;
    o.rank = Rank::agencies;
    // Two offices of different owners side by side: either could host the other.
    std::vector<Site> s = {point(1, 0, 0, 1), point(2, 10, 0, 2)};
    std::vector<Facts> f = {facts("office", 500, "leasehold_in"), facts("office", 500, "freehold")};
    f[0].utilisation = f[1].utilisation = 0;
    CHECK(s[propose(s, f, o)[0].host].id == 2);
    f[0].tenure = "freehold";
    f[0].condition = 'A';
    f[1].condition = 'C';
    CHECK(s[propose(s, f, o)[0].host].id == 1);
}

TEST_CASE("A host worth it with fewer members than all in reach is proposed with those and the rest named", "[hubs]") {
    // Nine properties along a street: a council office with room, three clinics worth
    // selling, five leased-in offices that cost more to move than they save. With all
    // eight the hub is not worth it; with the three it is, and the five stay free.
    HubOptions o;
    o.radius = 400;
    std::vector<Site> s = {point(1, 400000, 300000, 1)};
    std::vector<Facts> f = {facts("office", 6000)};
    f[0].utilisation = 0.2;
    for (int i = 0; i < 3; ++i) {
        s.push_back(point(2 + i, 400050 + 40 * i, 300000, 2));
        f.push_back(facts("clinic", 400));
        f.back().set(Field::market_value, 300000);
        f.back().set(Field::running_cost, 60000);
    }
    for (int i = 0; i < 5; ++i) {
        s.push_back(point(5 + i, 400000, 300050 + 40 * i, 3));
        f.push_back(facts("office", 900, "leasehold_in"));
        f.back().set(Field::running_cost, 1000); // almost nothing saved; moving 900 m2 costs a lot
    }
    const auto b = benchmarks(f, o);
    std::vector<size_t> everyone;
    for (size_t i = 1; i < s.size(); ++i) everyone.push_back(i);
    REQUIRE(appraise_hub(s, f, o, b, 0, everyone).net_benefit < 0);
    const auto hubs = propose_hubs(s, f, o, b);
    REQUIRE(!hubs.empty());
    const Hub& hub = hubs[0];
    CHECK(hub.proposed);
    CHECK(hub.net_benefit > 0);
    REQUIRE(hub.members.size() == 3);
    for (const auto& m : hub.members) CHECK(f[m.site].use == "clinic");
    REQUIRE(hub.left_out.size() == 5);
    for (const auto& l : hub.left_out) CHECK(l.why == "its move costs more than it saves");
    CHECK(hub.net_benefit == Approx(appraise_hub(s, f, o, b, 0, {1, 2, 3}).net_benefit));
    // The five left out are free: no other host can take them here, so no other hub.
    for (size_t g = 1; g < hubs.size(); ++g) CHECK_FALSE(hubs[g].proposed);
}

TEST_CASE("Every hub worth it comes before any that is not and they are worth what the plain greedy proposes",
          "[hubs]") {
    // On random estates where most hubs are not worth it (a costly extension), every hub
    // worth it comes before every one that is not, and none that the plain greedy
    // proposes is missing (checked hub by hub in the test above, here by the worth of all).
    std::mt19937 rng(5);
    double tool = 0, reference = 0;
    for (int trial = 0; trial < 8; ++trial) {
        auto e = random_estate(rng, 120, 1200);
        HubOptions o;
        o.radius = 300;
        o.scenario.extension_cost_per_m2 = 9000;
        const auto b = benchmarks(e.facts, o);
        const auto hubs = propose_hubs(e.sites, e.facts, o, b);
        bool apart_seen = false;
        for (const auto& h : hubs) {
            if (!h.proposed) apart_seen = true;
            CHECK_FALSE((h.proposed && apart_seen)); // proposed ones first
            if (h.proposed) tool += h.net_benefit;
        }
        for (const auto& c : plain_greedy(e.sites, e.facts, o, b))
            if (c.proposed) {
                std::vector<size_t> members = c.members;
                reference += appraise_hub(e.sites, e.facts, o, b, c.host, members).net_benefit;
            }
    }
    CHECK(tool == Approx(reference));
    CHECK(tool > 0);
}
