// estate set: an officer corrects a property's use and figures, within their agency,
// with a reason kept for good, and imports do not undo it.

#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "estate/rag/corrections.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

using namespace estate;

TEST_CASE("An officer corrects a use and a floor area, and a later import keeps them", "[rag][corrections]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    const std::string header = "OrganisationLabel,AssetCode,PropertyName,BuildingSize,GeoX,GeoY\n";
    test::write_file(tmp.path("a.csv"), header + "Council,S1,Former Royal Mail Sorting Office,,383200,276700\n"
                                                 "Police,P1,Police Station,300,383300,276700\n");
    importing::ImportOptions o;
    o.source = tmp.path("a.csv");
    importing::import_source(reg, o);
    officers::add_officer(reg, {"Ann Smith", "Council", false});
    auto& c = reg.connection();
    CHECK(c.scalar_text("SELECT use FROM properties WHERE ref = 'S1'") == "unknown");

    auto r = rag::correct(reg, {"S1", {{"use", "office"}, {"gia_m2", "1,200"}}, "Surveyed March 2026", "Ann Smith"});
    REQUIRE(r.changed.size() == 2);
    CHECK(r.changed[0].second == "unknown -> office");
    CHECK(r.changed[1].second == "not recorded -> 1200");
    CHECK(c.scalar_text("SELECT use || '/' || use_source FROM properties WHERE ref = 'S1'") == "office/officer");
    CHECK(c.scalar_int("SELECT gia_m2 FROM properties WHERE ref = 'S1'") == 1200);

    // Refused, and nothing changed: another agency's property, a use that is no code, no reason.
    CHECK_THROWS_AS(rag::correct(reg, {"P1", {{"gia_m2", "500"}}, "x", "Ann Smith"}), officers::permission_error);
    CHECK_THROWS_WITH(rag::correct(reg, {"S1", {{"use", "spaceport"}}, "x", "Ann Smith"}),
                      Catch::Contains("is not one of"));
    CHECK_THROWS_WITH(rag::correct(reg, {"S1", {{"gia_m2", "-3"}}, "x", "Ann Smith"}), Catch::Contains("negative"));
    CHECK_THROWS_WITH(rag::correct(reg, {"S1", {{"use", "office"}}, " ", "Ann Smith"}),
                      Catch::Contains("needs a reason"));
    CHECK(c.scalar_int("SELECT count(*) FROM property_corrections") == 2);

    // The council's next file renames it: updated, but the officer's use and area stay.
    test::write_file(tmp.path("b.csv"), header + "Council,S1,Sorting Office (vacant),,383200,276700\n"
                                                 "Police,P1,Police Station,300,383300,276700\n");
    o.source = tmp.path("b.csv");
    auto s = importing::import_source(reg, o);
    CHECK(s.updated == 1);
    CHECK(c.scalar_text("SELECT name FROM properties WHERE ref = 'S1'") == "Sorting Office (vacant)");
    CHECK(c.scalar_text("SELECT use || '/' || use_source FROM properties WHERE ref = 'S1'") == "office/officer");
    CHECK(c.scalar_int("SELECT gia_m2 FROM properties WHERE ref = 'S1'") == 1200);
    // And the same file again is still unchanged.
    CHECK(importing::import_source(reg, o).unchanged == 2);
    // The corrections are the audit trail: the database refuses to edit or delete them.
    CHECK_THROWS(c.exec("UPDATE property_corrections SET new_value = 'depot'"));
    CHECK_THROWS(c.exec("DELETE FROM property_corrections"));
}

TEST_CASE("estate set from the command line", "[rag][corrections][cli]") {
    test::TempDir tmp;
    const std::string reg = test::trafford_register(tmp);
    REQUIRE(test::run_estate("officers add " + test::sh(reg) + " 'Ann Smith' --agency 'Trafford Council'").exit_code ==
            0);
    auto ok = test::run_estate("set " + test::sh(reg) +
                               " TMBC0103 use office market_value 1.2m --reason 'Valuation 2026' "
                               "--by 'Ann Smith' --json");
    CHECK(ok.exit_code == 0);
    CHECK(test::parse_json(ok.out).get<std::string>("changed.market_value") == "not recorded -> 1200000");
    CHECK(test::run_estate("set " + test::sh(reg) + " TMBC0103 use --reason x --by 'Ann Smith'").exit_code == 2);
    CHECK(test::run_estate("set " + test::sh(reg) + " TMBC0103 use office --by 'Ann Smith'").exit_code == 2);
    CHECK(test::run_estate("set " + test::sh(reg) + " TMBC0103 colour blue --reason x --by 'Ann Smith'").exit_code ==
          2);
    auto listed = test::run_estate("list " + test::sh(reg) + " --use-source officer --csv");
    CHECK_THAT(listed.out, Catch::Contains("TMBC0103"));
}
