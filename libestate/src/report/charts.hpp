#pragma once
// The board paper's charts, as inline SVG: net receipts by year with the simulation's
// band, the cash flow (costs before receipts, and the cumulative position), and
// horizontal bars by owner or status.

#include "estate/receipts/receipts.hpp"

#include <string>
#include <utility>
#include <vector>

namespace estate::report {

/// Net receipts by year: the central case's bars and the P10-P90 band of each year.
/// @p outside receives the years whose bar lies outside its band (for a footnote).
std::string years_svg(const receipts::Estimate& e, std::vector<int>& outside);

/// The cash flow: receipts (net of sales costs) above the line, every cost below it,
/// and the cumulative net position as a line.
std::string cash_flow_svg(const receipts::Estimate& e);

/// Horizontal bars of net receipts by a key (owner, status), the largest twelve.
std::string bars_svg(const std::vector<std::pair<std::string, receipts::Totals>>& rows, const std::string& label,
                     bool status_colours);

} // namespace estate::report
