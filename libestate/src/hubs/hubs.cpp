#include "estate/hubs/hubs.hpp"

#include "analysis_runs.hpp"
#include "site_grid.hpp"

#include "estate/error.hpp"
#include "estate/model/property.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"
#include "estate/util/median.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <queue>
#include <sstream>
#include <unordered_map>

namespace estate::hubs {
namespace {

constexpr double not_recorded = std::numeric_limits<double>::quiet_NaN();

bool is_sellable(const SiteFacts& f) { return sellable_tenure(f.tenure); }

int host_suitability(const SiteFacts& f) {
    int points = f.tenure == "freehold" ? 2 : f.tenure == "leasehold_in" ? 1 : 0;
    if (f.rag != 'r') points += 1;
    if (f.condition >= 'A' && f.condition <= 'D') points += 'D' - f.condition;
    return points;
}

double host_spare_m2(const SiteFacts& f, const SpaceAssumption& a) {
    if (std::isnan(f.gia_m2)) return not_recorded;
    if (f.vacant) return f.gia_m2;
    const double used = std::isnan(f.utilisation) ? a.default_utilisation : f.utilisation;
    return f.gia_m2 * (1 - used);
}

double or_zero(double v) { return std::isnan(v) ? 0 : v; }

// What orders candidate hubs: more agencies, then a host that fits, then a more
// suitable host, then a higher score, then the lower host id (so runs repeat exactly).
struct Key {
    std::int64_t agencies = 0;
    bool fits = false;
    int suitability = 0;
    double score = 0;
    std::int64_t host_id = 0;
    bool operator<(const Key& o) const {
        if (agencies != o.agencies) return agencies < o.agencies;
        if (fits != o.fits) return !fits;
        if (suitability != o.suitability) return suitability < o.suitability;
        if (score != o.score) return score < o.score;
        return host_id > o.host_id;
    }
};

class Proposer {
public:
    Proposer(const std::vector<Site>& sites, const std::vector<SiteFacts>& facts, const HubOptions& options)
        : sites_(sites), facts_(facts), options_(options), taken_(sites.size(), false) {
        // Owners numbered densely, so agencies are counted with a stamp per owner.
        std::unordered_map<std::int64_t, std::uint32_t> dense;
        owner_.reserve(sites.size());
        for (const auto& s : sites) owner_.push_back(dense.emplace(s.owner_id, dense.size()).first->second);
        stamp_.assign(dense.size(), 0);
        // Uses numbered densely, so that each distinct use is looked up once.
        std::unordered_map<std::string, std::uint8_t> use_code;
        std::vector<const std::string*> use_name;
        use_.reserve(sites.size());
        for (const auto& f : facts) {
            auto it = use_code.find(f.use);
            if (it == use_code.end()) {
                it = use_code.emplace(f.use, static_cast<std::uint8_t>(use_name.size())).first;
                use_name.push_back(&it->first);
            }
            use_.push_back(it->second);
        }
        auto listed = [](const std::vector<std::string>& uses, const std::string& use) {
            return std::find(uses.begin(), uses.end(), use) != uses.end();
        };
        std::vector<bool> host_use, member_use;
        for (const std::string* use : use_name) {
            host_use.push_back(listed(options.host_uses, *use));
            member_use.push_back(listed(options.member_uses, *use));
        }
        // A red property (disposal unlikely) stays where it is: it can host, never move.
        can_host_.reserve(sites.size());
        can_move_.reserve(sites.size());
        for (size_t i = 0; i < sites.size(); ++i) {
            can_host_.push_back(host_use[use_[i]]);
            can_move_.push_back(facts[i].rag != 'r' && member_use[use_[i]]);
        }
        // A member with no floor area recorded is assumed to need the median for its use.
        std::vector<double> gia;
        gia.reserve(sites.size());
        for (const auto& f : facts) gia.push_back(f.gia_m2);
        median_gia_.assign(use_name.size(), 0);
        for (const auto& [use, median] : util::median_by(use_, gia)) median_gia_[use] = median;
        // What keys weigh, worked out once per site.
        yearly_benefit_.reserve(sites.size());
        suitability_.reserve(sites.size());
        spare_.reserve(sites.size());
        for (const auto& f : facts) {
            yearly_benefit_.push_back(or_zero(f.running_cost) +
                                      (is_sellable(f) ? green_book_rate * or_zero(f.market_value) : 0));
            suitability_.push_back(static_cast<std::int8_t>(host_suitability(f)));
            spare_.push_back(host_spare_m2(f, options.space));
        }
        // Only sites that can move are ever searched for.
        std::vector<std::uint32_t> movable;
        for (std::uint32_t i = 0; i < sites.size(); ++i)
            if (can_move_[i]) movable.push_back(i);
        grid_ = std::make_unique<SiteGrid>(sites, std::move(movable), options.radius);
    }

    std::vector<Hub> run() {
        struct Entry {
            Key key;
            std::uint32_t host;
            bool exact; ///< members_[host] holds the exact members behind the key
            bool operator<(const Entry& o) const { return key < o.key; }
        };
        std::priority_queue<Entry> queue;
        // First keys without the costly footprint-to-footprint distances: pairs of
        // footprints whose envelopes are near but not surely within the radius are left
        // undecided. The key then counts them in (agencies, score) but leaves them out
        // of the space needed, which makes it an upper bound of the true key. Exact
        // keys are worked out only for hosts that reach the top of the queue; an exact
        // key is renewed (from its own member list) when a hub took one of its members.
        for (std::uint32_t h = 0; h < sites_.size(); ++h) {
            if (!can_host_[h]) continue;
            std::vector<std::uint32_t> members, undecided;
            gather(h, false, members, undecided);
            const Key key = key_of(h, members, undecided);
            if (key.agencies < options_.min_agencies) continue;
            const bool exact = undecided.empty();
            if (exact) members_[h] = std::move(members);
            queue.push({key, h, exact});
        }
        std::vector<Hub> hubs;
        while (!queue.empty()) {
            const Entry e = queue.top();
            queue.pop();
            if (taken_[e.host]) continue;
            std::vector<std::uint32_t> members, undecided;
            if (e.exact) {
                auto cached = members_.find(e.host);
                auto is_taken = [&](std::uint32_t m) { return taken_[m]; };
                if (std::none_of(cached->second.begin(), cached->second.end(), is_taken)) {
                    hubs.push_back(make_hub(e.host, cached->second));
                    members_.erase(cached);
                    continue;
                }
                members = std::move(cached->second);
                members.erase(std::remove_if(members.begin(), members.end(), is_taken), members.end());
            } else {
                gather(e.host, true, members, undecided);
            }
            const Key key = key_of(e.host, members, undecided);
            if (key.agencies < options_.min_agencies) {
                members_.erase(e.host);
                continue;
            }
            members_[e.host] = std::move(members);
            queue.push({key, e.host, true});
        }
        return hubs;
    }

private:
    // Other agencies' buildings whose services can move, not yet in a hub, within the
    // radius of host h by the distance rule. Unless @p exact, footprint pairs whose
    // envelopes neither rule them out nor surely in go to @p undecided.
    void gather(std::uint32_t h, bool exact, std::vector<std::uint32_t>& members,
                std::vector<std::uint32_t>& undecided) {
        const Site& host = sites_[h];
        const double r = options_.radius;
        grid_->for_each_near(host, r, [&](std::uint32_t j) {
            if (j == h || taken_[j] || sites_[j].owner_id == host.owner_id) return;
            const Site& s = sites_[j];
            const double dx = std::max({0.0, host.min_x - s.max_x, s.min_x - host.max_x});
            const double dy = std::max({0.0, host.min_y - s.max_y, s.min_y - host.max_y});
            if (dx * dx + dy * dy > r * r) return;
            if (exact || host.footprint.empty() || s.footprint.empty()) { // points: cheap and exact
                if (distance_.within(host, s, r)) members.push_back(j);
                return;
            }
            // Every point of one envelope within r of every point of the other: surely in.
            const double fx = std::max(host.max_x, s.max_x) - std::min(host.min_x, s.min_x);
            const double fy = std::max(host.max_y, s.max_y) - std::min(host.min_y, s.min_y);
            (std::sqrt(fx * fx + fy * fy) <= r ? members : undecided).push_back(j);
        });
    }

    double need_m2(std::uint32_t m, bool* estimated = nullptr) const {
        const SiteFacts& f = facts_[m];
        double area = f.gia_m2;
        if (estimated) *estimated = std::isnan(area);
        if (std::isnan(area)) area = median_gia_[use_[m]]; // 0 when no such use has an area
        return area * options_.space.space_factor;
    }

    // The key of a hub around h with @p members; @p undecided ones count towards the
    // agencies and score but not the space needed (see run()).
    Key key_of(std::uint32_t h, const std::vector<std::uint32_t>& members,
               const std::vector<std::uint32_t>& undecided = {}) {
        Key key;
        key.host_id = sites_[h].id;
        key.suitability = suitability_[h];
        ++generation_;
        stamp_[owner_[h]] = generation_;
        key.agencies = 1;
        double need = 0;
        for (const auto* list : {&members, &undecided})
            for (std::uint32_t m : *list) {
                if (stamp_[owner_[m]] != generation_) {
                    stamp_[owner_[m]] = generation_;
                    ++key.agencies;
                }
                key.score += yearly_benefit_[m];
                if (list == &members) need += need_m2(m);
            }
        key.fits = !std::isnan(spare_[h]) && spare_[h] >= need;
        return key;
    }

    Hub make_hub(std::uint32_t h, const std::vector<std::uint32_t>& members) {
        Hub hub;
        hub.host = h;
        taken_[h] = true;
        const SiteFacts& hf = facts_[h];
        hub.host_suitability = suitability_[h];
        hub.host_spare_m2 = spare_[h];
        hub.combined_gia_m2 = or_zero(hf.gia_m2);
        hub.combined_running_cost = or_zero(hf.running_cost);
        hub.agencies = key_of(h, members).agencies;
        for (std::uint32_t m : members) {
            taken_[m] = true;
            const SiteFacts& f = facts_[m];
            HubMember member;
            member.site = m;
            member.distance = distance_.between(sites_[h], sites_[m]);
            member.need_m2 = need_m2(m, &member.need_estimated);
            member.sellable = is_sellable(f);
            hub.members.push_back(member);
            hub.need_m2 += member.need_m2;
            hub.combined_gia_m2 += or_zero(f.gia_m2);
            hub.combined_running_cost += or_zero(f.running_cost);
            hub.running_cost_saved += or_zero(f.running_cost);
            if (member.sellable) hub.value_released += or_zero(f.market_value);
            hub.members_without_value += std::isnan(f.market_value) ? 1 : 0;
            hub.members_without_running_cost += std::isnan(f.running_cost) ? 1 : 0;
            hub.score += yearly_benefit_[m];
        }
        hub.host_fits = !std::isnan(hub.host_spare_m2) && hub.host_spare_m2 >= hub.need_m2;
        std::stable_sort(hub.members.begin(), hub.members.end(),
                         [](const HubMember& a, const HubMember& b) { return a.distance < b.distance; });
        return hub;
    }

    const std::vector<Site>& sites_;
    const std::vector<SiteFacts>& facts_;
    const HubOptions& options_;
    std::unique_ptr<SiteGrid> grid_;
    Distance distance_;
    std::vector<bool> taken_, can_host_, can_move_;
    std::vector<std::uint32_t> owner_; ///< dense owner number per site
    std::vector<std::uint64_t> stamp_;
    std::uint64_t generation_ = 0;
    std::vector<std::uint8_t> use_;    ///< dense use number per site
    std::vector<double> median_gia_;   ///< by dense use number
    std::vector<double> yearly_benefit_; ///< per site: running cost + Green Book rate x sellable value
    std::vector<std::int8_t> suitability_; ///< per site, as a host
    std::vector<double> spare_;          ///< per site: floor area it could offer as a host (NaN: unknown)
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> members_; ///< exact members, by host
};

std::string area(double m2) {
    // Rounded to 10 m2: the space assumption is no finer than that.
    return util::thousands(std::round(m2 / 10) * 10) + " m²";
}

std::string tenure_words(const std::string& t) {
    if (t == "leasehold_in") return "leased in";
    if (t == "leasehold_out") return "let out";
    if (t.empty()) return "tenure not recorded";
    return t;
}

} // namespace

std::string hub_verdict(bool host_fits) {
    return host_fits ? "host can house them" : "no single host; new build or extension needed";
}

bool sellable_tenure(const std::string& tenure) { return tenure == "freehold" || tenure == "leasehold_out"; }

const std::vector<std::string>& default_member_uses() {
    static const std::vector<std::string> uses = {"office", "library", "clinic", "community_centre", "police_station"};
    return uses;
}

const std::vector<std::string>& default_host_uses() {
    static const std::vector<std::string> uses = {"office",         "library",  "clinic",      "community_centre",
                                                  "police_station", "hospital", "fire_station"};
    return uses;
}

std::vector<Hub> propose_hubs(const std::vector<Site>& sites, const std::vector<SiteFacts>& facts,
                              const HubOptions& options) {
    if (options.min_agencies < 2) throw usage_error("--min-agencies must be at least 2 for hubs: a hub brings agencies together");
    if (!(options.radius >= 0)) throw usage_error("--radius must be a distance in metres, 0 or more");
    if (!(options.space.space_factor > 0)) throw usage_error("--space-factor must be more than 0");
    if (!(options.space.default_utilisation >= 0 && options.space.default_utilisation <= 1))
        throw usage_error("--default-utilisation must lie between 0 and 1");
    for (const auto* uses : {&options.member_uses, &options.host_uses})
        for (const auto& use : *uses)
            if (!model::uses().contains(use))
                throw usage_error("unknown use '" + use + "' in the hub uses; the uses are: " + model::uses().codes_joined());
    if (facts.size() != sites.size()) throw error("hub proposals need the facts of every site");
    return Proposer(sites, facts, options).run();
}

HubRun find_hubs(db::Register& reg, const HubOptions& options) {
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    HubRun run;
    run.options = options;
    auto t0 = clock::now();
    SiteFilter buildings = options.filter;
    buildings.one_per_building = true; // a building in two files is one candidate, not two
    run.sites = load_sites(reg, buildings, true);
    run.seconds_load = since(t0);
    t0 = clock::now();
    run.hubs = propose_hubs(run.sites.sites, run.sites.facts, options);
    run.seconds_propose = since(t0);
    t0 = clock::now();
    std::ostringstream params;
    util::JsonWriter w(params);
    w.begin_object();
    write_site_parameters(w, options.radius, options.min_agencies, options.filter);
    w.field("space_factor", options.space.space_factor).field("default_utilisation", options.space.default_utilisation);
    w.end_object();
    const auto& sites = run.sites.sites;
    // Names for every property in a hub, read once: for the explanations kept with
    // the run, and for whoever prints it.
    std::vector<std::int64_t> ids;
    for (const auto& h : run.hubs) {
        ids.push_back(sites[h.host].id);
        for (const auto& m : h.members) ids.push_back(sites[m.site].id);
    }
    run.details = load_details(reg, ids);
    auto detail = [&](std::int64_t id) -> const SiteDetails& { return detail_of(run.details, id); };
    std::vector<RunGroup> groups;
    std::vector<RunMember> members;
    for (size_t g = 0; g < run.hubs.size(); ++g) {
        const Hub& h = run.hubs[g];
        const auto group = static_cast<std::int64_t>(g + 1);
        run.explanations.push_back(explain_hub(h, run.sites, options, detail));
        groups.push_back({h.agencies, static_cast<std::int64_t>(h.members.size() + 1), h.host_fits ? 1 : 0, h.need_m2,
                          h.host_spare_m2, h.value_released, h.running_cost_saved, h.score, run.explanations.back()});
        members.push_back({group, sites[h.host].id, true, 0.0});
        for (const auto& m : h.members) members.push_back({group, sites[m.site].id, false, m.distance});
    }
    run.run_id = store_run(reg, {"hubs", params.str(), static_cast<std::int64_t>(sites.size()),
                                 run.sites.unlocated_left_out, static_cast<std::int64_t>(run.hubs.size())},
                           groups, members);
    run.seconds_store = since(t0);
    return run;
}

std::string explain_hub(const Hub& hub, const SiteSet& set, const HubOptions& options,
                        const std::function<const SiteDetails&(std::int64_t)>& detail) {
    const auto& sites = set.sites;
    const SiteDetails& host = detail(sites[hub.host].id);
    const SiteFacts* hf = set.facts.empty() ? nullptr : &set.facts[hub.host];
    std::ostringstream out;
    char radius[32];
    std::snprintf(radius, sizeof radius, "%g", options.radius);
    out << host.name << " (" << host.owner;
    if (hf) out << ", " << tenure_words(hf->tenure) << (hf->condition ? std::string(", condition ") + hf->condition : "");
    out << ") could bring " << hub.agencies << " agencies together: ";
    const size_t named = std::min<size_t>(hub.members.size(), 5);
    for (size_t i = 0; i < named; ++i) {
        const auto& m = hub.members[i];
        const SiteDetails& d = detail(sites[m.site].id);
        char metres[32];
        std::snprintf(metres, sizeof metres, "%.0f", m.distance);
        out << (i == 0 ? "" : i + 1 == named && named == hub.members.size() ? " and " : ", ") << d.name << " ("
            << d.owner << ", " << metres << " m)";
    }
    if (hub.members.size() > named) out << " and " << hub.members.size() - named << " more";
    out << (hub.members.size() == 1 ? " lies" : " all lie") << " within " << radius << " m of it. ";
    out << "Their services need about " << area(hub.need_m2);
    if (std::isnan(hub.host_spare_m2))
        out << "; the host's floor area is not recorded, so whether it can house them is unknown: "
               "no single host confirmed; survey it, or plan a new build or extension. ";
    else if (hub.host_fits)
        out << " and the host has about " << area(hub.host_spare_m2) << " to spare, so it can house them. ";
    else
        out << " but the host has only about " << area(hub.host_spare_m2)
            << " to spare: " << hub_verdict(false) << " (about "
            << area(hub.need_m2 - hub.host_spare_m2) << " more). It is still the best site of those nearby. ";
    const auto estimated = std::count_if(hub.members.begin(), hub.members.end(),
                                         [](const HubMember& m) { return m.need_estimated; });
    if (estimated)
        out << "(" << estimated << " of the moving buildings " << (estimated == 1 ? "has" : "have")
            << " no floor area recorded; the median for its use was assumed.) ";
    out << "Releasing the " << (hub.members.size() == 1 ? "other building" : std::to_string(hub.members.size()) + " other buildings")
        << " would save " << util::pounds(hub.running_cost_saved) << " a year in running costs";
    out << " and could raise " << util::pounds(hub.value_released) << " from sales";
    const auto not_sellable = std::count_if(hub.members.begin(), hub.members.end(),
                                            [](const HubMember& m) { return !m.sellable; });
    if (not_sellable)
        out << " (" << not_sellable << (not_sellable == 1 ? " is" : " are")
            << " not owned freehold or let out, so releasing " << (not_sellable == 1 ? "it" : "them")
            << " saves rent or running costs rather than raising a receipt)";
    out << ".";
    if (hub.members_without_value || hub.members_without_running_cost)
        out << " Figures are missing for some: " << hub.members_without_value << " without a market value, "
            << hub.members_without_running_cost << " without a running cost.";
    return out.str();
}

} // namespace estate::hubs
