#include "estate/report/pdf.hpp"

#include "estate/error.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace estate::report {
namespace fs = std::filesystem;

std::string find_chromium() {
    if (const char* env = std::getenv("ESTATE_CHROMIUM"); env && *env) return env;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');)
        for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
            const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        }
    return "";
}

namespace {
// A PDF ends with its trailer's "%%EOF" (a browser that met a full disk may exit 0 with
// the file cut short); flushed to the disk before it takes the place of the user's file.
bool whole_pdf(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char tail[1024] = {};
    const off_t size = ::lseek(fd, 0, SEEK_END);
    const off_t from = size > static_cast<off_t>(sizeof tail) ? size - static_cast<off_t>(sizeof tail) : 0;
    const ssize_t n = ::pread(fd, tail, sizeof tail, from);
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced && n > 0 && std::string_view(tail, static_cast<size_t>(n)).find("%%EOF") != std::string_view::npos;
}
} // namespace

void print_pdf(const std::string& html_path, const std::string& pdf_path) {
    const std::string browser = find_chromium();
    if (browser.empty())
        throw error("cannot print " + pdf_path +
                    ": no chromium found; install it (apt-get install chromium) or set "
                    "ESTATE_CHROMIUM to a Chromium or Chrome binary");
    const fs::path out = fs::absolute(pdf_path);
    const fs::path partial = out.parent_path() / ("." + out.filename().string() + ".partial");
    // A profile of its own, so that a browser the user has open is never disturbed.
    std::string profile_template = (fs::temp_directory_path() / "estate-pdf-XXXXXX").string();
    if (!::mkdtemp(profile_template.data())) throw error("cannot make a temporary folder to print " + pdf_path);
    const fs::path profile(profile_template);
    std::vector<std::string> args = {browser,
                                     "--headless",
                                     "--disable-gpu",
                                     "--no-first-run",
                                     "--disable-extensions",
                                     "--hide-scrollbars",
                                     "--no-pdf-header-footer",
                                     "--user-data-dir=" + profile.string(),
                                     "--print-to-pdf=" + partial.string(),
                                     "file://" + fs::absolute(html_path).string()};
    if (::geteuid() == 0) args.insert(args.begin() + 1, "--no-sandbox"); // Chromium refuses root otherwise
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The browser's chatter goes to a log, shown only when it fails.
    const fs::path log = profile / "chromium.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, browser.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    auto cleanup = [&] {
        std::error_code ec;
        fs::remove(partial, ec);
        fs::remove_all(profile, ec);
    };
    if (spawned != 0) {
        cleanup();
        throw error("cannot run " + browser + " to print " + pdf_path);
    }
    int status = 0;
    bool finished = false;
    for (int waited = 0; waited < 1800 && !finished; ++waited) { // three minutes
        finished = ::waitpid(pid, &status, WNOHANG) == pid;
        if (!finished) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!finished) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    std::error_code ec;
    const bool printed = finished && WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::file_size(partial, ec) > 0;
    if (printed && !whole_pdf(partial)) {
        cleanup();
        throw output_error("printing " + pdf_path +
                           " left a cut-off file (is the disk full?); nothing was put in its place");
    }
    if (!printed) {
        std::ifstream in(log);
        std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (said.size() > 600) said = said.substr(said.size() - 600);
        cleanup();
        throw error("printing " + pdf_path + " with " + browser + (finished ? " failed" : " took over three minutes") +
                    (said.empty() ? std::string() : ": " + said));
    }
    fs::rename(partial, out, ec);
    if (ec) {
        cleanup();
        throw error("cannot put the PDF in place at " + pdf_path + ": " + ec.message());
    }
    cleanup();
}

} // namespace estate::report
