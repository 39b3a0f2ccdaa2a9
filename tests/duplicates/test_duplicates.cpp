// One building in several files: found with its evidence, decided by officers, counted
// once by hubs and receipts.

#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/duplicates/duplicates.hpp"
#include "estate/hubs/hubs.hpp"
#include "estate/importing/importer.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

#include <algorithm>

using namespace estate;

namespace {

const duplicates::Group* group_with(const std::vector<duplicates::Group>& groups, const std::string& ref) {
    for (const auto& g : groups)
        for (const auto& m : g.members)
            if (m.ref == ref) return &g;
    return nullptr;
}

} // namespace

TEST_CASE("Trafford: the library in two files is one building, and a hub lists it once", "[duplicates]") {
    test::TempDir tmp;
    const std::string path = tmp.path("t.sqlite");
    auto load = test::run_estate("load " + test::sh(path) + " " + test::sh(test::trafford("manifest.ini")));
    REQUIRE(load.exit_code == 0);
    // The libraries layer's import says it found records the register already had.
    CHECK_THAT(load.err, Catch::Contains("records look like buildings already in the register"));
    auto reg = db::Register::open(path);
    const auto groups = duplicates::find(reg);
    CHECK(groups.size() >= 40);
    // Altrincham Library: the council's asset TMBC0216 and the libraries layer's record.
    const auto* library = group_with(groups, "TMBC0216");
    REQUIRE(library);
    REQUIRE(library->members.size() == 2);
    CHECK(library->counted_once);
    CHECK(library->status == "proposed");
    CHECK(std::find(library->evidence.begin(), library->evidence.end(), "same_name") != library->evidence.end());
    CHECK(*library->members[1].distance_m < 50);
    // Rows of one file are never grouped with each other: the hospital's buildings stay apart.
    for (const auto& g : groups) CHECK(g.members.size() >= 2);
    CHECK_FALSE(group_with(groups, "1FDDF924-AF7A-486F-8CA4-A0BD4F3AB9D3")); // Trafford General's buildings
    // Hubs at 250 m: Altrincham Hospital takes the library once (it listed it twice before).
    hubs::HubOptions o;
    o.radius = 250;
    auto run = hubs::find_hubs(reg, o);
    int library_members = 0;
    for (const auto& h : run.hubs)
        for (const auto& m : h.members)
            for (const auto& d : run.details)
                if (d.id == run.sites.sites[m.site].id) library_members += d.name == "Altrincham Library";
    CHECK(library_members == 1);

    // An officer rejects it: two records again, and never proposed again.
    officers::add_officer(reg, {"Lee", "Trafford Council", true});
    officers::add_officer(reg, {"Ann Smith", "Trafford Council", false}, std::string("Lee"));
    duplicates::decide(reg, library->id, false, "Ann Smith");
    const auto again = duplicates::find(reg);
    CHECK_FALSE(group_with(again, "TMBC0216"));
    const auto all = duplicates::stored(reg, true);
    REQUIRE(group_with(all, "TMBC0216"));
    CHECK(group_with(all, "TMBC0216")->status == "rejected");
    CHECK(group_with(all, "TMBC0216")->decided_by == "Ann Smith");
    // Scope: an officer of another agency may not decide the council's group.
    officers::add_officer(reg, {"Bob Jones", "Greater Manchester Fire and Rescue Service", false}, std::string("Lee"));
    const auto* school = group_with(again, "TMBC0350");
    REQUIRE(school);
    CHECK_THROWS_AS(duplicates::decide(reg, school->id, true, "Bob Jones"), officers::permission_error);
    CHECK_THROWS_WITH(duplicates::decide(reg, 99999, true, "Ann Smith"), Catch::Contains("no duplicate group 99999"));
}

TEST_CASE("Two owners' records of one building count once only when an officer confirms it", "[duplicates]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("council.csv"), "OrganisationLabel,AssetCode,PropertyName,GeoX,GeoY\n"
                                              "Council,C1,Riverside Hub Building,383200,276700\n");
    test::write_file(tmp.path("nhs.csv"), "OrganisationLabel,AssetCode,PropertyName,GeoX,GeoY\n"
                                          "NHS Trust,N1,Riverside Hub Building,383220,276710\n");
    for (const char* f : {"council.csv", "nhs.csv"}) {
        importing::ImportOptions o;
        o.source = tmp.path(f);
        importing::import_source(reg, o);
    }
    auto groups = duplicates::find(reg);
    REQUIRE(groups.size() == 1);
    CHECK_FALSE(groups[0].counted_once); // two owners: proposed, not yet counted once
    CHECK(groups[0].evidence == std::vector<std::string>{"name_within"});
    auto& c = reg.connection();
    auto counted = [&] {
        return *c.scalar_int("SELECT count(*) FROM properties p WHERE " + db::counted_building_condition());
    };
    CHECK(counted() == 2);
    officers::add_officer(reg, {"Lead", "Council", true}); // partnership-wide: may decide for both owners
    duplicates::decide(reg, groups[0].id, true, "Lead");
    CHECK(counted() == 1);
    CHECK(duplicates::stored(reg)[0].status == "confirmed");
    // A later run keeps the decision.
    duplicates::find(reg);
    CHECK(duplicates::stored(reg)[0].status == "confirmed");
}
