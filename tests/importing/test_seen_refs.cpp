#include <catch2/catch.hpp>

#include "importing/seen_refs.hpp"

#include <map>
#include <random>
#include <string>

using estate::importing::SeenRefs;

TEST_CASE("A reference is remembered per owner with the row it first appeared at", "[importing]") {
    SeenRefs seen;
    CHECK(seen.first_row("Trafford Council", "A1", 2) == 0);
    CHECK(seen.first_row("Trafford Council", "A2", 3) == 0);
    CHECK(seen.first_row("GMP", "A1", 4) == 0); // another owner may use the same reference
    CHECK(seen.first_row("Trafford Council", "A1", 5) == 2);
    CHECK(seen.first_row("GMP", "A1", 6) == 4);
    CHECK(seen.first_row("Trafford Council", "a1", 7) == 0); // references are compared exactly
    CHECK(seen.first_row("Trafford Council", "", 8) == 0);
    CHECK(seen.first_row("Trafford Council", "", 9) == 8);
    CHECK(seen.size() == 5);
}

TEST_CASE("SeenRefs agrees with a map over a million-like mix of owners and references", "[importing]") {
    // Owners interleaved, references that share prefixes, duplicates scattered: the
    // table grows many times and must never lose or confuse an entry.
    std::mt19937_64 rng(3);
    SeenRefs seen;
    std::map<std::pair<std::string, std::string>, std::int64_t> expected;
    const char* owners[] = {"Worcestershire County Council", "West Mercia Police", "NHS", ""};
    int duplicates = 0;
    for (std::int64_t row = 1; row <= 200000; ++row) {
        std::string owner = owners[rng() % 4];
        std::string ref = "SYN" + std::to_string(rng() % 150000);
        auto [it, fresh] = expected.emplace(std::pair{owner, ref}, row);
        std::int64_t got = seen.first_row(owner, ref, row);
        if (fresh) {
            REQUIRE(got == 0);
        } else {
            REQUIRE(got == it->second);
            ++duplicates;
        }
    }
    CHECK(seen.size() == expected.size());
    CHECK(duplicates > 10000);
}
