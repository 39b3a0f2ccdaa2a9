#include <catch2/catch.hpp>

#include "estate/model/place.hpp"

using namespace estate::model;

TEST_CASE("A name is given its place when it lacks one, as a planner would say it", "[model]") {
    SECTION("the town from the address, the district from the postcode") {
        const auto p = place_of("Roberts House, 80 Manchester Road, Altrincham", "WA14 4PU");
        CHECK(p.town == "Altrincham");
        CHECK(p.district == "WA14");
        CHECK(name_with_place("Fire station", "", place_of("Market Street, Altrincham", "wa141pf")) ==
              "Fire station, Altrincham (WA14)");
        CHECK(name_with_place("Fire station", "", place_of("", "M33 7ZF")) == "Fire station (M33)");
        CHECK(place_of("Chester Road, High Street", "").town.empty()); // streets are not places
    }
    SECTION("a name that already names its place is left alone") {
        CHECK(name_with_place("Altrincham Town Hall", "Market Street, Altrincham",
                              place_of("Market Street, Altrincham", "WA14 1PF")) == "Altrincham Town Hall");
        // Stretford is in the address, though the post town is Manchester.
        CHECK(name_with_place("Stretford Jobcentre Plus", "Stretford Mall, Chester Road, Stretford, Manchester",
                              place_of("Stretford Mall, Chester Road, Stretford, Manchester", "M32 9ED")) ==
              "Stretford Jobcentre Plus");
        CHECK(name_with_place("Sale WA14 depot", "", place_of("", "WA14 1AA")) == "Sale WA14 depot");
        // Whole words only: "Salem" does not name Sale.
        CHECK(name_with_place("Salem Chapel", "", place_of("1 Hope Street, Sale", "")) == "Salem Chapel, Sale");
        CHECK(name_with_place("Depot", "", Place{}) == "Depot");
    }
    SECTION("two of one name in a list are told apart by address, else reference") {
        const auto out = distinguish({"Chapel Road", "Chapel Road", "Library"}, {"12 Chapel Road, Sale", "", ""},
                                     {"A1", "B7", "C3"});
        CHECK(out == std::vector<std::string>{"Chapel Road (12 Chapel Road, Sale)", "Chapel Road (ref B7)", "Library"});
    }
}
