#pragma once
/// @file
/// Storing a clusters or hubs run in the register (analysis_runs, analysis_groups,
/// analysis_members), so that a board paper can cite "run 12" and the layers can be
/// exported later. Below hubs and receipts: the analyses write runs here, and read
/// them back through runs.hpp, never with SQL of their own.

#include "estate/db/register.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace estate::runs {

struct RunMember {
    std::int64_t group_no; ///< cluster or hub number, from 1
    std::int64_t property_id;
    bool host = false;
    double distance_m = std::nan(""); ///< to the hub's host; NaN for clusters
};

/// What one cluster or hub adds up to; NaN / empty where it does not apply (clusters).
struct RunGroup {
    std::int64_t agencies = 0, members = 0;
    int host_fits = -1; ///< 0 or 1 for hubs; -1 for clusters and when not known
    std::string fit;    ///< hubs: fits, too_small or unknown
    double need_m2 = std::nan(""), host_spare_m2 = std::nan(""), shortfall_m2 = std::nan(""),
           value_released = std::nan(""), running_cost_saved = std::nan(""), running_cost_recorded = std::nan(""),
           moving_costs = std::nan(""), extension_cost = std::nan(""), net_benefit = std::nan("");
    std::int64_t running_costs_recorded = -1; ///< members with a recorded running cost; -1 for clusters
    int proposed = -1;                        ///< hubs: 1 proposed, 0 not worth it; -1 for clusters
    std::string verdict;
    std::string_view explanation; ///< kept by the caller until the run is stored
};

struct RunRecord {
    std::string kind;       ///< "clusters" or "hubs"
    std::string parameters; ///< JSON object
    std::int64_t sites_considered = 0, unlocated_left_out = 0, groups_listed = 0;
};

/// Stores the run, its groups (numbered from 1 in order) and their members in one
/// transaction; returns the run's number.
std::int64_t store_run(db::Register& reg, const RunRecord& run, const std::vector<RunGroup>& groups,
                       const std::vector<RunMember>& members);

} // namespace estate::runs
