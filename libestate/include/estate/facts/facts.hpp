#pragma once
/// @file
/// One reading of a property's facts for every analysis (hubs, receipts, and what the
/// board paper says of them): the register streamed once, each building once, every
/// figure checked once, and where each figure came from said.
///
/// - **Each building once.** A duplicate group counted once (confirmed, or proposed with
///   every member of one owner: estate/duplicates) is one building: its main record,
///   gaps filled from its other records' figures (the council's floor area, a layer's
///   name).
/// - **One plausibility check.** A figure is not used when it cannot be so: over 10^12,
///   negative or not a number; outside the plausible range for its use (the scenario's
///   [plausible ...] sections, with their sources); or a *site figure* — the same floor
///   area, land area or value written on three or more buildings of one site (one
///   postcode, one name before its first comma on the same postcode district, or within
///   a few metres), which belongs to the site and is used once, on the site's main
///   record. A figure an officer set or confirmed (`estate set ... --reason`) is used
///   whatever the checks say.
/// - **One building, one status.** The latest tag given on any of its records, and
///   whether a person (not a rule) set it.

#include "estate/db/register.hpp"
#include "estate/model/property.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace estate::facts {

/// The figures the analyses weigh.
enum class Field : std::uint8_t { floor_area, land_area, market_value, running_cost };
constexpr std::size_t field_count = 4;
constexpr std::array<Field, field_count> all_fields = {Field::floor_area, Field::land_area, Field::market_value,
                                                       Field::running_cost};
/// The register's column: gia_m2, land_area_ha, market_value, running_cost.
const char* column_of(Field f);
/// "floor area", "land area", "market value", "running cost".
const char* words_of(Field f);

/// Where a figure came from, or why the figure written in the register is not used.
enum class Source : std::uint8_t {
    none,         ///< not written on any record of the building
    recorded,     ///< on the building's main record
    other_record, ///< on another record of the same building
    confirmed,    ///< set or confirmed by an officer: used whatever the checks say
    site,         ///< a site figure, used once here, on the site's main record
    // Written, and not used:
    not_a_figure,  ///< over 10^12, negative, or not a number
    out_of_range,  ///< outside the plausible range for its use
    site_elsewhere ///< a site figure: used once, on the site's main record
};
/// Whether a figure of this source is used.
inline bool used(Source s) {
    return s == Source::recorded || s == Source::other_record || s == Source::confirmed || s == Source::site;
}
/// "recorded", "other_record", "confirmed", "site", "not_a_figure", "out_of_range",
/// "site_elsewhere": as JSON, CSV and the data quality table say it.
const char* code_of(Source s);

/// A plausible range; either end may be open (NaN).
struct Range {
    double min = std::nan(""), max = std::nan("");
    bool holds(double v) const { return !(v < min) && !(v > max); }
};

/// The plausible ranges by use (and "default"), as the scenario declares them.
struct Plausibility {
    std::map<std::string, Range> floor_area_m2, value_per_m2, value_per_ha;
    std::string source; ///< where the ranges come from, for the record
    /// The range for @p use in @p ranges, else its default; open when neither.
    static Range for_use(const std::map<std::string, Range>& ranges, const std::string& use);
};

/// One building as every analysis sees it.
struct Building {
    std::int64_t id = 0; ///< its main record
    std::int64_t owner_id = 0;
    std::vector<std::int64_t> other_records; ///< of the same building (counted once under id)
    model::Rag status = model::Rag::unassessed;
    bool status_by_officer = false; ///< set by a person, not suggested by the rules
    std::string use, tenure;        ///< register vocabulary; tenure "" when not recorded
    bool land = false;              ///< holding type land
    bool vacant = false;
    char condition = 0;                ///< 'A'..'D', or 0 when not recorded
    double utilisation = std::nan(""); ///< NaN when not recorded
    bool located = false;
    std::string ref, name; ///< only when read with names (name: the ref when it has none)
    /// Each figure as written (NaN when none) and where it came from; used only when
    /// used(source).
    std::array<double, field_count> written{std::nan(""), std::nan(""), std::nan(""), std::nan("")};
    std::array<Source, field_count> source{};

    /// The figure the analyses use, or none.
    std::optional<double> figure(Field f) const {
        const auto i = static_cast<std::size_t>(f);
        return used(source[i]) ? std::optional<double>(written[i]) : std::nullopt;
    }
    /// The figure, NaN when none is used.
    double figure_or_nan(Field f) const { return figure(f).value_or(std::nan("")); }
    Source source_of(Field f) const { return source[static_cast<std::size_t>(f)]; }
    /// Writes @p v as the building's own recorded figure (NaN: none), for what-if
    /// questions and tests.
    void set(Field f, double v) {
        const auto i = static_cast<std::size_t>(f);
        written[i] = v;
        source[i] = std::isnan(v) ? Source::none : Source::recorded;
    }
    /// A figure is written on the building and not used (not_a_figure, out_of_range, site_elsewhere).
    bool set_aside(Field f) const {
        const Source s = source_of(f);
        return s != Source::none && !used(s);
    }
};

/// What a building's figures set aside were and why, in words ("floor area 3,882 m²
/// not used: the same figure is written on 3 or more buildings of its site, and is used
/// once, on the site's main record"); "" when none was set aside.
std::string set_aside_words(const Building& b, const Plausibility& plausible);

struct ReadOptions {
    Plausibility plausible;
    bool names = false; ///< read each building's ref and name
    /// Visit only the buildings this accepts (the others still count towards the
    /// medians and the checks' counts); none: every building.
    std::function<bool(const Building&)> wanted;
};

/// What a reading found besides the buildings.
struct Reading {
    std::int64_t buildings = 0; ///< each building once, retired records out
    /// The used floor areas of every building by use (located or not): the register's
    /// own medians (money::Benchmarks).
    std::map<std::string, std::vector<double>> floor_areas_by_use;
    /// Figures written and not used, by source (not_a_figure, out_of_range, site_elsewhere),
    /// and figures used because an officer confirmed them; of every building.
    std::map<Source, std::int64_t> counts;
    std::int64_t set_aside() const;
};

/// Every building of @p reg (retired records out, each building once) in id order:
/// @p visit is given each wanted one.
Reading read_buildings(db::Register& reg, const ReadOptions& options, const std::function<void(Building&&)>& visit);

/// The same, kept.
std::vector<Building> read_all(db::Register& reg, const ReadOptions& options, Reading* reading = nullptr);

} // namespace estate::facts
