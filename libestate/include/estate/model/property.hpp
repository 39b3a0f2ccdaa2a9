#pragma once
/// @file
/// The register's vocabulary: a property as stored, and the closed lists its
/// coded fields take values from (sectors, holding types, tenures, uses, location
/// quality). Codes are the values stored in the database; labels are for people.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace estate::model {

/// A closed list of codes with human labels, e.g. tenures or sectors.
struct Vocabulary {
    std::string_view name;                                              ///< e.g. "tenure"
    std::vector<std::pair<std::string_view, std::string_view>> entries; ///< code, label

    /// True when @p code is one of the list's codes.
    bool contains(std::string_view code) const;
    /// The label of @p code, or the code itself when unknown.
    std::string_view label(std::string_view code) const;
    /// The codes joined with ", " (for messages and CHECK constraints).
    std::string codes_joined(std::string_view separator = ", ") const;
};

const Vocabulary& sectors();            ///< local_government, police, fire_and_rescue, ...
const Vocabulary& holding_types();      ///< land, buildings, land_and_buildings
const Vocabulary& tenures();            ///< freehold, leasehold_in, leasehold_out, licence, other
const Vocabulary& uses();               ///< office, depot, library, school, ...
const Vocabulary& location_qualities(); ///< source, postcode, unlocated
const Vocabulary& occupancies();        ///< occupied, vacant, part_occupied
const Vocabulary& conditions();         ///< A (good) .. D (bad)

/// The RAG disposal status: red = disposal unlikely, amber = possible, green = an
/// opportunity, unassessed = not yet looked at.
enum class Rag { red, amber, green, unassessed };
const Vocabulary& rag_statuses(); ///< red, amber, green, unassessed (the codes stored)
std::string_view code_of(Rag status);
/// The status a code names, or nothing when @p code is not one.
std::optional<Rag> rag_of(std::string_view code);
/// The one rule of tagging, for every way a status is set (the register's trigger
/// enforces the same for SQL clients): @p code must be a status, and any status but
/// unassessed needs a reason. Throws usage_error (option "status" or "reason").
Rag check_tag(std::string_view code, std::string_view reason);
/// Whether a property's status was set by a person (an officer, on the command line or
/// in the web app) rather than suggested by a rule: any status but unassessed whose
/// source is not "rule" (a status from before sources were kept counts as a person's).
/// The one test of it: rules leave such a status alone, receipts treat it as confirmed,
/// `estate info` counts it.
bool status_set_by_person(std::string_view status, std::optional<std::string_view> source);
/// The same test as SQL over a row's rag_status and rag_source (of @p table when given).
std::string status_set_by_person_sql(const std::string& table = "");

/// A point in British National Grid (EPSG:27700), metres.
struct GridPoint {
    double easting = 0;
    double northing = 0;
};

/// What the register records of a property besides who holds it and where it is:
/// each member a column of the properties table (fact_columns() lists them), written
/// by imports and read back by every query. Optional members are NULL when the source
/// did not say.
struct PropertyFacts {
    std::optional<std::string> uprn; ///< 1-12 digits, kept as text (leading zeros)
    std::optional<std::string> name;
    std::optional<std::string> address;
    std::optional<std::string> postcode;            ///< normalised "AA9 9AA", or a partial such as "M33"
    std::optional<std::string> holding_type;        ///< holding_types() code
    std::optional<std::string> holding_type_detail; ///< the source's own words for it
    std::optional<std::string> tenure;              ///< tenures() code
    std::optional<std::string> tenure_detail;       ///< the source's own words
    std::string use = "unknown";                    ///< uses() code
    std::optional<std::string> use_detail;          ///< the source's own words for the use
    /// Where the use came from: "source" (a use-like column of the file), "name" (guessed
    /// from the name), "officer" (set by one); absent when unknown.
    std::optional<std::string> use_source;
    std::optional<double> gia_m2;
    std::optional<double> land_area_ha;
    std::optional<double> market_value;
    std::optional<double> running_cost;         ///< £ a year
    std::optional<std::string> occupancy;       ///< occupied, vacant, part_occupied
    std::optional<double> utilisation;          ///< 0..1
    std::optional<std::string> condition;       ///< A (good) .. D (bad), as surveyed
    std::optional<std::string> energy_rating;   ///< DEC band A..G
    std::optional<std::string> effective_date;  ///< ISO date the source row speaks for
    std::string location_quality = "unlocated"; ///< location_qualities() code
    /// How the source's coordinates reached British National Grid: "OSTN15", "Helmert"
    /// (outside OSTN15's grid, about 5 m), "PROJ" (another CRS); absent when they were
    /// in the grid already, came from a grid reference or a postcode, or there are none.
    std::optional<std::string> location_transform;
    bool footprint_repaired = false;
};

/// One property as an import builds it: its facts, who holds it, where it is.
struct Property : PropertyFacts {
    std::string owner; ///< owner organisation's name
    std::string ref;   ///< the owner's own reference (AssetCode); unique per owner
    std::optional<GridPoint> location;
    std::vector<unsigned char> footprint_wkb; ///< MultiPolygon WKB in EPSG:27700, or empty
    /// Source columns with no field of their own: name, value (kept, never thrown away).
    std::vector<std::pair<std::string, std::string>> extra;
};

const Vocabulary& use_sources();         ///< source, name, officer
const Vocabulary& location_transforms(); ///< OSTN15, Helmert, PROJ

/// One fact column of the properties table: the single description from which the
/// queries' SELECT lists, the import's binds, comparisons, content hash and checks,
/// and the fields of `estate show`, `list` and every export are made. (The schema's
/// SQL is its migrations, fixed once released: db/schema.cpp; a test checks that the
/// table and this list agree.)
struct FactColumn {
    using Text = std::optional<std::string> PropertyFacts::*;
    using Code = std::string PropertyFacts::*; ///< always present
    using Number = std::optional<double> PropertyFacts::*;
    using Flag = bool PropertyFacts::*;
    using Member = std::variant<Text, Code, Number, Flag>;
    FactColumn(const char* name, const char* short_name, const char* meaning, Member member,
               const Vocabulary* codes = nullptr, std::optional<double> min = std::nullopt,
               std::optional<double> max = std::nullopt, bool exported = true)
        : name(name), short_name(short_name), meaning(meaning), member(member), codes(codes), min(min), max(max),
          exported(exported) {}
    const char* name;       ///< the column, and the field's name in exports and JSON
    const char* short_name; ///< at most 10 characters, for Shapefiles
    const char* meaning;    ///< for the docs and the field map written beside exports
    Member member;
    const Vocabulary* codes;        ///< the values allowed, when the column is coded
    std::optional<double> min, max; ///< the range allowed, for a number
    bool exported;                  ///< false: shown as part of another field
};
/// In the order they are stored, compared and hashed (changing it changes every
/// stored content hash: the next import of each file would count every row updated).
const std::vector<FactColumn>& fact_columns();
/// The facts an officer may correct (`estate set`; imports keep an officer's figure over
/// their file's): use, gia_m2, market_value, running_cost. The list, once.
const std::vector<std::string>& correctable_fields();

/// The register's CHECK constraints on a property's facts, tested in C++ (the import
/// writes with SQLite's own checks off, for speed). Its normalisers produce only
/// allowed values, so a failure is a bug in estate: throws error naming the property,
/// the column and the value.
void check_facts(const Property& p);

} // namespace estate::model
