#include <catch2/catch.hpp>

#include "estate/io/source.hpp"
#include "estate/synth/county.hpp"
#include "io/csv_records.hpp"
#include "support.hpp"

#include <cpl_vsi.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace estate;

namespace {

struct Read {
    std::vector<std::string> headers;
    std::vector<io::SourceRow> rows;
    bool plain = false;
};

Read read_all(const std::string& path, bool plain_csv) {
    io::SourceReader reader(path, std::nullopt, plain_csv);
    Read r;
    r.headers = reader.headers();
    r.plain = reader.reads_plain_csv();
    io::SourceRow row;
    while (reader.next(row)) r.rows.push_back(row);
    return r;
}

// A file's values with each NUL byte as a space.
std::vector<std::string> nul_as_space(std::vector<std::string> values) {
    for (auto& v : values) std::replace(v.begin(), v.end(), '\0', ' ');
    return values;
}

// The plain-CSV path gives exactly the rows OGR's CSV driver gives. Except at a NUL
// byte: the driver reads C strings and loses the rest of the line after one, where the
// plain path keeps it (the import then warns, control_characters): there the driver is
// given the file with a space for each NUL.
void same_rows(const std::string& path, bool expect_plain) {
    INFO(path);
    std::string ogr_path = path;
    if (std::string text = test::read_file(path); text.find('\0') != std::string::npos) {
        std::replace(text.begin(), text.end(), '\0', ' ');
        ogr_path = path + ".nul-as-space.csv";
        test::write_file(ogr_path, text);
    }
    Read fast = read_all(path, true), ogr = read_all(ogr_path, false);
    for (auto& row : fast.rows) row.values = nul_as_space(row.values);
    // The count a progress display uses is the number of records read, both ways.
    CHECK(io::SourceReader(path, std::nullopt, true).count() == static_cast<std::int64_t>(ogr.rows.size()));
    CHECK(io::SourceReader(ogr_path, std::nullopt, false).count() == static_cast<std::int64_t>(ogr.rows.size()));
    CHECK(fast.plain == expect_plain);
    CHECK_FALSE(ogr.plain);
    CHECK(fast.headers == ogr.headers);
    // Where the driver lets a stray quote swallow the lines after it, the plain path
    // gives a malformed record and reads on: the rows agree up to there.
    auto bad =
        std::find_if(fast.rows.begin(), fast.rows.end(), [](const io::SourceRow& r) { return !r.malformed.empty(); });
    if (bad != fast.rows.end()) {
        const auto agree = static_cast<size_t>(bad - fast.rows.begin());
        REQUIRE(ogr.rows.size() >= agree);
        for (size_t i = 0; i < agree; ++i) CHECK(fast.rows[i].values == ogr.rows[i].values);
        return;
    }
    REQUIRE(fast.rows.size() == ogr.rows.size());
    for (size_t i = 0; i < fast.rows.size(); ++i) {
        INFO("record " << i + 1);
        CHECK(fast.rows[i].number == ogr.rows[i].number);
        CHECK(fast.rows[i].values == ogr.rows[i].values);
        CHECK(fast.rows[i].geometry_wkb == ogr.rows[i].geometry_wkb);
    }
}

} // namespace

TEST_CASE("A plain CSV file reads the same by GDAL's CSV tokenizer as through OGR features", "[io]") {
    test::TempDir tmp;
    const std::vector<std::pair<std::string, std::string>> plain = {
        {"crlf.csv", "ref,name,value\r\nA1,Town Hall,100\r\nA2,Library,\r\n"},
        {"bom.csv", "\xEF\xBB\xBFref,name\nA1,x\n"},
        {"quotes.csv", "ref,name,address\nA1,\"Hall, The\",\"1 \"\"Main\"\" St\"\n"
                       "A2,\"two\nlines\",\"crlf\r\ninside\"\nA3,ab\"c,d\"e,\"\"\n"},
        {"blank_lines.csv", "ref,name\nA1,x\n\nA2,y\n   \n\n"},
        {"ragged.csv", "ref,name,value\nA1\nA2,y,1,extra,more\nA3,z,\nA4,,,\n"},
        {"backslash.csv", "ref,name\nA1,a\\\"b\"\nA2,c\n"},
        {"unbalanced.csv", "ref,name\nA1,x\nA2,\"never closed\nA3,z\n"},
        {"quoted_header.csv", "\"ref\",\"asset name\",value\nA1,x,1\n"},
        {"duplicate_header.csv", "ref,name,name\nA1,x,y\n"}, // kept as the file says
        {"no_final_newline.csv", "ref,name\nA1,x"},
    };
    for (const auto& [name, text] : plain) {
        test::write_file(tmp.path(name), text);
        same_rows(tmp.path(name), true);
    }
    // Not plain: these go through OGR (and so read exactly as before).
    const std::vector<std::pair<std::string, std::string>> not_plain = {
        {"semicolon.csv", "ref;name;value\nA1;x;1\n"},
        {"numeric_header.csv", "1,2,3\n4,5,6\n"},
        {"wkt.csv", "ref,WKT\nA1,\"POINT (1 2)\"\n"},
        {"spaces.csv", "ref, name ,value\n A1 , x ,  1\n"}, // the driver trims column names
    };
    for (const auto& [name, text] : not_plain) {
        test::write_file(tmp.path(name), text);
        same_rows(tmp.path(name), false);
    }
}

TEST_CASE("The bundled CSV files and the synthetic county read the same both ways", "[io]") {
    for (const char* name :
         {"trafford_land_and_building_assets.csv", "trafford_jobcentreplus.csv", "trafford_libraries.csv"})
        same_rows(test::trafford(name), true);
    test::TempDir tmp;
    {
        std::ofstream out(tmp.path("county.csv"));
        synth::write_county_csv(out, {3000, 5, 5000});
    }
    same_rows(tmp.path("county.csv"), true);
}

namespace {
// A random CSV body from the pieces that make CSV hard: separators, quotes single and
// doubled, every kind of line end, blanks, NUL bytes, byte-order marks, UTF-8.
std::string random_csv(std::mt19937& rng) {
    static const std::vector<std::string> pieces = {"x",
                                                    "y",
                                                    "12",
                                                    ",",
                                                    ",",
                                                    "\"",
                                                    "\"\"",
                                                    "\n",
                                                    "\r",
                                                    "\r\n",
                                                    "\n\r",
                                                    " ",
                                                    std::string(1, '\0'),
                                                    "\xEF\xBB\xBF",
                                                    "\xC2\xA3"};
    std::string text = "a,b,c\n";
    for (int n = static_cast<int>(rng() % 40); n > 0; --n) text += pieces[rng() % pieces.size()];
    return text;
}

std::vector<std::vector<std::string>> all_records(const std::string& path, size_t block) {
    VSILFILE* fp = VSIFOpenL(path.c_str(), "rb");
    REQUIRE(fp);
    io::CsvRecords records(fp, block);
    std::vector<std::vector<std::string>> out;
    std::vector<std::string> values(5);
    while (records.next(values, 10000000)) out.push_back(values);
    VSIFCloseL(fp);
    return out;
}
} // namespace

TEST_CASE("Random CSV files read the same by the plain path as through OGR", "[io][slow]") {
    std::mt19937 rng(11);
    test::TempDir tmp;
    for (int trial = 0; trial < 1500; ++trial) {
        const std::string path = tmp.path("r" + std::to_string(trial) + ".csv");
        test::write_file(path, random_csv(rng));
        same_rows(path, true);
    }
}

TEST_CASE("CSV records read the same whatever the size of the blocks read", "[io]") {
    // Line ends, quotes and byte-order marks split across block boundaries.
    std::mt19937 rng(12);
    test::TempDir tmp;
    for (int trial = 0; trial < 300; ++trial) {
        const std::string path = tmp.path("b" + std::to_string(trial) + ".csv");
        test::write_file(path, random_csv(rng));
        const auto whole = all_records(path, 1 << 20);
        for (size_t block : {1, 2, 3, 5, 8}) CHECK(all_records(path, block) == whole);
    }
}

TEST_CASE("One stray quote anywhere in the Trafford file costs its row, never the rows after it", "[io][slow]") {
    const std::string clean_path =
        std::string(ESTATE_SOURCE_DIR) + "/gis_data/trafford/trafford_land_and_building_assets.csv";
    const Read clean = read_all(clean_path, true);
    REQUIRE(clean.rows.size() == 608);
    std::string text = test::read_file(clean_path);
    // Where each line starts (the header is line 0).
    std::vector<size_t> starts = {0};
    for (size_t i = 0; i + 1 < text.size(); ++i)
        if (text[i] == '\n') starts.push_back(i + 1);
    REQUIRE(starts.size() >= 609);
    test::TempDir tmp;
    size_t positions = 0;
    for (size_t line = 1; line <= 608; ++line) {
        // A quote at the end of the line (before its line end), and one at its start.
        size_t end = text.find('\n', starts[line]);
        if (end == std::string::npos) end = text.size();
        if (end > starts[line] && text[end - 1] == '\r') --end;
        for (size_t at : {end, starts[line]}) {
            std::string damaged = text;
            damaged.insert(at, "\"");
            const std::string path = tmp.path("stray.csv");
            test::write_file(path, damaged);
            const Read r = read_all(path, true);
            INFO("a stray quote at byte " << at << ", line " << line + 1 << " of the file");
            ++positions;
            REQUIRE(r.rows.size() == 608); // every record once: read = stored + rejected
            size_t malformed = 0;
            for (size_t i = 0; i < r.rows.size(); ++i) {
                if (!r.rows[i].malformed.empty()) {
                    ++malformed;
                    CHECK(r.rows[i].number == static_cast<std::int64_t>(line)); // the damaged row, nothing else
                    CHECK(r.rows[i].line == static_cast<std::int64_t>(line + 1));
                    CHECK(r.rows[i].raw.find('"') != std::string::npos);
                } else {
                    CHECK(r.rows[i].values == clean.rows[i].values);
                }
            }
            CHECK(malformed <= 1); // a quote that still makes a record of the right shape is read as the driver does
        }
    }
    CHECK(positions == 2 * 608);
}
