#pragma once
/// @file
/// The scenario: every assumption of the money model (what releasing property raises,
/// costs and saves) that `estate receipts` and `estate hubs` share. The values come from
/// a versioned scenario file (libestate/scenarios/default.ini, compiled in;
/// docs/receipts.md); a user's scenario file changes what it names and keeps the rest.

#include "estate/facts/facts.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace estate::money {

/// Every assumption of the estimate. The values come from the built-in default
/// scenario file (the one place they are written); a user's scenario file changes
/// what it names and keeps the rest.
struct Scenario {
    std::string name, description, origin; ///< origin: the file, or "built-in default"
    std::int64_t version = 0;
    std::string sha256; ///< of the scenario file's text, for the record
    int start_year = 0, years = 0;
    double discount_rate = 0;
    std::map<std::string, double> probability; ///< by RAG status (missing: 0)
    double unassessed_hub_member = 0;
    std::vector<std::string> sellable_tenures;
    double achieved_factor = 0;
    std::map<std::string, double> building_rate_per_m2, land_rate_per_ha; ///< by use; "default"
    double sales_cost_rate = 0, moving_cost_per_m2 = 0, fit_out_cost_per_m2 = 0, space_factor = 0;
    double programme_cost = 0, programme_cost_per_year = 0, programme_cost_per_disposal = 0;
    int programme_years = 0;          ///< years the programme team is paid for, from the start
    double double_running_months = 0; ///< months both buildings run while services move
    int lead_land = 0, lead_vacant_building = 0, lead_occupied_building = 0, moving_before_sale = 0;
    double growth_mean = 0, growth_sd = 0;
    /// The most one area's market takes in a year; none: no limit. Sales beyond slip on.
    std::optional<double> market_max_value_per_year, market_max_sales_per_year;
    double price_sd = 0, estimated_price_sd = 0, slip_probability = 0, cost_sd = 0;
    // Hubs, and any building whose floor area or running cost is not recorded.
    double default_utilisation = 0;
    int min_recorded_for_median = 0;
    double extension_cost_per_m2 = 0;
    std::map<std::string, double> typical_floor_area_m2, running_cost_per_m2; ///< by use; "default"
    std::map<std::string, std::string> benchmark_source;                      ///< by use, "default" and "extension"
    /// What figures are plausible, by use: a figure outside is not used by any analysis
    /// until an officer confirms it ([plausible ...] sections; source in [benchmark sources]).
    facts::Plausibility plausible;
    /// "scenario default v4": how outputs cite it.
    std::string citation() const { return "scenario " + name + " v" + std::to_string(version); }
};

/// The built-in default scenario.
Scenario default_scenario();
/// A scenario file; every key is checked (a config_error names the file, line and key).
Scenario read_scenario(const std::string& path);
/// The same from a scenario file's text; @p origin names it in messages.
Scenario parse_scenario(const std::string& text, const std::string& origin);
/// The built-in scenario file's text (for `estate receipts --print-scenario`).
std::string default_scenario_text();

} // namespace estate::money
