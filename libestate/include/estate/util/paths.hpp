#pragma once
/// @file
/// Output files that must never replace what they are made from: a report written
/// over the register, an export over a register named .gpkg, a data-issues report over
/// the source file it describes.

#include <cstdint>
#include <string>
#include <vector>

namespace estate::util {

/// A file the register imported, as its import batch recorded it.
struct ImportedFile {
    std::string path, sha256;
    std::uint64_t bytes = 0;
};

/// Throws usage_error, before anything is written, when @p output is the register at
/// @p register_path or names one of its -wal, -journal or -shm files (whether there now
/// or not: a -journal made by an export would stop the register opening), one of
/// @p inputs (the same file, by whatever path), or a file the register imported
/// (@p imported: by its recorded path, or by content when a file there has its size and
/// SHA-256). @p option is the usage_error's option (the setting that named the output).
void refuse_overwriting(const std::string& output, const std::string& register_path,
                        const std::vector<std::string>& inputs, const std::string& option,
                        const std::vector<ImportedFile>& imported = {});

} // namespace estate::util
