#pragma once
/// @file
/// Hub proposals: a host building plus other agencies' buildings that each lie
/// within the radius of the host and whose services could move into it, so that
/// they could be released. Clusters chain along a high street; a hub is centred on
/// the building that would house everyone, which is what a board can act on.
///
/// The rules (docs/co-location.md explains them for planners):
/// - Which buildings take part goes by their use. Front-line and office services move
///   into hubs: offices (Jobcentres among them), libraries, clinics, community centres
///   and police stations (member_uses). Those and hospitals and fire stations can host
///   (host_uses). A red property (disposal unlikely) can host but its
///   services never move.
/// - Members are other agencies' properties (not the host owner's), each within the
///   radius of the host by the clusters' distance rule; a property joins one hub at most.
/// - Space: the services moving in need space_factor x their floor area (shared
///   reception, meeting rooms and desks); the host offers its floor area less what it
///   uses now (all of it when vacant; 1 - utilisation where recorded, else
///   1 - default_utilisation). A member with no recorded floor area is assumed to need
///   the median for its use in the register, flagged as estimated.
/// - Choice: greedy. Of the candidate hubs still open, take the one that brings the
///   most agencies together; then one whose host can house everyone; then the most
///   suitable host (freehold, not red, better condition); then the highest score;
///   then the lowest host id. Properties taken are no longer available to others.
/// - Score: the yearly benefit in pounds — running costs the released buildings no
///   longer incur, plus the Green Book 3.5% a year on the capital their sale could
///   raise (only freehold and leasehold-out property can be sold).

#include "estate/hubs/sites.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace estate::hubs {

struct SpaceAssumption {
    double space_factor = 0.8;        ///< floor area needed per m2 moved in
    double default_utilisation = 0.75; ///< of a host whose utilisation is not recorded
};

/// The uses whose services can move into a hub, and the uses that can host one.
const std::vector<std::string>& default_member_uses();
const std::vector<std::string>& default_host_uses();

struct HubOptions {
    double radius = 250;
    std::vector<std::string> member_uses = default_member_uses();
    std::vector<std::string> host_uses = default_host_uses();
    std::int64_t min_agencies = 2; ///< distinct owners, host's included; at least 2
    SiteFilter filter;
    SpaceAssumption space;
};

struct HubMember {
    size_t site;          ///< index into the site set
    double distance = 0;  ///< metres to the host, by the distance rule
    double need_m2 = 0;   ///< floor area its services need in the host
    bool need_estimated = false; ///< no floor area recorded: the use's median was assumed
    bool sellable = false;       ///< freehold or leasehold out: its release can raise a receipt
};

struct Hub {
    size_t host;                  ///< index into the site set
    std::vector<HubMember> members; ///< closest first
    std::int64_t agencies = 0;    ///< distinct owners incl. the host's
    double host_spare_m2 = 0;     ///< NaN when the host's floor area is not recorded
    double need_m2 = 0;           ///< sum of members' need
    bool host_fits = false;       ///< spare >= need
    int host_suitability = 0;     ///< 0..6: tenure (freehold 2, leased in 1), not red 1, condition A 3 .. D 0
    double combined_gia_m2 = 0;   ///< host and members, where recorded
    double combined_running_cost = 0;
    double value_released = 0;    ///< recorded market value of sellable members
    double running_cost_saved = 0; ///< recorded running cost of members, a year
    std::int64_t members_without_value = 0, members_without_running_cost = 0;
    double score = 0;             ///< running_cost_saved + green_book_rate x value_released
};

/// Whether property of @p tenure can be sold (freehold, leasehold out): only its release
/// raises a receipt.
bool sellable_tenure(const std::string& tenure);

/// What a hub's host can do, in the words every output uses: "host can house them" or
/// "no single host; new build or extension needed".
std::string hub_verdict(bool host_fits);

/// The Green Book discount rate that turns capital released into a yearly figure.
constexpr double green_book_rate = 0.035;

/// Proposes hubs among @p sites with their @p facts (same order), in the order the
/// greedy rule above chooses them. Pure: no register needed (tests use it directly).
std::vector<Hub> propose_hubs(const std::vector<Site>& sites, const std::vector<SiteFacts>& facts,
                              const HubOptions& options);

struct HubRun {
    std::int64_t run_id = 0; ///< stored in the register
    HubOptions options;
    SiteSet sites;           ///< with facts
    std::vector<Hub> hubs;   ///< in the order chosen
    std::vector<SiteDetails> details; ///< of every property in a hub (detail_of finds one)
    std::vector<std::string> explanations; ///< one per hub, as stored
    double seconds_load = 0, seconds_propose = 0, seconds_store = 0;
};

/// Proposes hubs among the register's located properties and stores the run (host
/// and members with their distances) so that a board paper can cite it.
HubRun find_hubs(db::Register& reg, const HubOptions& options);

/// One paragraph of plain English for a board member: who comes together where,
/// whether the host can house them, what could be released and what it saves.
/// @p detail gives the owner, reference and name of a property by id.
std::string explain_hub(const Hub& hub, const SiteSet& sites, const HubOptions& options,
                        const std::function<const SiteDetails&(std::int64_t)>& detail);

} // namespace estate::hubs
