#include "estate/util/paths.hpp"

#include "estate/error.hpp"

#include <filesystem>
#include <system_error>

namespace estate::util {
namespace {

// The same file, however the two paths name it (links, "./", another case on a
// case-folding file system); false when either does not exist.
bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return std::filesystem::exists(a, ec) && std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

} // namespace

void refuse_overwriting(const std::string& output, const std::string& register_path,
                        const std::vector<std::string>& inputs, const std::string& option) {
    for (const char* suffix : {"", "-wal", "-journal", "-shm"})
        if (same_file(output, register_path + suffix))
            throw usage_error(option, output + " is " +
                              (*suffix ? "the register's " + std::string(suffix + 1) + " file" : std::string("the register")) +
                              " (" + register_path + "); writing there would destroy it. Nothing was written: choose "
                              "another file");
    for (const auto& input : inputs)
        if (same_file(output, input))
            throw usage_error(option, output + " is the file being read (" + input +
                              "); writing there would destroy it. Nothing was written: choose another file");
}

} // namespace estate::util
