#pragma once
/// @file
/// Turning the many ways sources write a value into the register's one way, and
/// saying precisely why when a value cannot be used. Bad data is a value here, not
/// an exception: each function returns either the clean value or a Problem.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace estate::model {

/// Why a value (and so its row) cannot be stored. `reason` is a stable code listed
/// by reject_reasons(); `message` says what was wrong and what to do.
struct Problem {
    std::string reason;
    std::string field;
    std::string message;
};

/// A normalised value, absent (the source said nothing), or a problem.
struct Checked {
    std::optional<std::string> value;
    std::optional<Problem> problem;
    bool ok() const { return !problem; }
};

/// A number, or absent, or a problem.
struct CheckedNumber {
    std::optional<double> value;
    std::optional<Problem> problem;
    bool ok() const { return !problem; }
};

/// One reject reason code and what it means, for the docs and the reject report.
struct ReasonInfo {
    std::string_view code;
    std::string_view meaning;
};
/// Every reason code a row can be rejected with.
const std::initializer_list<ReasonInfo>& reject_reasons();

/// Trims ASCII white space (and a UTF-8 no-break space) from both ends.
std::string trim(std::string_view s);
/// The same, as a view into @p s (no copy).
std::string_view trim_view(std::string_view s);
/// Splits @p s at @p separator, trims each part and drops empty ones:
/// "a, b,,c" -> {"a", "b", "c"}.
std::vector<std::string> split_trimmed(std::string_view s, char separator);

/// Lower-case letters and digits only: "Asset_Code " -> "assetcode". Used to
/// match headers case-, space- and underscore-insensitively.
std::string header_key(std::string_view s);

/// The index of the first of @p headers whose header_key() is one of @p keys (tried in
/// order: the first key found wins), or -1.
int find_header(const std::vector<std::string>& headers, std::initializer_list<const char*> keys);

/// UPRN: 1-12 digits, kept as text. Accepts "100012797623.0" (spreadsheets).
Checked normalise_uprn(std::string_view text);

/// A postcode is full ("WA14 1PF") or partial (outward code "M33", sector "WA14 1").
struct PostcodeCheck {
    std::optional<std::string> value; ///< upper case, single space
    bool full = false;
    std::optional<Problem> problem;
};
PostcodeCheck normalise_postcode(std::string_view text);

/// A non-negative number; accepts "£1,250,000", "1 250", "12.5". @p field names it
/// in the problem.
CheckedNumber parse_amount(std::string_view text, std::string_view field);
/// A fraction 0..1; accepts "85%" and "0.85".
CheckedNumber parse_fraction(std::string_view text, std::string_view field);

/// Tenure from the Transparency Code's TenureType and TenureDetail (either may be
/// empty): "Freehold"+"Leasehold Out" -> leasehold_out, "Leashold" -> leasehold_in.
Checked normalise_tenure(std::string_view type, std::string_view detail);
/// land, buildings, land_and_buildings ("Land/Buildings", "L&B", "Site").
Checked normalise_holding_type(std::string_view text);
/// A uses() code from free text ("Town Hall" -> office, "Primary School" ->
/// school); nothing is rejected, unknown text is "other". Absent for empty text.
std::optional<std::string> classify_use(std::string_view text);
/// occupied / vacant / part_occupied from words such as "Owner Occupied", "Vacant".
std::optional<std::string> occupancy_from_text(std::string_view text);
/// Condition A..D from "A".."D", "good", "satisfactory", "poor", "bad".
Checked normalise_condition(std::string_view text);
/// An ISO date from YYYY-MM-DD, DD/MM/YYYY or YYYY/MM/DD; impossible or
/// implausible dates (before 1800, more than a year ahead) are problems.
Checked normalise_date(std::string_view text);
/// A sectors() code from a code or label ("Fire and Rescue", "NHS").
Checked normalise_sector(std::string_view text);
/// A best guess at an owner's sector from its name; "other" when nothing fits.
std::string guess_sector(std::string_view owner_name);

} // namespace estate::model
