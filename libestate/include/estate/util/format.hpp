#pragma once
/// @file
/// Numbers as people read them in tables and board papers.

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

/// A fraction as a percentage to a tenth of a point: 0.035 -> "3.5%", 0.5 -> "50%".
std::string percent(double fraction);

} // namespace estate::util
