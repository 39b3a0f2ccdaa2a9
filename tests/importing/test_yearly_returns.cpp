// Yearly returns: a council's asset list imported year after year, renumbered between
// years, with properties sold and bought: the register holds the current estate, each
// property once, and keeps what left it.

#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/hubs/sites.hpp"
#include "estate/importing/importer.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

using namespace estate;

namespace {

const char* header = "OrganisationLabel,AssetCode,UPRN,PropertyName,GeoX,GeoY\n";

importing::ImportSummary import(db::Register& reg, const std::string& path, bool complete) {
    importing::ImportOptions o;
    o.source = path;
    o.complete = complete;
    o.confirmed = true; // these series are small: a sold building is more than 10% of them
    return importing::import_source(reg, o);
}

std::int64_t count(db::Register& reg, const std::string& sql) {
    return *reg.connection().scalar_int(sql);
}

} // namespace

TEST_CASE("A complete yearly return: renumbered, sold and new properties, and a property coming back",
          "[import][yearly]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("2024.csv"),
                     std::string(header) + "Wyre Forest District Council,A1,100120000001,Town Hall,383200,276700\n"
                                           "Wyre Forest District Council,A2,100120000002,Depot,381900,277900\n"
                                           "Wyre Forest District Council,A3,100120000003,Old Library,383000,276000\n"
                                           "Wyre Forest District Council,A4,,Land off Stourport Road,381000,271900\n");
    auto y1 = import(reg, tmp.path("2024.csv"), true);
    CHECK(y1.inserted == 4);
    CHECK(y1.retired == 0);
    REQUIRE(y1.series == std::vector<std::string>{"transparency-code / Wyre Forest District Council"});
    // An officer tags the town hall; its status and history must stay with the building.
    officers::add_officer(reg, {"Ann Smith", "Wyre Forest District Council", false});
    rag::set_status(reg, {"A1", "green", "Services move to the hub", "Ann Smith", std::nullopt, std::nullopt});

    // 2025: the council renumbered its codes (A1 -> WF-0001, A2 -> WF-0002), sold the old
    // library, bought a new depot, and renamed the town hall.
    test::write_file(tmp.path("2025.csv"),
                     std::string(header) +
                         "Wyre Forest District Council,WF-0001,100120000001,Town Hall (Civic Centre),383200,276700\n"
                         "Wyre Forest District Council,WF-0002,100120000002,Depot,381900,277900\n"
                         "Wyre Forest District Council,A4,,Land off Stourport Road,381000,271900\n"
                         "Wyre Forest District Council,WF-0005,100120000005,New Depot,382500,278000\n");
    auto y2 = import(reg, tmp.path("2025.csv"), true);
    CHECK(y2.read == 4);
    CHECK(y2.read == y2.stored() + y2.rejected);
    CHECK(y2.re_referenced == 2);
    CHECK(y2.inserted == 1); // the new depot
    CHECK(y2.updated == 2);  // the two renumbered (one renamed too)
    CHECK(y2.unchanged == 1);
    CHECK(y2.retired == 1);                                    // the old library
    CHECK(count(reg, "SELECT count(*) FROM properties") == 5); // nothing deleted, nothing twice
    CHECK(count(reg, "SELECT count(*) FROM properties WHERE uprn = '100120000001'") == 1);
    // The renumbered town hall is the same property: its status, history and old code stay.
    auto hall = db::find_one_property(reg, "WF-0001");
    CHECK(hall.name == "Town Hall (Civic Centre)");
    CHECK(hall.rag_status == "green");
    CHECK(rag::history(reg, std::string("WF-0001")).size() == 1);
    CHECK(db::find_one_property(reg, "A1").id == hall.id); // found by its old code
    CHECK(count(reg, "SELECT count(*) FROM property_aliases") == 2);
    // The retired library is kept, marked, and out of lists, analyses and counts.
    auto library = db::find_one_property(reg, "A3");
    REQUIRE(library.retired_at);
    CHECK(count(reg, "SELECT retired_batch FROM properties WHERE ref = 'A3'") == y2.batch_id);
    CHECK(db::list_properties(reg, {}).size() == 4);
    db::ListFilter all;
    all.include_retired = true;
    CHECK(db::list_properties(reg, all).size() == 5);
    auto info = db::register_info(reg);
    CHECK(info.properties == 4);
    CHECK(info.retired == 1);
    CHECK(hubs::load_sites(reg, {}).sites.size() == 4);
    // The spatial index follows the renumbering (the new row's entry is the old property's).
    CHECK(count(reg, "SELECT CheckSpatialIndex('properties', 'geom')") == 1);
    CHECK(count(reg, "SELECT count(*) FROM idx_properties_geom") == 5);
    CHECK(reg.connection().scalar_text("PRAGMA quick_check") == "ok");
    CHECK_FALSE(reg.connection().scalar_text("PRAGMA foreign_key_check"));

    // The same file again changes nothing.
    auto again = import(reg, tmp.path("2025.csv"), true);
    CHECK(again.unchanged == 4);
    CHECK(again.retired == 0);
    CHECK(again.re_referenced == 0);
    CHECK(again.inserted + again.updated == 0);

    // The library is bought back: listed again, it is reinstated.
    test::write_file(tmp.path("2026.csv"),
                     test::read_file(tmp.path("2025.csv")) +
                         "Wyre Forest District Council,A3,100120000003,Old Library,383000,276000\n");
    auto y3 = import(reg, tmp.path("2026.csv"), true);
    CHECK(y3.reinstated == 1);
    CHECK(y3.retired == 0);
    CHECK_FALSE(db::find_one_property(reg, "A3").retired_at);
    CHECK(db::register_info(reg).properties == 5);
}

TEST_CASE("Without --complete nothing is retired, and a shared UPRN is never taken for a renumbering",
          "[import][yearly]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("a.csv"), std::string(header) + "Council,C1,100120000007,Hall,383200,276700\n"
                                                              "Council,C2,100120000007,Hall car park,383210,276690\n"
                                                              "Council,D1,100120000009,Depot,381900,277900\n");
    import(reg, tmp.path("a.csv"), false);
    // A new code at a UPRN two current properties share: reported, not guessed. A new code
    // at D1's UPRN while D1 is still listed: another property at the same address.
    test::write_file(tmp.path("b.csv"), std::string(header) + "Council,C3,100120000007,Hall annexe,383220,276710\n"
                                                              "Council,D1,100120000009,Depot,381900,277900\n"
                                                              "Council,D2,100120000009,Depot yard,381910,277890\n");
    auto s = import(reg, tmp.path("b.csv"), false);
    CHECK(s.re_referenced == 0);
    CHECK(s.inserted == 2);
    REQUIRE(s.ambiguous_references.size() == 1);
    CHECK(s.ambiguous_references[0].ref == "C3");
    CHECK(s.ambiguous_references[0].matches == 2);
    CHECK(s.retired == 0); // not complete: C1 and C2 stay current
    CHECK(db::register_info(reg).properties == 5);
}

TEST_CASE("estate import --source NAME --complete from the command line", "[import][yearly][cli]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("r.sqlite");
    test::write_file(tmp.path("y1.csv"), std::string(header) + "Council,K1,,Hall,383200,276700\n"
                                                               "Council,K2,,Depot,381900,277900\n");
    test::write_file(tmp.path("y2.csv"), std::string(header) + "Council,K1,,Hall,383200,276700\n");
    REQUIRE(test::run_estate("init " + test::sh(reg)).exit_code == 0);
    REQUIRE(test::run_estate("import " + test::sh(reg) + " " + test::sh(tmp.path("y1.csv")) + " --source returns")
                .exit_code == 0);
    const std::string again =
        "import " + test::sh(reg) + " " + test::sh(tmp.path("y2.csv")) + " --source returns --complete";
    // Half the series would go: asked first, nothing written, the ones it would retire named.
    auto asked = test::run_estate(again);
    CHECK(asked.exit_code == 1);
    CHECK_THAT(asked.err, Catch::Contains("retire 1 of the series' 2 current properties") &&
                              Catch::Contains("K2 - Depot") && Catch::Contains("--yes"));
    auto dry = test::run_estate(again + " --dry-run");
    CHECK(dry.exit_code == 0);
    CHECK_THAT(dry.err, Catch::Contains("Dry run: nothing was written") && Catch::Contains("retired            1") &&
                            Catch::Contains("K2 - Depot"));
    CHECK_THAT(test::run_estate("list " + test::sh(reg) + " --csv").out, Catch::Contains("K2"));
    auto r = test::run_estate(again + " --yes --json");
    REQUIRE(r.exit_code == 0);
    const auto summary = test::parse_json(r.out);
    REQUIRE(test::items(summary, "series").size() == 1);
    CHECK(test::items(summary, "series")[0].data() == "returns");
    CHECK(summary.get<bool>("complete"));
    CHECK(summary.get<int>("retired") == 1);
    auto info = test::run_estate("info " + test::sh(reg));
    CHECK_THAT(info.out, Catch::Contains("1 properties of 1 owners") && Catch::Contains("1 retired properties"));
    auto listed = test::run_estate("list " + test::sh(reg) + " --include-retired --csv");
    CHECK_THAT(listed.out, Catch::Contains("K2"));
    CHECK_THAT(test::run_estate("list " + test::sh(reg) + " --csv").out, !Catch::Contains("K2"));
}
