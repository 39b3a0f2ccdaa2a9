// One building, one status: a tag on any record of a building (a duplicate group counted
// once) tags the building, within the officer's agency; the analyses count the
// building at its latest tag.

#include <catch2/catch.hpp>

#include "estate/db/register.hpp"
#include "estate/facts/facts.hpp"
#include "support.hpp"

#include <algorithm>

using namespace estate;
using test::run_estate;
using test::sh;

namespace {

std::string status_of(const std::string& reg, const std::string& property) {
    auto r = run_estate("show " + sh(reg) + " " + sh(property) + " --json");
    REQUIRE(r.exit_code == 0);
    const auto shown = test::items(test::parse_json(r.out));
    REQUIRE(shown.size() == 1);
    return shown[0].get<std::string>("rag_status");
}

/// The status the analyses count the building holding record @p id at.
model::Rag counted_status(const std::string& path, std::int64_t id) {
    auto reg = db::Register::open(path, true);
    for (const auto& b : facts::read_all(reg, {}))
        if (b.id == id || std::count(b.other_records.begin(), b.other_records.end(), id)) return b.status;
    FAIL("record " << id << " is in no building");
    return model::Rag::unassessed;
}

bool counted_by_receipts(const std::string& reg, const std::string& name) {
    auto r = run_estate("receipts " + sh(reg) + " --runs 0 --json");
    REQUIRE(r.exit_code == 0);
    for (const auto& p : test::items(test::parse_json(r.out), "properties"))
        if (p.get<std::string>("name") == name) return true;
    return false;
}

} // namespace

TEST_CASE("Tagging either record of Stretford Library tags the building", "[rag][facts][cli]") {
    test::TempDir tmp;
    const std::string reg = test::trafford_register(tmp);
    REQUIRE(run_estate("officers add " + sh(reg) + " 'Ann Smith' --agency 'Trafford Council'").exit_code == 0);
    REQUIRE(run_estate("rag set " + sh(reg) +
                       " TMBC0223/J0000022 green --reason 'Surplus after the move' --by "
                       "'Ann Smith'")
                .exit_code == 0);
    CHECK(status_of(reg, "Stretford Library") == "green"); // the libraries layer's record
    // Shown once with its other record named, told apart by reference and address.
    CHECK_THAT(run_estate("show " + sh(reg) + " TMBC0223/J0000022").out,
               Catch::Contains("also listed as    Trafford Council Stretford Library (Stretford Library, Kingsway, "
                               "Stretford, id"));
    CHECK(counted_by_receipts(reg, "Stretford Library"));

    // The libraries layer's record tagged red: the council's record follows, one change.
    auto r = run_estate("rag set " + sh(reg) +
                        " 'Stretford Library' red --reason 'Library stays' --by 'Ann Smith' "
                        "--json");
    REQUIRE(r.exit_code == 0);
    const auto json = test::parse_json(r.out);
    CHECK(json.get<std::string>("new_status") == "red");
    REQUIRE(test::items(json, "also_tagged").size() == 1);
    CHECK(test::items(json, "also_tagged")[0].get_value<std::string>() == "Trafford Council TMBC0223/J0000022");
    CHECK_THAT(r.err, Catch::Contains("and Trafford Council TMBC0223/J0000022, a record of the same building"));
    CHECK(status_of(reg, "TMBC0223/J0000022") == "red");
    CHECK_FALSE(counted_by_receipts(reg, "Stretford Library"));
    // Each record's history says which record the tag was given on.
    auto history = run_estate("rag history " + sh(reg) + " TMBC0223/J0000022 --json");
    REQUIRE(history.exit_code == 0);
    CHECK_THAT(history.out,
               Catch::Contains("Library stays (tagged with the same building's record Trafford Council Stretford "
                               "Library)"));
    // The same again changes nothing on either record.
    auto again = run_estate("rag set " + sh(reg) +
                            " 'Stretford Library' red --reason 'Library stays' --by 'Ann "
                            "Smith' --json");
    CHECK(test::parse_json(again.out).get<std::string>("changed") == "false");
}

TEST_CASE("A building of two agencies: each tags its own record, the analyses count the latest", "[rag][facts][cli]") {
    test::TempDir tmp;
    const std::string reg = test::trafford_register(tmp);
    for (const auto& add : {"'Programme Team' --agency 'Trafford Council' --partnership-wide",
                            "'Ann Smith' --agency 'Trafford Council' --by 'Programme Team'",
                            "'Ben Jones' --agency 'Bright Futures Educational Trust' --by 'Programme Team'"})
        REQUIRE(run_estate("officers add " + sh(reg) + " " + add).exit_code == 0);
    // Elmridge Primary School is in the council's list and the trust's schools layer.
    auto groups = run_estate("duplicates " + sh(reg) + " --json");
    std::string group;
    std::int64_t council = 0, trust = 0;
    for (const auto& g : test::items(test::parse_json(groups.out), "groups")) {
        const auto members = test::items(g, "members");
        if (members.size() == 2 && members[0].get<std::string>("name") == "Elmridge Primary School" &&
            members[0].get<std::string>("owner") != members[1].get<std::string>("owner")) {
            group = g.get<std::string>("id");
            for (const auto& m : members)
                (m.get<std::string>("owner") == "Trafford Council" ? council : trust) = m.get<std::int64_t>("id");
        }
    }
    REQUIRE_FALSE(group.empty());
    REQUIRE(run_estate("duplicates confirm " + sh(reg) + " " + group + " --by 'Programme Team'").exit_code == 0);

    auto r = run_estate("rag set " + sh(reg) + " " + std::to_string(council) +
                        " amber --reason 'Falling rolls' --by 'Ann Smith' --json");
    REQUIRE(r.exit_code == 0);
    CHECK(test::items(test::parse_json(r.out), "also_tagged").empty());
    REQUIRE(test::items(test::parse_json(r.out), "not_reached").size() == 1);
    CHECK_THAT(r.err, Catch::Contains("another agency's, for its officers to tag"));
    CHECK(status_of(reg, std::to_string(trust)) == "unassessed"); // the trust's record is the trust's to tag
    CHECK(counted_status(reg, council) == model::Rag::amber);     // the building: its latest tag

    REQUIRE(run_estate("rag set " + sh(reg) + " " + std::to_string(trust) +
                       " red --reason 'Academy keeps the site' --by 'Ben Jones'")
                .exit_code == 0);
    CHECK(status_of(reg, std::to_string(council)) == "amber");
    CHECK(counted_status(reg, council) == model::Rag::red);
}
