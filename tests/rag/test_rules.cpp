#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "estate/rag/rules.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

#include <map>

using namespace estate;

namespace {

// One property for each default rule, and one no rule matches.
std::string make_register(const test::TempDir& tmp) {
    std::string path = tmp.path("r.sqlite");
    auto reg = db::Register::create(path);
    test::write_file(
        tmp.path("p.csv"),
        "owner,sector,ref,name,use,tenure,occupancy,gia_m2,running_cost,utilisation,easting,northing\n"
        "Worcester City Council,local_government,C1,Astwood Cemetery,crematorium_cemetery,freehold,,,,,385000,254800\n"
        "Hereford & Worcester Fire and Rescue Service,fire_and_rescue,F1,Worcester Fire "
        "Station,fire_station,freehold,Occupied,900,40000,,385100,254900\n"
        "Hereford & Worcester Fire and Rescue Service,fire_and_rescue,F2,Old Fire "
        "Station,fire_station,freehold,Vacant,500,10000,,385200,254900\n"
        "West Mercia Police,police,P1,Police Offices,office,leasehold in,Occupied,1000,50000,,385300,254900\n"
        "Worcester City Council,local_government,O1,Guildhall "
        "Annex,office,freehold,Occupied,1000,150000,0.3,385400,254900\n"
        "Worcester City Council,local_government,O2,Orchard "
        "House,office,freehold,Occupied,1000,50000,0.9,385500,254900\n");
    importing::ImportOptions o;
    o.source = tmp.path("p.csv");
    o.profile = "synthetic-county";
    importing::import_source(reg, o);
    return path;
}

std::string status_of(db::Register& reg, const std::string& ref) {
    return *reg.connection().scalar_text("SELECT rag_status FROM properties WHERE ref = '" + ref + "'");
}

} // namespace

TEST_CASE("The default rules suggest what the domain expects, and say why", "[rag][rules]") {
    test::TempDir tmp;
    auto reg = db::Register::open(make_register(tmp));
    auto list = rag::suggest(reg, rag::default_rules());
    std::map<std::string, std::string> rule_of;
    for (const auto& s : list) rule_of[s.property.ref] = s.rule + ":" + s.status;
    CHECK(rule_of["C1"] == "crematoria-and-cemeteries:red");
    CHECK(rule_of["F1"] == "operational-emergency-stations:red");
    CHECK(rule_of["F2"] == "vacant-freehold:green"); // a vacant station is not operational
    CHECK(rule_of["P1"] == "leasehold-in:amber");
    CHECK(rule_of["O1"] == "costly-and-underused:amber"); // 150 pounds per m2, 30% used
    CHECK(rule_of.count("O2") == 0);
    CHECK(status_of(reg, "C1") == "unassessed"); // suggest changes nothing
}

TEST_CASE("apply-rules never overwrites a person's tag and reports the conflict", "[rag][rules]") {
    test::TempDir tmp;
    auto reg = db::Register::open(make_register(tmp));
    officers::add_officer(reg, {"Lee", "Worcester City Council", true});
    officers::add_officer(reg, {"Ann", "Worcester City Council", false}, std::string("Lee"));
    rag::set_status(
        reg, {"C1", "green", "Cemetery closed; land sale agreed with the diocese", "Ann", std::nullopt, std::nullopt});
    auto r = rag::apply_rules(reg, rag::default_rules(), "Lee");
    CHECK(r.applied == 4);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].property.ref == "C1");
    CHECK(status_of(reg, "C1") == "green");
    CHECK(status_of(reg, "F1") == "red");
    auto h = rag::history(reg, std::string("F1"));
    REQUIRE(h.size() == 1);
    CHECK(h[0].changed_by == "rule: operational-emergency-stations, run by Lee");
    CHECK(h[0].source == "rule");
    // Again: nothing new.
    auto again = rag::apply_rules(reg, rag::default_rules(), "Lee");
    CHECK(again.applied == 0);
    CHECK(again.unchanged == 4);
    // A rule may revise what a rule set before.
    test::write_file(tmp.path("mine.ini"), "[rule all-fire-amber]\nwhen = use = fire_station\nstatus = amber\n"
                                           "reason = Fire cover review under way\n");
    auto revised = rag::apply_rules(reg, rag::read_rules(tmp.path("mine.ini")), "Lee");
    CHECK(revised.applied == 2);
    CHECK(status_of(reg, "F1") == "amber");
}

TEST_CASE("Rules run for a named officer, within that officer's scope", "[rag][rules]") {
    test::TempDir tmp;
    auto reg = db::Register::open(make_register(tmp));
    // Nobody registered: the rules do not run.
    CHECK_THROWS_AS(rag::apply_rules(reg, rag::default_rules(), "Anyone"), officers::permission_error);
    officers::add_officer(reg, {"Lee", "Worcester City Council", true});
    // After the first officer, only a partnership-wide one adds or changes officers.
    CHECK_THROWS_AS(officers::add_officer(reg, {"Ann", "Worcester City Council", true}), officers::permission_error);
    officers::add_officer(reg, {"Ann", "Worcester City Council", false}, std::string("Lee"));
    CHECK_THROWS_AS(officers::add_officer(reg, {"Ann", "Worcester City Council", true}, std::string("Ann")),
                    officers::permission_error); // nobody widens their own scope
    const auto all = rag::suggest(reg, rag::default_rules());
    const auto ann = rag::apply_rules(reg, rag::default_rules(), "Ann");
    auto& c = reg.connection();
    CHECK(*c.scalar_int("SELECT count(*) FROM properties p JOIN owners o ON o.id = p.owner_id WHERE rag_source = "
                        "'rule' AND o.name <> 'Worcester City Council'") == 0);
    CHECK(ann.applied + ann.out_of_scope == static_cast<std::int64_t>(all.size()));
    CHECK(ann.out_of_scope > 0);
}

TEST_CASE("A rules file with a mistake is refused with its line", "[rag][rules]") {
    CHECK_THROWS_WITH(rag::parse_rules("[rule x]\nwhen = use ~ school\nstatus = red\nreason = r\n", "my.ini"),
                      Catch::Contains("my.ini line 2") && Catch::Contains("operator"));
    CHECK_THROWS_WITH(rag::parse_rules("[rule x]\nwhen = use = school\nstatus = purple\nreason = r\n", "my.ini"),
                      Catch::Contains("line 3"));
    CHECK_THROWS_WITH(rag::parse_rules("[rule x]\nwhen = use = school\n", "my.ini"),
                      Catch::Contains("needs when, status and reason"));
}
