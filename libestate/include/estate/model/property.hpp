#pragma once
/// @file
/// The register's vocabulary: a property as stored, and the closed lists its
/// coded fields take values from (sectors, holding types, tenures, uses, location
/// quality). Codes are the values stored in the database; labels are for people.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace estate::model {

/// A closed list of codes with human labels, e.g. tenures or sectors.
struct Vocabulary {
    std::string_view name; ///< e.g. "tenure"
    std::vector<std::pair<std::string_view, std::string_view>> entries; ///< code, label

    /// True when @p code is one of the list's codes.
    bool contains(std::string_view code) const;
    /// The label of @p code, or the code itself when unknown.
    std::string_view label(std::string_view code) const;
    /// The codes joined with ", " (for messages and CHECK constraints).
    std::string codes_joined(std::string_view separator = ", ") const;
};

const Vocabulary& sectors();          ///< local_government, police, fire_and_rescue, ...
const Vocabulary& holding_types();    ///< land, buildings, land_and_buildings
const Vocabulary& tenures();          ///< freehold, leasehold_in, leasehold_out, licence, other
const Vocabulary& uses();             ///< office, depot, library, school, ...
const Vocabulary& location_qualities(); ///< source, postcode, unlocated
const Vocabulary& occupancies();      ///< occupied, vacant, part_occupied
const Vocabulary& conditions();       ///< A (good) .. D (bad)

/// The RAG disposal status: red = disposal unlikely, amber = possible, green = an
/// opportunity, unassessed = not yet looked at.
enum class Rag { red, amber, green, unassessed };
const Vocabulary& rag_statuses();     ///< red, amber, green, unassessed (the codes stored)
std::string_view code_of(Rag status);
/// The status a code names, or nothing when @p code is not one.
std::optional<Rag> rag_of(std::string_view code);
/// The one rule of tagging, for every way a status is set (the register's trigger
/// enforces the same for SQL clients): @p code must be a status, and any status but
/// unassessed needs a reason. Throws usage_error (option "status" or "reason").
Rag check_tag(std::string_view code, std::string_view reason);

/// A point in British National Grid (EPSG:27700), metres.
struct GridPoint {
    double easting = 0;
    double northing = 0;
};

/// One property as the register stores it. Optional fields are NULL in the
/// database when the source did not say.
struct Property {
    std::string owner;          ///< owner organisation's name
    std::string ref;            ///< the owner's own reference (AssetCode); unique per owner
    std::optional<std::string> uprn; ///< 1-12 digits, kept as text (leading zeros)
    std::optional<std::string> name;
    std::optional<std::string> address;
    std::optional<std::string> postcode; ///< normalised "AA9 9AA", or a partial such as "M33"
    std::optional<std::string> holding_type; ///< holding_types() code
    std::optional<std::string> holding_type_detail; ///< the source's own words for it
    std::optional<std::string> tenure;       ///< tenures() code
    std::optional<std::string> tenure_detail; ///< the source's own words
    std::string use = "unknown";             ///< uses() code
    /// Where the use came from: "source" (a use-like column of the file), "name" (guessed
    /// from the name), "officer" (set by one); absent when unknown.
    std::optional<std::string> use_source;
    std::optional<std::string> use_detail;   ///< the source's own words for the use
    std::optional<double> gia_m2;
    std::optional<double> land_area_ha;
    std::optional<double> market_value;
    std::optional<double> running_cost;  ///< £ a year
    std::optional<std::string> occupancy; ///< occupied, vacant, part_occupied
    std::optional<double> utilisation;    ///< 0..1
    std::optional<std::string> condition; ///< A (good) .. D (bad), as surveyed
    std::optional<std::string> energy_rating; ///< DEC band A..G
    std::optional<std::string> effective_date; ///< ISO date the source row speaks for
    std::optional<GridPoint> location;
    std::string location_quality = "unlocated"; ///< location_qualities() code
    /// How the source's coordinates reached British National Grid: "OSTN15", "Helmert"
    /// (outside OSTN15's grid, about 5 m), "PROJ" (another CRS); absent when they were
    /// in the grid already, came from a grid reference or a postcode, or there are none.
    std::optional<std::string> location_transform;
    std::vector<unsigned char> footprint_wkb; ///< MultiPolygon WKB in EPSG:27700, or empty
    bool footprint_repaired = false;
    /// Source columns with no field of their own: name, value (kept, never thrown away).
    std::vector<std::pair<std::string, std::string>> extra;
};

} // namespace estate::model
