// Use from the data, guesses marked: measured against Trafford's 608 council names
// labelled by hand (tests/data/trafford-uses/).

#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/importing/importer.hpp"
#include "estate/io/source.hpp"
#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"
#include "estate/rag/rules.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

#include <map>

using namespace estate;

TEST_CASE("Uses guessed from Trafford's names are right at least 97 times in 100", "[import][uses]") {
    std::map<std::string, std::string> by_hand;
    {
        io::SourceReader labels(std::string(ESTATE_SOURCE_DIR) + "/tests/data/trafford-uses/trafford-uses.csv");
        REQUIRE(labels.headers() == std::vector<std::string>{"ref", "name", "use"});
        io::SourceRow row;
        while (labels.next(row)) {
            REQUIRE(model::uses().contains(row.values[2]));
            by_hand[row.values[0]] = row.values[2];
        }
        REQUIRE(by_hand.size() == 608); // every council row
    }
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    importing::ImportOptions o;
    o.source = test::trafford("trafford_land_and_building_assets.csv");
    importing::import_source(reg, o);
    int guesses = 0, right = 0;
    std::string wrong;
    db::ListFilter guessed;
    guessed.use_source = "name";
    for (const auto& p : db::list_properties(reg, guessed)) {
        ++guesses;
        REQUIRE(by_hand.count(p.ref));
        if (by_hand[p.ref] == p.use)
            ++right;
        else
            wrong += "\n  " + p.ref + " " + p.name.value_or("") + ": guessed " + p.use + ", by hand " + by_hand[p.ref];
    }
    const double precision = double(right) / guesses;
    WARN("use guessed from the name for " << guesses << " of 608 council rows; " << right << " right (precision "
                                          << precision * 100 << "%)" << wrong);
    CHECK(guesses >= 40);
    CHECK(precision >= 0.97);
    // Every use comes from somewhere, or is unknown; a use from the file is never a guess.
    auto& c = reg.connection();
    CHECK(*c.scalar_int("SELECT count(*) FROM properties WHERE use_source IS NULL AND use <> 'unknown'") == 0);
    CHECK(*c.scalar_int("SELECT count(*) FROM properties WHERE use_source = 'source' AND use_detail IS NULL AND "
                        "holding_type_detail IS NULL") == 0);
}

TEST_CASE("Names that describe land, a former use or a part are not guessed", "[import][uses]") {
    using model::guess_use_from_name;
    // The cases a board would be misled by.
    CHECK_FALSE(guess_use_from_name("Jeremy Field ' North of Old Eea Brook (South West of Urmston Cemetery)"));
    CHECK_FALSE(guess_use_from_name("Park Hospital road frontage; foot path from Moorside Road to Davyhulme Road."));
    CHECK_FALSE(guess_use_from_name("King George V Angling Pool, Public toilets/office and store"));
    CHECK_FALSE(guess_use_from_name("Former Royal Mail Sorting Office"));
    CHECK_FALSE(guess_use_from_name("Site of Moorlands Junior School"));
    CHECK(guess_use_from_name("Land adjacent to Sale Library") == "land"); // land, whatever it adjoins
    CHECK_FALSE(guess_use_from_name("Garden Centre, Altrincham Road"));
    CHECK_FALSE(guess_use_from_name("Plant Nursery")); // not a school
    CHECK_FALSE(guess_use_from_name("School Road"));   // a street, not a school
    CHECK_FALSE(guess_use_from_name("Market Street"));
    CHECK_FALSE(guess_use_from_name("Oaklands Drive")); // no land in "Oaklands"
    CHECK_FALSE(guess_use_from_name("Longford Park, Barn: Parks, Trafford College and Scouts")); // two uses
    CHECK_FALSE(guess_use_from_name("Humphrey Park, Centre"));                                   // a building in a park
    // And the plain ones are.
    CHECK(guess_use_from_name("Sale Leisure Centre") == "leisure");
    CHECK(guess_use_from_name("Altrincham Library") == "library");
    CHECK(guess_use_from_name("Trafford Town Hall") == "office");
    CHECK(guess_use_from_name("Stretford Cemetery") == "crematorium_cemetery");
}

TEST_CASE("Use comes from the file first, and a rule that matched a guessed use says so", "[import][uses]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("c.csv"),
                     "OrganisationLabel,AssetCode,PropertyName,OtherDetail,HoldingType,GeoX,GeoY\n"
                     "Council,U1,Hale Cemetery,,Land/Buildings,377000,386000\n"          // guessed from the name
                     "Council,U2,Chapel of Rest,Cemetery,Land/Buildings,377100,386000\n" // the file says
                     "Council,U3,Broomwood Centre,,Buildings,377200,386000\n"            // nothing says
                     "Council,U4,Churchfields,,Car Parks,377300,386000\n");              // a service category
    importing::ImportOptions o;
    o.source = tmp.path("c.csv");
    importing::import_source(reg, o);
    auto& c = reg.connection();
    CHECK(c.scalar_text("SELECT use || '/' || use_source FROM properties WHERE ref = 'U1'") ==
          "crematorium_cemetery/name");
    CHECK(c.scalar_text("SELECT use || '/' || use_source FROM properties WHERE ref = 'U2'") ==
          "crematorium_cemetery/source");
    CHECK(c.scalar_text("SELECT use || '/' || ifnull(use_source, '-') FROM properties WHERE ref = 'U3'") ==
          "unknown/-");
    CHECK(c.scalar_text("SELECT use || '/' || use_source FROM properties WHERE ref = 'U4'") == "car_park/source");
    // The default rules tag both cemeteries red; the board can tell the guess from the fact.
    officers::add_officer(reg, {"Lead", *c.scalar_text("SELECT name FROM owners LIMIT 1"), true});
    rag::apply_rules(reg, rag::default_rules(), "Lead");
    CHECK_THAT(*c.scalar_text("SELECT rag_reason FROM properties WHERE ref = 'U1'"),
               Catch::EndsWith("(use guessed from the name)"));
    CHECK_THAT(*c.scalar_text("SELECT rag_reason FROM properties WHERE ref = 'U2'"), !Catch::Contains("guessed"));
    // The review list of guesses.
    db::ListFilter guesses;
    guesses.use_source = "name";
    auto listed = db::list_properties(reg, guesses);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].ref == "U1");
}
