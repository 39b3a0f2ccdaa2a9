#include <catch2/catch.hpp>

#include "estate/error.hpp"
#include "support.hpp"
#include "util/staging.hpp"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace {
// Files and folders a user would see in @p dir.
std::vector<std::string> listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}
} // namespace

TEST_CASE("Staged files appear only when complete, and nothing is left behind either way", "[util]") {
    test::TempDir tmp;
    {
        estate::util::StagingFolder staging(tmp.root() / "report.html", "report");
        staging.write("report.html", "<html></html>");
        staging.write("b.txt", "b");
        CHECK(listing(tmp.root()).size() == 1); // only the hidden staging folder so far
        auto moved = staging.move_all_into(tmp.root());
        REQUIRE(moved.size() == 2);
        CHECK(moved[0].filename() == "b.txt");
    }
    CHECK(listing(tmp.root()) == std::vector<std::string>{"b.txt", "report.html"});
    CHECK(test::read_file((tmp.root() / "report.html").string()) == "<html></html>");

    // A failure before the move: the destination is untouched and the folder is gone.
    try {
        estate::util::StagingFolder staging(tmp.root() / "report.html", "report");
        staging.write("report.html", "half");
        throw estate::error("interrupted");
    } catch (const estate::error&) {
    }
    CHECK(listing(tmp.root()) == std::vector<std::string>{"b.txt", "report.html"});
    CHECK(test::read_file((tmp.root() / "report.html").string()) == "<html></html>");

    // A destination in a folder that does not exist is refused before any work.
    CHECK_THROWS_AS(estate::util::StagingFolder(tmp.root() / "missing" / "x.html", "report"), estate::output_error);
}

TEST_CASE("A new export folder appears whole, and folders left by killed runs are cleared", "[util]") {
    test::TempDir tmp;
    // A run killed with -9 left its staging folder (its process is long gone).
    fs::create_directory(tmp.root() / ".estate-export-999999999");
    test::write_file((tmp.root() / ".estate-export-999999999" / "half.dbf").string(), "x");
    fs::create_directory(tmp.root() / ".estate-export-notapid"); // not ours: left alone
    {
        estate::util::StagingFolder staging(tmp.root() / "shp", "export");
        CHECK_FALSE(fs::exists(tmp.root() / ".estate-export-999999999"));
        staging.write("properties.shp", "shp");
        staging.write("properties.dbf", "dbf");
        auto moved = staging.move_all_into(tmp.root() / "shp"); // a new folder: one rename
        CHECK(moved.size() == 2);
    }
    CHECK(listing(tmp.root() / "shp") == std::vector<std::string>{"properties.dbf", "properties.shp"});
    CHECK(listing(tmp.root()) == std::vector<std::string>{".estate-export-notapid", "shp"});
}
