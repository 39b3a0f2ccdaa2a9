#pragma once
/// @file
/// Hub proposals: a host building plus other agencies' buildings that each lie
/// within the radius of the host and whose services could move into it, so that
/// they could be released. Clusters chain along a high street; a hub is centred on
/// the building that would house everyone, which is what a board can act on.
///
/// The rules (docs/co-location.md explains them for planners):
/// - Which buildings take part goes by their use and tag. Front-line and office
///   services move into hubs: offices (Jobcentres among them), libraries, clinics,
///   community centres and police stations (member_uses). Those and hospitals and fire
///   stations can host (host_uses). A red property (disposal unlikely) can host but
///   never moves; a green one (an opportunity to sell) moves but never hosts; land, and
///   property whose use is not known, neither hosts nor moves.
/// - Members are other agencies' properties (not the host owner's), each within the
///   radius of the host by the clusters' distance rule; a property joins one hub at most.
/// - Space: the services moving in need space_factor x their floor area; the host
///   offers its floor area less what it uses now (all of it when vacant; its recorded
///   utilisation, else the scenario's default). A member's floor area not recorded is
///   assumed (money::Benchmarks: the register's median of its use, else the
///   scenario's typical figure), flagged and named. The host's fit has three answers:
///   it fits, it is too small (by how much), or unknown (its floor area not recorded).
/// - Money: each member is priced as `estate receipts` prices a release
///   (money::release_of: the receipt from a sale, less sales, moving and fit-out
///   costs, plus the running costs saved from its release to the end of the horizon,
///   all in present value at the scenario's Green Book rate); a running cost not
///   recorded is assumed from the scenario's cost per m² of the use. A host too small
///   adds the cost of extending it by the shortfall. The hub's net benefit is the sum.
/// - Choice: greedy, by the rank. Net benefit (default): the candidate hub with the
///   greatest net benefit, then more agencies, then a host that fits (fits, unknown,
///   too small), then the more suitable host (freehold, not red, better condition),
///   then the lower host id. Agencies (`--rank agencies`): more agencies, then fit, then
///   suitability, then net benefit, then the lower host id. After each hub every
///   candidate that lost a member is weighed again, so each choice is the best of what
///   is left — exactly a plain greedy. Hubs with a net benefit of 0 or more are
///   proposed; then, from what is left, the same greedy lists apart the hubs whose net
///   benefit is below 0: "not worth it on these figures".

#include "estate/hubs/clusters.hpp"
#include "estate/hubs/sites.hpp"
#include "estate/money/model.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace estate::hubs {

/// The uses whose services can move into a hub, and the uses that can host one.
const std::vector<std::string>& default_member_uses();
const std::vector<std::string>& default_host_uses();

enum class Rank { net_benefit, agencies };
/// "ranked by net benefit" / "ranked by agencies brought together".
std::string rank_words(Rank rank);
/// The rank named on the command line: "net" or "agencies" (usage_error otherwise).
Rank parse_rank(const std::string& text);

struct HubOptions {
    double radius = 250;
    std::vector<std::string> member_uses = default_member_uses();
    std::vector<std::string> host_uses = default_host_uses();
    std::int64_t min_agencies = 2; ///< distinct owners, host's included; at least 2
    SiteFilter filter;
    /// Money, benchmarks, the space factor ([costs]) and the default utilisation
    /// ([hubs]): the same scenario as `estate receipts`.
    money::Scenario scenario = money::default_scenario();
    Rank rank = Rank::net_benefit;
};

/// Whether the host can house the services moving in.
enum class Fit { fits, too_small, unknown };
/// "fits", "too_small", "unknown": as stored, exported and written in JSON and CSV.
const char* code_of(Fit fit);

struct HubMember {
    size_t site;                ///< index into the site set
    double distance = 0;        ///< metres to the host, by the distance rule
    money::Figure floor_area;   ///< recorded or assumed (or unknown)
    double need_m2 = 0;         ///< space_factor x floor_area; NaN when unknown
    money::Figure running_cost; ///< recorded or assumed (or unknown)
    money::Release release;     ///< what releasing it raises, costs and saves
};

struct Hub {
    size_t host;                    ///< index into the site set
    std::vector<HubMember> members; ///< closest first
    std::int64_t agencies = 0;      ///< distinct owners incl. the host's
    int host_suitability = 0;       ///< 0..6: tenure (freehold 2, leased in 1), not red 1, condition A 3 .. D 0
    Fit fit = Fit::unknown;
    double host_spare_m2 = 0;  ///< NaN when the host's floor area is not recorded
    double need_m2 = 0;        ///< sum of members' need; NaN when one is unknown
    double shortfall_m2 = 0;   ///< need - spare when too small; 0 when it fits; NaN when the fit is unknown
    bool need_assumed = false; ///< some of the need comes from assumed floor areas
    // Money: the central case, every member released, over the scenario's horizon.
    double running_cost_recorded = 0; ///< a year, members with a recorded running cost
    std::int64_t running_costs_recorded = 0, running_costs_assumed = 0, running_costs_unknown = 0;
    double running_cost_saved = 0; ///< a year, recorded + assumed
    std::int64_t sellable_members = 0, values_recorded = 0, values_estimated = 0, values_unknown = 0;
    double value_released = 0; ///< recorded or estimated value of the sellable members
    double moving_costs = 0;   ///< moving and fit-out, cash
    double double_running = 0; ///< running both buildings while services move, cash
    double extension_cost = 0; ///< shortfall x the extension cost; NaN when the fit is unknown
    double net_benefit = 0;    ///< present value: savings + receipts - costs
    bool proposed = true;      ///< false: "not worth it on these figures" (net benefit < 0)
    /// Candidates in reach the hub is worth more without (a proposed hub only): each
    /// stays free for another hub.
    struct LeftOut {
        size_t site;     ///< index into the site set
        std::string why; ///< "its move costs more than it saves", "no room: ..."
    };
    std::vector<LeftOut> left_out;
};

/// The verdict that leads every output: "host can house them", "host too small by about
/// 630 m²: extension or new build needed", "host's floor area not recorded: whether it
/// can house them is unknown"; "not worth it on these figures" first when not proposed.
std::string hub_verdict(const Hub& hub);

/// Proposes hubs among @p sites with their @p facts (same order): the proposed ones in
/// the order the greedy chooses them, then the ones not worth it. @p benchmarks gives
/// the figures the register does not record. Pure: no register needed.
std::vector<Hub> propose_hubs(const std::vector<Site>& sites, const std::vector<facts::Building>& facts,
                              const HubOptions& options, const money::Benchmarks& benchmarks);

/// The figures of a hub around @p host with @p members (indices into @p sites), by
/// the same code propose_hubs uses: for tests and for what-if questions.
Hub appraise_hub(const std::vector<Site>& sites, const std::vector<facts::Building>& facts, const HubOptions& options,
                 const money::Benchmarks& benchmarks, size_t host, const std::vector<size_t>& members);

/// Whether @p facts let a property host a hub, and move into one, under @p options.
bool can_host(const facts::Building& facts, const HubOptions& options);
bool can_move(const facts::Building& facts, const HubOptions& options);

struct HubRun {
    std::int64_t run_id = 0; ///< stored in the register
    HubOptions options;
    SiteSet sites;                         ///< with facts
    std::vector<Hub> hubs;                 ///< proposed ones in the order chosen, then the ones not worth it
    std::vector<SiteDetails> details;      ///< of every property in a hub (detail_of finds one)
    std::vector<std::string> explanations; ///< one per hub, as stored
    double seconds_load = 0, seconds_propose = 0, seconds_store = 0;
    std::int64_t proposed() const;
};

/// Proposes hubs among the register's located properties and stores the run (host
/// and members with their distances and figures) so that a board paper can cite it.
/// @p progress, when given, is told now and then how many candidate hosts of how many
/// have been searched (the longest step).
HubRun find_hubs(db::Register& reg, const HubOptions& options, const Progress& progress = {});

/// One paragraph of plain English for a planner: the verdict first, then who comes
/// together where, whether the host can house them, every assumed figure named, and
/// what it saves, raises and costs. @p detail gives a property's details by id.
std::string explain_hub(const Hub& hub, const SiteSet& sites, const HubOptions& options,
                        const std::function<const SiteDetails&(std::int64_t)>& detail);

} // namespace estate::hubs
