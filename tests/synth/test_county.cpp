#include <catch2/catch.hpp>

#include "estate/synth/county.hpp"

#include <algorithm>
#include <set>
#include <sstream>

using namespace estate::synth;

namespace {
std::string county(std::int64_t n, std::uint64_t seed) {
    std::ostringstream out;
    write_county_csv(out, {n, seed, 5000});
    return out.str();
}
} // namespace

TEST_CASE("The same seed gives the same county, byte for byte", "[synth]") {
    CHECK(county(1300, 7) == county(1300, 7));
    CHECK(county(1300, 7) != county(1300, 8));
}

TEST_CASE("The default county has 1,300 properties of 12 or more owners", "[synth]") {
    std::istringstream in(county(1300, 1));
    std::string line;
    std::getline(in, line); // header
    int rows = 0;
    std::set<std::string> owners;
    while (std::getline(in, line)) {
        ++rows;
        owners.insert(line.substr(0, line.find(',')));
    }
    CHECK(rows == 1300);
    CHECK(owners.size() >= 12);
}

TEST_CASE("The county is in Worcestershire and every copy of it is inside the National Grid", "[synth]") {
    // 200 copies of 40 properties each: the most copies the generator makes.
    std::ostringstream out;
    write_county_csv(out, {8000, 3, 40});
    std::istringstream in(out.str());
    std::string line;
    std::getline(in, line); // header
    int row = 0;
    double min_e = 1e9, max_e = -1e9, min_n = 1e9, max_n = -1e9;
    while (std::getline(in, line)) {
        // easting and northing come before the quoted footprint; names have no quotes
        // with commas before them except the address, so read from the end.
        auto quote = line.rfind(",\"POLYGON");
        std::string head = quote == std::string::npos ? line.substr(0, line.size() - 1) : line.substr(0, quote);
        auto last = head.rfind(',');
        auto before = head.rfind(',', last - 1);
        double e = std::stod(head.substr(before + 1, last - before - 1));
        double n = std::stod(head.substr(last + 1));
        if (row < 40) { // the first copy: the real county (Worcestershire's extent, roughly)
            CHECK(e > 340000);
            CHECK(e < 440000);
            CHECK(n > 225000);
            CHECK(n < 305000);
        }
        min_e = std::min(min_e, e);
        max_e = std::max(max_e, e);
        min_n = std::min(min_n, n);
        max_n = std::max(max_n, n);
        ++row;
    }
    CHECK(row == 8000);
    CHECK(min_e >= 0);
    CHECK(max_e <= 700000);
    CHECK(min_n >= 0);
    CHECK(max_n <= 1300000);
}
