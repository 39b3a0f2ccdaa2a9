#pragma once
/// @file
/// Output files that must never replace what they are made from: a report written
/// over the register, an export over a register named .gpkg, a data-issues report over
/// the source file it describes.

#include <string>
#include <vector>

namespace estate::util {

/// Throws usage_error, before anything is written, when @p output is the register at
/// @p register_path (or its -wal, -journal or -shm file) or one of @p inputs (the same
/// file, by whatever path). @p option is the usage_error's option (the setting that named the output).
void refuse_overwriting(const std::string& output, const std::string& register_path,
                        const std::vector<std::string>& inputs, const std::string& option);

} // namespace estate::util
