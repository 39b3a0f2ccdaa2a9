#include "estate/hubs/hubs.hpp"

#include "estate/runs/store.hpp"
#include "run_parameters.hpp"
#include "site_grid.hpp"

#include "estate/error.hpp"
#include "estate/model/property.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <future>
#include <limits>
#include <memory>
#include <queue>
#include <sstream>
#include <unordered_map>

namespace estate::hubs {
namespace {

using money::Figure;

constexpr double not_recorded = std::numeric_limits<double>::quiet_NaN();

bool listed(const std::vector<std::string>& uses, const std::string& use) {
    return std::find(uses.begin(), uses.end(), use) != uses.end();
}

// Land, and property whose use nobody recorded, has no services to move and no
// building a planner could offer: it takes no part either way.
bool takes_part(const facts::Building& f) {
    return !f.land && f.use != "unknown";
}

int host_suitability(const facts::Building& f) {
    int points = f.tenure == "freehold" ? 2 : f.tenure == "leasehold_in" ? 1 : 0;
    if (f.status != model::Rag::red) points += 1;
    if (f.condition >= 'A' && f.condition <= 'D') points += 'D' - f.condition;
    return points;
}

double host_spare_m2(const facts::Building& f, double default_utilisation) {
    if (std::isnan(f.figure_or_nan(facts::Field::floor_area))) return not_recorded;
    if (f.vacant) return f.figure_or_nan(facts::Field::floor_area);
    const double used = std::isnan(f.utilisation) ? default_utilisation : f.utilisation;
    return f.figure_or_nan(facts::Field::floor_area) * (1 - used);
}

// Fits is best, then unknown (it may fit), then too small.
int fit_order(Fit f) {
    return f == Fit::fits ? 2 : f == Fit::unknown ? 1 : 0;
}

/// What every site offers as a host and brings as a member, worked out once (a
/// member's money lazily: most sites are never anyone's candidate), and the sums that
/// make a hub's figures. The one place a hub is appraised: the greedy's keys, the
/// hubs it forms and appraise_hub all add up here.
class Appraiser {
public:
    Appraiser(const std::vector<Site>& sites, const std::vector<facts::Building>& facts, const HubOptions& options,
              const money::Benchmarks& benchmarks)
        : sites_(sites), facts_(facts), options_(options), benchmarks_(benchmarks) {
        std::unordered_map<std::int64_t, std::uint32_t> dense; // owners numbered densely, counted with a stamp
        owner_.reserve(sites.size());
        for (const auto& s : sites) owner_.push_back(dense.emplace(s.owner_id, dense.size()).first->second);
        stamp_.assign(dense.size(), 0);
        // Each distinct use is looked up once.
        std::unordered_map<std::string, std::pair<bool, bool>> use_roles; // host, move
        const double utilisation = options.scenario.default_utilisation;
        for (const auto& f : facts) {
            auto it = use_roles.find(f.use);
            if (it == use_roles.end())
                it =
                    use_roles
                        .emplace(f.use, std::pair{listed(options.host_uses, f.use), listed(options.member_uses, f.use)})
                        .first;
            const bool part = takes_part(f);
            can_host_.push_back(part && it->second.first && f.status != model::Rag::green);
            can_move_.push_back(part && it->second.second && f.status != model::Rag::red && !f.vacant);
            suitability_.push_back(static_cast<std::int8_t>(host_suitability(f)));
            spare_.push_back(host_spare_m2(f, utilisation));
        }
        lean_.resize(sites.size());
        const auto& s = options.scenario;
        extension_pv_per_m2_ = s.extension_cost_per_m2 *
                               money::discount_factor(s, std::max(0, s.lead_occupied_building - s.moving_before_sale));
    }

    bool can_host(std::uint32_t i) const { return can_host_[i]; }
    bool can_move(std::uint32_t i) const { return can_move_[i]; }
    std::uint32_t owner(std::uint32_t i) const { return owner_[i]; }
    int suitability(std::uint32_t i) const { return suitability_[i]; }

    /// Every figure of @p m as a member.
    HubMember member(std::uint32_t m) const {
        const facts::Building& f = facts_[m];
        HubMember out;
        out.site = m;
        out.floor_area = benchmarks_.floor_area(f.use, f.figure(facts::Field::floor_area));
        out.need_m2 = out.floor_area.known() ? out.floor_area.value * options_.scenario.space_factor : not_recorded;
        out.running_cost = benchmarks_.running_cost(f.use, f.figure(facts::Field::running_cost), out.floor_area);
        out.release = money::release_of(options_.scenario, benchmarks_, f);
        return out;
    }

    struct Sums {
        std::int64_t agencies = 0;
        double need = 0, spare = 0, shortfall = 0, extension_cost = 0, net = 0;
        Fit fit = Fit::unknown;
    };

    /// The sums of a hub around @p h with @p members. @p undecided ones (footprint pairs
    /// not yet measured) count towards the agencies and, where positive, the net
    /// benefit, but not the space needed: an upper bound of the true figures, as the
    /// greedy needs.
    Sums sums(std::uint32_t h, const std::vector<std::uint32_t>& members,
              const std::vector<std::uint32_t>& undecided = {}) {
        Sums out;
        ++generation_;
        stamp_[owner_[h]] = generation_;
        out.agencies = 1;
        auto count_owner = [&](std::uint32_t m) {
            if (stamp_[owner_[m]] != generation_) {
                stamp_[owner_[m]] = generation_;
                ++out.agencies;
            }
        };
        for (std::uint32_t m : members) {
            count_owner(m);
            const Lean& l = lean(m);
            out.need += l.need;
            out.net += l.gain;
        }
        for (std::uint32_t m : undecided) {
            count_owner(m);
            out.net += std::max(0.0, lean(m).gain);
        }
        out.spare = spare_[h];
        if (std::isnan(out.spare) || std::isnan(out.need)) {
            out.fit = Fit::unknown;
            out.shortfall = not_recorded;      // unknown is not zero
            out.extension_cost = not_recorded; // an extension, if one is needed, cannot be costed
        } else if (out.need <= out.spare) {
            out.fit = Fit::fits;
        } else {
            out.fit = Fit::too_small;
            out.shortfall = out.need - out.spare;
            out.extension_cost = out.shortfall * options_.scenario.extension_cost_per_m2;
            out.net -= out.shortfall * extension_pv_per_m2_;
        }
        return out;
    }

    /// Who joins the hub around @p h, of @p candidates in reach (and, an upper bound,
    /// @p undecided ones not yet measured), by the rule of docs/co-location.md:
    /// the candidates whose release is worth it on its own (net present value 0 or
    /// more); then, while the host is too small, the one that brings least for each m²
    /// it needs is left out if what it brings is less than the extension its space
    /// costs. Worth it when that hub, with enough agencies, has a net benefit of 0 or
    /// more; otherwise (or when the all-candidates hub is at least as good) every
    /// candidate joins, as it does in a hub listed not worth it.
    struct Choice {
        std::vector<std::uint32_t> members;
        std::vector<std::pair<std::uint32_t, const char*>> left_out;
        Sums sums;
        bool worth = false;
    };
    Choice choose(std::uint32_t h, const std::vector<std::uint32_t>& candidates,
                  const std::vector<std::uint32_t>& undecided = {}) {
        Choice all;
        all.sums = sums(h, candidates, undecided);
        all.worth = all.sums.agencies >= options_.min_agencies && all.sums.net >= 0;
        // Mostly every candidate is worth moving and the host has room: everyone joins.
        const bool all_gain =
            std::all_of(candidates.begin(), candidates.end(), [this](std::uint32_t m) { return lean(m).gain >= 0; });
        all.members = candidates;
        if (all_gain && all.sums.fit != Fit::too_small) return all;
        Choice some;
        for (std::uint32_t m : candidates) {
            if (lean(m).gain >= 0)
                some.members.push_back(m);
            else
                some.left_out.emplace_back(m, "its move costs more than it saves");
        }
        some.sums = sums(h, some.members, undecided);
        if (some.sums.fit == Fit::too_small) {
            // Least brought per m² needed first; a member needing no space is never the one.
            auto per_m2 = [this](std::uint32_t m) {
                const Lean& l = lean(m);
                return l.need > 0 ? l.gain / l.need : std::numeric_limits<double>::infinity();
            };
            std::vector<std::uint32_t> order = some.members;
            std::stable_sort(order.begin(), order.end(),
                             [&](std::uint32_t a, std::uint32_t b) { return per_m2(a) < per_m2(b); });
            for (std::uint32_t m : order) {
                if (some.sums.fit != Fit::too_small) break;
                const double space_cost = std::min(lean(m).need, some.sums.shortfall) * extension_pv_per_m2_;
                if (!(lean(m).gain < space_cost)) break;
                some.members.erase(std::find(some.members.begin(), some.members.end(), m));
                some.left_out.emplace_back(m, "no room: the extension its space needs costs more than it brings");
                some.sums = sums(h, some.members, undecided);
            }
        }
        some.worth = some.sums.agencies >= options_.min_agencies && some.sums.net >= 0;
        if (some.left_out.empty() || !some.worth || (all.worth && all.sums.net >= some.sums.net)) return all;
        return some;
    }

    /// The hub around @p h with @p members, every figure filled in.
    Hub hub(std::uint32_t h, const std::vector<std::uint32_t>& members, Distance& distance) {
        const Sums s = sums(h, members);
        Hub hub;
        hub.host = h;
        hub.agencies = s.agencies;
        hub.host_suitability = suitability_[h];
        hub.fit = s.fit;
        hub.host_spare_m2 = s.spare;
        hub.need_m2 = s.need;
        hub.shortfall_m2 = s.shortfall;
        hub.extension_cost = s.extension_cost;
        hub.net_benefit = s.net;
        Distance::From from(distance, sites_[h]);
        for (std::uint32_t m : members) {
            HubMember member = this->member(m);
            member.distance = from.to(sites_[m]);
            hub.need_assumed = hub.need_assumed || member.floor_area.assumed();
            const Figure& cost = member.running_cost;
            if (cost.known()) hub.running_cost_saved += cost.value;
            if (cost.basis == Figure::Basis::recorded) {
                hub.running_cost_recorded += cost.value;
                ++hub.running_costs_recorded;
            } else {
                ++(cost.known() ? hub.running_costs_assumed : hub.running_costs_unknown);
            }
            const money::Release& r = member.release;
            if (r.sellable) {
                ++hub.sellable_members;
                if (r.value) hub.value_released += *r.value;
                ++(!r.value ? hub.values_unknown : r.value_estimated ? hub.values_estimated : hub.values_recorded);
            }
            hub.moving_costs += r.transitional_costs;
            hub.double_running += r.double_running;
            hub.members.push_back(std::move(member));
        }
        std::stable_sort(hub.members.begin(), hub.members.end(),
                         [](const HubMember& a, const HubMember& b) { return a.distance < b.distance; });
        return hub;
    }

private:
    struct Lean {
        double need = 0, gain = 0; ///< space needed (NaN: unknown); net present value of releasing it
        bool done = false;
    };
    const Lean& lean(std::uint32_t m) {
        Lean& l = lean_[m];
        if (!l.done) {
            const HubMember full = member(m);
            l.need = full.need_m2;
            l.gain = full.release.net_pv();
            l.done = true;
        }
        return l;
    }

    const std::vector<Site>& sites_;
    const std::vector<facts::Building>& facts_;
    const HubOptions& options_;
    const money::Benchmarks& benchmarks_;
    std::vector<std::uint32_t> owner_; ///< dense owner number per site
    std::vector<std::uint64_t> stamp_;
    std::uint64_t generation_ = 0;
    std::vector<bool> can_host_, can_move_;
    std::vector<std::int8_t> suitability_; ///< per site, as a host
    std::vector<double> spare_;            ///< per site: floor area it could offer as a host (NaN: unknown)
    std::vector<Lean> lean_;
    double extension_pv_per_m2_ = 0;
};

// What orders candidate hubs (the documented rank); the lower host id last, so that
// runs repeat exactly (sites are in id order, so the lower index is the lower id).
// Kept small: the queue holds millions of these on a county of a million.
struct Key {
    double net = 0;
    std::int32_t agencies = 0;
    std::int8_t fit = 0, suitability = 0;
    bool by_net = true;
    bool worth = true; // a hub worth it comes before any that is not, whatever the rank
    bool operator<(const Key& o) const {
        if (worth != o.worth) return !worth;
        if (by_net && net != o.net) return net < o.net;
        if (agencies != o.agencies) return agencies < o.agencies;
        if (fit != o.fit) return fit < o.fit;
        if (suitability != o.suitability) return suitability < o.suitability;
        return !by_net && net != o.net && net < o.net;
    }
};

class Proposer {
public:
    Proposer(const std::vector<Site>& sites, const std::vector<facts::Building>& facts, const HubOptions& options,
             const money::Benchmarks& benchmarks, const Progress& progress)
        : sites_(sites), options_(options), appraiser_(sites, facts, options, benchmarks), progress_(progress),
          taken_(sites.size(), false), candidates_(sites.size()), undecided_(sites.size()), version_(sites.size(), 0),
          renewed_(sites.size(), 0) {
        std::vector<std::uint32_t> movable; // only sites that can move are ever searched for
        for (std::uint32_t i = 0; i < sites.size(); ++i)
            if (appraiser_.can_move(i)) movable.push_back(i);
        grid_ = std::make_unique<SiteGrid>(sites, std::move(movable), options.radius);
    }

    /// Every host's candidates: the first step, before any greedy().
    void gather_all() {
        std::vector<std::uint32_t> hosts;
        for (std::uint32_t h = 0; h < sites_.size(); ++h)
            if (appraiser_.can_host(h)) hosts.push_back(h);
        // Two threads, each filling the lists of its own hosts (the grid is only read).
        auto search = [&](size_t from, size_t to, bool report) {
            for (size_t k = from; k < to; ++k) {
                gather(hosts[k]);
                if (report && progress_ && (k % 4096 == 0 || k + 1 == to))
                    progress_("candidate hosts searched round", static_cast<std::int64_t>(2 * (k + 1)),
                              static_cast<std::int64_t>(hosts.size()));
            }
        };
        const size_t half = hosts.size() / 2;
        auto second = std::async(std::launch::async, search, half, hosts.size(), false);
        search(0, half, true);
        second.get();
        // Which hosts each candidate could join, to weigh them again when it is taken.
        std::vector<std::uint32_t> count(sites_.size() + 1, 0);
        for (std::uint32_t h : hosts)
            for (const auto* list : {&candidates_[h], &undecided_[h]})
                for (std::uint32_t m : *list) ++count[m + 1];
        for (size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
        hosts_of_begin_ = count;
        hosts_of_.resize(count.back());
        for (std::uint32_t h : hosts)
            for (const auto* list : {&candidates_[h], &undecided_[h]})
                for (std::uint32_t m : *list) hosts_of_[count[m]++] = h;
    }

    /// The hubs worth it (net benefit 0 or more), in the order chosen; then, called
    /// again with false, the hubs from what is left: those not worth it, and any that
    /// becomes worth it as they take members (proposed, and first).
    std::vector<Hub> greedy(bool worth_only) {
        std::vector<Hub> hubs;
        greedy(worth_only, hubs);
        return hubs;
    }

    std::vector<Hub> run() {
        gather_all();
        auto hubs = greedy(true);
        for (auto& h : proposed_first(greedy(false))) hubs.push_back(std::move(h));
        return hubs;
    }

    /// @p hubs with the proposed ones first (each group in the order chosen).
    static std::vector<Hub> proposed_first(std::vector<Hub> hubs) {
        std::stable_partition(hubs.begin(), hubs.end(), [](const Hub& h) { return h.proposed; });
        return hubs;
    }

private:
    struct Entry {
        Key key;
        std::uint32_t host, version;
        bool operator<(const Entry& o) const {
            if (key < o.key) return true;
            if (o.key < key) return false;
            return host > o.host; // the lower id first
        }
    };

    // Other agencies' buildings that can move, within the radius of host h. Footprint
    // pairs whose envelopes neither rule them out nor surely in go to undecided_[h]:
    // measured only if h comes near the top (the costly GEOS distance). Touches only
    // h's own lists: hosts can be searched on several threads.
    void gather(std::uint32_t h) {
        const Site& host = sites_[h];
        const double r = options_.radius;
        auto& members = candidates_[h];
        auto& undecided = undecided_[h];
        grid_->for_each_near(host, r, [&](std::uint32_t j) {
            if (j == h || sites_[j].owner_id == host.owner_id) return;
            const Site& s = sites_[j];
            if (envelope_gap_squared(host, s) > r * r) return;
            if (host.footprint.empty() || s.footprint.empty()) { // points: cheap and exact
                if (points_within(host.x, host.y, s.x, s.y, r)) members.push_back(j);
                return;
            }
            // Every point of one envelope within r of every point of the other: surely in.
            const double fx = std::max(host.max_x, s.max_x) - std::min(host.min_x, s.min_x);
            const double fy = std::max(host.max_y, s.max_y) - std::min(host.min_y, s.min_y);
            (std::sqrt(fx * fx + fy * fy) <= r || Distance::surely_within(host, s, r) ? members : undecided)
                .push_back(j);
        });
        members.shrink_to_fit();
        undecided.shrink_to_fit();
    }

    // Weighs host h on what is left and queues it under a new version (older entries
    // of h are then stale), unless it can no longer form a hub (or, when only hubs
    // worth it are wanted, its net benefit is below 0 even at best).
    void weigh(std::uint32_t h, bool worth_only) {
        auto is_taken = [this](std::uint32_t m) { return taken_[m]; };
        for (auto* list : {&candidates_[h], &undecided_[h]})
            list->erase(std::remove_if(list->begin(), list->end(), is_taken), list->end());
        ++version_[h];
        // With undecided candidates the choice is an upper bound: worth it may turn out
        // not to be, once they are measured (the key is then exact).
        const auto choice = appraiser_.choose(h, candidates_[h], undecided_[h]);
        const auto& s = choice.sums;
        if (s.agencies < options_.min_agencies) return;
        // First only hubs worth it; then, from what is left, the others too (a hub that
        // becomes worth it then, once a hub listed apart took its costly members, is
        // still proposed: it comes first).
        if (worth_only && !choice.worth) return;
        Key key;
        key.worth = choice.worth;
        key.by_net = options_.rank == Rank::net_benefit;
        key.net = s.net;
        key.agencies = static_cast<std::int32_t>(s.agencies);
        key.fit = static_cast<std::int8_t>(fit_order(s.fit));
        key.suitability = static_cast<std::int8_t>(appraiser_.suitability(h));
        queue_.push({key, h, version_[h]});
    }

    // The plain greedy, lazily: a queued key is exact when its host has no undecided
    // candidates, else an upper bound; every host that loses a candidate is weighed
    // again at once, so the exact key on top is the best of what is left.
    void greedy(bool worth_only, std::vector<Hub>& hubs) {
        queue_ = {};
        ++round_; // fresh marks for this pass
        for (std::uint32_t h = 0; h < sites_.size(); ++h)
            if (appraiser_.can_host(h) && !taken_[h]) weigh(h, worth_only);
        while (!queue_.empty()) {
            const Entry e = queue_.top();
            queue_.pop();
            const std::uint32_t h = e.host;
            if (taken_[h] || e.version != version_[h]) continue;
            distance_.forget_footprints_beyond(1u << 16); // hosts come in no spatial order: little reuse
            if (!undecided_[h].empty()) {                 // measure the footprint pairs, then queue the exact key
                Distance::From from(distance_, sites_[h]);
                for (std::uint32_t m : undecided_[h])
                    if (!taken_[m] && from.within(sites_[m], options_.radius)) candidates_[h].push_back(m);
                undecided_[h].clear();
                std::sort(candidates_[h].begin(), candidates_[h].end());
                weigh(h, worth_only);
                continue;
            }
            const auto choice = appraiser_.choose(h, candidates_[h]);
            Hub hub = appraiser_.hub(h, choice.members, distance_);
            hub.proposed = choice.worth;
            for (const auto& [m, why] : choice.left_out) hub.left_out.push_back({m, why});
            taken_[h] = true;
            for (const auto& m : hub.members) taken_[m.site] = true;
            ++round_;
            auto renew_hosts_of = [&](std::uint32_t t) {
                for (std::uint32_t k = hosts_of_begin_[t]; k < hosts_of_begin_[t + 1]; ++k) {
                    const std::uint32_t g = hosts_of_[k];
                    if (taken_[g] || renewed_[g] == round_) continue;
                    renewed_[g] = round_;
                    weigh(g, worth_only);
                }
            };
            renew_hosts_of(h);
            for (const auto& m : hub.members) renew_hosts_of(static_cast<std::uint32_t>(m.site));
            hubs.push_back(std::move(hub));
            if (progress_ && hubs.size() % 1024 == 0)
                progress_(worth_only ? "hubs proposed" : "hubs weighed (proposed and not worth it)",
                          static_cast<std::int64_t>(hubs.size()), 0);
        }
    }

    const std::vector<Site>& sites_;
    const HubOptions& options_;
    Appraiser appraiser_;
    Progress progress_;
    std::unique_ptr<SiteGrid> grid_;
    Distance distance_;
    std::vector<bool> taken_;
    std::vector<std::vector<std::uint32_t>> candidates_, undecided_; ///< by host
    std::vector<std::uint32_t> hosts_of_begin_, hosts_of_;           ///< by candidate: the hosts it could join
    std::vector<std::uint32_t> version_, renewed_;
    std::uint32_t round_ = 0;
    std::priority_queue<Entry> queue_;
};

void check_options(const HubOptions& options) {
    if (options.min_agencies < 2)
        throw usage_error("min-agencies",
                          "the least number of agencies in a hub must be at least 2: a hub brings agencies together");
    check_radius(options.radius);
    if (!(options.scenario.space_factor > 0)) throw usage_error("space-factor", "the space factor must be more than 0");
    if (!(options.scenario.default_utilisation >= 0 && options.scenario.default_utilisation <= 1))
        throw usage_error("default-utilisation", "the default utilisation must lie between 0 and 1");
    for (const auto* uses : {&options.member_uses, &options.host_uses})
        for (const auto& use : *uses) {
            if (!model::uses().contains(use))
                throw usage_error("unknown use '" + use +
                                  "' in the hub uses; the uses are: " + model::uses().codes_joined());
            if (use == "unknown" || use == "land")
                throw usage_error("'" + use +
                                  "' cannot be a hub use: a property whose use is not known, or land, "
                                  "neither hosts nor moves");
        }
}

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

std::string count_of(std::int64_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

const char* code_of(Fit fit) {
    return fit == Fit::fits ? "fits" : fit == Fit::too_small ? "too_small" : "unknown";
}

std::string rank_words(Rank rank) {
    return rank == Rank::net_benefit ? "ranked by net benefit" : "ranked by agencies brought together";
}

Rank parse_rank(const std::string& text) {
    if (text == "net" || text == "net-benefit") return Rank::net_benefit;
    if (text == "agencies") return Rank::agencies;
    throw usage_error("rank",
                      "rank '" + text + "' is not known: the ranks are net (net benefit, the default) and agencies");
}

std::string hub_verdict(const Hub& hub) {
    std::string v = hub.proposed ? "" : "not worth it on these figures; ";
    switch (hub.fit) {
    case Fit::fits:
        return v + "host can house them";
    case Fit::too_small:
        return v + "host too small by about " + area(hub.shortfall_m2) + ": extension or new build needed";
    case Fit::unknown:
        break;
    }
    return v + "host's floor area not recorded: whether it can house them is unknown";
}

bool can_host(const facts::Building& f, const HubOptions& o) {
    return takes_part(f) && listed(o.host_uses, f.use) && f.status != model::Rag::green;
}

bool can_move(const facts::Building& f, const HubOptions& o) {
    return takes_part(f) && listed(o.member_uses, f.use) && f.status != model::Rag::red && !f.vacant;
}

const std::vector<std::string>& default_member_uses() {
    static const std::vector<std::string> uses = {"office", "library", "clinic", "community_centre", "police_station"};
    return uses;
}

const std::vector<std::string>& default_host_uses() {
    static const std::vector<std::string> uses = {"office",         "library",  "clinic",      "community_centre",
                                                  "police_station", "hospital", "fire_station"};
    return uses;
}

namespace {

std::unique_ptr<Proposer> proposer_for(const std::vector<Site>& sites, const std::vector<facts::Building>& facts,
                                       const HubOptions& options, const money::Benchmarks& benchmarks,
                                       const Progress& progress) {
    check_options(options);
    if (facts.size() != sites.size()) throw error("hub proposals need the facts of every site");
    return std::make_unique<Proposer>(sites, facts, options, benchmarks, progress);
}

std::vector<Hub> propose(const std::vector<Site>& sites, const std::vector<facts::Building>& facts,
                         const HubOptions& options, const money::Benchmarks& benchmarks, const Progress& progress) {
    return proposer_for(sites, facts, options, benchmarks, progress)->run();
}

runs::RunGroup group_of(const Hub& h, std::string_view explanation) {
    runs::RunGroup rg;
    rg.agencies = h.agencies;
    rg.members = static_cast<std::int64_t>(h.members.size() + 1);
    rg.host_fits = h.fit == Fit::unknown ? -1 : h.fit == Fit::fits ? 1 : 0;
    rg.fit = code_of(h.fit);
    rg.need_m2 = h.need_m2;
    rg.host_spare_m2 = h.host_spare_m2;
    rg.shortfall_m2 = h.shortfall_m2;
    rg.value_released = h.sellable_members > h.values_unknown ? h.value_released : not_recorded;
    rg.running_cost_saved =
        h.running_costs_unknown < static_cast<std::int64_t>(h.members.size()) ? h.running_cost_saved : not_recorded;
    rg.running_cost_recorded = h.running_costs_recorded ? h.running_cost_recorded : not_recorded;
    rg.running_costs_recorded = h.running_costs_recorded;
    rg.moving_costs = h.moving_costs;
    rg.extension_cost = h.extension_cost;
    rg.net_benefit = h.net_benefit;
    rg.proposed = h.proposed ? 1 : 0;
    rg.verdict = hub_verdict(h);
    rg.explanation = explanation;
    return rg;
}

} // namespace

std::vector<Hub> propose_hubs(const std::vector<Site>& sites, const std::vector<facts::Building>& facts,
                              const HubOptions& options, const money::Benchmarks& benchmarks) {
    return propose(sites, facts, options, benchmarks, {});
}

Hub appraise_hub(const std::vector<Site>& sites, const std::vector<facts::Building>& facts, const HubOptions& options,
                 const money::Benchmarks& benchmarks, size_t host, const std::vector<size_t>& members) {
    check_options(options);
    Appraiser appraiser(sites, facts, options, benchmarks);
    Distance distance;
    std::vector<std::uint32_t> m(members.begin(), members.end());
    return appraiser.hub(static_cast<std::uint32_t>(host), m, distance);
}

std::int64_t HubRun::proposed() const {
    return std::count_if(hubs.begin(), hubs.end(), [](const Hub& h) { return h.proposed; });
}

HubRun find_hubs(db::Register& reg, const HubOptions& options, const Progress& progress) {
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    HubRun run;
    run.options = options;
    auto t0 = clock::now();
    SiteFilter buildings = options.filter;
    buildings.one_per_building = true; // a building in two files is one candidate, not two
    run.sites = load_sites(reg, buildings, &options.scenario.plausible);
    const money::Benchmarks benchmarks(options.scenario, run.sites.reading.floor_areas_by_use);
    run.seconds_load = since(t0);
    t0 = clock::now();
    const auto& sites = run.sites.sites;
    auto proposer = proposer_for(sites, run.sites.facts, options, benchmarks, progress);
    proposer->gather_all();
    run.hubs = proposer->greedy(true);
    // The hubs not worth it are chosen on a second thread while the proposed ones are
    // named and explained (the register is read on this thread only).
    auto apart = std::async(std::launch::async, [&proposer] { return proposer->greedy(false); });
    run.seconds_propose = since(t0);
    t0 = clock::now();
    std::ostringstream params;
    util::JsonWriter w(params);
    w.begin_object();
    write_site_parameters(w, options.radius, options.min_agencies, options.filter);
    w.field("rank", options.rank == Rank::net_benefit ? "net" : "agencies")
        .field("scenario", options.scenario.citation())
        .field("scenario_sha256", options.scenario.sha256)
        .field("space_factor", options.scenario.space_factor)
        .field("default_utilisation", options.scenario.default_utilisation);
    w.end_object();
    // Names for every property in a hub, read once: for the explanations kept with
    // the run, and for whoever prints it.
    auto name_and_explain = [&](size_t from) {
        std::vector<std::int64_t> ids;
        for (size_t g = from; g < run.hubs.size(); ++g) {
            ids.push_back(sites[run.hubs[g].host].id);
            for (const auto& m : run.hubs[g].members) ids.push_back(sites[m.site].id);
            for (const auto& l : run.hubs[g].left_out) ids.push_back(sites[l.site].id);
        }
        auto details = load_details(reg, ids);
        run.details.insert(run.details.end(), std::make_move_iterator(details.begin()),
                           std::make_move_iterator(details.end()));
        std::sort(run.details.begin(), run.details.end(),
                  [](const SiteDetails& a, const SiteDetails& b) { return a.id < b.id; });
        auto detail = [&](std::int64_t id) -> const SiteDetails& { return detail_of(run.details, id); };
        for (size_t g = from; g < run.hubs.size(); ++g)
            run.explanations.push_back(explain_hub(run.hubs[g], run.sites, options, detail));
    };
    name_and_explain(0);
    const size_t proposed = run.hubs.size();
    auto t_wait = clock::now();
    // A hub proposed in the second pass (worth it once a hub listed apart took its costly
    // members) is named with the proposed ones, before those not worth it.
    for (auto& h : Proposer::proposed_first(apart.get())) run.hubs.push_back(std::move(h));
    proposer.reset(); // its lists and parsed footprints, before the run is stored
    run.seconds_propose += since(t_wait);
    name_and_explain(proposed);
    std::vector<runs::RunGroup> groups;
    std::vector<runs::RunMember> members;
    for (size_t g = 0; g < run.hubs.size(); ++g) {
        const Hub& h = run.hubs[g];
        const auto group = static_cast<std::int64_t>(g + 1);
        groups.push_back(group_of(h, run.explanations[g]));
        members.push_back({group, sites[h.host].id, true, 0.0});
        for (const auto& m : h.members) members.push_back({group, sites[m.site].id, false, m.distance});
    }
    run.run_id = runs::store_run(reg,
                                 {"hubs", params.str(), static_cast<std::int64_t>(sites.size()),
                                  run.sites.unlocated_left_out, static_cast<std::int64_t>(run.hubs.size())},
                                 groups, members);
    run.seconds_store = since(t0);
    return run;
}

std::string explain_hub(const Hub& hub, const SiteSet& set, const HubOptions& options,
                        const std::function<const SiteDetails&(std::int64_t)>& detail) {
    const auto& sites = set.sites;
    const auto& s = options.scenario;
    const SiteDetails& host = detail(sites[hub.host].id);
    const facts::Building* hf = set.facts.empty() ? nullptr : &set.facts[hub.host];
    std::ostringstream out;
    char radius[32];
    std::snprintf(radius, sizeof radius, "%g", options.radius);
    // The verdict first: a Shapefile keeps only the start of the text.
    std::string verdict = hub_verdict(hub);
    verdict[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(verdict[0])));
    out << verdict << "; net benefit " << util::pounds(hub.net_benefit) << " over " << s.years << " years"
        << (hub.fit == Fit::unknown ? " before any extension" : "") << ". ";
    out << host.label << " (" << host.owner;
    if (hf)
        out << ", " << tenure_words(hf->tenure) << (hf->condition ? std::string(", condition ") + hf->condition : "");
    out << ") could bring " << hub.agencies << " agencies together: ";
    const size_t named = std::min<size_t>(hub.members.size(), 5);
    for (size_t i = 0; i < named; ++i) {
        const auto& m = hub.members[i];
        const SiteDetails& d = detail(sites[m.site].id);
        char metres[32];
        std::snprintf(metres, sizeof metres, "%.0f", m.distance);
        out << (i == 0                                          ? ""
                : i + 1 == named && named == hub.members.size() ? " and "
                                                                : ", ")
            << d.label << " (" << d.owner << ", " << metres << " m)";
    }
    if (hub.members.size() > named) out << " and " << hub.members.size() - named << " more";
    out << (hub.members.size() == 1 ? " lies" : " all lie") << " within " << radius << " m of it. ";
    // Who in reach is left out, and why: the hub is worth more without them.
    if (!hub.left_out.empty()) {
        out << "Left out, the hub being worth more without them: ";
        const size_t shown = std::min<size_t>(hub.left_out.size(), 5);
        for (size_t i = 0; i < shown; ++i) {
            const SiteDetails& d = detail(sites[hub.left_out[i].site].id);
            out << (i ? "; " : "") << d.label << " (" << d.owner << ": " << hub.left_out[i].why << ")";
        }
        if (hub.left_out.size() > shown) out << "; and " << hub.left_out.size() - shown << " more";
        out << ". ";
    }
    // Space.
    if (std::isnan(hub.need_m2))
        out << "The floor area some of them need is not recorded and no typical figure is set for their use";
    else
        out << "Their services need about " << area(hub.need_m2);
    switch (hub.fit) {
    case Fit::fits:
        out << " and the host has about " << area(hub.host_spare_m2) << " to spare, so it can house them. ";
        break;
    case Fit::too_small:
        out << " but the host has only about " << area(hub.host_spare_m2) << " to spare: it falls short by about "
            << area(hub.shortfall_m2) << ", so an extension or new build is needed (about "
            << util::pounds(hub.extension_cost) << " at " << util::pounds(s.extension_cost_per_m2) << " per m², "
            << s.citation() << "). ";
        break;
    case Fit::unknown:
        out << (std::isnan(hub.host_spare_m2) ? "; the host's floor area is not recorded, so whether it can house "
                                                "them is unknown: survey it before going further. "
                                              : ", so whether the host can house them is unknown. ");
        break;
    }
    // Every assumed floor area named.
    for (const auto& m : hub.members)
        if (m.floor_area.assumed())
            out << "Floor area of " << detail(sites[m.site].id).label << ": " << m.floor_area.words << ". ";
    // Money: what is known, then what is assumed.
    const auto n = static_cast<std::int64_t>(hub.members.size());
    out << "Releasing the " << (n == 1 ? "other building" : std::to_string(n) + " other buildings") << " would save ";
    if (hub.running_costs_recorded == n)
        out << util::pounds(hub.running_cost_recorded) << " a year in running costs";
    else if (hub.running_costs_recorded == 0)
        out << (hub.running_costs_assumed ? "about " + util::pounds(hub.running_cost_saved) +
                                                " a year (running "
                                                "costs not recorded; assumed from typical costs per m², " +
                                                s.citation() + ")"
                                          : std::string("an unknown amount (running costs not recorded)"));
    else
        out << "at least " << util::pounds(hub.running_cost_recorded) << " a year: running costs recorded for "
            << hub.running_costs_recorded << " of " << n << " members"
            << (hub.running_costs_assumed
                    ? "; about " + util::pounds(hub.running_cost_saved) +
                          " with the others assumed from typical costs per m² (" + s.citation() + ")"
                    : std::string());
    if (hub.sellable_members == 0) {
        out << "; none is owned freehold or let out, so none raises a receipt";
    } else {
        const auto valued = hub.values_recorded + hub.values_estimated;
        out << (valued ? "; sales could raise " + util::pounds(hub.value_released)
                       : "; what sales could raise is unknown");
        if (hub.values_estimated || hub.values_unknown)
            out << " (values recorded for " << hub.values_recorded << " of the " << hub.sellable_members
                << " that can be sold"
                << (hub.values_estimated ? ", " + std::to_string(hub.values_estimated) + " estimated from floor area"
                                         : "")
                << (hub.values_unknown ? ", " + count_of(hub.values_unknown, "unknown", "unknown") : "") << ")";
        if (n > hub.sellable_members)
            out << "; " << count_of(n - hub.sellable_members, "is", "are") << " not owned freehold or let out, so "
                << "releasing " << (n - hub.sellable_members == 1 ? "it" : "them")
                << " saves rent or running costs only";
    }
    out << ". Moving and fitting out cost about " << util::pounds(hub.moving_costs);
    if (hub.double_running > 0)
        out << ", and running both buildings while services move about " << util::pounds(hub.double_running);
    out << ".";
    for (const auto& m : hub.members)
        if (m.running_cost.assumed())
            out << " Running cost of " << detail(sites[m.site].id).label << ": " << m.running_cost.words << ".";
    out << " Net benefit " << util::pounds(hub.net_benefit) << ": savings and receipts less these costs"
        << (hub.fit == Fit::too_small ? " and the extension" : "") << " over " << s.start_year << "-"
        << s.start_year + s.years - 1 << " in present value at " << util::percent(s.discount_rate) << " ("
        << s.citation() << ", the model of `estate receipts`)"
        << (hub.fit == Fit::unknown ? "; an extension, if the host needs one, is not costed" : "") << ".";
    return out.str();
}

} // namespace estate::hubs
