#pragma once
/// @file
/// The money model: what releasing one property is worth. Below both hub proposals and
/// the capital receipts estimate, so that both price a release the same way (one
/// implementation):
/// - figures the register does not record — a floor area, a running cost — assumed
///   from the register's own median of the use when it holds enough of them, else
///   from the scenario's typical figure for the use, always flagged and named;
/// - what releasing one property for certain raises, costs and saves over the
///   appraisal period, in present value at the scenario's (Green Book) rate.

#include "estate/facts/facts.hpp"
#include "estate/money/scenario.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace estate::money {

/// A floor area (m²) or running cost (pounds a year): recorded, assumed, or unknown.
struct Figure {
    enum class Basis { recorded, register_median, typical, unknown };
    double value = std::nan(""); ///< NaN when unknown
    Basis basis = Basis::unknown;
    /// For an assumed figure, what was assumed and from where, e.g. "assumed 1,000 m²,
    /// typical for an office (scenario default v4)"; empty otherwise.
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

/// What a release is: land sells as land; a vacant building sells with nobody to
/// move; an occupied building's services move out first.
enum class Kind : std::uint8_t { land, vacant_building, occupied_building };
/// "land", "vacant building", "occupied building".
const char* kind_words(Kind kind);

/// The scenario's rate for @p use, else its "default" (0 when neither).
double rate_for(const std::map<std::string, double>& rates, const std::string& use);

/// What a property brings to the model whatever the scenario's rates, leads and
/// likelihoods: worked out once per estimate (the sensitivity table re-runs the model
/// with eighteen other scenarios).
struct Terms {
    Kind kind = Kind::occupied_building;
    bool sellable = false; ///< its tenure is one of the scenario's sellable tenures
    Figure moving;         ///< floor area whose services move (occupied buildings)
    Figure running;        ///< running cost a year, recorded or assumed: what its release saves
    double moving_m2() const { return moving.known() ? moving.value : 0; }
};
/// @p words: name assumed figures in words (only for what is printed).
/// The running cost is the building's own, else assumed from its floor area (one rule
/// for receipts and hubs alike).
Terms terms_of(const Scenario& s, const facts::Building& p, const Benchmarks& b, bool words = false);

/// The scenario's view of one property's value and timing, before any money moves.
struct Valuation {
    int lead = 0; ///< years from the start year to its release
    std::optional<double> value;
    bool estimated = false; ///< from an area and a rate, not recorded
};
Valuation value_of(const Scenario& s, const facts::Building& p, Kind kind);
/// How the value was arrived at: "recorded", "estimated: 400 m2 x £1,500 per m2", ...
std::string value_basis(const Scenario& s, const facts::Building& p, Kind kind);

/// The year (after the start year) services leave an occupied building released in
/// year @p release: its moving and fit-out costs and double running fall then.
int moving_index(const Scenario& s, int release);
/// Moving and fit-out of the services leaving, for certain.
double moving_cost(const Scenario& s, const Terms& t);
/// Running both buildings while services move, for certain (0 when no running cost is known).
double double_running(const Scenario& s, const Terms& t);
/// The central case's expected slippage: released in the planned year with
/// (1 - slip probability) and a year later with the rest.
std::array<std::pair<int, double>, 2> release_parts(const Scenario& s, int lead);
/// The market's growth from the start year to each year 0 .. years + 1, at its mean.
std::vector<double> mean_growth(const Scenario& s);

/// The money one property moves in the central case, as it moves.
enum class Flow : std::uint8_t { gross, transitional, double_running, saving };

/// Every flow of one property in the central case, weighted by @p probability: sold
/// (when sellable and valued) as @p market lets — market.share(i, j): the part of year
/// i's planned sales sold in year j, in year j's money — moving, fit-out and double
/// running in the year services move (within the horizon even when the sale falls
/// after it), and @p saving (a year) from each release to the end of the horizon.
/// @p add(flow, year, amount) is told each; years past the horizon are not. The one implementation: `estate receipts`
/// (with the market's limit) and release_of (without) both call it.
template <class Market, class Add>
void central_flows(const Scenario& s, const Terms& t, const Valuation& v, double probability, double saving,
                   const std::vector<double>& growth, const Market& market, Add&& add) {
    const int n = s.years;
    for (auto [year, share] : release_parts(s, v.lead)) {
        if (share <= 0) continue;
        const double w = probability * share;
        // Services move before the sale: their costs fall within the horizon even when
        // the sale does not.
        const int when = moving_index(s, year);
        if (when < n) {
            add(Flow::transitional, static_cast<size_t>(when), w * moving_cost(s, t));
            add(Flow::double_running, static_cast<size_t>(when), w * double_running(s, t));
        }
        if (year >= n) continue;
        const size_t i = static_cast<size_t>(year);
        if (t.sellable && v.value) {
            const double at_plan = w * *v.value * s.achieved_factor * growth[i];
            for (size_t j = i; j < static_cast<size_t>(n); ++j) {
                const double gross = at_plan * market.share(i, j);
                if (gross != 0) add(Flow::gross, j, gross);
            }
        }
        if (saving != 0)
            for (size_t j = i; j < static_cast<size_t>(n); ++j) add(Flow::saving, j, w * saving);
    }
}

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

/// The central case of releasing @p p for certain: the same model, in the same code
/// (central_flows), as each property of `estate receipts` (programme costs and the
/// market's limit apart: they belong to the programme), expected slippage included.
/// Its running cost (recorded, else assumed from its floor area: Terms) is what it saves.
Release release_of(const Scenario& s, const Benchmarks& b, const facts::Building& p);

/// The present-value factor of year @p index after the start year.
double discount_factor(const Scenario& s, int index);

} // namespace estate::money
