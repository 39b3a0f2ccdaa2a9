#include <catch2/catch.hpp>

#include "estate/error.hpp"
#include "estate/io/ini.hpp"
#include "estate/io/profile.hpp"
#include "support.hpp"

using namespace estate;

TEST_CASE("Every built-in profile parses", "[io]") {
    const auto& all = io::builtin_profiles();
    CHECK(all.size() >= 9);
    for (const char* name :
         {"transparency-code", "trafford-fire-stations", "trafford-hospitals", "trafford-jobcentre-plus",
          "trafford-libraries", "trafford-schools", "trafford-childrens-centres", "synthetic-county", "generic"})
        CHECK_NOTHROW(io::load_profile(name));
}

TEST_CASE("Profile errors name the file, the line and the key", "[io]") {
    auto ini = io::parse_ini("[profile]\nname = x\n[columns]\nreff = AssetCode\n", "my.ini");
    CHECK_THROWS_WITH(io::parse_profile(ini), Catch::Contains("my.ini line 4") && Catch::Contains("'reff'"));
    CHECK_THROWS_WITH(io::parse_ini("[a]\nk = 1\nk = 2\n", "dup.ini"),
                      Catch::Contains("dup.ini line 3") && Catch::Contains("line 2"));
    CHECK_THROWS_WITH(io::parse_ini("[a\n", "bad.ini"), Catch::Contains("bad.ini line 1"));
    CHECK_THROWS_AS(io::load_profile("no-such-profile"), usage_error);
}

TEST_CASE("The Transparency Code format is recognised from header variants", "[io]") {
    auto exact = io::detect_profile({"OrganisationLabel", "UPRN", "AssetCode", "PropertyName", "PostCode", "GeoX",
                                     "GeoY", "TenureType", "HoldingType"});
    REQUIRE(exact.profile);
    CHECK(exact.profile->name == "transparency-code");
    // Case, spaces and underscores differ; several columns are missing.
    auto variant = io::detect_profile(
        {"Organisation_Label", "asset code", "Property Name", "Post Code", "Tenure Type", "Holding Type"});
    REQUIRE(variant.profile);
    CHECK(variant.profile->name == "transparency-code");
    auto nothing = io::detect_profile({"foo", "bar"});
    CHECK_FALSE(nothing.profile);
    CHECK_THAT(nothing.explanation, Catch::Contains("name a profile"));
}

TEST_CASE("A device or a huge file given as a profile, manifest, scenario or rules file is refused at once", "[io]") {
    // /dev/zero never ends: read whole, it would take every byte of memory.
    test::TempDir tmp;
    const std::string reg = test::sh(tmp.path("r.sqlite"));
    REQUIRE(test::run_estate("init " + reg).exit_code == 0);
    for (const std::string& args :
         {"load " + test::sh(tmp.path("new.sqlite")) + " /dev/zero",
          "rag apply-rules " + reg + " --by Nobody --rules /dev/zero", "receipts " + reg + " --scenario /dev/zero"}) {
        INFO(args);
        auto r = test::run_estate(args);
        CHECK(r.exit_code != 0);
        CHECK_THAT(r.err, Catch::Contains("/dev/zero") && Catch::Contains("larger than 16 MB"));
    }
    CHECK_THROWS_WITH(estate::io::load_profile("/dev/zero"), Catch::Contains("is not a profile"));
}
