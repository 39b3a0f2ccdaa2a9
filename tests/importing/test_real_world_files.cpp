// Files as agencies publish them (tests/data/real-world/, made by its make_files.py):
// every property a person would count is stored, each problem is a named warning,
// and rows read = stored + rejected for every one of them.

#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/owners.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/importing/importer.hpp"
#include "estate/io/profile.hpp"
#include "io/text_encoding.hpp"
#include "support.hpp"

#include <cmath>
#include <filesystem>

using namespace estate;

namespace {

std::string real_world(const std::string& name) {
    return std::string(ESTATE_SOURCE_DIR) + "/tests/data/real-world/" + name;
}

struct Imported {
    test::TempDir tmp;
    db::Register reg;
    importing::ImportSummary s;
    explicit Imported(const std::string& file, std::optional<std::string> profile = {},
                      std::optional<std::string> owner = {})
        : reg(db::Register::create(tmp.path("r.sqlite"))) {
        importing::ImportOptions o;
        o.source = real_world(file);
        o.profile = profile;
        o.owner = owner;
        s = importing::import_source(reg, o);
        // Strict on accounting, whatever the file.
        CHECK(s.read == s.stored() + s.rejected);
        CHECK(*reg.connection().scalar_int("SELECT rows_read = inserted + updated + unchanged + rejected FROM "
                                           "import_batches WHERE id = " +
                                           std::to_string(s.batch_id)) == 1);
        // Every text the register holds is UTF-8.
        auto st = reg.connection().prepare("SELECT coalesce(p.name, '') || coalesce(p.address, '') || "
                                           "coalesce(source_attributes, '') || coalesce(o.name, '') FROM properties p "
                                           "JOIN owners o ON o.id = p.owner_id");
        while (st.step()) CHECK(io::is_utf8(st.text(0)));
    }
    db::Connection& c() { return reg.connection(); }
    std::optional<std::string> text(const std::string& sql) { return c().scalar_text(sql); }
    double real(const std::string& sql) {
        auto st = c().prepare(sql);
        REQUIRE(st.step());
        return st.real(0);
    }
};

} // namespace

TEST_CASE("Windows-1252 from Excel: stored as UTF-8, amounts as people write them", "[import][real-world]") {
    Imported f("windows-1252.csv");
    CHECK(f.s.inserted == 5);
    CHECK(f.s.recoded_values > 0);
    CHECK(f.text("SELECT name FROM properties WHERE ref = 'WF001'") == "Caf\xC3\xA9 on the Green");
    CHECK(f.text("SELECT name FROM properties WHERE ref = 'WF002'") == "Bewdley Museum \xE2\x80\x93 store");
    CHECK(f.text("SELECT name FROM properties WHERE ref = 'WF005'") == "Depot \xE2\x80\x98North\xE2\x80\x99");
    CHECK(f.real("SELECT market_value FROM properties WHERE ref = 'WF001'") == 1250000);
    CHECK(f.real("SELECT market_value FROM properties WHERE ref = 'WF002'") == Approx(1200000));
    CHECK(f.real("SELECT market_value FROM properties WHERE ref = 'WF003'") == 119000);
    // "Nil" and "-": no value recorded, never zero.
    CHECK(*f.c().scalar_int("SELECT count(*) FROM properties WHERE market_value IS NULL") == 2);
    CHECK(f.s.stored_with_warnings == 0);
}

TEST_CASE("Semicolons and decimal commas", "[import][real-world]") {
    Imported f("semicolon-decimal-comma.csv");
    CHECK(f.s.separator == ';');
    CHECK(f.s.inserted == 3);
    CHECK(f.real("SELECT X(geom) FROM properties WHERE ref = 'MH1'") == Approx(377512.35));
    CHECK(f.real("SELECT Y(geom) FROM properties WHERE ref = 'MH1'") == Approx(245836.50));
    CHECK(f.real("SELECT gia_m2 FROM properties WHERE ref = 'MH1'") == Approx(1250.5));
    CHECK(f.real("SELECT market_value FROM properties WHERE ref = 'MH1'") == 1250000);
    CHECK(f.real("SELECT market_value FROM properties WHERE ref = 'MH2'") == 95000);
    CHECK(f.s.stored_with_warnings == 0);
}

TEST_CASE("A spreadsheet with a title above the header and a totals row below", "[import][real-world]") {
    Imported f("title-and-totals.xlsx");
    CHECK(f.s.profile == "transparency-code");
    CHECK(f.s.skipped_before_header == 1); // the title (GDAL does not return the blank row)
    CHECK(f.s.inserted == 4);
    // The blank row, the totals and the note are not properties.
    CHECK(f.s.rejected == 3);
    CHECK(f.s.rejected_by_reason["not_a_property"] == 3);
    CHECK(*f.c().scalar_int("SELECT count(*) FROM rejected_rows WHERE message LIKE '%totals row%'") == 1);
    CHECK(*f.c().scalar_int("SELECT count(*) FROM rejected_rows WHERE message LIKE '%a note%'") == 1);
    CHECK(f.text("SELECT tenure FROM properties WHERE ref = 'WY03'") == "leasehold_out"); // "Leasehold (out)"
    CHECK(f.text("SELECT o.name FROM properties p JOIN owners o ON o.id = p.owner_id LIMIT 1") ==
          "Wychavon District Council");
}

TEST_CASE("Service categories in Holding Type and unknown tenures are stored, words kept", "[import][real-world]") {
    Imported f("service-categories.csv");
    CHECK(f.s.inserted == 6); // today's register rejected four of these six
    CHECK(f.s.rejected == 0);
    CHECK(f.s.warnings_by_reason["unknown_holding_type"] == 3);
    CHECK(f.s.warnings_by_reason["unknown_tenure"] == 2);
    CHECK_FALSE(f.text("SELECT holding_type FROM properties WHERE ref = 'BR1'"));
    CHECK(f.text("SELECT holding_type_detail FROM properties WHERE ref = 'BR1'") == "Car Parks");
    // "Buildings Declared Surplus" is buildings, and the words stay.
    CHECK(f.text("SELECT holding_type FROM properties WHERE ref = 'BR4'") == "buildings");
    CHECK(f.text("SELECT holding_type_detail FROM properties WHERE ref = 'BR4'") == "Buildings Declared Surplus");
    CHECK(f.text("SELECT tenure FROM properties WHERE ref = 'BR4'") == "leasehold_out");
    CHECK_FALSE(f.text("SELECT tenure FROM properties WHERE ref = 'BR5'"));
    CHECK(f.text("SELECT tenure_detail FROM properties WHERE ref = 'BR5'") == "Chattel");
    // The summary lists the words and how to code them.
    REQUIRE(f.s.unrecognised.size() == 2);
    CHECK(f.s.unrecognised[0].field == "holding_type");
    CHECK(f.s.unrecognised[0].rows == 3);
    std::ostringstream text;
    importing::write_summary_text(text, f.s);
    CHECK_THAT(text.str(), Catch::Contains("[values holding_type]") && Catch::Contains("Car Parks = ") &&
                               Catch::Contains("[values tenure]") && Catch::Contains("Chattel = "));
}

TEST_CASE("A profile's values section codes a council's own words", "[import][real-world]") {
    test::TempDir tmp;
    test::write_file(tmp.path("bromsgrove.ini"),
                     "[profile]\nname = bromsgrove\n"
                     "[columns]\nowner = Organisation\nref = Asset Code\nname = Property Name\n"
                     "tenure = Tenure\nholding_type = Holding Type\nx = GeoX\ny = GeoY\n"
                     "[values holding_type]\nCar Parks = land\nParks, Gardens and open space = land\n"
                     "Miscellaneous Operational = buildings\n"
                     "[values tenure]\nChattel = other\nRight of way = other\n");
    Imported f("service-categories.csv", tmp.path("bromsgrove.ini"));
    CHECK(f.s.inserted == 6);
    CHECK(f.s.stored_with_warnings == 0);
    CHECK(f.text("SELECT holding_type FROM properties WHERE ref = 'BR2'") == "land");
    CHECK(f.text("SELECT holding_type_detail FROM properties WHERE ref = 'BR2'") == "Parks, Gardens and open space");
    CHECK(f.text("SELECT tenure FROM properties WHERE ref = 'BR6'") == "other");
    // A code the register does not have is refused when the profile is read.
    test::write_file(tmp.path("bad.ini"), "[profile]\nname = bad\n[values tenure]\nChattel = chattel\n");
    CHECK_THROWS_WITH(io::load_profile(tmp.path("bad.ini")),
                      Catch::Contains("bad.ini line 4") && Catch::Contains("'chattel' is not a tenure code"));
}

TEST_CASE("UPRNs Excel rounded are kept as a warning, an owner code is replaced by the name beside it",
          "[import][real-world]") {
    Imported f("excel-uprns-owner-codes.csv");
    CHECK(f.s.inserted == 4);
    CHECK(f.s.warnings_by_reason["mangled_uprn"] == 1);
    CHECK_FALSE(f.text("SELECT uprn FROM properties WHERE ref = 'WY10'"));
    CHECK(f.text("SELECT w.value FROM property_warnings w JOIN properties p ON p.id = w.property_id WHERE p.ref = "
                 "'WY10'") == "1.00121E+11");
    CHECK(f.text("SELECT uprn FROM properties WHERE ref = 'WY11'") == "100120632146"); // a numeric field's ".0"
    CHECK(f.text("SELECT uprn FROM properties WHERE ref = 'WY12'") == "100120632147"); // zero-padded
    CHECK(f.text("SELECT uprn FROM properties WHERE ref = 'WY13'") == "12345");
    // The owner column held E07000238; the name came from "Organisation Name".
    CHECK(f.s.owners_named_from_column == 4);
    CHECK(f.text("SELECT group_concat(name) FROM owners") == "Wychavon District Council");
    // show / rag set find a UPRN however its zeros are written.
    CHECK(db::find_one_property(f.reg, "000000012345").ref == "WY13");
    CHECK(db::find_one_property(f.reg, "12345").ref == "WY13");
}

TEST_CASE("An owner given only as a code is imported and said loudly", "[import][real-world]") {
    Imported f("owner-code-only.csv");
    CHECK(f.s.inserted == 2);
    CHECK(f.s.owner_codes == std::vector<std::string>{"47UG"});
    std::ostringstream text;
    importing::write_summary_text(text, f.s);
    CHECK_THAT(text.str(), Catch::Contains("OWNER LOOKS LIKE A CODE: '47UG'") && Catch::Contains("owners rename"));
    CHECK(db::register_info(f.reg).owners_named_by_code == std::vector<std::string>{"47UG"});
    // Named properly, with its properties kept.
    CHECK(db::rename_owner(f.reg, "47UG", "Wyre Forest District Council") == 2);
    CHECK(db::register_info(f.reg).owners_named_by_code.empty());
    CHECK(*f.c().scalar_int("SELECT count(*) FROM properties p JOIN owners o ON o.id = p.owner_id WHERE o.name = "
                            "'Wyre Forest District Council'") == 2);
    CHECK_THROWS_WITH(db::rename_owner(f.reg, "47UG", "X"), Catch::Contains("no owner '47UG'"));
}

TEST_CASE("Pipe-separated, OS grid references, areas in square feet and acres, line breaks in addresses",
          "[import][real-world]") {
    Imported f("pipe-grid-references.txt", std::string("generic"));
    CHECK(f.s.separator == '|');
    CHECK(f.s.inserted == 4);
    // SO 8493 5486: the centre of a 10 m square.
    CHECK(f.real("SELECT X(geom) FROM properties WHERE ref = 'HW1'") == 384935);
    CHECK(f.real("SELECT Y(geom) FROM properties WHERE ref = 'HW1'") == 254865);
    CHECK(f.real("SELECT X(geom) FROM properties WHERE ref = 'HW2'") == 403750);   // SP037436: 100 m square
    CHECK(f.real("SELECT Y(geom) FROM properties WHERE ref = 'HW3'") == 258745.5); // 10 figures: 1 m
    CHECK(f.s.warnings_by_reason["bad_grid_reference"] == 1);                      // "ZZ 1234 5678"
    CHECK(f.text("SELECT location_quality FROM properties WHERE ref = 'HW4'") == "unlocated");
    // 10,764 sq ft is 1,000 m2; half an acre is 0.2023 ha; the figure as written is kept.
    CHECK(f.real("SELECT gia_m2 FROM properties WHERE ref = 'HW1'") == Approx(1000.0).epsilon(1e-4));
    CHECK(f.real("SELECT land_area_ha FROM properties WHERE ref = 'HW1'") == Approx(0.20234282));
    CHECK_THAT(*f.text("SELECT source_attributes FROM properties WHERE ref = 'HW1'"),
               Catch::Contains("\"floor area (sq ft)\":\"10764\""));
    // Line breaks become ", "; no-break and repeated spaces one space; the postcode found
    // at the end of the address.
    CHECK(f.text("SELECT address FROM properties WHERE ref = 'HW2'") == "Merstow Green, Evesham, WR11 4BD");
    CHECK(f.text("SELECT name FROM properties WHERE ref = 'HW1'") == "Worcester Fire Station");
    CHECK(f.text("SELECT postcode FROM properties WHERE ref = 'HW1'") == "WR1 2JD");
    CHECK(f.text("SELECT postcode FROM properties WHERE ref = 'HW2'") == "WR11 4BD");
}

TEST_CASE("Tabs, Lat/Long columns, swapped coordinates, a repeated header and a blank row", "[import][real-world]") {
    Imported f("tab-lat-long.tsv", std::string("generic"));
    CHECK(f.s.separator == '\t');
    CHECK(f.s.read == 5);
    CHECK(f.s.inserted == 3);
    CHECK(f.s.rejected_by_reason["not_a_property"] == 2);
    CHECK(f.s.warnings_by_reason["swapped_coordinates"] == 1);
    // Altrincham's police station lands in Altrincham, not in the sea.
    CHECK(std::fabs(f.real("SELECT X(geom) FROM properties WHERE ref = 'P2'") - 376900) < 1500);
    CHECK(std::fabs(f.real("SELECT Y(geom) FROM properties WHERE ref = 'P2'") - 387800) < 1500);
}

TEST_CASE("A zipped Shapefile with a numeric UPRN field", "[import][real-world]") {
    Imported f("libraries-shapefile.zip", std::string("generic"), std::string("Worcestershire County Council"));
    CHECK(f.s.inserted == 2);
    CHECK(f.s.stored_with_warnings == 0);
    CHECK(f.text("SELECT uprn FROM properties WHERE ref = 'L1'") == "100120795123");
    CHECK(f.real("SELECT X(geom) FROM properties WHERE ref = 'L1'") == 384700);
    // The same file through GDAL's own virtual path.
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("v.sqlite"));
    importing::ImportOptions o;
    o.source = "/vsizip/" + real_world("libraries-shapefile.zip") + "/libraries.shp";
    o.profile = "generic";
    o.owner = "Worcestershire County Council";
    auto s = importing::import_source(reg, o);
    CHECK(s.inserted == 2);
    CHECK(s.sha256.size() == 64);
}

TEST_CASE("Every real-world file: every property stored, each warning in the data-issues CSV", "[import][real-world]") {
    const std::vector<std::pair<std::string, std::optional<std::string>>> files = {
        {"windows-1252.csv", {}},
        {"semicolon-decimal-comma.csv", {}},
        {"title-and-totals.xlsx", {}},
        {"service-categories.csv", {}},
        {"excel-uprns-owner-codes.csv", {}},
        {"owner-code-only.csv", {}},
        {"pipe-grid-references.txt", "generic"},
        {"tab-lat-long.tsv", "generic"}};
    for (const auto& [file, profile] : files) {
        INFO(file);
        Imported f(file, profile);
        std::int64_t warnings = 0;
        for (const auto& [reason, n] : f.s.warnings_by_reason) warnings += n;
        CHECK(*f.c().scalar_int("SELECT count(*) FROM property_warnings") == warnings);
        if (f.s.rejected + warnings == 0) {
            CHECK_FALSE(f.s.issues_file);
            continue;
        }
        REQUIRE(f.s.issues_file);
        std::string report = test::read_file(*f.s.issues_file);
        CHECK(static_cast<std::int64_t>(std::count(report.begin(), report.end(), '\n')) >= 1 + warnings + f.s.rejected);
        for (const auto& [reason, n] : f.s.warnings_by_reason)
            CHECK_THAT(report, Catch::Contains(",stored," + reason + ","));
        for (const auto& [reason, n] : f.s.rejected_by_reason)
            CHECK_THAT(report, Catch::Contains(",rejected," + reason + ","));
    }
}

TEST_CASE("A CSV with a title above its header", "[import][real-world]") {
    test::TempDir tmp;
    test::write_file(tmp.path("title.csv"), "Trafford Council land and buildings 2024\n\n"
                                            "OrganisationLabel,AssetCode,PropertyName,PostCode\n"
                                            "Trafford Council,T1,Town Hall,WA14 1PF\n"
                                            "Trafford Council,T2,Depot,M33 7DZ\n");
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    importing::ImportOptions o;
    o.source = tmp.path("title.csv");
    auto s = importing::import_source(reg, o);
    CHECK(s.profile == "transparency-code");
    CHECK(s.skipped_before_header == 1);
    CHECK(s.read == 2);
    CHECK(s.inserted == 2);
    CHECK(reg.connection().scalar_text("SELECT postcode FROM properties WHERE ref = 'T2'") == "M33 7DZ");
}
