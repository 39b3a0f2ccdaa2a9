// One reading of a building's facts for every analysis: each building once, every figure
// checked once (a site's figure, a figure out of its use's range, one no property can
// have), an officer's confirmation honoured, and hubs and receipts agreeing on all of it.

#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/facts/facts.hpp"
#include "estate/money/scenario.hpp"
#include "support.hpp"

#include "facts/site_figures.hpp"

#include <algorithm>
#include <map>

using namespace estate;
using facts::Field;
using facts::Source;
using test::run_estate;
using test::sh;

namespace {

/// Every building of the register as the analyses read it, by its main record's ref.
std::map<std::string, facts::Building> buildings_by_ref(const std::string& path, facts::Reading* reading = nullptr) {
    auto reg = db::Register::open(path, true);
    facts::ReadOptions o;
    o.plausible = money::default_scenario().plausible;
    o.names = true;
    std::map<std::string, facts::Building> out;
    for (auto& b : facts::read_all(reg, o, reading)) out.emplace(b.ref, std::move(b));
    return out;
}

std::string tagged_register(const test::TempDir& tmp) {
    const std::string reg = test::trafford_register(tmp);
    REQUIRE(run_estate("officers add " + sh(reg) + " 'Ann Smith' --agency 'Trafford Council' --partnership-wide")
                .exit_code == 0);
    REQUIRE(run_estate("rag apply-rules " + sh(reg) + " --by 'Ann Smith'").exit_code == 0);
    return reg;
}

} // namespace

TEST_CASE("A name's stem is what comes before its first comma or bracket", "[facts]") {
    using facts::detail::name_stem;
    CHECK(name_stem("Longford Park, Public toilets") == "longford park");
    CHECK(name_stem("Longford Park (8 Blocks) Old Stables: Parks Stores") == "longford park");
    CHECK(name_stem("Turn Moss Playing Fields - Garage") == "turn moss playing fields");
    CHECK(name_stem("Stretford Library") == "stretford library");
    CHECK(name_stem("") == "");
}

TEST_CASE("A park's floor area written on each of its buildings is used once, on the site's main record",
          "[facts][cli]") {
    test::TempDir tmp;
    const std::string reg = tagged_register(tmp);
    facts::Reading reading;
    const auto b = buildings_by_ref(reg, &reading);
    // Trafford's asset list writes Longford Park's 3,882 m² on each of its eight records.
    const auto& toilets = b.at("TMBC0263/J0000014");
    CHECK(toilets.source_of(Field::floor_area) == Source::site_elsewhere);
    CHECK_FALSE(toilets.figure(Field::floor_area));
    CHECK(toilets.written[0] == 3882);
    int used_once = 0;
    for (const auto& [ref, building] : b)
        if (building.figure(Field::floor_area) == 3882.0) {
            ++used_once;
            CHECK(building.source_of(Field::floor_area) == Source::site);
        }
    CHECK(used_once == 1);
    CHECK(reading.counts[Source::site_elsewhere] >= 7);
    // The same 20 m² on four buildings in four places is four buildings' own figure.
    CHECK(b.at("TMBC0020/JN0000008").source_of(Field::floor_area) == Source::recorded);

    // So no analysis values the toilets on the park: receipts counts them with no area.
    auto json = run_estate("receipts " + sh(reg) + " --runs 0 --json");
    REQUIRE(json.exit_code == 0);
    const auto parsed = test::parse_json(json.out);
    for (const auto& p : test::items(parsed, "properties")) {
        if (p.get<std::string>("ref") != "TMBC0263/J0000014") continue;
        CHECK(p.get<std::string>("value") == "null");
        CHECK_THAT(p.get<std::string>("figures_set_aside"),
                   Catch::Contains("floor area 3,882 m² not used: the same figure is written on 3 or more buildings"));
    }
    CHECK(parsed.get<int>("data_quality.site_figures") >= 7);
    // The largest disposal is no longer a public toilet worth millions.
    for (const auto& p : test::items(parsed, "properties")) CHECK(p.get<double>("gross") < 3000000);

    // An officer who knows the toilets' own floor area sets it; that is used.
    REQUIRE(run_estate("set " + sh(reg) + " TMBC0263/J0000014 gia_m2 40 --reason 'Measured 2026' --by 'Ann Smith'")
                .exit_code == 0);
    CHECK(buildings_by_ref(reg).at("TMBC0263/J0000014").figure(Field::floor_area) == 40.0);
}

TEST_CASE("A figure no property can have, written by hand, reaches no analysis", "[facts][cli]") {
    test::TempDir tmp;
    const std::string reg = tagged_register(tmp);
    {
        // Imports refuse such a figure; a SQL client can still write it. Stretford Library
        // is a member of a Trafford hub at 500 m.
        auto rw = db::Register::open(reg);
        rw.connection().exec("UPDATE properties SET market_value = 5e13 WHERE ref = 'TMBC0223/J0000022'");
    }
    CHECK(buildings_by_ref(reg).at("TMBC0223/J0000022").source_of(Field::market_value) == Source::not_a_figure);
    auto hubs = run_estate("hubs " + sh(reg) + " --radius 500 --json");
    REQUIRE(hubs.exit_code == 0);
    const auto h = test::parse_json(hubs.out);
    CHECK(h.get<double>("net_benefit") < 1e8);
    for (const auto& hub : test::items(h, "hubs")) CHECK(hub.get<double>("net_benefit") < 1e8);
    CHECK(hubs.out.find("50,000,000,000,000") == std::string::npos);
    auto receipts = run_estate("receipts " + sh(reg) + " --runs 0 --json");
    REQUIRE(receipts.exit_code == 0);
    const auto r = test::parse_json(receipts.out);
    CHECK(r.get<int>("data_quality.implausible_ignored") == 1);
    CHECK(r.get<double>("total.gross") < 1e8);
}

TEST_CASE("A figure outside its use's plausible range waits for an officer to confirm it", "[facts][cli]") {
    test::TempDir tmp;
    const std::string reg = tagged_register(tmp);
    {
        auto rw = db::Register::open(reg);
        // 2 m² for a library; £90,000 per m² for a town hall's 1,000 m².
        rw.connection().exec("UPDATE properties SET gia_m2 = 2 WHERE ref = 'TMBC0216'; "
                             "UPDATE properties SET gia_m2 = 1000, market_value = 9e7 WHERE ref = "
                             "'TMBC0001/T0000003'");
    }
    auto b = buildings_by_ref(reg);
    CHECK(b.at("TMBC0216").source_of(Field::floor_area) == Source::out_of_range);
    CHECK(b.at("TMBC0001/T0000003").source_of(Field::floor_area) == Source::recorded);
    CHECK(b.at("TMBC0001/T0000003").source_of(Field::market_value) == Source::out_of_range);
    CHECK_THAT(facts::set_aside_words(b.at("TMBC0216"), money::default_scenario().plausible),
               Catch::Contains("floor area 2 m² not used: outside the plausible range for its use (10..20,000 m²)"));
    // Confirmed by an officer (the same figure, with a reason), it is used.
    REQUIRE(run_estate("set " + sh(reg) + " TMBC0216 gia_m2 2 --reason 'A book kiosk: measured' --by 'Ann Smith'")
                .exit_code == 0);
    b = buildings_by_ref(reg);
    CHECK(b.at("TMBC0216").source_of(Field::floor_area) == Source::confirmed);
    CHECK(b.at("TMBC0216").figure(Field::floor_area) == 2.0);
}

TEST_CASE("A scenario's plausible ranges are checked as it is read", "[facts][receipts]") {
    const std::string head = "[scenario]\nname = t\nversion = 1\n";
    auto s = money::parse_scenario(head + "[plausible floor area m2]\noffice = 20..\ndefault = ..500\n", "t.ini");
    CHECK(s.plausible.floor_area_m2.at("office").min == 20);
    CHECK(std::isnan(s.plausible.floor_area_m2.at("office").max));
    CHECK(facts::Plausibility::for_use(s.plausible.floor_area_m2, "depot").holds(400));
    CHECK_FALSE(facts::Plausibility::for_use(s.plausible.floor_area_m2, "depot").holds(600));
    CHECK_THROWS_WITH(money::parse_scenario(head + "[plausible floor area m2]\noffice = 50\n", "t.ini"),
                      Catch::Contains("t.ini line 5: office = 50: not a range"));
    CHECK_THROWS_WITH(money::parse_scenario(head + "[plausible value per m2]\noffice = 500..20\n", "t.ini"),
                      Catch::Contains("lower end is above its upper end"));
    CHECK_THROWS_WITH(money::parse_scenario(head + "[plausible value per ha]\nmoon = 1..2\n", "t.ini"),
                      Catch::Contains("unknown use"));
}
