#include "support.hpp"

#include <boost/property_tree/json_parser.hpp>

#include <atomic>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
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

std::string TempDir::path(const std::string& name) const {
    return (root_ / name).string();
}

std::string trafford(const std::string& name) {
    return std::string(ESTATE_SOURCE_DIR) + "/gis_data/trafford/" + name;
}

std::string trafford_register(const TempDir& tmp) {
    namespace fs = std::filesystem;
    const fs::path cache = fs::path(ESTATE_CLI).parent_path() / "test-fixtures" / "trafford.sqlite";
    fs::create_directories(cache.parent_path());
    // One test process builds it while the others (ctest -j) wait.
    const int lock = ::open((cache.string() + ".lock").c_str(), O_CREAT | O_RDWR, 0644);
    if (lock < 0 || ::flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + cache.string());
    auto newest_input = fs::last_write_time(ESTATE_CLI);
    for (const auto& entry : fs::directory_iterator(trafford("")))
        newest_input = std::max(newest_input, entry.last_write_time());
    std::error_code ec;
    if (!fs::exists(cache) || fs::last_write_time(cache) < newest_input) {
        const fs::path building = cache.string() + ".building";
        fs::remove(building, ec);
        auto r = run_estate("load " + sh(building.string()) + " " + sh(trafford("manifest.ini")));
        if (r.exit_code != 0) {
            ::close(lock);
            throw std::runtime_error("estate load of the Trafford manifest failed: " + r.err);
        }
        fs::rename(building, cache);
    }
    const std::string copy = tmp.path("trafford.sqlite");
    fs::copy_file(cache, copy, fs::copy_options::overwrite_existing);
    ::flock(lock, LOCK_UN);
    ::close(lock);
    return copy;
}

Json parse_json(const std::string& text) {
    Json json;
    std::istringstream in(text);
    boost::property_tree::read_json(in, json);
    return json;
}

std::vector<Json> items(const Json& json, const std::string& path) {
    std::vector<Json> out;
    for (const auto& [key, child] : path.empty() ? json : json.get_child(path)) out.push_back(child);
    return out;
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
