#pragma once
/// @file
/// The capital receipts estimate: how much releasing property could raise, when, and
/// how sure. Every assumption lives in a versioned scenario file
/// (libestate/scenarios/default.ini, compiled in; docs/receipts.md). The central case
/// is deterministic; a seeded Monte Carlo gives P10/P50/P90; a sensitivity table shows
/// which assumptions move the total most.
///
/// The model, per property (docs/receipts.md works an example by hand):
/// - it counts with the probability of its RAG status (green 1, amber 0.5, ...), or,
///   with a hub run, only if that run releases it;
/// - its value is the recorded market value, else floor area x a rate per m2 for its
///   use (buildings) or land area x a rate per hectare (land), flagged "estimated";
/// - only sellable tenures (freehold, leasehold out) yield a receipt; leased-in
///   property saves its running cost (rent) instead;
/// - it is released in the start year + the lead time of its kind (land, vacant
///   building, occupied building); the value grows by the market growth each year
///   until then; sales costs come off the receipt; an occupied building's moving and
///   fit-out costs, and a few months of running both buildings, fall the year(s) before;
/// - the central case expects the slippage the simulation draws: each release is
///   planned for its year with (1 - slip probability) and a year later with the rest;
/// - the market takes at most so much a year (value, count): sales beyond slip on;
/// - its running cost is saved every year from its release to the end of the horizon;
/// - present values discount year i (0 = the start year) by (1 + rate)^i.

#include "estate/db/register.hpp"
#include "estate/money/scenario.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace estate::receipts {

/// One property's part in the central case.
struct PropertyEstimate {
    std::int64_t id = 0;
    std::string owner, ref, name, status, kind; ///< kind: land, vacant building, occupied building
    bool status_by_officer = false;             ///< the status was set by an officer, not suggested by the rules
    double probability = 0;
    bool sellable = false;
    bool value_estimated = false;
    std::optional<double> value; ///< recorded, or estimated; none when there is no basis
    std::string value_basis;     ///< "recorded", "estimated: 400 m2 x 1,500 per m2", ...
    int release_year = 0;        ///< as planned (the central case spreads the expected slippage)
    /// Weighted by the probability; cash within the horizon, after expected slippage and
    /// what the market takes each year.
    double gross = 0, sales_costs = 0, transitional_costs = 0, double_running = 0, net = 0, net_pv = 0;
    double saving_per_year = 0;          ///< weighted, once released
    double savings = 0, savings_pv = 0;  ///< over the horizon
    bool transitional_estimated = false; ///< no floor area: the use's median was assumed
    /// For a sellable property with no value: what it might be worth if typical of its
    /// use (the median or typical floor area x the rate), to order the valuations by.
    std::optional<double> value_gap;
    /// Figures written on it and not used, and why (estate/facts); "" when none.
    std::string figures_set_aside;
};

/// Money of one year, or of one owner or status over the horizon. Costs are positive;
/// net = gross - sales - transitional - double running - extension - programme.
struct Totals {
    double gross = 0, sales_costs = 0, transitional_costs = 0, double_running = 0, extension_costs = 0,
           programme_costs = 0, net = 0, net_pv = 0;
    double savings = 0, savings_pv = 0;
    double deferred = 0; ///< sales planned by now that the market could not take this year (they slip on)
    std::int64_t properties = 0;
    double costs() const { return transitional_costs + double_running + extension_costs + programme_costs; }
};

struct Range {
    double p10 = 0, p50 = 0, p90 = 0;
};

struct SensitivityRow {
    std::string assumption, low_setting, high_setting;
    double net_pv_low = 0, net_pv_high = 0; ///< total net present value with the assumption moved
    double swing() const { return net_pv_high > net_pv_low ? net_pv_high - net_pv_low : net_pv_low - net_pv_high; }
};

struct DataQuality {
    std::int64_t counted = 0;          ///< properties with a non-zero probability
    std::int64_t values_estimated = 0; ///< sellable, valued from an area (no market value recorded)
    std::int64_t no_value_basis = 0, not_sellable = 0, tenure_unknown = 0;
    std::int64_t transitional_estimated = 0;
    std::int64_t double_running_unknown = 0; ///< moving, with no running cost recorded or assumed
    // Figures in the register not used (every analysis alike: estate/facts), of every building:
    std::int64_t implausible_ignored = 0;    ///< over 10^12, negative or not numbers
    std::int64_t out_of_range = 0;           ///< outside the plausible range for the use (scenario [plausible])
    std::int64_t site_figures = 0;           ///< a site's figure written on its other buildings: used once
    std::int64_t confirmed = 0;              ///< used because an officer set or confirmed them
    std::int64_t running_costs_recorded = 0; ///< counted properties whose running cost is recorded
    std::int64_t running_costs_assumed = 0;  ///< the others whose running cost is assumed from their floor area
    std::int64_t unlocated = 0;              ///< in the register (left out of maps and hubs)
    std::vector<std::pair<std::string, std::string>> last_import; ///< owner, ISO time
};

struct Options {
    std::optional<money::Scenario> scenario; ///< default: the built-in one
    std::optional<std::int64_t> hub_run;     ///< only what this hubs run releases
    int runs = 1000;                         ///< Monte Carlo runs (0: central case only)
    std::uint64_t seed = 1;
    int threads = 0; ///< 0: every core (the numbers do not depend on it)
    /// Told now and then how many Monte Carlo runs of how many are done.
    std::function<void(std::int64_t, std::int64_t)> progress;
};

struct Estimate {
    money::Scenario scenario;
    std::optional<std::int64_t> hub_run;
    int runs = 0;
    std::uint64_t seed = 0;
    std::vector<PropertyEstimate> properties;                        ///< counted ones, largest net first
    std::vector<int> years;                                          ///< start_year .. start_year + years - 1
    std::vector<Totals> by_year;                                     ///< parallel to years
    std::vector<std::pair<std::string, Totals>> by_owner, by_status; ///< largest net first
    Totals total;
    double savings_per_year_at_end = 0; ///< once every release has happened
    double beyond_horizon = 0;          ///< sales the market could not take within the horizon (central)
    /// With a hub run: extensions of its proposed hubs (in the by-year costs), and how
    /// many of its hubs' hosts have no floor area recorded (their extension unknown).
    double extension_costs = 0;
    std::int64_t extensions_unknown = 0;
    Range net, net_pv;                       ///< Monte Carlo totals
    std::vector<Range> net_by_year;          ///< Monte Carlo, parallel to years
    std::vector<SensitivityRow> sensitivity; ///< largest swing first
    DataQuality quality;
};

/// The estimate for the register. Throws usage_error for a hub run that is not one.
Estimate estimate(db::Register& reg, const Options& options);

} // namespace estate::receipts
