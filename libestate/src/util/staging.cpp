#include "util/staging.hpp"

#include "estate/error.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <unistd.h>

#include <fcntl.h>
#include <stdio.h>

namespace estate::util {
namespace fs = std::filesystem;

StagingFolder::StagingFolder(const fs::path& destination, std::string_view purpose) {
    const fs::path parent = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    if (!fs::is_directory(parent))
        throw output_error("the folder " + parent.string() + " for " + destination.string() + " does not exist");
    // Folders a killed run left behind (their process is gone) are removed first.
    const std::string prefix = ".estate-" + std::string(purpose) + "-";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string pid_text = name.substr(prefix.size());
        if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
        const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
    }
    // (No extension in the folder's name: GDAL's XLSX driver trips over one.)
    dir_ = parent / (prefix + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directory(dir_);
}

StagingFolder::~StagingFolder() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void StagingFolder::write(const std::string& name, const std::string& text) const {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw error("cannot write " + (dir_ / name).string() + " (is the disk full?)");
}

namespace {
// Flushes @p path to the disk: a full disk or a failing one is found here, before the
// file takes the place of the user's, not after.
void sync_to_disk(const fs::path& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    const bool ok = fd >= 0 && ::fsync(fd) == 0;
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!ok && !(directory && saved == EINVAL)) // some file systems cannot sync a folder
        throw output_error("cannot write " + path.string() + " to the disk (" + std::strerror(saved) +
                           "; is it full?); nothing was put in place");
}
} // namespace

void StagingFolder::sync() const {
    for (const auto& entry : fs::recursive_directory_iterator(dir_))
        if (entry.is_regular_file()) sync_to_disk(entry.path(), false);
    sync_to_disk(dir_, true);
}

std::vector<fs::path> StagingFolder::move_all_into(const fs::path& target_dir) {
    sync();
    std::vector<fs::path> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    if (!fs::exists(target_dir)) {
        // A new folder arrives whole, in one rename: never half a Shapefile.
        fs::rename(dir_, target_dir);
        fs::create_directory(dir_); // for the destructor to remove
        std::vector<fs::path> moved;
        for (const auto& name : names) moved.push_back(target_dir / name);
        return moved;
    }
    std::vector<fs::path> moved;
    for (const auto& name : names) {
        fs::rename(dir_ / name, target_dir / name);
        moved.push_back(target_dir / name);
    }
    return moved;
}

std::vector<fs::path> StagingFolder::replace_folder(const fs::path& target_dir) {
    sync();
    std::vector<fs::path> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    if (!fs::exists(target_dir)) return move_all_into(target_dir);
    std::vector<fs::path> moved;
    for (const auto& name : names) moved.push_back(target_dir / name);
    // An existing folder is swapped whole for this one (renameat2 RENAME_EXCHANGE, one
    // atomic step), never replaced file by file (a new .dbf beside an old .shp). The
    // files of it this export does not write (a user's notes) are hard-linked in first,
    // so they are in both: nothing of theirs is lost whenever a kill comes.
    bool linkable = fs::is_directory(target_dir);
    std::vector<fs::path> others;
    for (const auto& entry : fs::directory_iterator(target_dir)) {
        const auto name = entry.path().filename();
        if (std::binary_search(names.begin(), names.end(), name)) continue;
        if (!entry.is_regular_file()) linkable = false; // a folder or link of theirs: file by file below
        others.push_back(name);
    }
    if (linkable) {
        std::error_code ec;
        for (const auto& name : others) {
            fs::create_hard_link(target_dir / name, dir_ / name, ec);
            if (ec) break;
        }
        if (!ec && ::renameat2(AT_FDCWD, dir_.c_str(), AT_FDCWD, target_dir.c_str(), RENAME_EXCHANGE) == 0)
            return moved;                                            // the old folder is now dir_, removed with it
        for (const auto& name : others) fs::remove(dir_ / name, ec); // not swapped: take the links back
    }
    return move_all_into(target_dir);
}

} // namespace estate::util
