#pragma once
/// @file
/// Writing RFC 4180 CSV (quoted where needed, CRLF-free), for reject reports and
/// --csv output.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace estate::util {

/// Quotes @p field when it holds a comma, quote or line break.
std::string csv_field(std::string_view field);
/// Writes one CSV line.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

} // namespace estate::util
