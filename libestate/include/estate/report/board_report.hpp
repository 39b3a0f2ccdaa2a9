#pragma once
/// @file
/// The board report: one self-contained HTML file (inline CSS and SVG, no scripts, no
/// fonts or images fetched) that a board member reads in ten minutes and that prints
/// cleanly to PDF: the headline range, a map of the estate by status with the hubs,
/// receipts by year with the P10-P90 band, by owner and by status, the top hubs and
/// disposal opportunities in plain English, the assumptions, caveats and data
/// quality, and exactly what it was made from so anyone can reproduce it.

#include "estate/db/register.hpp"
#include "estate/receipts/receipts.hpp"
#include "estate/report/history.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace estate::report {

struct Options {
    receipts::Options receipts;          ///< scenario, runs, seed (hub_run: only hub releases)
    std::optional<std::int64_t> hub_run; ///< the hubs shown; default: the newest hubs run
    /// Empty: "AREA public estate: capital receipts and hubs" from the register's area.
    std::string title;
    /// Keep the headline figures in the register (table estimates), so that the next
    /// paper says what changed since; needs the register open for writing.
    bool record = true;
};

struct Written {
    std::string path;
    std::optional<std::int64_t> hub_run;
    receipts::Estimate estimate;
    Headline headline;
    bool recorded = false;
};

/// Writes the report to @p out_path (in one go: written beside it, then moved into place).
Written write_board_report(db::Register& reg, const Options& options, const std::string& out_path);

/// The report as text (what write_board_report writes).
std::string board_report_html(db::Register& reg, const Options& options, Written& about);

} // namespace estate::report
