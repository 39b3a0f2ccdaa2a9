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

/// What is wrong with a value or a row. `reason` is a stable code listed by
/// warning_reasons() (the row is stored, the value left out or corrected) or
/// reject_reasons() (the row is not a property); `message` says what was wrong, what
/// was stored and what to do.
struct Problem {
    std::string reason;
    std::string field;
    std::string message;
    std::string value; ///< the source's text that was wrong (kept with the warning)
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
/// Every reason code a row can be rejected with: only rows that are not properties
/// or cannot be told apart from another row of the file.
const std::initializer_list<ReasonInfo>& reject_reasons();
/// Every reason code a stored row can carry a warning for.
const std::initializer_list<ReasonInfo>& warning_reasons();

/// Trims ASCII white space (and a UTF-8 no-break space) from both ends.
std::string trim(std::string_view s);
/// The same, as a view into @p s (no copy).
std::string_view trim_view(std::string_view s);
/// Splits @p s at @p separator, trims each part and drops empty ones:
/// "a, b,,c" -> {"a", "b", "c"}.
std::vector<std::string> split_trimmed(std::string_view s, char separator);

/// True when @p text is @p lower_word in any case ("N/A" is "n/a"), without a copy.
bool same_word(std::string_view text, std::string_view lower_word);

/// Lower-case letters and digits only: "Asset_Code " -> "assetcode". Used to
/// match headers case-, space- and underscore-insensitively.
std::string header_key(std::string_view s);

/// A unit written in a header ("Floor Area (sq ft)", "Site Area acres", "GIA m²"):
/// the header's key without it, and the unit ("sq ft", "acres", "ha", "m2"; empty when
/// none).
struct HeaderUnit {
    std::string key;
    std::string unit;
};
HeaderUnit header_unit(std::string_view header);

/// header_key(a) == header_key(b), without making either.
bool same_header_key(std::string_view a, std::string_view b);

/// The index of the first of @p headers whose header_key() is one of @p keys (tried in
/// order: the first key found wins), or -1.
int find_header(const std::vector<std::string>& headers, std::initializer_list<const char*> keys);

/// True when an identifier's cell says there is none: blank, "N/A", "n/a", "-", "TBC",
/// "none", "unknown", "null", "0" (any number of zeros). Such a value is no reference,
/// no UPRN and no URN: two rows that both say "N/A" do not share an identifier.
bool is_placeholder_identifier(std::string_view text);

/// What is left of an owner's name when the words agencies add or drop are taken
/// away: case, spacing, punctuation, "the", "council", "borough", "city", "of",
/// "county", "district", "metropolitan", and "&" written "and". "Bath and North East
/// Somerset Council" and "Bath & North East Somerset" give the same key; two owners
/// with one key are probably one body under two names.
std::string owner_key(std::string_view name);

/// UPRN: 1-12 digits, stored as the number they write ("000012345" and "12345" are
/// one UPRN, stored "12345"). Accepts "100012797623.0" (a numeric field); a UPRN a
/// spreadsheet wrote in scientific notation ("1.00012E+11") has lost digits and is
/// the problem `mangled_uprn`. A placeholder (is_placeholder_identifier) is no UPRN,
/// without a problem.
Checked normalise_uprn(std::string_view text);
/// @p digits without leading zeros ("0" for all zeros): how the register stores and
/// looks up a UPRN.
std::string canonical_uprn(std::string_view digits);

/// A postcode is full ("WA14 1PF") or partial (outward code "M33", sector "WA14 1").
struct PostcodeCheck {
    std::optional<std::string> value; ///< upper case, single space
    bool full = false;
    std::optional<Problem> problem;
};
PostcodeCheck normalise_postcode(std::string_view text);

/// A non-negative number as people write amounts: "£1,250,000", "1 250", "12.5",
/// "1.2m", "£0.4m", "£750k", "1.250.000,00", and "394812,35" when @p decimal_comma
/// (files separated by semicolons). "Nil", "-", "n/a", "TBC", "unknown" are no value
/// (absent, not zero). Negative ("-5", "(1,000)") and implausible (over 10^12)
/// figures are problems. @p field names it in the problem.
CheckedNumber parse_amount(std::string_view text, std::string_view field, bool decimal_comma = false);
/// A fraction 0..1; accepts "85%" and "0.85".
CheckedNumber parse_fraction(std::string_view text, std::string_view field);

/// Text as a register keeps it: line breaks inside a value become ", ", runs of
/// white space (no-break spaces included) one space, both ends trimmed.
std::string clean_text(std::string_view s);
/// The same into @p out, reusing its memory (an import does this for every row).
void clean_text_into(std::string_view s, std::string& out);
/// A full postcode at the end of an address ("1 High St, Sale M33 7DZ" -> "M33 7DZ"),
/// for files with no postcode column.
std::optional<std::string> postcode_at_end(std::string_view address);
/// True when an owner "name" is a code rather than a name: an ONS GSS code
/// ("E07000235"), an old ONS code ("47UD", "00BU") or a URI.
bool looks_like_code(std::string_view owner);

/// Tenure from the Transparency Code's TenureType and TenureDetail (either may be
/// empty): "Freehold"+"Leasehold Out" -> leasehold_out, "Leashold" -> leasehold_in.
Checked normalise_tenure(std::string_view type, std::string_view detail);
/// land, buildings, land_and_buildings ("Land/Buildings", "L&B", "Site").
Checked normalise_holding_type(std::string_view text);
/// A uses() code from free text ("Town Hall" -> office, "Primary School" ->
/// school); nothing is rejected, unknown text is "other". Absent for empty text.
std::optional<std::string> classify_use(std::string_view text);
/// A use guessed from a property's name ("Sale Leisure Centre" -> leisure), or nothing
/// when the name names no use or describes land, a former use or a part of something
/// ("Former Royal Mail Sorting Office", "Land at Edge Lane", "Park Hospital road
/// frontage", "South West of Urmston Cemetery"): a wrong guess is worse than none.
std::optional<std::string> guess_use_from_name(std::string_view name);
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
