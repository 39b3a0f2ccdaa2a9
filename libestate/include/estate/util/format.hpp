#pragma once
/// @file
/// Numbers as people read them in tables and board papers.

#include <cstdint>
#include <string>

namespace estate::util {

/// A whole number with thousands separators: 1250000 -> "1,250,000".
std::string thousands(double v);

/// Pounds, rounded to the pound: 1250000 -> "£1,250,000".
std::string pounds(double v);

/// A figure at fixed precision, never in scientific notation, for CSV cells and
/// attributes: metres to the millimetre (@p decimals 3), pounds to the penny (2).
/// Empty when not known (NaN) or not finite: unknown is never written as a number.
std::string fixed(double v, int decimals);

/// A figure as the register keeps it, for JSON, CSV cells and messages: the shortest
/// text that reads back as the same number at 15 significant digits ("1250000",
/// "0.035", "4223.6"); empty when not finite. The one place such text is made.
std::string number_text(double v);

/// A total over the properties that record a figure: what is summed and how many
/// record it, so that a total of nothing recorded is never shown as 0.
struct RecordedSum {
    double total = 0;
    std::int64_t recorded = 0; ///< properties whose figure is recorded
};
/// "not recorded" when none of @p of records it; "1,234 (3 of 6 record it)" when some
/// do; "1,234" when all do.
std::string recorded_text(const RecordedSum& sum, std::int64_t of);

/// A fraction as a percentage to a tenth of a point: 0.035 -> "3.5%", 0.5 -> "50%".
std::string percent(double fraction);

} // namespace estate::util
