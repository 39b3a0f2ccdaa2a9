#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/importing/importer.hpp"
#include "estate/io/postcodes.hpp"
#include "estate/io/source.hpp"
#include "support.hpp"

#include <cstdlib>
#include <filesystem>

using namespace estate;

namespace {

importing::ImportSummary import(db::Register& reg, const std::string& source, std::optional<std::string> profile = {},
                                const io::PostcodeIndex* postcodes = nullptr, std::optional<std::string> owner = {}) {
    importing::ImportOptions o;
    o.source = source;
    o.profile = profile;
    o.postcodes = postcodes;
    o.owner = owner;
    return importing::import_source(reg, o);
}

std::int64_t count(db::Register& reg, const std::string& where) {
    return *reg.connection().scalar_int("SELECT count(*) FROM properties p JOIN owners o ON "
                                        "o.id = p.owner_id WHERE " +
                                        where);
}

} // namespace

TEST_CASE("A stray quote in row 5 of the Trafford file costs row 5 alone", "[import][trafford]") {
    test::TempDir tmp;
    std::string text = test::read_file(test::trafford("trafford_land_and_building_assets.csv"));
    // The end of row 5 (the sixth line, after the header).
    size_t at = 0;
    for (int line = 0; line < 6; ++line) at = text.find('\n', at) + 1;
    size_t end = at - 1;
    if (text[end - 1] == '\r') --end;
    text.insert(end, "\"");
    const std::string path = tmp.path("stray.csv");
    test::write_file(path, text);
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    auto s = import(reg, path, {}, nullptr);
    CHECK(s.read == 608);
    CHECK(s.inserted == 607); // every row but the damaged one
    CHECK(s.rejected == 1);
    CHECK(s.rejected_by_reason["malformed_record"] == 1);
    REQUIRE(s.issues_file);
    const std::string issues = test::read_file(*s.issues_file);
    CHECK_THAT(issues,
               Catch::Contains("malformed_record") && Catch::Contains("(line 6)") && Catch::Contains("stray quote"));
    CHECK(*reg.connection().scalar_int("SELECT count(*) FROM rejected_rows WHERE reason = 'malformed_record' AND "
                                       "source_row = 5 AND original LIKE '%\"%'") == 1);
}

TEST_CASE("Trafford's 608 council rows are all accounted for", "[import][trafford]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    io::PostcodeIndex postcodes;
    postcodes.load(test::trafford("trafford_postcodes.csv"));
    CHECK(postcodes.size() > 11000);

    auto s = import(reg, test::trafford("trafford_land_and_building_assets.csv"), {}, &postcodes);
    CHECK(s.profile == "transparency-code"); // recognised from its headers
    CHECK(s.read == 608);
    CHECK(s.read == s.inserted + s.updated + s.unchanged + s.rejected);
    CHECK(s.inserted == 608); // every property stored
    CHECK(s.rejected == 0);
    CHECK(s.stored_with_warnings == 37);
    CHECK(s.warnings_by_reason["bad_postcode"] == 1);        // "M32 OXZ": letter O for a zero, stored without it
    CHECK(s.warnings_by_reason["swapped_coordinates"] == 1); // latitude and longitude swapped, corrected
    CHECK(s.warnings_by_reason["unknown_use"] == 36);        // "Undocumented Tenancy" is not a use
    CHECK(s.postcode_located == 22);
    CHECK(s.unlocated == 213);
    CHECK(count(reg, "location_quality = 'source'") == 608 - 22 - 213);
    REQUIRE(s.issues_file);
    std::string report = test::read_file(*s.issues_file);
    CHECK_THAT(report, Catch::Contains("TMBC0396/P0000036") && Catch::Contains("swapped_coordinates"));
    CHECK(*reg.connection().scalar_int("SELECT count(*) FROM rejected_rows") == 0);
    CHECK(*reg.connection().scalar_int("SELECT count(*) FROM property_warnings") == 38);
    // The swapped row lands in Davyhulme (M41), where its postcode is.
    CHECK(*reg.connection().scalar_int("SELECT CAST(X(geom) AS INTEGER) / 1000 FROM properties WHERE ref = "
                                       "'TMBC0396/P0000036'") == 375);
    CHECK_FALSE(reg.connection().scalar_text("SELECT postcode FROM properties WHERE ref = 'TMBC0350'"));

    // Real values come through the mapping.
    auto& c = reg.connection();
    CHECK(c.scalar_text("SELECT tenure FROM properties WHERE ref = 'TMBC0002/B0000066'") == "leasehold_out");
    CHECK(c.scalar_text("SELECT use FROM properties WHERE ref = 'TMBC0001/T0000003'") == "office");
    CHECK(c.scalar_text("SELECT address FROM properties WHERE ref = 'TMBC0002/B0000066'") ==
          "105 Mainwood Road, Altrincham");
    CHECK(c.scalar_text("SELECT occupancy FROM properties WHERE ref = 'TMBC0004'") == "vacant");
    // Columns with no field of their own are kept.
    CHECK_THAT(*c.scalar_text("SELECT source_attributes FROM properties WHERE ref = 'TMBC0001/T0000003'"),
               Catch::Contains("OrganisationURI"));
}

TEST_CASE("Re-importing changes nothing, and an edited file updates only what changed", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    std::string csv =
        "OrganisationLabel,AssetCode,PropertyName,PostCode,CoordinateReferenceSystem,GeoX,GeoY,"
        "TenureType,TenureDetail,HoldingType,BuildingSize\n"
        "Trafford Council,A1,Town Hall,WA14 1PF,WGS84,-2.3520922,53.3879587,Freehold,Owner Occupied,Buildings,415\n"
        "Trafford Council,A2,Depot,M33 7DZ,WGS84,-2.3204334,53.426618,Freehold,Vacant,Land/Buildings,900\n";
    test::write_file(tmp.path("v1.csv"), csv);
    auto first = import(reg, tmp.path("v1.csv"));
    CHECK(first.inserted == 2);
    auto dump = [&] {
        std::string out;
        auto st = reg.connection().prepare(
            "SELECT id, ref, name, gia_m2, batch_id, AsText(geom) FROM properties ORDER BY id");
        while (st.step())
            for (int i = 0; i < 6; ++i) out += st.as_text(i) + "|";
        return out;
    };
    std::string before = dump();
    auto again = import(reg, tmp.path("v1.csv"));
    CHECK(again.unchanged == 2);
    CHECK(again.inserted + again.updated == 0);
    CHECK(dump() == before);

    std::string edited = csv;
    edited.replace(edited.find("900"), 3, "950");
    test::write_file(tmp.path("v2.csv"), edited);
    auto third = import(reg, tmp.path("v2.csv"));
    CHECK(third.updated == 1);
    CHECK(third.unchanged == 1);
    CHECK(reg.connection().scalar_text("SELECT fields FROM property_updates WHERE batch_id = " +
                                       std::to_string(third.batch_id)) == "gia_m2");
    CHECK(reg.connection().scalar_int("SELECT batch_id FROM properties WHERE ref = 'A2'") == third.batch_id);
}

TEST_CASE("Bad values are stored with named warnings, and only rows that are not properties are rejected", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("bad.csv"),
                     "OrganisationLabel,AssetCode,UPRN,PropertyName,PostCode,TenureType,HoldingType,"
                     "BuildingSize,LandArea,EffectiveDate\n"
                     "Council,OK1,123,Good,WA14 1PF,Freehold,Land,10,1,2023-01-01\n"
                     "Council,B1,12AB,Bad UPRN,,Freehold,Land,,,\n"
                     "Council,B2,,Bad postcode,QQQ QQQ,Freehold,Land,,,\n"
                     "Council,B3,,Words for area,,Freehold,Land,big,,\n"
                     "Council,B4,,Negative,,Freehold,Land,,-3,\n"
                     "Council,B5,,Odd tenure,,Timeshare,Land,,,\n"
                     "Council,B6,,Bad date,,Freehold,Land,,,2023-02-30\n"
                     "Council,OK1,,Same ref again,,Freehold,Land,,,\n"
                     "Council,,,No ref,,Freehold,Land,,,\n"
                     "Council,,,,,,,,,\n"
                     "Council,OK1,123,Good,WA14 1PF,Freehold,Land,10,1,2023-01-01\n");
    auto s = import(reg, tmp.path("bad.csv"), std::string("transparency-code"));
    CHECK(s.read == 11);
    CHECK(s.inserted == 9);
    CHECK(s.rejected == 2);
    CHECK(s.read == s.stored() + s.rejected);
    CHECK(s.rejected_by_reason["duplicate_ref"] == 1); // row 11 is row 1 again
    CHECK(s.rejected_by_reason["no_identity"] == 1);   // an owner and nothing else
    CHECK(s.stored_with_warnings == 8);
    // Row 8 shares row 1's reference but names another building: stored under its own.
    for (const char* reason : {"bad_uprn", "bad_postcode", "bad_number", "negative_value", "unknown_tenure", "bad_date",
                               "missing_ref", "repeated_reference"})
        CHECK(s.warnings_by_reason[reason] == 1);
    auto& c = reg.connection();
    // The values at fault are left empty, never zero; the words are kept.
    CHECK_FALSE(c.scalar_text("SELECT uprn FROM properties WHERE ref = 'B1'"));
    CHECK(c.scalar_int("SELECT gia_m2 IS NULL FROM properties WHERE ref = 'B3'") == 1);
    CHECK(c.scalar_int("SELECT land_area_ha IS NULL FROM properties WHERE ref = 'B4'") == 1);
    CHECK_FALSE(c.scalar_text("SELECT tenure FROM properties WHERE ref = 'B5'"));
    CHECK(c.scalar_text("SELECT tenure_detail FROM properties WHERE ref = 'B5'") == "Timeshare");
    CHECK(c.scalar_text("SELECT value FROM property_warnings w JOIN properties p ON p.id = w.property_id "
                        "WHERE p.ref = 'B1'") == "12AB");
    // A row with no reference gets one made from its content, the same on every import.
    auto made = c.scalar_text("SELECT ref FROM properties WHERE name = 'No ref'");
    REQUIRE(made);
    CHECK(made->rfind("auto-", 0) == 0);
    auto again = import(reg, tmp.path("bad.csv"), std::string("transparency-code"));
    CHECK(again.unchanged == 9);
    CHECK(*c.scalar_int("SELECT count(*) FROM property_warnings") == 8); // the earlier ones replaced
    CHECK(c.scalar_text("SELECT ref FROM properties WHERE name = 'Good'") == "OK1");
    CHECK(c.scalar_text("SELECT ref FROM properties WHERE name = 'Same ref again'")->rfind("auto-", 0) == 0);
    std::string report = test::read_file(*s.issues_file);
    CHECK_THAT(report, Catch::Contains("already appears at row 1"));
    CHECK_THAT(report, Catch::Contains("'12AB'"));
    CHECK_THAT(report, Catch::Contains("stored,bad_uprn,uprn,12AB"));
}

TEST_CASE("A NUL or other control byte in a field costs nothing of the row: a warning, the rest read", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    std::string text = "ref,name,address,postcode,owner,gia_m2\n"
                       "A1,Town^ Hall,1 High St,M33 7ZZ,Trafford Council,120\n"
                       "A2,Library,2 Low\x0cSt,M32 0AA,Trafford Council,80\n"
                       "A3,Depot,3 Side St,M41 5AA,Trafford Council,40\n";
    text[text.find('^')] = '\0';
    test::write_file(tmp.path("nul.csv"), text);
    auto s = import(reg, tmp.path("nul.csv"), std::string("generic"));
    CHECK(s.read == 3);
    CHECK(s.inserted == 3);
    CHECK(s.warnings_by_reason["control_characters"] == 2);
    CHECK(s.warnings_by_reason.size() == 1); // nothing else went wrong: the owner, postcode and area all read
    auto& c = reg.connection();
    CHECK(c.scalar_text("SELECT p.name || '|' || address || '|' || postcode || '|' || gia_m2 || '|' || o.name "
                        "FROM properties p JOIN owners o ON o.id = p.owner_id WHERE ref = 'A1'") ==
          "Town Hall|1 High St|M33 7ZZ|120.0|Trafford Council");
    CHECK(c.scalar_text("SELECT address FROM properties WHERE ref = 'A2'") == "2 Low St");
    CHECK(c.scalar_text("SELECT value FROM property_warnings w JOIN properties p ON p.id = w.property_id "
                        "WHERE p.ref = 'A1'") == "Town\\x00 Hall");
}

TEST_CASE("Header variants: other councils' column names, eastings with no CRS column", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("other.csv"),
                     "Organisation,Asset Reference,Property Name,Site Address,Tenure Category,"
                     "X co-ordinate,Y co-ordinate\n"
                     "Worcester City Council,W1,Guildhall,High Street,Leashold,385000,254800\n"
                     "Worcester City Council,W2,Market,High Street,Leasehold Out,385100,254900\n");
    auto s = import(reg, tmp.path("other.csv"));
    CHECK(s.profile == "transparency-code");
    CHECK(s.inserted == 2);
    auto& c = reg.connection();
    CHECK(c.scalar_text("SELECT tenure FROM properties WHERE ref = 'W1'") == "leasehold_in");
    CHECK(c.scalar_text("SELECT tenure FROM properties WHERE ref = 'W2'") == "leasehold_out");
    CHECK(c.scalar_int("SELECT CAST(X(geom) AS INTEGER) FROM properties WHERE ref = 'W1'") == 385000);
    CHECK(c.scalar_text("SELECT sector FROM owners") == "local_government");
}

TEST_CASE("Duplicate headers: the first non-empty wins, disagreement is reported", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("dup.csv"), "OrganisationLabel,AssetCode,PropertyName,PostCode,PostCode\n"
                                          "Council,D1,One,,M33 7DZ\n"
                                          "Council,D2,Two,M33 7DZ,M33 7DZ\n"
                                          "Council,D3,Three,M33 7DZ,WA14 1PF\n");
    auto s = import(reg, tmp.path("dup.csv"), std::string("transparency-code"));
    CHECK(s.read == 3);
    CHECK(s.warnings_by_reason["conflicting_columns"] == 1);
    CHECK(s.inserted == 3);
    CHECK(reg.connection().scalar_text("SELECT postcode FROM properties WHERE ref = 'D1'") == "M33 7DZ");
    CHECK(reg.connection().scalar_text("SELECT postcode FROM properties WHERE ref = 'D3'") == "M33 7DZ");
}

TEST_CASE("Per-row CRS: WGS84, OSGB36 and ETRS89 rows land together, and a wrong CRS is a row's warning", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("crs.csv"),
                     "OrganisationLabel,AssetCode,CoordinateReferenceSystem,GeoX,GeoY\n"
                     "Council,C1,WGS84,-2.3520922,53.3879587\n"
                     "Council,C2,OSGB36,376900,387800\n"
                     "Council,C3,ETRS89,-2.3520922,53.3879587\n"
                     "Council,C4,WGS84,376900,387800\n"
                     "Council,C5,Martian,1,2\n"
                     "Council,C6,EPSG:999999,1,2\n"); // a code no CRS has
    auto s = import(reg, tmp.path("crs.csv"));
    CHECK(s.inserted == 6); // the last three unlocated, with a warning each; the import goes on
    CHECK(s.unlocated == 3);
    CHECK(s.warnings_by_reason["unknown_crs"] == 2);
    // Eastings and northings labelled WGS84: not used, saying what they look like.
    CHECK(s.warnings_by_reason["bad_coordinates"] == 1);
    CHECK(*reg.connection().scalar_text("SELECT message FROM property_warnings WHERE source_row = 4") ==
          "coordinates 376900, 387800 cannot be transformed from EPSG:4326 to British National Grid; not used; "
          "they are not longitude and latitude - if they are eastings and northings, say so in the coordinate "
          "system column (e.g. OSGB36)");
    auto& c = reg.connection();
    CHECK(*c.scalar_int("SELECT CAST(Distance((SELECT geom FROM properties WHERE ref = 'C1'), "
                        "(SELECT geom FROM properties WHERE ref = 'C2')) AS INTEGER)") < 600);
    CHECK(*c.scalar_int("SELECT CAST(Distance((SELECT geom FROM properties WHERE ref = 'C1'), "
                        "(SELECT geom FROM properties WHERE ref = 'C3')) AS INTEGER)") < 2);
}

TEST_CASE("A boundary leaves locations outside the county unused, with a warning", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("b.csv"),
                     "OrganisationLabel,AssetCode,CoordinateReferenceSystem,GeoX,GeoY\n"
                     "Trafford Council,IN,WGS84,-2.3520922,53.3879587\n"
                     "Trafford Council,OUT,WGS84,-2.2426,53.4808\n"); // Manchester city centre
    auto poly = io::read_first_polygon(test::trafford("trafford_boundary.geojson"));
    auto boundary = geo::Boundary::from_wkb(poly.wkb, geo::ToGrid(poly.crs), "trafford_boundary.geojson");
    importing::ImportOptions o;
    o.source = tmp.path("b.csv");
    o.boundary = &boundary;
    auto s = importing::import_source(reg, o);
    CHECK(s.inserted == 2);
    CHECK(s.unlocated == 1);
    CHECK(s.warnings_by_reason["outside_boundary"] == 1);
    CHECK(reg.connection().scalar_int("SELECT geom IS NULL FROM properties WHERE ref = 'OUT'") == 1);
}

TEST_CASE("The same UPRN held by two owners is allowed and reported", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("a.csv"), "OrganisationLabel,AssetCode,UPRN\nTrafford Council,T1,100012797623\n");
    test::write_file(tmp.path("b.csv"),
                     "OrganisationLabel,AssetCode,UPRN\nGreater Manchester Police,P1,100012797623\n");
    import(reg, tmp.path("a.csv"));
    auto s = import(reg, tmp.path("b.csv"));
    CHECK(s.inserted == 1);
    REQUIRE(s.shared_uprns.size() == 1);
    CHECK(s.shared_uprns[0].uprn == "100012797623");
    CHECK(s.shared_uprns[0].owners.size() == 2);
    CHECK(reg.connection().scalar_text("SELECT sector FROM owners WHERE name = 'Greater Manchester Police'") ==
          "police"); // guessed from the name when the file does not say
}

TEST_CASE("UPRNs shared within one file are reported on a first load, however their zeros are written", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("a.csv"),
                     "OrganisationLabel,AssetCode,UPRN\n"
                     "Trafford Council,T1,0012345\n"
                     "Greater Manchester Police,P1,0012345\n"
                     "Trafford Council,T2,000000012345\n" // the 12-digit zero-padded form: the same UPRN
                     "NHS Trafford,N1,12345\n"
                     "Trafford Council,T3,99\n"
                     "Trafford Council,T4,99\n"); // one owner twice: not shared
    auto s = import(reg, tmp.path("a.csv"));
    CHECK(s.inserted == 6);
    REQUIRE(s.shared_uprns.size() == 1);
    CHECK(s.shared_uprns[0].uprn == "12345"); // stored as the number
    CHECK(s.shared_uprns[0].owners ==
          std::vector<std::string>{"Greater Manchester Police", "NHS Trafford", "Trafford Council"});
    // The same file again (no longer a first load): the same answer from the register.
    auto again = import(reg, tmp.path("a.csv"));
    CHECK(again.unchanged == 6);
    REQUIRE(again.shared_uprns.size() == 1);
    CHECK(again.shared_uprns[0].uprn == s.shared_uprns[0].uprn);
    CHECK(again.shared_uprns[0].owners == s.shared_uprns[0].owners);
}

TEST_CASE("Without an owner or any row the import stops before reading and says what to give", "[import]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("x.csv"), "foo,bar\n1,2\n");
    CHECK_THROWS_WITH(import(reg, tmp.path("x.csv")), Catch::Contains("--owner 'Full Name'"));
    test::write_file(tmp.path("header-only.csv"), "ref,name,owner\n");
    CHECK_THROWS_WITH(import(reg, tmp.path("header-only.csv")), Catch::Contains("holds no rows"));
    test::write_file(tmp.path("y.csv"), "ref,name\n1,A\n");
    CHECK_THROWS_WITH(import(reg, tmp.path("y.csv"), std::string("generic")), Catch::Contains("--owner"));
    auto s = import(reg, tmp.path("y.csv"), std::string("generic"), nullptr, std::string("Some Agency"));
    CHECK(s.inserted == 1);
    CHECK(s.unlocated == 1);
}

TEST_CASE("What GDAL cannot read is said, never silent: bad coordinates, a Shapefile's short .dbf", "[import]") {
    test::TempDir tmp;
    const std::string geojson = tmp.path("bad.geojson");
    test::write_file(geojson, R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"A","ref":"1"},"geometry":{"type":"Point","coordinates":["abc",53.4]}},
{"type":"Feature","properties":{"name":"B","ref":"2"},"geometry":{"type":"Point","coordinates":[-2.3,"NaN"]}},
{"type":"Feature","properties":{"name":"C","ref":"3"},"geometry":{"type":"Pointy","coordinates":[-2.3,53.4]}},
{"type":"Feature","properties":{"name":"D","ref":"4"},"geometry":{"type":"Point","coordinates":[-2.3,53.4]}}]})");
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    auto s = import(reg, geojson, std::string("generic"), nullptr, std::string("Test Council"));
    CHECK(s.read == 4);
    CHECK(s.inserted == 4); // stored, the three without their location
    CHECK(s.unlocated == 3);
    // Each of the three says so on its own row, with the geometry as the file writes it.
    CHECK(s.stored_with_warnings == 3);
    CHECK(s.warnings_by_reason["unreadable_geometry"] == 3);
    auto warned = [&](const std::string& ref) {
        return reg.connection()
            .scalar_text("SELECT w.value FROM property_warnings w JOIN properties p ON p.id = w.property_id "
                         "WHERE w.reason = 'unreadable_geometry' AND p.ref = '" +
                         ref + "'")
            .value_or("");
    };
    CHECK_THAT(warned("1"), Catch::StartsWith("{") && Catch::Contains("\"abc\""));
    CHECK_THAT(warned("2"), Catch::Contains("NaN"));
    CHECK_THAT(warned("3"), Catch::Contains("Pointy"));
    CHECK(warned("4").empty());
    REQUIRE(s.notes.size() == 1);
    CHECK_THAT(s.notes[0], Catch::Contains("could not read parts") && Catch::Contains("'\"abc\"'") &&
                               Catch::Contains("NaN") && Catch::Contains("a type GeoJSON does not have"));
    // A Shapefile whose .dbf lists one record while its .shp holds three shapes.
    const std::string all = tmp.path("all.shp"), one = tmp.path("one.shp");
    REQUIRE(std::system(
                ("ogr2ogr -f 'ESRI Shapefile' " + test::sh(all) + " " + test::sh(geojson) + " 2>/dev/null").c_str()) ==
            0);
    REQUIRE(std::system(("ogr2ogr -f 'ESRI Shapefile' " + test::sh(one) + " " + test::sh(geojson) +
                         " -where \"ref = '4'\" 2>/dev/null")
                            .c_str()) == 0);
    std::filesystem::copy_file(tmp.path("one.dbf"), tmp.path("all.dbf"),
                               std::filesystem::copy_options::overwrite_existing);
    auto shp = import(reg, all, std::string("generic"), nullptr, std::string("Shape Council"));
    CHECK(shp.read == 1);
    REQUIRE_FALSE(shp.notes.empty());
    CHECK_THAT(shp.notes.back(), Catch::Contains("holds 4 shapes but its .dbf 1 records"));
}
