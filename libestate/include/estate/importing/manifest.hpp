#pragma once
/// @file
/// A manifest lists the sources that together make a multi-agency register, each
/// with its profile, plus the postcode lookup and optional boundary they share.
/// `estate load REGISTER MANIFEST` imports them in order (format in docs/).

#include <optional>
#include <string>
#include <vector>

namespace estate::importing {

struct ManifestSource {
    std::string name;    ///< the section's name, e.g. "council"
    std::string file;    ///< absolute, or relative to the manifest's folder when read
    std::optional<std::string> profile, owner, layer;
    std::optional<std::string> series; ///< `series = NAME`: the yearly-return series (import --source)
    bool complete = false;             ///< `complete = yes`: the file is the whole series now
};

struct Manifest {
    std::string origin;
    std::vector<std::string> postcodes; ///< postcode lookup files
    std::optional<std::string> boundary; ///< locations outside it are not used (a warning)
    /// The area's outline for maps (the board paper's): rejects nothing. Default: boundary.
    std::optional<std::string> area_boundary;
    std::optional<std::string> area, partnership; ///< what the register covers, who keeps it
    std::vector<ManifestSource> sources;
};

/// Reads a manifest; relative paths are made relative to its folder. Throws
/// config_error naming the file and line.
Manifest read_manifest(const std::string& path);

} // namespace estate::importing
