#pragma once
// Private: which column of a file is which register field, for a file no profile was
// written for. A person reading a file looks at its header words and, where those say
// nothing ("col3", "establis00", "E"), at what the column holds (postcodes, eastings,
// WKT outlines); so does this. A built-in profile that recognises the file keeps every
// field it fills; inference fills the rest from the columns it leaves.

#include "estate/importing/importer.hpp"
#include "estate/io/profile.hpp"
#include "estate/io/source.hpp"

#include <optional>
#include <string>
#include <vector>

namespace estate::importing {

/// The profile an import uses, how it was chosen, and each field's column with why.
struct Mapping {
    io::Profile profile;
    std::string explanation;
    std::vector<ColumnChoice> columns;
    std::vector<std::string> notes; ///< columns looked at and not used, and why
    bool inferred = false;          ///< some field's column was inferred
};

/// How many of @p cells are header words the inference knows: used with the built-in
/// profiles' words to find a header row below a title.
int inferred_header_cells(const std::vector<std::string>& cells);

/// The mapping for a file with @p headers whose first rows are @p sample: @p asked
/// (a profile named by the user) as it is; else the built-in profile that recognises
/// the headers, with inference filling the fields it cannot; else inference alone.
/// @p owner_given: the owner is named on the command line (no owner column needed).
Mapping choose_mapping(const std::vector<std::string>& headers, const std::vector<io::SourceRow>& sample,
                       const std::optional<io::Profile>& asked, bool owner_given);

/// @p m as an editable profile (INI text, with the reasons as comments).
std::string mapping_profile_text(const Mapping& m, const std::string& source);

} // namespace estate::importing
