#pragma once
// Site figures: the same floor area, land area or value written on three or more
// buildings of one site belongs to the site (a council's asset list writes a park's
// 3,882 m² on each of its stables, shelters and toilets). Found once per reading.

#include "estate/db/register.hpp"
#include "estate/facts/facts.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace estate::facts::detail {

/// For one field, the buildings (by main record id) whose figure is a site figure:
/// true for the site's main building (the figure is used there), false for the others.
using SiteRoles = std::unordered_map<std::int64_t, bool>;

/// The site figures among the register's current records, for floor area, land area and
/// market value (in that order): one pass over the register. @p main_of maps a record
/// counted under another building to that building's main record.
std::array<SiteRoles, 3> find_site_figures(db::Register& reg,
                                           const std::unordered_map<std::int64_t, std::int64_t>& main_of);

/// A name's stem: what comes before its first comma, bracket, colon or " - ", in lower
/// case ("Longford Park, Public toilets" and "Longford Park (8 Blocks) Old Stables":
/// "longford park").
std::string name_stem(const std::string& name);

} // namespace estate::facts::detail
