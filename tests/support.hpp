#pragma once
// Shared test helpers: temporary folders, the bundled data, running the CLI.

#include <filesystem>
#include <string>

namespace test {

/// A fresh folder removed when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    std::string path(const std::string& name) const;
    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
};

/// A file of the bundled Trafford data (gis_data/trafford/NAME).
std::string trafford(const std::string& name);
/// Writes @p text to @p path.
void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);

struct RunResult {
    int exit_code;
    std::string out;
    std::string err;
};
/// Runs `estate ARGS` (a shell-quoted string) and captures stdout and stderr.
RunResult run_estate(const std::string& args);
/// Runs any shell command; returns its exit code and stdout.
RunResult run_shell(const std::string& command);
/// Single-quotes @p s for the shell.
std::string sh(const std::string& s);

} // namespace test
