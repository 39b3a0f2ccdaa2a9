#pragma once
/// @file
/// The clusters and hubs runs stored in a register, for `estate runs` and for citing
/// "run 12" in a board paper.

#include "estate/db/register.hpp"
#include "estate/model/property.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace estate::runs {

struct RunSummary {
    std::int64_t id = 0;
    std::string kind;       ///< "clusters" or "hubs"
    std::string created_at; ///< ISO 8601, UTC
    std::string parameters; ///< JSON object: radius_m, min_agencies, ...
    std::int64_t sites_considered = 0, unlocated_left_out = 0, groups_listed = 0;
    std::string rank; ///< hubs runs: the order chosen ("net" or "agencies"; runs before it: "net")
};

/// Every stored run, oldest first.
std::vector<RunSummary> list_runs(db::Register& reg);

/// Run @p id, when the register holds it.
std::optional<RunSummary> find_run(db::Register& reg, std::int64_t id);

/// The hubs run to use: @p asked when it is one (a usage_error naming the register and
/// saying what to do when it is missing or a clusters run), else the newest hubs run,
/// or none when the register holds no hubs run.
std::optional<std::int64_t> hub_run(db::Register& reg, std::optional<std::int64_t> asked);

/// The properties the hubs that run @p run proposes would release (their members, not
/// their hosts; not those of hubs "not worth it on these figures").
std::set<std::int64_t> proposed_members(db::Register& reg, std::int64_t run);

/// What building run @p run's proposed hubs costs beyond their members' moves.
struct ProposedExtensions {
    double cost = 0;              ///< extensions of hosts too small, pounds
    std::int64_t fit_unknown = 0; ///< hubs whose host has no floor area recorded (extension unknown)
};
ProposedExtensions proposed_extensions(db::Register& reg, std::int64_t run);

/// One member of a stored hub.
struct StoredHubMember {
    std::int64_t property_id = 0;
    bool host = false;
    double distance_m = 0;   ///< to the host
    std::string name, owner; ///< the property's name with its place (db::PlaceNamer) and its owner
    std::optional<model::GridPoint> location;
    std::vector<unsigned char> footprint_wkb; ///< when asked for and there is one
};

/// One hub of a stored hubs run, with the figures `estate hubs` worked out for it.
struct StoredHub {
    std::int64_t group_no = 0, agencies = 0, member_count = 0;
    std::optional<bool> host_fits; ///< none when not known
    std::string fit;               ///< fits, too_small or unknown
    bool proposed = true;          ///< false: not worth it on these figures
    std::string verdict;           ///< as `estate hubs` words it
    /// Not recorded (or, for runs before schema 6, not worked out) when empty.
    std::optional<double> need_m2, host_spare_m2, shortfall_m2, value_released, running_cost_saved,
        running_cost_recorded, moving_costs, extension_cost, net_benefit;
    std::optional<std::int64_t> running_costs_recorded; ///< members with a recorded running cost
    std::optional<std::string> explanation;             ///< the plain-English paragraph
    std::vector<StoredHubMember> members;               ///< the host first, then the others nearest first
};

/// Every hub of hubs run @p run, in the run's order, as the board report and the
/// exports read it. A hub whose host has been deleted since the run is left out, as
/// is any other member deleted since. Footprints are read only when asked for.
std::vector<StoredHub> read_stored_hubs(db::Register& reg, std::int64_t run, bool with_footprints);

} // namespace estate::runs
