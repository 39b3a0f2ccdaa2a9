#pragma once
// Private: files written in a hidden folder beside their destination and moved into
// place only once all of them are complete, so that a failure, Ctrl-C or a kill never
// leaves a half-written export or report where a user would open it. The folder is
// removed whatever happens.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace estate::util {

class StagingFolder {
public:
    /// A fresh folder ".estate-PURPOSE-PID" beside @p destination (a file or a folder);
    /// such folders left by killed runs (whose process is gone) are removed first.
    /// Throws usage_error when the folder that is to hold the destination does not exist.
    StagingFolder(const std::filesystem::path& destination, std::string_view purpose);
    ~StagingFolder();
    StagingFolder(const StagingFolder&) = delete;
    StagingFolder& operator=(const StagingFolder&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    /// Writes @p text to the file @p name in the folder.
    void write(const std::string& name, const std::string& text) const;
    /// Flushes every file written here to the disk (move_all_into and replace_folder do it
    /// first); throws output_error naming the file when the disk refuses.
    void sync() const;
    /// Moves every file written here into @p target_dir, in name order; returns where
    /// they now are. A @p target_dir that does not exist yet is made by renaming this
    /// folder: it appears whole or not at all.
    std::vector<std::filesystem::path> move_all_into(const std::filesystem::path& target_dir);
    /// For an output that is a folder of its own (a Shapefile export): the same, but an
    /// existing @p target_dir is swapped whole for this one in one atomic step, its other
    /// files (not written here) kept in it; where the file system cannot swap folders,
    /// or the folder holds folders of its own, file by file as move_all_into.
    std::vector<std::filesystem::path> replace_folder(const std::filesystem::path& target_dir);

private:
    std::filesystem::path dir_;
};

} // namespace estate::util
