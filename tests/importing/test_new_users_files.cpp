// A new user's own files (tests/data/new-users/, made by its make_files.py), imported the
// first time with no profile: `estate import REG FILE [--owner NAME]`. Counted person by
// person: every row a person would count is stored, every row the file locates is
// located, and no warning is written that is not true.

#include <catch2/catch.hpp>

#include "support.hpp"

#include <filesystem>
#include <map>

namespace {

std::string new_users(const std::string& name) {
    return std::string(ESTATE_SOURCE_DIR) + "/tests/data/new-users/" + name;
}

// One file imported by the command line, no profile, into a fresh register.
struct FirstImport {
    test::TempDir tmp;
    std::string reg = tmp.path("r.sqlite");
    test::Json summary;
    test::RunResult run;
    explicit FirstImport(const std::string& file, const std::string& more = "") {
        REQUIRE(test::run_estate("init " + test::sh(reg)).exit_code == 0);
        run = test::run_estate("import " + test::sh(reg) + " " + test::sh(new_users(file)) + " --json " + more);
        INFO(run.err);
        REQUIRE(run.exit_code == 0);
        summary = test::parse_json(run.out);
        // Strict on accounting, whatever the file.
        CHECK(count("read") == count("stored") + count("rejected"));
    }
    long count(const std::string& key) const { return summary.get<long>(key); }
    long warnings(const std::string& reason) const { return summary.get<long>("warnings_by_reason." + reason, 0); }
    long all_warnings() const {
        long n = 0;
        for (const auto& [reason, v] : summary.get_child("warnings_by_reason")) n += v.get_value<long>();
        return n;
    }
    // Which column each inferred field was taken from.
    std::map<std::string, std::string> inferred() const {
        std::map<std::string, std::string> out;
        for (const auto& c : test::items(summary, "inferred_columns"))
            out[c.get<std::string>("field")] = c.get<std::string>("columns");
        return out;
    }
    std::string query(const std::string& sql) const {
        return test::run_shell("sqlite3 " + test::sh(reg) + " " + test::sh(sql)).out;
    }
};

} // namespace

TEST_CASE("A fire brigade's station list keyed by callsign with E and N goes in with --owner alone",
          "[import][new-users]") {
    FirstImport f("fire-stations-callsigns.csv", "--owner 'Greater Manchester Fire and Rescue Service'");
    CHECK(f.count("read") == 5);
    CHECK(f.count("inserted") == 5);
    CHECK(f.count("unlocated") == 0);
    CHECK(f.all_warnings() == 0);
    const auto cols = f.inferred();
    CHECK(cols.at("ref") == "Callsign");
    CHECK(cols.at("name") == "Station");
    CHECK(cols.at("x") == "E");
    CHECK(cols.at("y") == "N");
    CHECK(f.query("SELECT ref FROM properties ORDER BY ref LIMIT 1") == "G41\n");
}

TEST_CASE("A national dataset keyed by a messy UPRN: placeholders are no UPRN and a reused one is two libraries",
          "[import][new-users]") {
    FirstImport f("libraries-england-uprn.csv", "--postcodes " + test::sh(new_users("postcodes-code-point.csv")) +
                                                    " --postcodes " + test::sh(new_users("postcodes-onspd.csv")));
    // Ten rows: nine libraries and Bewdley pasted twice.
    CHECK(f.count("read") == 10);
    CHECK(f.count("inserted") == 9);
    CHECK(f.count("rejected") == 1);
    CHECK(f.summary.get<long>("rejected_by_reason.duplicate_ref") == 1);
    CHECK(f.summary.get<bool>("no_reference_column"));
    CHECK(f.count("postcode_located") == 9);
    CHECK(f.count("unlocated") == 0);
    CHECK(f.all_warnings() == 0); // N/A, n/a and 0 are no UPRN: nothing wrong with those rows
    CHECK(f.inferred().at("owner") == "Local authority");
    CHECK(f.query("SELECT count(*) FROM properties WHERE uprn IS NULL") == "4\n");
    // The county's reused UPRN: Kidderminster and Stourport both stored.
    CHECK(f.query("SELECT count(*) FROM properties WHERE uprn = '100120999002'") == "2\n");
    CHECK(f.query("SELECT count(DISTINCT owner_id) FROM properties") == "2\n");
    // The lookups given are kept: the next import places the rows with no --postcodes.
    auto again = test::run_estate("import " + test::sh(f.reg) + " " +
                                  test::sh(new_users("libraries-england-uprn.csv")) + " --json");
    REQUIRE(again.exit_code == 0);
    const auto s = test::parse_json(again.out);
    CHECK(s.get<long>("unchanged") == 9);
    CHECK(s.get<long>("unlocated") == 0);
}

TEST_CASE("A city's list whose only identifier is the name: the new library and the closed one both stored",
          "[import][new-users]") {
    FirstImport f("city-libraries-names-only.csv", "--owner 'Manchester City Council'");
    CHECK(f.count("read") == 4);
    CHECK(f.count("inserted") == 4);
    CHECK(f.count("rejected") == 0);
    CHECK(f.all_warnings() == 0);
    CHECK(f.query("SELECT count(*) FROM properties WHERE name = 'Central Library'") == "2\n");
    // Unlocated for want of a lookup, and the summary says how to give one.
    CHECK(f.count("unlocated") == 4);
    CHECK(f.count("unlocated_with_postcode") == 4);
    auto text =
        test::run_estate("import " + test::sh(f.reg) + " " + test::sh(new_users("city-libraries-names-only.csv")) +
                         " --owner 'Manchester City Council' --dry-run");
    CHECK_THAT(text.err, Catch::Contains("estate postcodes load REGISTER FILE"));
    // Loaded once into the register, the lookup places them on the next import; the
    // references made from their content do not change with the place.
    auto load =
        test::run_estate("postcodes load " + test::sh(f.reg) + " " + test::sh(new_users("postcodes-onspd.csv")));
    REQUIRE(load.exit_code == 0);
    CHECK_THAT(load.err, Catch::Contains("9 postcodes read") && Catch::Contains("1 rows without a usable place"));
    auto again =
        test::run_estate("import " + test::sh(f.reg) + " " + test::sh(new_users("city-libraries-names-only.csv")) +
                         " --owner 'Manchester City Council' --json");
    REQUIRE(again.exit_code == 0);
    const auto s = test::parse_json(again.out);
    CHECK(s.get<long>("updated") == 4);
    CHECK(s.get<long>("inserted") == 0);
    CHECK(s.get<long>("postcode_located") == 4);
}

TEST_CASE("Schools as GeoJSON with a Shapefile's shortened names and URNs of 0", "[import][new-users]") {
    FirstImport f("schools-truncated-names.geojson", "--owner 'Trafford Council'");
    CHECK(f.count("read") == 5);
    CHECK(f.count("inserted") == 5); // the two schools whose URN is 0 are two schools
    CHECK(f.count("unlocated") == 0);
    CHECK(f.inferred().at("name") == "establis00");
    CHECK(f.inferred().at("ref") == "URN");
    // True warnings only: the two rows have no URN.
    CHECK(f.warnings("missing_ref") == 2);
    CHECK(f.all_warnings() == 2);
    CHECK(f.query("SELECT count(*) FROM properties WHERE use = 'school'") == "5\n");
}

TEST_CASE("Building outlines as WKT in British National Grid with no CRS column", "[import][new-users]") {
    FirstImport f("os-buildings-wkt-bng.csv", "--owner 'Wyre Forest District Council'");
    CHECK(f.count("read") == 4);
    CHECK(f.count("inserted") == 4);
    CHECK(f.count("unlocated") == 0);
    CHECK(f.all_warnings() == 0); // not one "cannot be transformed from EPSG:4326"
    CHECK(f.query("SELECT count(*) FROM properties WHERE footprint IS NOT NULL") == "4\n");
    // Where the outlines are: the centre of the first 20 m square.
    CHECK(test::run_shell("spatialite -silent " + test::sh(f.reg) + " " +
                          test::sh("SELECT round(X(geom)), round(Y(geom)) FROM properties WHERE ref = "
                                   "'osgb1000021594701'"))
              .out == "383210.0|276710.0\n");
}

TEST_CASE("Headers that say nothing: the columns are told by what they hold", "[import][new-users]") {
    FirstImport f("headers-say-nothing.csv", "--owner 'Wyre Forest District Council'");
    CHECK(f.count("inserted") == 4);
    CHECK(f.count("unlocated") == 0);
    CHECK(f.all_warnings() == 0);
    const auto cols = f.inferred();
    CHECK(cols.at("name") == "col1");
    CHECK(cols.at("address") == "col2");
    CHECK(cols.at("postcode") == "col3");
    CHECK(cols.at("x") == "col4");
    CHECK(cols.at("y") == "col5");
}

TEST_CASE("A file naming no owner asks for --owner and writes nothing", "[import][new-users]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("r.sqlite");
    REQUIRE(test::run_estate("init " + test::sh(reg)).exit_code == 0);
    auto r = test::run_estate("import " + test::sh(reg) + " " + test::sh(new_users("fire-stations-callsigns.csv")));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--owner 'Full Name'"));
}

TEST_CASE("A dry run prints the mapping and the counts and writes nothing and profile guess writes them to edit",
          "[import][new-users]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("r.sqlite");
    const std::string file = new_users("fire-stations-callsigns.csv");
    // Before the register exists: nothing is made.
    auto dry = test::run_estate("import --dry-run " + test::sh(reg) + " " + test::sh(file) + " --owner GMFRS");
    CHECK(dry.exit_code == 0);
    CHECK_THAT(dry.err, Catch::Contains("Dry run: nothing was written") &&
                            Catch::Contains("ref           <- Callsign") && Catch::Contains("inserted           5"));
    CHECK_FALSE(std::filesystem::exists(reg));
    // An existing register is left byte for byte as it was, and no issues file is written.
    REQUIRE(test::run_estate("init " + test::sh(reg)).exit_code == 0);
    const std::string before = test::read_file(reg);
    auto into = test::run_estate("import --dry-run " + test::sh(reg) + " " +
                                 test::sh(new_users("schools-truncated-names.geojson")) + " --owner Trafford --json");
    CHECK(into.exit_code == 0);
    CHECK(test::parse_json(into.out).get<bool>("dry_run"));
    CHECK(test::parse_json(into.out).get<long>("inserted") == 5);
    CHECK(test::read_file(reg) == before);
    for (const auto& e : std::filesystem::directory_iterator(tmp.root()))
        CHECK(e.path().filename().string().find("issues") == std::string::npos);

    // The guess as a profile: edited (a column renamed), it imports the file as asked.
    auto guess = test::run_estate("profile guess " + test::sh(file) + " --owner GMFRS");
    REQUIRE(guess.exit_code == 0);
    CHECK_THAT(guess.out, Catch::Contains("ref = Callsign") && Catch::Contains("x = E") &&
                              Catch::Contains("owner = GMFRS") && Catch::Contains("; x: inferred from its values"));
    test::write_file(tmp.path("mine.ini"), guess.out);
    auto asked = test::run_estate("import " + test::sh(reg) + " " + test::sh(file) + " --profile " +
                                  test::sh(tmp.path("mine.ini")) + " --json");
    REQUIRE(asked.exit_code == 0);
    const auto s = test::parse_json(asked.out);
    CHECK(s.get<long>("inserted") == 5);
    CHECK(s.get<long>("unlocated") == 0);
    CHECK(test::items(s, "inferred_columns").empty()); // the profile said it all
}

TEST_CASE("A location once found is not lost to next year's file that lacks what found it", "[import][new-users]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("r.sqlite");
    REQUIRE(test::run_estate("init " + test::sh(reg)).exit_code == 0);
    test::write_file(tmp.path("2025.csv"), "ref,name,postcode,owner\nL1,Sale Library,M33 7YH,Trafford Council\n"
                                           "L2,Urmston Library,M41 0NA,Trafford Council\n");
    // 2026: L1's postcode was left blank; nothing else places it.
    test::write_file(tmp.path("2026.csv"), "ref,name,postcode,owner\nL1,Sale Library,,Trafford Council\n"
                                           "L2,Urmston Library,M41 0NA,Trafford Council\n");
    auto y1 = test::run_estate("import " + test::sh(reg) + " " + test::sh(tmp.path("2025.csv")) + " --postcodes " +
                               test::sh(new_users("postcodes-onspd.csv")) + " --json");
    REQUIRE(y1.exit_code == 0);
    CHECK(test::parse_json(y1.out).get<long>("postcode_located") == 2);
    auto y2 = test::run_estate("import " + test::sh(reg) + " " + test::sh(tmp.path("2026.csv")) + " --json");
    REQUIRE(y2.exit_code == 0);
    const auto s = test::parse_json(y2.out);
    CHECK(s.get<long>("unlocated") == 0);
    CHECK(s.get<long>("locations_kept") == 1);
    CHECK(s.get<long>("warnings_by_reason.location_kept") == 1);
    CHECK(test::run_shell("sqlite3 " + test::sh(reg) + " " +
                          test::sh("SELECT location_quality, geom IS NOT NULL FROM properties WHERE ref = 'L1'"))
              .out == "postcode|1\n");
}

TEST_CASE("One council under two names is reported at import and merged into one owner with its duplicates found",
          "[import][new-users][owners]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("r.sqlite");
    REQUIRE(test::run_estate("init " + test::sh(reg)).exit_code == 0);
    // The council's own layer, located; then a national list naming it without "Council",
    // with postcodes and no coordinates.
    test::write_file(tmp.path("own.csv"),
                     "ref,name,postcode,easting,northing,owner,use\n"
                     "B1,Bath Central Library,BA1 5AN,375060,164640,Bath and North East Somerset Council,library\n"
                     "B2,Keynsham Library,BS31 1FS,365600,168700,Bath and North East Somerset Council,library\n"
                     "B3,Guildhall,BA1 5AW,375140,164780,Bath and North East Somerset Council,office\n");
    test::write_file(tmp.path("national.csv"), "Library name,Local authority,Postcode\n"
                                               "Bath Central Library,Bath & North East Somerset,BA1 5AN\n"
                                               "Keynsham Library,Bath & North East Somerset,BS31 1FS\n"
                                               "Midsomer Norton Library,Bath & North East Somerset,BA3 2DA\n");
    REQUIRE(test::run_estate("import " + test::sh(reg) + " " + test::sh(tmp.path("own.csv"))).exit_code == 0);
    REQUIRE(test::run_estate("officers add " + test::sh(reg) + " 'Ann Smith' --agency 'Bath & North East Somerset'")
                .exit_code != 0); // no such owner yet
    auto national = test::run_estate("import " + test::sh(reg) + " " + test::sh(tmp.path("national.csv")));
    REQUIRE(national.exit_code == 0);
    CHECK_THAT(national.err, Catch::Contains("OWNER 'Bath & North East Somerset' LOOKS LIKE 'Bath and North East "
                                             "Somerset Council'") &&
                                 Catch::Contains("estate owners merge REGISTER 'Bath & North East Somerset' 'Bath and "
                                                 "North East Somerset Council' --by"));
    // Two owners, so the same libraries are not yet seen as one.
    CHECK_THAT(test::run_estate("duplicates " + test::sh(reg)).out, !Catch::Contains("Keynsham"));

    auto merged =
        test::run_estate("owners merge " + test::sh(reg) +
                         " 'Bath & North East Somerset' 'Bath and North East Somerset Council' --by 'Ann Smith'");
    REQUIRE(merged.exit_code == 0);
    CHECK_THAT(merged.err, Catch::Contains("3 properties and 0 officers moved"));
    auto q = [&](const std::string& sql) {
        return test::run_shell("sqlite3 " + test::sh(reg) + " " + test::sh(sql)).out;
    };
    CHECK(q("SELECT count(*) FROM owners") == "1\n");
    CHECK(q("SELECT alias || '|' || merged_by || '|' || properties FROM owner_aliases") ==
          "Bath & North East Somerset|Ann Smith|3\n");
    // The pairs both names listed: found although the national records have no location.
    auto dups = test::run_estate("duplicates " + test::sh(reg) + " --json");
    REQUIRE(dups.exit_code == 0);
    const std::string found = dups.out;
    CHECK_THAT(found, Catch::Contains("same_postcode_unlocated") && Catch::Contains("Keynsham Library") &&
                          Catch::Contains("Bath Central Library") && !Catch::Contains("Midsomer"));
    CHECK(test::items(test::parse_json(dups.out), "groups").size() == 2);
    // Next year's national list lands on the merged owner: nothing new, nothing doubled.
    auto again = test::run_estate("import " + test::sh(reg) + " " + test::sh(tmp.path("national.csv")) + " --json");
    REQUIRE(again.exit_code == 0);
    const auto s = test::parse_json(again.out);
    CHECK(s.get<long>("unchanged") == 3);
    CHECK(s.get<long>("inserted") == 0);
    CHECK(test::items(s, "similar_owners").empty());
    CHECK(test::items(s, "owners_merged_names").size() == 1);
    CHECK(q("SELECT count(*) FROM owners") == "1\n");
    // Merging an owner into itself, or one that is not there, is refused.
    CHECK(test::run_estate("owners merge " + test::sh(reg) + " 'Nobody' 'Bath and North East Somerset Council' --by X")
              .exit_code == 2);
}

TEST_CASE("Whatever GDAL reads goes in whole: KML folders and KMZ and GeoPackage in Web Mercator and MapInfo and ODS",
          "[import][new-users][formats]") {
    struct Case {
        const char* file;
        long rows;
    };
    for (const Case& c :
         {Case{"sites-two-folders.kml", 3}, Case{"sites-two-folders.kmz", 3}, Case{"depots-web-mercator.gpkg", 2},
          Case{"mapinfo/depots.tab", 2}, Case{"depots.ods", 2}, Case{"workbook-properties-on-sheet-2.xlsx", 3},
          Case{"two-row-header.csv", 3}, Case{"utf16-unicode-text.txt", 2}}) {
        INFO(c.file);
        FirstImport f(c.file, "--owner 'Wyre Forest District Council'");
        CHECK(f.count("read") == c.rows);
        CHECK(f.count("inserted") == c.rows);
        CHECK(f.count("unlocated") == 0); // every row the file places, placed
        CHECK(f.all_warnings() == 0);
        // Every place in Worcestershire or Greater Manchester: no axis or CRS mix-up.
        CHECK(test::run_shell("spatialite -silent " + test::sh(f.reg) + " " +
                              test::sh("SELECT count(*) FROM properties WHERE X(geom) BETWEEN 330000 AND 400000 AND "
                                       "Y(geom) BETWEEN 240000 AND 420000"))
                  .out == std::to_string(c.rows) + "\n");
    }
}

TEST_CASE("The sheet that holds the properties and the folders and the encoding are found and said",
          "[import][new-users][formats]") {
    FirstImport sheet("workbook-properties-on-sheet-2.xlsx", "--owner 'Wyre Forest District Council'");
    CHECK(sheet.summary.get<std::string>("layer") == "Property list");
    CHECK_THAT(sheet.summary.get<std::string>("layer_note"), Catch::Contains("sheet 'Property list' of 2"));
    FirstImport kml("sites-two-folders.kml", "--owner 'Trafford Council'");
    CHECK_THAT(kml.summary.get<std::string>("layer_note"), Catch::Contains("all 2 folders"));
    CHECK(kml.query("SELECT count(*) FROM properties WHERE source_attributes LIKE '%Children''s centres%'") == "1\n");
    FirstImport two_rows("two-row-header.csv", "--owner 'Wyre Forest District Council'");
    CHECK(two_rows.count("header_rows") == 2);
    CHECK(two_rows.inferred().at("ref") == "Site Reference");
    FirstImport utf16("utf16-unicode-text.txt", "--owner 'Wyre Forest District Council'");
    CHECK(utf16.summary.get<bool>("utf16"));
    CHECK(utf16.query("SELECT name FROM properties ORDER BY ref LIMIT 1") ==
          "Caf\xC3\xA9 Pavilion \xE2\x80\x93 Brinton Park\n");
    CHECK(utf16.summary.get<std::string>("layer") == "utf16-unicode-text");
}

TEST_CASE("An owner's code given beside its name is learned and a later file naming only the code lands on it",
          "[import][new-users][owners]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("r.sqlite");
    REQUIRE(test::run_estate("init " + test::sh(reg)).exit_code == 0);
    const std::string with_name = std::string(ESTATE_SOURCE_DIR) + "/tests/data/real-world/excel-uprns-owner-codes.csv";
    auto first = test::run_estate("import " + test::sh(reg) + " " + test::sh(with_name) + " --json");
    REQUIRE(first.exit_code == 0);
    const auto learned = test::items(test::parse_json(first.out), "owner_codes_learned");
    REQUIRE(learned.size() == 1);
    CHECK(learned[0].get<std::string>("code") == "E07000238");
    CHECK(learned[0].get<std::string>("owner") == "Wychavon District Council");
    // The council's next list gives only its code: its rows go to the council.
    test::write_file(tmp.path("code-only.csv"), "Organisation,Asset Code,Property Name,Post Code\n"
                                                "E07000238,WY90,Pershore Civic Centre,WR10 1AH\n");
    auto next = test::run_estate("import " + test::sh(reg) + " " + test::sh(tmp.path("code-only.csv")) + " --json");
    REQUIRE(next.exit_code == 0);
    const auto s = test::parse_json(next.out);
    CHECK(test::items(s, "owner_codes").empty()); // not "an owner that looks like a code"
    CHECK(test::items(s, "owners_merged_names").size() == 1);
    CHECK(test::run_shell("sqlite3 " + test::sh(reg) + " " +
                          test::sh("SELECT o.name FROM properties p JOIN owners o ON o.id = p.owner_id WHERE p.ref = "
                                   "'WY90'"))
              .out == "Wychavon District Council\n");
    CHECK(test::run_shell("sqlite3 " + test::sh(reg) + " 'SELECT count(*) FROM owners'").out == "1\n");
}
