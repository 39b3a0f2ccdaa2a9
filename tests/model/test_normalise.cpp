#include <catch2/catch.hpp>

#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"

#include <cmath>
#include <cstdlib>
#include <random>
#include <regex>

using namespace estate::model;

TEST_CASE("UPRNs are 1-12 digits stored as their number", "[model]") {
    CHECK(normalise_uprn("100012797623").value == "100012797623");
    CHECK(normalise_uprn("000012345").value == "12345");    // leading zeros: the same UPRN
    CHECK(normalise_uprn("000000012345").value == "12345"); // the 12-digit zero-padded form
    // All zeros is how a number column writes "none": no UPRN, and nothing wrong with the row.
    CHECK(!normalise_uprn("000000000000").value);
    CHECK(!normalise_uprn("000000000000").problem);
    CHECK(!normalise_uprn("N/A").problem);
    // Excel's display of a 12-digit number has lost its last digits: never a UPRN.
    CHECK(normalise_uprn("1.00012E+11").problem->reason == "mangled_uprn");
    CHECK(normalise_uprn("1.00012797623E+11").problem->reason == "mangled_uprn");
    CHECK(normalise_uprn("100012797623.0").value == "100012797623"); // spreadsheet export
    CHECK_FALSE(normalise_uprn("").value);
    CHECK(normalise_uprn("").ok());
    CHECK(normalise_uprn("1234567890123").problem->reason == "bad_uprn");
    CHECK(normalise_uprn("12AB").problem->reason == "bad_uprn");
}

TEST_CASE("Postcodes: full, partial, and malformed", "[model]") {
    auto full = normalise_postcode(" wa141pf ");
    CHECK(full.value == "WA14 1PF");
    CHECK(full.full);
    auto district = normalise_postcode("M33");
    CHECK(district.value == "M33");
    CHECK_FALSE(district.full);
    CHECK(normalise_postcode("WA14 1").value == "WA14 1");
    CHECK(normalise_postcode("M32 OXZ").problem->reason == "bad_postcode"); // letter O for zero
    CHECK(normalise_postcode("HELLO").problem->reason == "bad_postcode");
}

TEST_CASE("Postcodes are recognised exactly as the UK pattern says", "[model]") {
    // The hand-written recogniser against the pattern written as regular expressions,
    // on random strings built from postcode-like pieces.
    const std::regex full(R"(^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$)");
    const std::regex outward(R"(^[A-Z]{1,2}[0-9][0-9A-Z]?$)");
    const std::regex sector(R"(^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9])$)");
    std::mt19937 rng(7);
    const std::string pieces[] = {"A", "B", "W", "Z", "0", "1", "9", " ", "a", "-", "14", "EC"};
    int seen_full = 0, seen_partial = 0;
    for (int trial = 0; trial < 20000; ++trial) {
        std::string text;
        for (int n = static_cast<int>(rng() % 9); n > 0; --n) text += pieces[rng() % std::size(pieces)];
        std::string compact;
        for (char c : text)
            if (c != ' ') compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        std::smatch m;
        std::optional<std::string> expected;
        bool expected_full = false;
        if (compact.empty()) {
        } else if (std::regex_match(compact, m, full)) {
            expected = m[1].str() + " " + m[2].str();
            expected_full = true;
        } else if (std::regex_match(compact, outward)) {
            expected = compact;
        } else if (std::regex_match(compact, m, sector) && trim(text).find(' ') != std::string::npos) {
            expected = m[1].str() + " " + m[2].str();
        }
        auto got = normalise_postcode(text);
        INFO("'" << text << "'");
        CHECK(got.value == expected);
        CHECK(got.full == expected_full);
        CHECK(got.problem.has_value() == (!expected && !compact.empty()));
        seen_full += expected_full;
        seen_partial += expected && !expected_full;
    }
    CHECK(seen_full > 50);
    CHECK(seen_partial > 50);
}

TEST_CASE("Amounts as people write them: pounds, millions, thousands, decimal commas, no value", "[model]") {
    CHECK(*parse_amount("1,250,000.00", "market_value").value == 1250000);
    CHECK(*parse_amount("1.2m", "market_value").value == Approx(1200000));
    CHECK(*parse_amount("\xC2\xA3"
                        "0.4m",
                        "market_value")
               .value == Approx(400000));
    CHECK(*parse_amount("\xC2\xA3"
                        "750k",
                        "market_value")
               .value == 750000);
    CHECK(*parse_amount("\xC2\xA3"
                        "119K",
                        "market_value")
               .value == 119000);
    CHECK(*parse_amount("3 million", "market_value").value == 3000000);
    CHECK(*parse_amount("1.250.000,00", "market_value").value == 1250000);
    CHECK(*parse_amount("394812,35", "x", true).value == Approx(394812.35));
    CHECK(*parse_amount("1.250.000", "market_value", true).value == 1250000);
    CHECK(*parse_amount("\xC2\xA3"
                        "1\xC2\xA0"
                        "250\xC2\xA0"
                        "000",
                        "market_value")
               .value == 1250000);
    // No figure is no value, never zero.
    for (const char* nothing : {"Nil", "nil", "-", "n/a", "N/A", "TBC", "unknown", "\xE2\x80\x94"}) {
        INFO(nothing);
        auto n = parse_amount(nothing, "market_value");
        CHECK_FALSE(n.value);
        CHECK_FALSE(n.problem);
    }
    CHECK(*parse_amount("0", "market_value").value == 0); // a real zero stays zero
    CHECK(parse_amount("(1,000)", "market_value").problem->reason == "negative_value");
    CHECK(parse_amount("1e308", "market_value").problem->reason == "implausible_value");
    CHECK(parse_amount("1.2.3", "market_value").problem->reason == "bad_number");
}

TEST_CASE("Text, postcodes in addresses and owner codes", "[model]") {
    CHECK(clean_text("  Broomwood\n Centre ") == "Broomwood, Centre");
    CHECK(clean_text("105 Mainwood Road,\r\nAltrincham") == "105 Mainwood Road, Altrincham");
    CHECK(clean_text("Sale\xC2\xA0\xC2\xA0Waterside   Hall") == "Sale Waterside Hall");
    CHECK(clean_text("Plain") == "Plain");
    CHECK(postcode_at_end("1 High Street, Sale M33 7DZ") == "M33 7DZ");
    CHECK(postcode_at_end("1 High Street, Sale, M337DZ.") == "M33 7DZ");
    CHECK_FALSE(postcode_at_end("1 High Street, Sale"));
    CHECK_FALSE(postcode_at_end("Unit 12, M33")); // partial: not certain enough to use
    for (const char* code :
         {"E07000235", "W06000015", "47UD", "23UB", "00BUGA", "https://opendatacommunities.org/id/x"})
        CHECK(looks_like_code(code));
    for (const char* name : {"Trafford Council", "NHS", "E7", "Wyre Forest District Council"})
        CHECK_FALSE(looks_like_code(name));
}

TEST_CASE("Units in headers", "[model]") {
    CHECK(header_unit("Floor Area (sq ft)").unit == "sq ft");
    CHECK(header_unit("Floor Area (sq ft)").key == "floorarea");
    CHECK(header_unit("Site Area acres").unit == "acres");
    CHECK(header_unit("Site Area ha").unit == "ha");
    CHECK(header_unit("GIA m\xC2\xB2").unit == "m2");
    CHECK(header_unit("GIA m\xC2\xB2").key == "gia");
    CHECK(header_unit("Property Name").unit.empty());
}

TEST_CASE("Amounts accept pounds and commas, refuse words and negatives", "[model]") {
    CHECK(*parse_amount("\xC2\xA3"
                        "1,250,000",
                        "market_value")
               .value == 1250000);
    CHECK(*parse_amount("415.05", "gia_m2").value == Approx(415.05));
    CHECK(parse_amount("about 400", "gia_m2").problem->reason == "bad_number");
    CHECK(parse_amount("-5", "gia_m2").problem->reason == "negative_value");
    CHECK(*parse_fraction("85%", "utilisation").value == Approx(0.85));
    CHECK(*parse_fraction("0.4", "utilisation").value == Approx(0.4));
}

TEST_CASE("Amounts read exactly as strtod reads them", "[model]") {
    // Random number-like text: the value (or the refusal) is strtod's.
    std::mt19937 rng(5);
    const char pieces[] = "0123456789.eE+-x";
    int numbers = 0;
    for (int trial = 0; trial < 20000; ++trial) {
        std::string text;
        for (int n = 1 + static_cast<int>(rng() % 12); n > 0; --n) text += pieces[rng() % (sizeof pieces - 1)];
        char* end = nullptr;
        const double expected = std::strtod(text.c_str(), &end);
        const bool readable = end == text.c_str() + text.size() && std::isfinite(expected);
        auto got = parse_amount(text, "gia_m2");
        INFO(text);
        if (text.find_first_not_of('-') == std::string::npos && text.size() <= 2) {
            CHECK_FALSE(got.value); // "-" and "--": no figure
            CHECK_FALSE(got.problem);
        } else if (readable && expected > 1e12) {
            CHECK(got.problem->reason == "implausible_value");
        } else if (!readable) {
            CHECK(got.problem);
        } else if (expected < 0) {
            CHECK(got.problem->reason == "negative_value");
        } else {
            REQUIRE(got.value);
            CHECK(*got.value == expected); // to the last bit
            ++numbers;
        }
    }
    CHECK(numbers > 1000);
}

TEST_CASE("Tenure variants published by councils", "[model]") {
    CHECK(normalise_tenure("Freehold", "Owner Occupied").value == "freehold");
    CHECK(normalise_tenure("Freehold", "Leasehold Out").value == "leasehold_out");
    CHECK(normalise_tenure("Freehold", "Leasehold out").value == "leasehold_out");
    CHECK(normalise_tenure("Leasehold", "Leasehold In").value == "leasehold_in");
    CHECK(normalise_tenure("Leashold", "").value == "leasehold_in"); // typo seen in the wild
    CHECK(normalise_tenure("Licence", "").value == "licence");
    CHECK(normalise_tenure("", "").ok());
    CHECK_FALSE(normalise_tenure("", "").value);
    CHECK(normalise_tenure("Squatted", "").problem->reason == "unknown_tenure");
    // Punctuation is not meaning: "(out)" is out, never in.
    CHECK(normalise_tenure("Leasehold (out)", "").value == "leasehold_out");
    CHECK(normalise_tenure("Leasehold - In", "").value == "leasehold_in");
    CHECK(normalise_tenure("Freehold", "Leasehold (Out)").value == "leasehold_out");
    CHECK(normalise_tenure("Chattel", "").problem->reason == "unknown_tenure");
    CHECK(normalise_tenure("Right of way", "").problem->reason == "unknown_tenure");
}

TEST_CASE("Holding types", "[model]") {
    CHECK(normalise_holding_type("Land/Buildings").value == "land_and_buildings");
    CHECK(normalise_holding_type("Land").value == "land");
    CHECK(normalise_holding_type("Buildings").value == "buildings");
    CHECK(normalise_holding_type("Boat").problem->reason == "unknown_holding_type");
    // Service categories some councils put in the column: not holding types.
    CHECK(normalise_holding_type("Car Parks").problem->reason == "unknown_holding_type");
    CHECK(normalise_holding_type("Miscellaneous Operational").problem->reason == "unknown_holding_type");
}

TEST_CASE("Dates: impossible and implausible ones are refused", "[model]") {
    CHECK(normalise_date("2023-09-29").value == "2023-09-29");
    CHECK(normalise_date("29/09/2023").value == "2023-09-29");
    CHECK(normalise_date("2024-02-29").value == "2024-02-29"); // leap year
    CHECK(normalise_date("2023-02-29").problem->reason == "bad_date");
    CHECK(normalise_date("2023-13-01").problem->reason == "bad_date");
    CHECK(normalise_date("1066-10-14").problem->reason == "bad_date");
    CHECK(normalise_date("soon").problem->reason == "bad_date");
}

TEST_CASE("Uses are classified from free text", "[model]") {
    CHECK(classify_use("Town Hall") == "office");
    CHECK(classify_use("Primary School") == "school");
    CHECK(classify_use("Altrincham Crematorium") == "crematorium_cemetery");
    CHECK(classify_use("Stretford Library") == "library");
    CHECK(classify_use("Car Park, Regent Road") == "car_park");
    CHECK(classify_use("Managed allotments") == "allotments");
    CHECK(classify_use("Something else") == "other");
    CHECK_FALSE(classify_use(""));
}

TEST_CASE("Sectors from codes, labels and owner names", "[model]") {
    CHECK(normalise_sector("Fire and Rescue").value == "fire_and_rescue");
    CHECK(normalise_sector("police").value == "police");
    CHECK(normalise_sector("Ministry of Magic").value == "central_government");
    CHECK(normalise_sector("Pirates").problem->reason == "unknown_sector");
    CHECK(guess_sector("Trafford Council") == "local_government");
    CHECK(guess_sector("Greater Manchester Fire and Rescue Service") == "fire_and_rescue");
    CHECK(guess_sector("Manchester University NHS Foundation Trust") == "health");
    CHECK(guess_sector("Department for Work and Pensions") == "central_government");
}

TEST_CASE("Header keys ignore case, spaces and underscores", "[model]") {
    CHECK(header_key("Asset_Code ") == "assetcode");
    CHECK(header_key("\xEF\xBB\xBFOrganisationLabel") == "organisationlabel");
}

TEST_CASE("A status set by a person is told from a rule's suggestion one way everywhere", "[model]") {
    using estate::model::status_set_by_person;
    CHECK(status_set_by_person("green", std::string_view("person")));
    CHECK(status_set_by_person("red", std::string_view("web")));
    CHECK(status_set_by_person("amber", std::nullopt)); // set before sources were kept
    CHECK_FALSE(status_set_by_person("green", std::string_view("rule")));
    CHECK_FALSE(status_set_by_person("unassessed", std::string_view("person")));
    CHECK(estate::model::status_set_by_person_sql("p") ==
          "(p.rag_status <> 'unassessed' AND ifnull(p.rag_source, 'person') <> 'rule')");
}
