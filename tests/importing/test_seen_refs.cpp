#include <catch2/catch.hpp>

#include "importing/seen_refs.hpp"

#include <map>
#include <random>
#include <string>

using estate::importing::RowSignature;
using estate::importing::SeenRefs;

namespace {
// A row naming @p name (nothing else): rows of one name agree.
RowSignature named(const char* name) {
    RowSignature s;
    s.name = RowSignature::text_hash(name);
    return s;
}
std::int64_t first(SeenRefs& seen, const std::string& owner, const std::string& ref, std::int64_t row) {
    return seen.first_row(owner, ref, row, RowSignature{}).row;
}
} // namespace

TEST_CASE("A reference is remembered per owner with the row it first appeared at", "[importing]") {
    SeenRefs seen;
    CHECK(first(seen, "Trafford Council", "A1", 2) == 0);
    CHECK(first(seen, "Trafford Council", "A2", 3) == 0);
    CHECK(first(seen, "GMP", "A1", 4) == 0); // another owner may use the same reference
    CHECK(first(seen, "Trafford Council", "A1", 5) == 2);
    CHECK(first(seen, "GMP", "A1", 6) == 4);
    CHECK(first(seen, "Trafford Council", "a1", 7) == 0); // references are compared exactly
    CHECK(first(seen, "Trafford Council", "", 8) == 0);
    CHECK(first(seen, "Trafford Council", "", 9) == 8);
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
        std::int64_t got = first(seen, owner, ref, row);
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

TEST_CASE("Rows that share a reference agree only when no name address postcode or place differs", "[importing]") {
    SeenRefs seen;
    CHECK(seen.first_row("Council", "N/A-free", 1, named("Central Library")).row == 0);
    auto same = seen.first_row("Council", "N/A-free", 2, named("central  library!"));
    CHECK(same.row == 1);
    CHECK(same.agrees); // case, spaces and punctuation are not a difference
    auto other = seen.first_row("Council", "N/A-free", 3, named("Central Library (new building)"));
    CHECK(other.row == 1);
    CHECK_FALSE(other.agrees);
    // A row that gives less is not a different building: nothing it gives differs.
    CHECK(seen.first_row("Council", "N/A-free", 4, RowSignature{}).agrees);

    RowSignature here = named("Depot");
    here.easting = 380000;
    here.northing = 395000;
    RowSignature near = here, far = here;
    near.easting += 6;   // the same building digitised twice
    far.northing += 400; // another depot
    CHECK(here.agrees_with(near));
    CHECK_FALSE(here.agrees_with(far));
    RowSignature postcode_a = here, postcode_b = here;
    postcode_a.postcode = RowSignature::text_hash("M33 7ZZ");
    postcode_b.postcode = RowSignature::text_hash("M32 0AA");
    CHECK_FALSE(postcode_a.agrees_with(postcode_b));
    CHECK(RowSignature::text_hash("") == 0);
    CHECK(RowSignature::text_hash(" - ") == 0);
}
