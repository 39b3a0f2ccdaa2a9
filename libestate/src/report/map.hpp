#pragma once
// The board paper's map: the area's outline, every located property by status
// (unassessed beneath the coloured ones), rings round the proposed hubs' hosts, the
// numbers of the hubs the paper lists and the names of the main towns placed where
// they overlap nothing, and a scale bar.

#include "estate/db/register.hpp"
#include "estate/runs/runs.hpp"

#include <string>
#include <vector>

namespace estate::report {

/// The hubs the paper lists (numbered on the map too).
constexpr size_t listed_hubs = 5;

struct Map {
    std::string svg;  ///< empty when no property has a location
    std::string note; ///< what is drawn and what is not, for the caption
};

Map estate_map(db::Register& reg, const std::vector<runs::StoredHub>& hubs);

} // namespace estate::report
