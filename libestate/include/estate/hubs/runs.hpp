#pragma once
/// @file
/// The clusters and hubs runs stored in a register, for `estate runs` and for citing
/// "run 12" in a board paper.

#include "estate/db/register.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace estate::hubs {

struct RunSummary {
    std::int64_t id = 0;
    std::string kind;       ///< "clusters" or "hubs"
    std::string created_at; ///< ISO 8601, UTC
    std::string parameters; ///< JSON object: radius_m, min_agencies, ...
    std::int64_t sites_considered = 0, unlocated_left_out = 0, groups_listed = 0;
};

/// Every stored run, oldest first.
std::vector<RunSummary> list_runs(db::Register& reg);

/// The hubs run to use: @p asked when it is one (a usage_error naming the register and
/// saying what to do when it is missing or a clusters run), else the newest hubs run,
/// or none when the register holds no hubs run.
std::optional<std::int64_t> hub_run(db::Register& reg, std::optional<std::int64_t> asked);

} // namespace estate::hubs
