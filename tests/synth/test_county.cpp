#include <catch2/catch.hpp>

#include "estate/synth/county.hpp"

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
