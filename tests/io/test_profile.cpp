#include <catch2/catch.hpp>

#include "estate/error.hpp"
#include "estate/io/ini.hpp"
#include "estate/io/profile.hpp"

using namespace estate;

TEST_CASE("Every built-in profile parses", "[io]") {
    const auto& all = io::builtin_profiles();
    CHECK(all.size() >= 9);
    for (const char* name : {"transparency-code", "trafford-fire-stations", "trafford-hospitals",
                             "trafford-jobcentre-plus", "trafford-libraries", "trafford-schools",
                             "trafford-childrens-centres", "synthetic-county", "generic"})
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
    auto exact = io::detect_profile({"OrganisationLabel", "UPRN", "AssetCode", "PropertyName", "PostCode",
                                     "GeoX", "GeoY", "TenureType", "HoldingType"});
    REQUIRE(exact.profile);
    CHECK(exact.profile->name == "transparency-code");
    // Case, spaces and underscores differ; several columns are missing.
    auto variant = io::detect_profile({"Organisation_Label", "asset code", "Property Name", "Post Code",
                                       "Tenure Type", "Holding Type"});
    REQUIRE(variant.profile);
    CHECK(variant.profile->name == "transparency-code");
    auto nothing = io::detect_profile({"foo", "bar"});
    CHECK_FALSE(nothing.profile);
    CHECK_THAT(nothing.explanation, Catch::Contains("--profile"));
}
