#pragma once
/// @file
/// `estate import`: any GIS or tabular source into the register, through a mapping
/// profile, with every row accounted for: rows read = inserted + updated +
/// unchanged + rejected. One transaction per import: on any error or interruption
/// the register is left exactly as it was.

#include "estate/error.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace estate::db {
class Register;
}
namespace estate::geo {
class Boundary;
}
namespace estate::io {
class PostcodeIndex;
}

namespace estate::importing {

struct ImportOptions {
    std::string source;                           ///< file (or directory) GDAL can open
    std::optional<std::string> profile;           ///< built-in name or file; none = recognise
    std::optional<std::string> owner;             ///< owner of every row, overriding the file
    std::optional<std::string> layer;             ///< layer of a multi-layer source
    const io::PostcodeIndex* postcodes = nullptr; ///< for rows with no coordinates
    const geo::Boundary* boundary = nullptr;      ///< locations outside it are rejected
    /// Where the data-issues report goes (every rejected row and every warning on a
    /// stored row, one line each); default: beside the register,
    /// "<register>.batch<N>.issues.csv". Written only when there is an issue.
    std::optional<std::string> issues_path;
    /// Called every few thousand rows and at the end: rows done, total if known.
    std::function<void(std::int64_t, std::optional<std::int64_t>)> progress;
    /// The series this file belongs to (a yearly return and the next are one series);
    /// default: the profile and each row's owner ("transparency-code / Trafford Council").
    std::optional<std::string> series;
    /// The file is the whole of its series now: properties of the series it does not
    /// list are retired (kept, marked with the time and this batch).
    bool complete = false;
    /// With complete: when it would retire more than this share of the series' current
    /// properties, the import stops (nothing written) unless confirmed.
    double retire_share_to_confirm = 0.10;
    bool confirmed = false; ///< --yes: retire however many
    /// Work it all out (mapping, every row checked, the counts) and write nothing: the
    /// register, its file and the data-issues report stay as they were.
    bool dry_run = false;
    /// Set (e.g. by a SIGINT handler) to abandon the import; nothing is written.
    const std::atomic<bool>* cancel = nullptr;
};

/// One register field's column(s) in a source, and why they were taken for it.
struct ColumnChoice {
    std::string field;   ///< the register field (io::mappable_fields())
    std::string columns; ///< the source's header(s), "Address1 + Town" for parts joined
    std::string reason;  ///< "header", "values: 40 of 40 are UK postcodes", ...
};

/// The same UPRN held by several owners: one site shared by agencies.
struct SharedUprn {
    std::string uprn;
    std::vector<std::string> owners;
};

/// A coded column's words the register could not code (stored with the code empty
/// and the words kept), with the commonest ones, to map in a profile.
struct UnrecognisedValues {
    std::string field; ///< holding_type, tenure, use, condition, sector
    std::int64_t rows = 0;
    std::int64_t distinct = 0;
    std::vector<std::pair<std::string, std::int64_t>> commonest; ///< at most ten, commonest first
};

struct ImportSummary {
    bool dry_run = false; ///< nothing was written: the counts are what an import would do
    std::int64_t batch_id = 0;
    std::string source;
    std::string layer;
    std::string profile;
    std::string profile_explanation; ///< how the profile was chosen
    /// Fields whose columns were inferred (no profile mapped them), with why; and the
    /// columns looked at and not used.
    std::vector<ColumnChoice> inferred_columns;
    std::vector<std::string> mapping_notes;
    /// The mapping gives no owner's reference: every row is stored under one made
    /// from its content (said once, not on every row).
    bool no_reference_column = false;
    std::string sha256;
    std::int64_t read = 0;
    std::int64_t inserted = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::int64_t rejected = 0;
    std::int64_t postcode_located = 0;        ///< of the stored rows
    std::int64_t unlocated = 0;               ///< of the stored rows
    std::int64_t unlocated_with_postcode = 0; ///< of those, rows with a full postcode no lookup placed
    std::int64_t locations_kept = 0;          ///< rows that gave no location: the register's kept
    /// Postcodes of the file given (--postcodes) the register's lookup did not have, and
    /// how many the lookup holds (what placed rows by postcode).
    std::int64_t postcodes_added = 0, postcodes_in_register = 0;
    std::int64_t footprints_repaired = 0;
    /// Stored rows whose coordinates were transformed, by how: OSTN15, Helmert, PROJ.
    std::map<std::string, std::int64_t> transformed_by;
    std::map<std::string, std::int64_t> rejected_by_reason;
    /// Stored rows that carry one or more warnings, and the warnings by reason.
    std::int64_t stored_with_warnings = 0;
    std::map<std::string, std::int64_t> warnings_by_reason;
    std::vector<UnrecognisedValues> unrecognised;
    /// Rows whose owner column held a code and whose owner's name came from another column.
    std::int64_t owners_named_from_column = 0;
    /// Owner "names" stored as they came although they look like codes (E07000235, 47UD).
    std::vector<std::string> owner_codes;
    std::int64_t skipped_before_header = 0; ///< title or blank rows above the header
    std::int64_t recoded_values = 0;        ///< values read as Windows-1252, stored as UTF-8
    int header_rows = 1;                    ///< 2: a header of two rows, joined
    bool utf16 = false;                     ///< the file was UTF-16 text
    std::string layer_note;                 ///< which of several layers (sheets, folders) were read, and why
    char separator = ',';                   ///< of a delimited text file
    /// Fields read from a column whose header named another unit: field, unit.
    std::vector<std::pair<std::string, std::string>> converted_units;
    std::vector<SharedUprn> shared_uprns;
    /// Owners this import made whose names look like an owner already in the register
    /// (db::similar_owners): (new, existing), to merge if they are one body.
    std::vector<std::pair<std::string, std::string>> similar_owners;
    /// Names of the file merged into another owner earlier: (name, owner).
    std::vector<std::pair<std::string, std::string>> owners_merged_names;
    /// Owner codes the file gave beside a name, kept as that owner's other name: (code, owner).
    std::vector<std::pair<std::string, std::string>> owner_codes_learned;
    std::optional<std::string> issues_file;
    /// Yearly returns: the series the rows went into; with complete, the properties of
    /// those series the file no longer lists (retired); retired properties listed again
    /// (reinstated); properties renumbered (re_referenced, counted in updated); new
    /// references whose UPRN matched several current properties (not guessed).
    std::vector<std::string> series;
    bool complete = false;
    std::int64_t retired = 0, reinstated = 0, re_referenced = 0;
    std::vector<std::string> retiring_first; ///< with complete: the first it retires, "ref - name"
    /// Rows that fall in a duplicate group with a record of another file (estate duplicates).
    std::int64_t look_like_existing = 0;
    /// Anything that went wrong after the import was stored, for the user to know.
    std::vector<std::string> notes;
    struct AmbiguousReference {
        std::string ref, uprn;
        std::int64_t matches;
    };
    std::vector<AmbiguousReference> ambiguous_references;
    std::int64_t stored() const { return inserted + updated + unchanged; }
    /// Wall-clock seconds of each phase: rows (read, check, write), index, commit.
    double seconds_rows = 0, seconds_index = 0, seconds_commit = 0;
    /// Processor seconds of each thread of the rows phase (where an import's time goes).
    double cpu_read = 0, cpu_check = 0, cpu_write = 0;
};

/// The retirement --complete would make, refused for want of confirmation: how many
/// of how many current properties, and the first of them ("ref - name").
class retirement_unconfirmed : public error {
public:
    retirement_unconfirmed(const std::string& message, std::int64_t would_retire, std::int64_t current,
                           std::vector<std::string> first)
        : error(message), would_retire(would_retire), current(current), first(std::move(first)) {}
    std::int64_t would_retire, current;
    std::vector<std::string> first;
};

/// The mapping an import of @p options.source would use (the profile asked, the
/// built-in one that recognises it, inference) as an editable profile's INI text.
std::string guess_profile_text(const ImportOptions& options);

/// Imports one source into @p reg. Throws usage_error / source_error /
/// database_error / interrupted; on any throw the register is unchanged.
ImportSummary import_source(db::Register& reg, const ImportOptions& options);

/// The summary as one JSON object (keys: batch, source, layer, profile, read,
/// inserted, updated, unchanged, rejected, stored, stored_with_warnings,
/// postcode_located, unlocated, footprints_repaired, rejected_by_reason,
/// warnings_by_reason, unrecognised_values, owner_codes, owners_named_from_column,
/// skipped_before_header, recoded_values, separator, converted_units, shared_uprns,
/// issues_file, sha256, seconds).
void write_summary_json(std::ostream& out, const ImportSummary& s);
/// The summary for people.
void write_summary_text(std::ostream& out, const ImportSummary& s);

} // namespace estate::importing
