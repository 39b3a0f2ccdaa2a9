#pragma once
/// @file
/// The capital receipts estimate as JSON and CSV: what `estate receipts --json/--csv`
/// prints, written here so that every interface writes the same keys and columns.
/// Unknown money is JSON null and an empty CSV cell, never 0.

#include "estate/receipts/receipts.hpp"

#include <ostream>
#include <string>

namespace estate::receipts {

/// The scenario, the totals, the P10/P50/P90 range (when simulated), by year, owner and
/// status, the sensitivities, the data quality and every counted property.
void write_estimate_json(std::ostream& out, const Estimate& e, const std::string& register_path);
/// One line per year, owner and status, then the total (column "table" says which).
void write_estimate_csv(std::ostream& out, const Estimate& e);

} // namespace estate::receipts
