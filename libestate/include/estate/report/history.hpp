#pragma once
// Since the last estimate: each board paper keeps its headline figures, and each
// counted property's part in them, in the register (estimates, estimate_properties);
// the next paper gives the change and its main causes.

#include "estate/db/register.hpp"
#include "estate/receipts/receipts.hpp"

#include <optional>
#include <string>
#include <vector>

namespace estate::report {

/// The figures a paper is read by.
struct Headline {
    std::string made_at, scenario, scenario_sha256;
    std::optional<std::int64_t> hub_run;
    int runs = 0;
    std::uint64_t seed = 0;
    std::int64_t counted = 0, values_recorded = 0, values_estimated = 0, values_none = 0;
    std::int64_t by_officer = 0, by_rules = 0;
    double net_pv = 0;
    std::optional<double> p10, p90;
};

/// The headline of @p e (statuses from @p reg).
Headline headline_of(db::Register& reg, const receipts::Estimate& e);

/// What moved the central net present value since the last paper, property by property.
struct Change {
    Headline previous;
    double net_pv = 0; ///< now less then
    struct Cause {
        std::string what; ///< "statuses set or changed", ...
        std::int64_t properties = 0;
        double net_pv = 0;
    };
    std::vector<Cause> causes; ///< largest first
};

/// The change since the newest stored estimate; none when there is none.
std::optional<Change> change_since_last(db::Register& reg, const receipts::Estimate& e, const Headline& now);

/// Stores @p now and each counted property's part (the newest five estimates keep
/// their properties; older ones keep the headline only), in one transaction.
void record_estimate(db::Register& reg, const receipts::Estimate& e, const Headline& now);

} // namespace estate::report
