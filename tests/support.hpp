#pragma once
// Shared test helpers: temporary folders, the bundled data, running the CLI.

#include <boost/property_tree/ptree.hpp>

#include <filesystem>
#include <string>
#include <vector>

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
/// A copy, in @p tmp, of the bundled Trafford register (`estate load` of its manifest):
/// built once and kept beside the test program (remade when the program or the data
/// is newer), so that each test that reads or changes it starts from the same register
/// without loading the files again.
std::string trafford_register(const TempDir& tmp);

/// JSON as read by Boost.PropertyTree: every value as text ("null", "true" too), an
/// array's items as children with empty names. For checking meaning, not layout.
using Json = boost::property_tree::ptree;
/// Parses @p text; throws (failing the test) when it is not JSON.
Json parse_json(const std::string& text);
/// The items of an array (or of @p json itself when @p path is empty).
std::vector<Json> items(const Json& json, const std::string& path = "");

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
