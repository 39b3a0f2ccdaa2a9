#pragma once
/// @file
/// `estate import`: any GIS or tabular source into the register, through a mapping
/// profile, with every row accounted for: rows read = inserted + updated +
/// unchanged + rejected. One transaction per import: on any error or interruption
/// the register is left exactly as it was.

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
    std::string source;                   ///< file (or directory) GDAL can open
    std::optional<std::string> profile;   ///< built-in name or file; none = recognise
    std::optional<std::string> owner;     ///< owner of every row, overriding the file
    std::optional<std::string> layer;     ///< layer of a multi-layer source
    const io::PostcodeIndex* postcodes = nullptr; ///< for rows with no coordinates
    const geo::Boundary* boundary = nullptr;      ///< locations outside it are rejected
    /// Where the reject report goes; default: beside the register,
    /// "<register>.batch<N>.rejects.csv". Written only when a row was rejected.
    std::optional<std::string> rejects_path;
    /// Called every few thousand rows and at the end: rows done, total if known.
    std::function<void(std::int64_t, std::optional<std::int64_t>)> progress;
    /// Set (e.g. by a SIGINT handler) to abandon the import; nothing is written.
    const std::atomic<bool>* cancel = nullptr;
};

/// The same UPRN held by several owners: one site shared by agencies.
struct SharedUprn {
    std::string uprn;
    std::vector<std::string> owners;
};

struct ImportSummary {
    std::int64_t batch_id = 0;
    std::string source;
    std::string layer;
    std::string profile;
    std::string profile_explanation; ///< how the profile was chosen
    std::string sha256;
    std::int64_t read = 0;
    std::int64_t inserted = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::int64_t rejected = 0;
    std::int64_t postcode_located = 0; ///< of the stored rows
    std::int64_t unlocated = 0;        ///< of the stored rows
    std::int64_t footprints_repaired = 0;
    std::map<std::string, std::int64_t> rejected_by_reason;
    std::vector<SharedUprn> shared_uprns;
    std::optional<std::string> rejects_file;
    std::int64_t stored() const { return inserted + updated + unchanged; }
    /// Wall-clock seconds of each phase: rows (read, check, write), index, commit.
    double seconds_rows = 0, seconds_index = 0, seconds_commit = 0;
    /// Processor seconds of each thread of the rows phase (where an import's time goes).
    double cpu_read = 0, cpu_check = 0, cpu_write = 0;
};

/// Imports one source into @p reg. Throws usage_error / source_error /
/// database_error / interrupted; on any throw the register is unchanged.
ImportSummary import_source(db::Register& reg, const ImportOptions& options);

/// The summary as one JSON object (keys: batch, source, layer, profile, read,
/// inserted, updated, unchanged, rejected, postcode_located, unlocated,
/// footprints_repaired, rejected_by_reason, shared_uprns, rejects_file, sha256).
void write_summary_json(std::ostream& out, const ImportSummary& s);
/// The summary for people.
void write_summary_text(std::ostream& out, const ImportSummary& s);

} // namespace estate::importing
