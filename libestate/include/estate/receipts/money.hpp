#pragma once
/// @file
/// The pieces of the money model that hub proposals share with the capital receipts
/// estimate, so that both price a release the same way (one implementation):
/// - figures the register does not record — a floor area, a running cost — assumed
///   from the register's own median of the use when it holds enough of them, else
///   from the scenario's typical figure for the use, always flagged and named;
/// - what releasing one property for certain raises, costs and saves over the
///   appraisal period, in present value at the scenario's (Green Book) rate.

#include "estate/receipts/receipts.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace estate::receipts {

/// A floor area (m²) or running cost (pounds a year): recorded, assumed, or unknown.
struct Figure {
    enum class Basis { recorded, register_median, typical, unknown };
    double value = std::nan(""); ///< NaN when unknown
    Basis basis = Basis::unknown;
    /// For an assumed figure, what was assumed and from where, e.g. "assumed 1,000 m²,
    /// typical for an office (scenario default v3)"; empty otherwise.
    std::string words;
    bool known() const { return basis != Basis::unknown; }
    bool assumed() const { return basis == Basis::register_median || basis == Basis::typical; }
    /// "recorded", "register_median", "typical", "unknown": as exported and in JSON and CSV.
    const char* basis_code() const;
};

/// The benchmarks for figures the register does not record.
class Benchmarks {
public:
    /// @p uses and @p areas are parallel: every building of the register (NaN area:
    /// not recorded).
    Benchmarks(const Scenario& scenario, const std::vector<std::string>& uses, const std::vector<double>& areas);
    /// The same from the recorded floor areas of the register's buildings, by use.
    Benchmarks(const Scenario& scenario, std::map<std::string, std::vector<double>> areas_by_use);

    /// The floor area of a building of @p use: @p recorded when there is one; else the
    /// register's median for the use when at least min_recorded_for_median record one;
    /// else the scenario's typical floor area for the use (or its default).
    /// @p words false: leave Figure::words empty (the estimate's inner loops).
    Figure floor_area(const std::string& use, std::optional<double> recorded, bool words = true) const;
    /// The running cost a year: @p recorded, else @p area (when known) x the scenario's
    /// running cost per m² for the use.
    Figure running_cost(const std::string& use, std::optional<double> recorded, const Figure& area,
                        bool words = true) const;
    /// The extension cost per m² of shortfall, and where it comes from.
    double extension_cost_per_m2() const { return extension_cost_per_m2_; }
    std::string extension_source() const;
    const std::string& citation() const { return citation_; }

private:
    std::map<std::string, double> typical_area_, cost_per_m2_;
    std::map<std::string, std::string> source_;
    std::map<std::string, std::pair<double, std::size_t>> median_; ///< by use: median, count
    std::size_t min_recorded_ = 0;
    double extension_cost_per_m2_ = 0;
    std::string citation_;
};

/// What the model needs to know of a property it releases.
struct PropertyFigures {
    std::string use, tenure, holding_type, occupancy;
    std::optional<double> gia_m2, land_ha, market_value;
    Figure running_cost; ///< recorded or assumed; unknown saves nothing that can be counted
};

/// Releasing one property for certain, in the central case.
struct Release {
    bool sellable = false;       ///< its tenure can be sold (the scenario's sellable tenures)
    std::optional<double> value; ///< recorded, or estimated from its area; none when no basis
    bool value_estimated = false;
    std::string value_basis; ///< "recorded", "estimated: 400 m2 x £1,500 per m2", ...
    Figure moving_area;      ///< floor area whose services move (occupied buildings only)
    int release_index = 0;   ///< years after the start year it is released (and sold)
    int moving_index = 0;    ///< years after the start year its services move
    double gross = 0, sales_costs = 0, transitional_costs = 0; ///< cash, within the horizon
    double double_running = 0;                                 ///< running both buildings while services move (cash)
    double saving_per_year = 0;                                ///< from the release year to the end of the horizon
    double receipt_pv = 0; ///< gross less sales, moving, fit-out and double running, present value
    double savings_pv = 0; ///< the savings over the horizon, present value
    double net_pv() const { return receipt_pv + savings_pv; }
};

/// The central case of releasing @p p for certain: the same model, in the same code,
/// as each property of `estate receipts` (programme costs and the market's limit apart:
/// they belong to the programme), expected slippage included.
Release release_of(const Scenario& s, const Benchmarks& b, const PropertyFigures& p);

/// The present-value factor of year @p index after the start year.
double discount_factor(const Scenario& s, int index);

} // namespace estate::receipts
