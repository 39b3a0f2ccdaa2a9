#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/receipts/receipts.hpp"
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

using namespace estate;
using test::run_estate;
using test::sh;

namespace {

std::string example(const std::string& name) {
    return std::string(ESTATE_SOURCE_DIR) + "/docs/worked-example/" + name;
}

// The worked example of docs/receipts.md, loaded as a finance officer would.
std::string worked_example_register(const test::TempDir& tmp) {
    const std::string reg = tmp.path("example.sqlite");
    REQUIRE(run_estate("init " + sh(reg)).exit_code == 0);
    REQUIRE(run_estate("import " + sh(reg) + " " + sh(example("properties.csv")) + " --profile synthetic-county")
                .exit_code == 0);
    REQUIRE(run_estate("officers add " + sh(reg) + " 'Finance Officer' --agency 'Example Council' --partnership-wide")
                .exit_code == 0);
    REQUIRE(
        run_estate("rag bulk " + sh(reg) + " " + sh(example("statuses.csv")) + " --by 'Finance Officer'").exit_code ==
        0);
    return reg;
}

double pennies(double v) {
    return std::round(v * 100) / 100;
}

/// The worked example's central case under its scenario with @p changes appended.
receipts::Estimate worked_example_with(const std::string& changes, const std::string& origin) {
    test::TempDir tmp;
    auto reg = db::Register::open(worked_example_register(tmp), true);
    receipts::Options o;
    o.scenario = money::parse_scenario(test::read_file(example("scenario.ini")) + "\n" + changes, origin);
    o.runs = 0;
    return receipts::estimate(reg, o);
}

const receipts::PropertyEstimate& by_ref(const receipts::Estimate& e, const std::string& ref) {
    auto it = std::find_if(e.properties.begin(), e.properties.end(), [&](const auto& p) { return p.ref == ref; });
    REQUIRE(it != e.properties.end());
    return *it;
}

} // namespace

TEST_CASE("The worked example of docs/receipts.md, to the penny", "[receipts]") {
    test::TempDir tmp;
    auto reg = db::Register::open(worked_example_register(tmp), true);
    receipts::Options o;
    o.scenario = money::read_scenario(example("scenario.ini"));
    o.runs = 0;
    const auto e = receipts::estimate(reg, o);
    REQUIRE(e.years == std::vector<int>{2027, 2028, 2029, 2030, 2031});
    // Year by year, as docs/receipts.md works them out by hand.
    CHECK(pennies(e.by_year[0].net) == -10000.00);   // programme costs
    CHECK(pennies(e.by_year[1].gross) == 816000.00); // E: 2 ha x 400,000, one year of 2% growth
    CHECK(pennies(e.by_year[1].net) == 799680.00);
    CHECK(pennies(e.by_year[2].gross) == 520200.00);              // A: 500,000 x 1.02^2
    CHECK(pennies(e.by_year[2].transitional_costs) == 100000.00); // B: half of 400 x (100 + 0.8 x 500)
    CHECK(pennies(e.by_year[2].net) == 409796.00);
    CHECK(pennies(e.by_year[3].gross) == 318362.40); // B: half of 600,000 x 1.02^3
    CHECK(pennies(e.by_year[3].net) == 311995.15);
    CHECK(pennies(e.total.net) == 1511471.15);
    CHECK(pennies(e.total.net_pv) == 1426588.38);
    CHECK(pennies(e.total.savings) == 126000.00);
    CHECK(pennies(e.total.savings_pv) == 113221.43);
    CHECK(pennies(e.savings_per_year_at_end) == 47000.00);
    CHECK(e.quality.counted == 4); // the red fire station does not count
}

TEST_CASE("Slippage, the market's limit, double running and disposal costs, each by hand", "[receipts]") {
    test::TempDir tmp;
    auto reg = db::Register::open(worked_example_register(tmp), true);
    receipts::Options o;
    o.scenario = money::read_scenario(example("scenario.ini"));
    o.runs = 0;
    auto& s = *o.scenario;
    SECTION("the central case expects the slippage the simulation draws") {
        s.slip_probability = 0.3;
        const auto e = receipts::estimate(reg, o);
        // E (land, 2028): 70% then, 30% a year later at one more year's growth; A (vacant, 2029) likewise.
        CHECK(pennies(e.by_year[1].gross) == 571200.00);                                       // 0.7 x 816,000
        CHECK(pennies(e.by_year[2].gross) == pennies(0.7 * 520200 + 0.3 * 832320));            // A 70%, E 30%
        CHECK(pennies(e.by_year[3].gross) == pennies(0.3 * 530604 + 0.7 * 318362.40));         // A 30%, B 70%
        CHECK(pennies(e.by_year[4].gross) == pennies(0.3 * 0.5 * 600000 * std::pow(1.02, 4))); // B 30%
        CHECK(by_ref(e, "A").release_year == 2029);                                            // as planned
    }
    SECTION("the market takes at most so much a year; the rest slips on and the paper can say so") {
        s.market_max_value_per_year = 600000;
        const auto e = receipts::estimate(reg, o);
        CHECK(pennies(e.by_year[1].gross) == 600000.00);
        CHECK(pennies(e.by_year[1].deferred) == 216000.00); // of E's 816,000
        CHECK(pennies(e.by_year[2].gross) == 600000.00);
        CHECK(pennies(e.by_year[2].deferred) == 140520.00); // 216,000 x 1.02 + 520,200 - 600,000
        CHECK(pennies(e.by_year[3].gross) == 461692.80);    // 140,520 x 1.02 + 318,362.40
        CHECK(e.beyond_horizon == 0);
        double by_property = 0;
        for (const auto& p : e.properties) by_property += p.gross;
        CHECK(by_property == Approx(e.total.gross).epsilon(1e-12)); // each property's share adds up to the years
        s.market_max_value_per_year = 100000;
        CHECK(receipts::estimate(reg, o).beyond_horizon > 0);
    }
    SECTION("running both buildings while services move, and each disposal's own costs") {
        s.double_running_months = 6;
        s.programme_cost_per_disposal = 1000;
        const auto e = receipts::estimate(reg, o);
        CHECK(pennies(e.by_year[2].double_running) == 7500.00); // B: 0.5 x 30,000 x 6/12, the year it moves
        CHECK(pennies(by_ref(e, "B").double_running) == 7500.00);
        CHECK(pennies(e.by_year[0].programme_costs) == 10000.00);
        CHECK(pennies(e.by_year[1].programme_costs) == 1000.00); // E
        CHECK(pennies(e.by_year[2].programme_costs) == 2000.00); // A and C
        CHECK(pennies(e.by_year[3].programme_costs) == 500.00);  // B at 50%
        CHECK(pennies(e.total.net) == pennies(1511471.15 - 7500 - 3500));
    }
    SECTION("the simulation gives the same numbers on one thread as on two") {
        o.runs = 300;
        o.seed = 11;
        o.threads = 1;
        const auto one = receipts::estimate(reg, o);
        o.threads = 2;
        const auto two = receipts::estimate(reg, o);
        CHECK(one.net_pv.p10 == two.net_pv.p10);
        CHECK(one.net_pv.p90 == two.net_pv.p90);
        CHECK(one.net_by_year[2].p50 == two.net_by_year[2].p50);
        CHECK(one.net_pv.p10 < one.net_pv.p90);
    }
}

TEST_CASE("Receipts follow the documented rules", "[receipts][slow]") {
    test::TempDir tmp;
    auto reg = db::Register::open(worked_example_register(tmp), true);
    receipts::Options o;
    o.scenario = money::read_scenario(example("scenario.ini"));
    o.runs = 200;
    o.seed = 7;
    const auto e = receipts::estimate(reg, o);
    SECTION("leased-in property raises no receipt, only a saving") {
        const auto& clinic = by_ref(e, "C");
        CHECK_FALSE(clinic.sellable);
        CHECK(clinic.gross == 0);
        CHECK(clinic.saving_per_year == 12000);
        CHECK(clinic.value_basis == "recorded"); // its value is known, but it cannot be sold
    }
    SECTION("estimated values are flagged, recorded ones are not") {
        CHECK(by_ref(e, "B").value_estimated);
        CHECK_THAT(by_ref(e, "B").value_basis, Catch::Contains("estimated: 400 m2 x £1,500 per m2"));
        CHECK(by_ref(e, "E").value_estimated);
        CHECK_FALSE(by_ref(e, "A").value_estimated);
        CHECK(e.quality.values_estimated == 2);
    }
    SECTION("red property does not count; amber counts at its probability") {
        CHECK(std::none_of(e.properties.begin(), e.properties.end(), [](const auto& p) { return p.ref == "D"; }));
        CHECK(by_ref(e, "B").probability == 0.5);
    }
    SECTION("P10 <= P50 <= P90, overall and in each year") {
        CHECK(e.net.p10 <= e.net.p50);
        CHECK(e.net.p50 <= e.net.p90);
        CHECK(e.net_pv.p10 < e.net_pv.p90); // a real spread, not one number
        for (const auto& r : e.net_by_year) {
            CHECK(r.p10 <= r.p50);
            CHECK(r.p50 <= r.p90);
        }
    }
    SECTION("the same seed gives the same numbers; another seed does not") {
        const auto again = receipts::estimate(reg, o);
        CHECK(again.net_pv.p10 == e.net_pv.p10);
        CHECK(again.net_pv.p50 == e.net_pv.p50);
        CHECK(again.net_pv.p90 == e.net_pv.p90);
        o.seed = 8;
        const auto other = receipts::estimate(reg, o);
        CHECK(other.net_pv.p50 != e.net_pv.p50);
    }
    SECTION("the sensitivity table puts the biggest swing first and moves the total") {
        REQUIRE(e.sensitivity.size() >= 5);
        for (size_t i = 1; i < e.sensitivity.size(); ++i)
            CHECK(e.sensitivity[i - 1].swing() >= e.sensitivity[i].swing());
        auto growth = std::find_if(e.sensitivity.begin(), e.sensitivity.end(),
                                   [](const auto& r) { return r.assumption == "Market growth a year"; });
        REQUIRE(growth != e.sensitivity.end());
        CHECK(growth->net_pv_low < e.total.net_pv);
        CHECK(growth->net_pv_high > e.total.net_pv);
    }
}

TEST_CASE("Scenario files are checked, and a hub run narrows the receipts", "[receipts]") {
    test::TempDir tmp;
    SECTION("an unknown key is an error naming the file and line") {
        test::write_file(tmp.path("bad.ini"), "[scenario]\nname = x\nversion = 1\n[costs]\nsale_cost_rate = 0.02\n");
        CHECK_THROWS_WITH(money::read_scenario(tmp.path("bad.ini")),
                          Catch::Contains("bad.ini line 5: sale_cost_rate") && Catch::Contains("unknown key"));
    }
    SECTION("a rate out of range is an error") {
        test::write_file(tmp.path("bad.ini"), "[scenario]\nname = x\nversion = 1\ndiscount_rate = 3.5\n");
        CHECK_THROWS_WITH(money::read_scenario(tmp.path("bad.ini")), Catch::Contains("between 0 and 1"));
    }
    SECTION("a scenario must name itself") {
        test::write_file(tmp.path("anon.ini"), "[costs]\nsales_cost_rate = 0.03\n");
        CHECK_THROWS_WITH(money::read_scenario(tmp.path("anon.ini")), Catch::Contains("its own name and version"));
    }
    SECTION("what it does not name keeps the default") {
        test::write_file(tmp.path("mine.ini"),
                         "[scenario]\nname = mine\nversion = 3\n[costs]\nsales_cost_rate = 0.03\n");
        const auto s = money::read_scenario(tmp.path("mine.ini"));
        CHECK(s.sales_cost_rate == 0.03);
        CHECK(s.discount_rate == money::default_scenario().discount_rate);
        CHECK(s.version == 3);
    }
    SECTION("with a hub run, only the members it releases count") {
        const std::string reg_path = worked_example_register(tmp);
        REQUIRE(run_estate("hubs " + sh(reg_path) + " --radius 500").exit_code == 0);
        auto reg = db::Register::open(reg_path, true);
        receipts::Options o;
        o.scenario = money::read_scenario(example("scenario.ini"));
        o.runs = 0;
        o.hub_run = 1;
        const auto e = receipts::estimate(reg, o);
        for (const auto& p : e.properties) CHECK((p.ref == "A" || p.ref == "B" || p.ref == "C")); // hub members
        CHECK(std::none_of(e.properties.begin(), e.properties.end(), [](const auto& p) { return p.ref == "E"; }));
        o.hub_run = 99;
        CHECK_THROWS_AS(receipts::estimate(reg, o), not_found_error);
    }
}

TEST_CASE("estate receipts on the command line", "[receipts][cli]") {
    test::TempDir tmp;
    const std::string reg = worked_example_register(tmp);
    auto json = run_estate("receipts " + sh(reg) + " --scenario " + sh(example("scenario.ini")) + " --runs 100 --json");
    REQUIRE(json.exit_code == 0);
    const auto estimate = test::parse_json(json.out);
    CHECK(estimate.get<std::string>("scenario.name") == "worked example");
    CHECK(test::items(estimate, "by_year").size() == 5);
    CHECK_FALSE(test::items(estimate, "by_owner").empty());
    CHECK_FALSE(test::items(estimate, "by_status").empty());
    CHECK(estimate.get<double>("range.net_pv.p10") <= estimate.get<double>("range.net_pv.p90"));
    bool any_estimated = false;
    for (const auto& p : test::items(estimate, "properties")) any_estimated |= p.get<bool>("value_estimated");
    CHECK(any_estimated);
    auto csv = run_estate("receipts " + sh(reg) + " --scenario " + sh(example("scenario.ini")) + " --runs 0 --csv");
    CHECK_THAT(csv.out,
               Catch::Contains("total,,4,1654562.40,33091.25,100000.00,0.00,0.00,10000.00,1511471.15,1426588.38"));
    auto text = run_estate("receipts " + sh(reg) + " --scenario " + sh(example("scenario.ini")) + " --runs 100");
    CHECK_THAT(text.out,
               Catch::Contains("Net receipts (central case): £1,511,471 nominal, £1,426,588 at present value") &&
                   Catch::Contains("Which assumptions move"));
    auto printed = run_estate("receipts --print-scenario");
    CHECK_THAT(printed.out, Catch::Contains("[scenario]") && Catch::Contains("discount_rate = 0.035"));
    CHECK(run_estate("receipts " + sh(reg) + " --scenario " + sh(tmp.path("none.ini"))).exit_code == 1);
}

TEST_CASE("Each board paper says what changed since the last one, and why", "[receipts][cli]") {
    test::TempDir tmp;
    const std::string reg = worked_example_register(tmp);
    const std::string scenario = " --scenario " + sh(example("scenario.ini")) + " --runs 0";
    REQUIRE(run_estate("report " + sh(reg) + scenario + " --out " + sh(tmp.path("first.html"))).exit_code == 0);
    CHECK_THAT(test::read_file(tmp.path("first.html")), Catch::Contains("the first estimate this register keeps"));
    // A valuer's figure for the Civic Offices (B), whose value was only estimated.
    std::string csv = test::read_file(example("properties.csv"));
    const std::string before = "B,,Civic Offices,,,Buildings,Freehold,office,400,,,30000";
    REQUIRE(csv.find(before) != std::string::npos);
    csv.replace(csv.find(before), before.size(), "B,,Civic Offices,,,Buildings,Freehold,office,400,,700000,30000");
    test::write_file(tmp.path("valued.csv"), csv);
    REQUIRE(
        run_estate("import " + sh(reg) + " " + sh(tmp.path("valued.csv")) + " --profile synthetic-county").exit_code ==
        0);
    REQUIRE(run_estate("report " + sh(reg) + scenario + " --out " + sh(tmp.path("second.html"))).exit_code == 0);
    const std::string second = test::read_file(tmp.path("second.html"));
    // B counts at half: 0.5 x (700,000 - 600,000) x 1.02^3 x 0.98 / 1.035^3 more in present value.
    const double by_hand = 0.5 * 100000 * std::pow(1.02, 3) * 0.98 / std::pow(1.035, 3);
    char expected[64];
    std::snprintf(expected, sizeof expected, "£%d,%03d", static_cast<int>(std::lround(by_hand)) / 1000,
                  static_cast<int>(std::lround(by_hand)) % 1000);
    CHECK_THAT(second,
               Catch::Contains("Since the last estimate (") &&
                   Catch::Contains("values recorded or estimated since</td><td class=\"n\">1</td><td class=\"n\">" +
                                   std::string(expected)));
    // --no-record keeps nothing: the paper after it still compares with the second.
    REQUIRE(run_estate("report " + sh(reg) + scenario + " --no-record --out " + sh(tmp.path("third.html"))).exit_code ==
            0);
    auto kept = db::Register::open(reg, true);
    CHECK(kept.connection().scalar_int("SELECT count(*) FROM estimates") == 2);
}

TEST_CASE("A figure no property can have never turns the paper into nan or inf", "[receipts][cli]") {
    test::TempDir tmp;
    const std::string reg = worked_example_register(tmp);
    {
        // Imports refuse such figures; a SQL client can still write them.
        auto rw = db::Register::open(reg);
        rw.connection().exec("UPDATE properties SET market_value = 1e308 WHERE ref IN ('A', 'C'); "
                             "UPDATE properties SET gia_m2 = 1e300 WHERE ref = 'B'");
    }
    const std::string scenario = " --scenario " + sh(example("scenario.ini"));
    auto json = run_estate("receipts " + sh(reg) + scenario + " --runs 50 --json");
    REQUIRE(json.exit_code == 0);
    auto csv = run_estate("receipts " + sh(reg) + scenario + " --runs 50 --csv");
    auto text = run_estate("receipts " + sh(reg) + scenario + " --runs 50");
    REQUIRE(run_estate("report " + sh(reg) + scenario + " --runs 50 --no-record --out " + sh(tmp.path("b.html")))
                .exit_code == 0);
    const std::string html = test::read_file(tmp.path("b.html"));
    for (const std::string* out : std::vector<const std::string*>{&json.out, &csv.out, &text.out, &html}) {
        // "nan", "inf", "1e+308" as words or figures; "finance" and "maintenance" are fine.
        static const std::regex bad(R"((^|[^A-Za-z])(-?nan|-?inf|infinity)([^A-Za-z]|$)|\d[eE]\+\d)",
                                    std::regex::icase);
        CHECK_FALSE(std::regex_search(*out, bad));
    }
    CHECK(test::parse_json(json.out).get<int>("data_quality.implausible_ignored") == 3);
    CHECK_THAT(html, Catch::Contains("over 10^12, negative or not numbers"));
}

TEST_CASE("Costs paid within the horizon count when the sale falls after it, and the sale is beyond the horizon",
          "[receipts]") {
    // The civic offices (B, amber, occupied, 400 m²) are released in the last year, or,
    // slipping, the year after the horizon; their services move a year before each.
    const auto e = worked_example_with("[timing]\noccupied_building = 4\n[uncertainty]\nslip_probability = 0.5\n",
                                       "worked example, late");
    // Moving and fit-out, 400 x (100 + 0.8 x 500) = £200,000 at 50%: half in 2030, half
    // (the slipped half) in 2031, both within the horizon.
    CHECK(pennies(e.by_year[3].transitional_costs) == 50000.00);
    CHECK(pennies(e.by_year[4].transitional_costs) == 50000.00);
    CHECK(pennies(e.total.transitional_costs) == 100000.00);
    // The slipped half's sale is beyond the horizon: 50% x 50% x 400 x £1,500 x 1.02^5.
    CHECK(pennies(e.beyond_horizon) == 165612.12);
}

TEST_CASE("The programme costs sensitivity moves every programme cost, per disposal too", "[receipts]") {
    const auto e =
        worked_example_with("[costs]\nprogramme_cost_per_disposal = 5000\n", "worked example, with disposal costs");
    double programme_pv = 0;
    for (size_t i = 0; i < e.by_year.size(); ++i)
        programme_pv += e.by_year[i].programme_costs / std::pow(1 + e.scenario.discount_rate, double(i));
    CHECK(e.total.programme_costs > 10000); // set-up and the disposals'
    auto row = std::find_if(e.sensitivity.begin(), e.sensitivity.end(),
                            [](const auto& r) { return r.assumption == "Programme costs"; });
    REQUIRE(row != e.sensitivity.end());
    // Doubled, the programme costs one more time its present value; halved, half less.
    CHECK(row->swing() == Approx(1.5 * programme_pv).epsilon(1e-9));
}
