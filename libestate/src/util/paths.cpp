#include "estate/util/paths.hpp"

#include "estate/error.hpp"

#include "util/sha256.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace estate::util {
namespace {

// The same file, however the two paths name it (links, "./", another case on a
// case-folding file system); false when either does not exist.
bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return std::filesystem::exists(a, ec) && std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

// The same name, whether or not a file is there yet.
bool same_name(const std::string& a, const std::string& b) {
    std::error_code ec1, ec2;
    const auto ca = std::filesystem::weakly_canonical(a, ec1), cb = std::filesystem::weakly_canonical(b, ec2);
    return !ec1 && !ec2 && ca == cb;
}

std::string sha256_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    Sha256 sha;
    std::vector<char> buf(1 << 16);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
        sha.update(reinterpret_cast<const unsigned char*>(buf.data()), static_cast<std::size_t>(in.gcount()));
    return sha.hex_digest();
}

} // namespace

void refuse_overwriting(const std::string& output, const std::string& register_path,
                        const std::vector<std::string>& inputs, const std::string& option,
                        const std::vector<ImportedFile>& imported) {
    for (const char* suffix : {"", "-wal", "-journal", "-shm"})
        if (same_file(output, register_path + suffix) || same_name(output, register_path + suffix))
            throw usage_error(option, output + " is " +
                                          (*suffix ? "the register's " + std::string(suffix + 1) + " file"
                                                   : std::string("the register")) +
                                          " (" + register_path +
                                          "); writing there would destroy it. Nothing was written: choose "
                                          "another file");
    for (const auto& input : inputs)
        if (same_file(output, input))
            throw usage_error(option,
                              output + " is the file being read (" + input +
                                  "); writing there would destroy it. Nothing was written: choose another file");
    std::error_code ec;
    const bool is_file = std::filesystem::is_regular_file(output, ec);
    const std::uint64_t size = is_file ? std::filesystem::file_size(output, ec) : 0;
    std::string digest; // read once, only when a file there has the size of one imported
    for (const auto& file : imported) {
        bool same = same_file(output, file.path) || same_name(output, file.path);
        if (!same && is_file && !ec && size == file.bytes) {
            if (digest.empty()) digest = sha256_of(output);
            same = digest == file.sha256;
        }
        if (same)
            throw usage_error(option, output + " is a file the register imported (" + file.path +
                                          "); writing there would destroy the register's source. Nothing was "
                                          "written: choose another file");
    }
}

} // namespace estate::util
