#include "support.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace test {

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    root_ = std::filesystem::temp_directory_path() /
            ("estate-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
}

std::string TempDir::path(const std::string& name) const { return (root_ / name).string(); }

std::string trafford(const std::string& name) {
    return std::string(ESTATE_SOURCE_DIR) + "/gis_data/trafford/" + name;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string sh(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

RunResult run_shell(const std::string& command) {
    TempDir tmp;
    std::string out = tmp.path("out"), err = tmp.path("err");
    int status = std::system((command + " >" + out + " 2>" + err + " </dev/null").c_str());
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return {code, read_file(out), read_file(err)};
}

RunResult run_estate(const std::string& args) {
    return run_shell(sh(ESTATE_CLI) + " " + args);
}

} // namespace test
