#pragma once
/// @file
/// Names a planner recognises: "Fire station" alone could be any of five; "Fire
/// station, Altrincham (WA14)" is one. The place comes from the address's town and
/// the postcode district.

#include <string>
#include <vector>

namespace estate::model {

struct Place {
    std::string town;     ///< the last part of the address that is a place name, or ""
    std::string district; ///< the postcode's outward code ("WA14"), or ""
    bool empty() const { return town.empty() && district.empty(); }
};

/// The place of an address and postcode (either may be empty).
Place place_of(const std::string& address, const std::string& postcode);

/// @p name with its place when the name does not already name it: "Fire station,
/// Altrincham (WA14)", "Fire station (WA14)"; @p name unchanged when it names the town,
/// a place in its address or the district, or when nothing is known of the place.
std::string name_with_place(const std::string& name, const std::string& address, const Place& place);

/// Labels for one list a person reads: where two share a label, each gets its address
/// (or, with none, its reference) added: "Chapel Road (12 Chapel Road, Sale)".
/// @p labels, @p addresses and @p refs are parallel.
std::vector<std::string> distinguish(std::vector<std::string> labels, const std::vector<std::string>& addresses,
                                     const std::vector<std::string>& refs);

} // namespace estate::model
