#pragma once
/// @file
/// Mapping profiles: how one kind of source file's columns become register fields.
/// A profile is a small INI file (format in docs/profile-format.md); several are
/// built in (the Transparency Code format and each Trafford layer). A profile is
/// declarative: it names columns and fixed values, it runs no code.

#include "estate/io/ini.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace estate::io {

/// The register fields a profile can fill (plus x, y, crs and footprint_wkt,
/// which locate the row).
const std::vector<std::string>& mappable_fields();

/// Where a field's value comes from: alternatives tried in order; the first whose
/// columns exist wins. An alternative of several parts ("StreetNumber +
/// StreetName") joins their non-empty values.
struct FieldSource {
    std::vector<std::vector<std::string>> alternatives;
};

/// A lookup that derives a field from another column's value when the field's own
/// columns give nothing: key (case-insensitive, `*` = anything) -> value template.
struct ValueMap {
    std::string from_column;
    std::vector<std::pair<std::string, std::string>> entries;
};

struct Profile {
    std::string name;
    std::string description;
    std::string origin;              ///< "built-in" or the file it was read from
    std::vector<std::string> detect; ///< headers whose presence recognises the format
    size_t detect_min = 3;           ///< how many of them must be present
    std::map<std::string, FieldSource> columns;
    /// Values for every row, overriding columns. Templates: "{Column}" is replaced
    /// by that column's value in the row.
    std::map<std::string, std::string> fixed;
    /// Values used when the field's columns are missing or empty.
    std::map<std::string, std::string> defaults;
    std::map<std::string, ValueMap> derive;
    /// Source words for a coded field -> the register's code, for words the built-in
    /// rules do not recognise ("Car Parks" -> land). Keys lower case, trimmed; values
    /// checked against the field's vocabulary when the profile is read.
    std::map<std::string, std::map<std::string, std::string>> values;
    /// Cell values that mean "no value" (besides the empty string), case-insensitive.
    std::vector<std::string> null_values;
    /// Classify the use from the name when the use column says nothing.
    bool use_from_name = false;
};

/// The coded fields a [values FIELD] section may map: holding_type, tenure, use,
/// occupancy, condition, sector.
const std::vector<std::string>& value_mapped_fields();

/// How many of @p cells name a column that @p profiles map (their header keys, with
/// a unit in the header allowed): how a header row is told from a title or data row.
int known_header_cells(const std::vector<const Profile*>& profiles, const std::vector<std::string>& cells);

/// Parses a profile. Throws config_error naming the file, line and key.
Profile parse_profile(const IniFile& ini);
/// A built-in profile by name, or a profile file by path. Throws usage_error
/// listing the built-in names when neither exists.
Profile load_profile(const std::string& name_or_path);
/// Every built-in profile, parsed.
const std::vector<Profile>& builtin_profiles();

/// The INI text of a built-in profile (to print and adapt), or nullopt.
std::optional<std::string> builtin_profile_text(const std::string& name);

/// The result of recognising a file from its headers.
struct Detection {
    const Profile* profile = nullptr; ///< nullptr when none or several fit
    std::string explanation;          ///< why, for the user
};
/// Picks the built-in profile whose detect headers best fit @p headers.
Detection detect_profile(const std::vector<std::string>& headers);

} // namespace estate::io
