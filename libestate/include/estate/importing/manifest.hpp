#pragma once
/// @file
/// A manifest lists the sources that together make a multi-agency register, each
/// with its profile, plus the postcode lookup and optional boundary they share.
/// `estate load REGISTER MANIFEST` imports them in order (format in docs/).

#include "estate/importing/importer.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace estate::geo {
class Boundary;
}

namespace estate::importing {

struct ManifestSource {
    std::string name; ///< the section's name, e.g. "council"
    std::string file; ///< absolute, or relative to the manifest's folder when read
    std::optional<std::string> profile, owner, layer;
    std::optional<std::string> series; ///< `series = NAME`: the yearly-return series (import --source)
    bool complete = false;             ///< `complete = yes`: the file is the whole series now
    /// `retire_many = yes`: with complete, retire however many (as --yes); without it a
    /// file that would retire more than 10% of its series stops the load
    bool retire_many = false;
};

struct Manifest {
    std::string origin;
    std::vector<std::string> postcodes;  ///< postcode lookup files
    std::optional<std::string> boundary; ///< locations outside it are not used (a warning)
    /// The area's outline for maps (the board paper's): rejects nothing. Default: boundary.
    std::optional<std::string> area_boundary;
    std::optional<std::string> area, partnership; ///< what the register covers, who keeps it
    std::vector<ManifestSource> sources;
};

/// Reads a manifest; relative paths are made relative to its folder. Throws
/// config_error naming the file and line.
Manifest read_manifest(const std::string& path);

/// The first polygon of a boundary file, in the National Grid; none when no path.
std::optional<geo::Boundary> read_boundary(const std::optional<std::string>& path);
/// A postcode lookup made of the given files (none: an empty lookup).
void read_postcodes(io::PostcodeIndex& index, const std::vector<std::string>& files);

struct LoadOptions {
    /// The progress callback for one source's import (none: no progress).
    std::function<std::function<void(std::int64_t, std::optional<std::int64_t>)>(const ManifestSource&)> progress;
    /// Told of each source as soon as it is imported (before the next one starts).
    std::function<void(const ManifestSource&, const ImportSummary&)> imported;
    const std::atomic<bool>* cancel = nullptr; ///< abandons the source being imported
};

struct LoadResult {
    bool created = false;                                        ///< the register did not exist and was made
    std::vector<std::pair<std::string, ImportSummary>> imported; ///< source name, summary
};

/// `estate load`: makes the register when it does not exist, describes it (area,
/// partnership, the outline for the board paper's map), then imports every source of
/// the manifest in order, each its own batch and transaction, with the manifest's
/// postcode lookup and boundary. Loading the same manifest again changes nothing.
LoadResult load_manifest(const std::string& register_path, const Manifest& manifest, const LoadOptions& options = {});

} // namespace estate::importing
