#include <catch2/catch.hpp>

#include <string>

// CTest runs each test case by name (catch_discover_tests), and CMake splits a name at
// ';': the pieces match no test, so CTest would report a test "passed" that never ran
// (three did, until commit 11638af of 2026-11-27). Every name must survive the trip.
TEST_CASE("Every test case's name can be run by CTest", "[meta]") {
    const auto& tests = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
    REQUIRE(tests.size() > 50);
    for (const auto& test : tests) {
        const std::string& name = test.getTestCaseInfo().name;
        INFO(name);
        CHECK(name.find(';') == std::string::npos);
        CHECK(name.find('[') == std::string::npos); // Catch would read it as a tag filter
        CHECK(name.front() != ' ');
        CHECK(name.back() != ' ');
    }
}
