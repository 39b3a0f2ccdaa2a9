#include <catch2/catch.hpp>

#include "support.hpp"

#include <filesystem>
#include <sstream>

#include <sys/stat.h>

using test::run_estate;
using test::run_shell;
using test::sh;

namespace {

// A small Welsh register: non-ASCII names, a footprint, one unlocated property,
// and a hub (the hospital can host the council's office 300 m away).
std::string welsh_register(const test::TempDir& tmp) {
    const std::string csv = tmp.path("gwynedd.csv"), reg = tmp.path("gwynedd.sqlite");
    test::write_file(csv,
                     "owner,sector,ref,uprn,name,address,postcode,holding_type,tenure,use,gia_m2,land_area_ha,"
                     "market_value,running_cost,occupancy,utilisation,condition,easting,northing,footprint_wkt\n"
                     "Cyngor Gwynedd,local_government,CG1,,Café Canolog,Stryd Fawr,,Buildings,Freehold,office,400,,"
                     "900000,40000,Occupied,0.9,B,258300,371000,\"POLYGON((258290 370990,258310 370990,258310 "
                     "371010,258290 371010,258290 370990))\"\n"
                     "Betsi Cadwaladr University Health Board,health,BC1,,Ysbyty Gwynedd,Penrhosgarnedd,,Buildings,"
                     "Freehold,hospital,20000,,,,Occupied,0.5,A,258000,371000,\n"
                     "Cyngor Gwynedd,local_government,CG2,,Tir heb leoliad,,,Land,Freehold,land,,1.2,50000,,,,,,,\n"
                     "Heddlu Gogledd Cymru,police,HG1,,Gorsaf Heddlu,,,Buildings,Freehold,police_station,300,,"
                     "600000,20000,Occupied,,C,258100,371100,\n");
    REQUIRE(run_estate("init " + sh(reg)).exit_code == 0);
    REQUIRE(run_estate("import " + sh(reg) + " " + sh(csv) + " --profile synthetic-county").exit_code == 0);
    REQUIRE(run_estate("officers add " + sh(reg) + " 'A Officer' --agency 'Cyngor Gwynedd'").exit_code == 0);
    REQUIRE(
        run_estate("rag set " + sh(reg) + " CG1 green --reason 'Services can move to the hospital' --by 'A Officer'")
            .exit_code == 0);
    REQUIRE(run_estate("hubs " + sh(reg) + " --radius 500").exit_code == 0);
    return reg;
}

std::string ogrinfo(const std::string& args) {
    return run_shell("ogrinfo -ro -al " + args + " 2>&1").out;
}

} // namespace

TEST_CASE("GeoPackage export: every layer, styled inside, valid", "[exporting]") {
    test::TempDir tmp;
    const std::string reg = welsh_register(tmp), out = tmp.path("estate.gpkg");
    auto r = run_estate("export " + sh(reg) + " --format gpkg --out " + sh(out));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("properties: 4 features") && Catch::Contains("footprints: 1 features") &&
                          Catch::Contains("hubs: 1 features") && Catch::Contains("hub_links: 2 features"));
    CHECK(r.out == out + "\n");
    // GDAL's own validator passes it.
    auto valid = run_shell("/usr/bin/python3 -m osgeo_utils.samples.validate_gpkg -k --extra " + sh(out) + " 2>&1");
    CHECK(valid.exit_code == 0);
    CHECK(valid.out.empty());
    auto info = ogrinfo(sh(out));
    CHECK_THAT(info, Catch::Contains("Café Canolog") && Catch::Contains("Ysbyty Gwynedd"));
    CHECK_THAT(info, Catch::Contains("no single host; new build or extension needed") ||
                         Catch::Contains("host can house them"));
    // A style per layer, QML and SLD.
    auto styles = run_shell("sqlite3 " + sh(out) +
                            " \"SELECT f_table_name, f_table_schema = '', length(styleQML) > 1000, "
                            "styleSLD LIKE '%StyledLayerDescriptor%' FROM layer_styles ORDER BY f_table_name\"");
    CHECK(styles.out == "footprints|1|1|1\nhub_links|1|1|1\nhubs|1|1|1\nproperties|1|1|1\n");
    // The unlocated property is there, with no geometry.
    auto unlocated = run_shell("sqlite3 " + sh(out) + " \"SELECT name FROM properties WHERE geom IS NULL\"");
    CHECK(unlocated.out == "Tir heb leoliad\n");
}

TEST_CASE("Shapefile export: short names mapped, UTF-8, projection and style beside", "[exporting]") {
    test::TempDir tmp;
    const std::string reg = welsh_register(tmp), dir = tmp.path("shp");
    auto r = run_estate("export " + sh(reg) + " --format shp --out " + sh(dir) +
                        " --layer properties --layer footprints --layer hubs --layer hub-links");
    REQUIRE(r.exit_code == 0);
    for (const char* layer : {"properties", "footprints", "hubs", "hub_links"})
        for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qml", ".sld", ".fields.csv"}) {
            INFO(layer << ext);
            CHECK(std::filesystem::exists(dir + "/" + layer + ext));
        }
    CHECK(test::read_file(dir + "/properties.cpg") == "UTF-8");
    auto info = ogrinfo(sh(dir + "/properties.shp"));
    CHECK_THAT(info, Catch::Contains("Café Canolog") && Catch::Contains("Ysbyty Gwynedd"));
    CHECK_THAT(info, Catch::Contains("British National Grid"));
    CHECK_THAT(info, Catch::Contains("mkt_value (Real)") && Catch::Contains("hold_type (String)") &&
                         Catch::Contains("rag_status (String)"));
    CHECK_THAT(info, Catch::Contains("rag_set_at (String)")); // timestamps as ISO text
    // Every field name fits a dBase header, and the map says where each came from.
    std::istringstream fields(test::read_file(dir + "/properties.fields.csv"));
    std::string line;
    std::getline(fields, line);
    CHECK(line == "register_name,shapefile_name,meaning");
    int mapped = 0;
    while (std::getline(fields, line)) {
        auto first = line.find(','), second = line.find(',', first + 1);
        CHECK(second - first - 1 <= 10);
        ++mapped;
    }
    CHECK(mapped == 39);
    CHECK_THAT(test::read_file(dir + "/properties.fields.csv"), Catch::Contains("market_value,mkt_value,"));
    CHECK_THAT(ogrinfo(sh(dir + "/hubs.shp")),
               Catch::Contains("Geometry: Polygon") && Catch::Contains("Ysbyty Gwynedd"));
    CHECK_THAT(ogrinfo(sh(dir + "/hub_links.shp")), Catch::Contains("LINESTRING"));
    // One layer to a named .shp file.
    auto one = run_estate("export " + sh(reg) + " --format shp --out " + sh(tmp.path("green.shp")) + " --status green");
    REQUIRE(one.exit_code == 0);
    CHECK_THAT(ogrinfo(sh(tmp.path("green.shp"))),
               Catch::Contains("Feature Count: 1") && Catch::Contains("Café Canolog"));
    CHECK(std::filesystem::exists(tmp.path("green.qml")));
}

TEST_CASE("GeoJSON, CSV and XLSX exports", "[exporting]") {
    test::TempDir tmp;
    const std::string reg = welsh_register(tmp);
    SECTION("GeoJSON is WGS84 longitude/latitude (RFC 7946)") {
        const std::string out = tmp.path("p.geojson");
        REQUIRE(run_estate("export " + sh(reg) + " --format geojson --out " + sh(out)).exit_code == 0);
        const std::string text = test::read_file(out);
        CHECK_THAT(text, Catch::Contains("Café Canolog") && Catch::Contains("Ysbyty Gwynedd"));
        const auto geojson = test::parse_json(text);
        CHECK(geojson.count("crs") == 0); // RFC 7946: WGS84 implied
        // Bangor: about 4.1 degrees west, 53.2 north.
        bool in_bangor = false;
        for (const auto& f : test::items(geojson, "features")) {
            if (!f.get_child_optional("geometry.coordinates")) continue;
            const auto xy = test::items(f, "geometry.coordinates");
            if (xy.size() == 2 && std::abs(xy[0].get_value<double>() + 4.1) < 0.05 &&
                std::abs(xy[1].get_value<double>() - 53.2) < 0.05)
                in_bangor = true;
        }
        CHECK(in_bangor);
    }
    SECTION("CSV has coordinates, owner and sector; WKT where asked") {
        const std::string out = tmp.path("p.csv");
        REQUIRE(run_estate("export " + sh(reg) + " --format csv --out " + sh(out)).exit_code == 0);
        const std::string text = test::read_file(out);
        CHECK_THAT(text, Catch::StartsWith("id,owner,sector,ref,"));
        CHECK_THAT(text, Catch::Contains("Cyngor Gwynedd,local_government,CG1") && Catch::Contains("258300") &&
                             Catch::Contains("Café Canolog") && Catch::Contains("Ysbyty Gwynedd"));
        const std::string wkt = tmp.path("f.csv");
        REQUIRE(run_estate("export " + sh(reg) + " --format csv --wkt --layer footprints --out " + sh(wkt)).exit_code ==
                0);
        CHECK_THAT(test::read_file(wkt), Catch::StartsWith("WKT,") && Catch::Contains("MULTIPOLYGON (((258290 370990"));
    }
    SECTION("XLSX: exactly what the filter selected, a sheet per layer") {
        const std::string out = tmp.path("p.xlsx");
        REQUIRE(run_estate("export " + sh(reg) + " --format xlsx --out " + sh(out) + " --owner 'Cyngor Gwynedd'")
                    .exit_code == 0);
        auto info = ogrinfo(sh(out));
        CHECK_THAT(info, Catch::Contains("Feature Count: 2") && Catch::Contains("Café Canolog") &&
                             Catch::Contains("Tir heb leoliad") && !Catch::Contains("Gorsaf Heddlu"));
        CHECK_THAT(info, Catch::Contains("sector (String) = local_government"));
        const std::string both = tmp.path("both.xlsx");
        REQUIRE(
            run_estate("export " + sh(reg) + " --format xlsx --out " + sh(both) + " --layer properties --layer hubs")
                .exit_code == 0);
        CHECK_THAT(ogrinfo(sh(both)), Catch::Contains("Layer name: properties") &&
                                          Catch::Contains("Layer name: hubs") && Catch::Contains("Ysbyty Gwynedd"));
    }
}

TEST_CASE("Export refuses what it cannot do, and leaves nothing half-written", "[exporting]") {
    test::TempDir tmp;
    const std::string reg = welsh_register(tmp);
    CHECK(run_estate("export " + sh(reg) + " --format kml --out " + sh(tmp.path("x.kml"))).exit_code == 2);
    auto ext = run_estate("export " + sh(reg) + " --format xlsx --out " + sh(tmp.path("x.xls")));
    CHECK(ext.exit_code == 2);
    CHECK_THAT(ext.err, Catch::Contains("should end in .xlsx"));
    auto run = run_estate("export " + sh(reg) + " --format gpkg --out " + sh(tmp.path("x.gpkg")) + " --hub-run 99");
    CHECK(run.exit_code == 1); // not there: the work failed, the command line was sound
    CHECK_THAT(run.err, Catch::Contains("no run 99"));
    auto two = run_estate("export " + sh(reg) + " --format geojson --out " + sh(tmp.path("x.geojson")) +
                          " --layer properties --layer hubs");
    CHECK(two.exit_code == 2);
    CHECK_THAT(two.err, Catch::Contains("--out: ") && Catch::Contains("give a folder, or ask for one layer"));
    auto missing = run_estate("export " + sh(reg) + " --format gpkg --out " + sh(tmp.path("no/such/x.gpkg")));
    CHECK(missing.exit_code == 1);
    // No output and no staging folder left behind by any of these.
    for (const auto& entry : std::filesystem::directory_iterator(tmp.root())) {
        const std::string name = entry.path().filename().string();
        INFO(name);
        CHECK((name == "gwynedd.csv" || name.rfind("gwynedd.sqlite", 0) == 0));
    }
    // A register with no hubs run: the GeoPackage has no hub layers and says why.
    test::TempDir other;
    const std::string plain = other.path("plain.sqlite");
    REQUIRE(run_estate("init " + sh(plain)).exit_code == 0);
    auto none = run_estate("export " + sh(plain) + " --format gpkg --out " + sh(other.path("p.gpkg")));
    CHECK(none.exit_code == 0);
    CHECK_THAT(none.err, Catch::Contains("no hubs run"));
    auto asked = run_estate("export " + sh(plain) + " --format shp --out " + sh(other.path("h.shp")) + " --layer hubs");
    CHECK(asked.exit_code == 2);
    CHECK_THAT(asked.err, Catch::Contains("estate hubs"));
}

TEST_CASE("No output replaces the register or the file it reads", "[exporting]") {
    test::TempDir tmp;
    const std::string reg = welsh_register(tmp);
    const std::string before = test::read_file(reg);
    for (const std::string& cmd :
         {"export " + sh(reg) + " --format gpkg --out " + sh(reg),
          "export " + sh(reg) + " --format csv --out " + sh(reg + "-wal"), "report " + sh(reg) + " --out " + sh(reg)}) {
        INFO(cmd);
        if (cmd.find("-wal") != std::string::npos) test::write_file(reg + "-wal", ""); // as while QGIS has it open
        auto r = run_estate(cmd);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("register") && Catch::Contains("Nothing was written"));
    }
    std::filesystem::remove(reg + "-wal");
    CHECK(run_shell("sqlite3 " + sh(reg) + " 'PRAGMA integrity_check'").out == "ok\n");
    CHECK(run_estate("info " + sh(reg)).exit_code == 0);
    // The data-issues report of an import never replaces the file being imported.
    const std::string source = tmp.path("gwynedd.csv"), original = test::read_file(source);
    auto r = run_estate("import " + sh(reg) + " " + sh(source) + " --profile synthetic-county --issues " + sh(source));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("is the file being read"));
    CHECK(test::read_file(source) == original);
    (void)before;
}

TEST_CASE("CSV exports write formula-like text so that a spreadsheet shows it, not runs it", "[exporting]") {
    test::TempDir tmp;
    const std::string csv = tmp.path("in.csv"), reg = tmp.path("r.sqlite"), out = tmp.path("out.csv");
    test::write_file(csv, "owner,ref,name,address\n"
                          "Council,F1,=HYPERLINK(\"http://example.org\";\"click\"),-2.35\n"
                          "Council,F2,@SUM(A1:A9),+44 1905 000000\n"
                          "Council,F3,Plain name,-\n");
    REQUIRE(run_estate("init " + sh(reg)).exit_code == 0);
    REQUIRE(run_estate("import " + sh(reg) + " " + sh(csv) + " --profile generic").exit_code == 0);
    REQUIRE(run_estate("export " + sh(reg) + " --format csv --out " + sh(out)).exit_code == 0);
    const std::string text = test::read_file(out);
    CHECK_THAT(text, Catch::Contains("'=HYPERLINK") && Catch::Contains("'@SUM(A1:A9)") &&
                         Catch::Contains("'+44 1905 000000"));
    CHECK_THAT(text, Catch::Contains(",-2.35,") || Catch::Contains(",-2.35\n")); // a number stays a number
    CHECK_THAT(text, Catch::Contains("Plain name"));
}

TEST_CASE("A folder export replaces an existing folder whole, keeping the user's other files", "[exporting]") {
    test::TempDir tmp;
    const std::string reg = welsh_register(tmp);
    const std::string dir = tmp.path("county-shp");
    REQUIRE(run_estate("export " + sh(reg) + " --format shp --out " + sh(dir) + " --layer properties").exit_code == 0);
    test::write_file(dir + "/notes.txt", "the planner's own notes\n");
    struct stat before {};
    REQUIRE(::stat(dir.c_str(), &before) == 0);
    // Again, green only: every file of the layer new, in one swap of the folder.
    REQUIRE(run_estate("export " + sh(reg) + " --format shp --out " + sh(dir) + " --layer properties --status green")
                .exit_code == 0);
    struct stat after {};
    REQUIRE(::stat(dir.c_str(), &after) == 0);
    CHECK(after.st_ino != before.st_ino); // a new folder in its place, not files moved one by one
    CHECK(test::read_file(dir + "/notes.txt") == "the planner's own notes\n");
    CHECK_THAT(ogrinfo("-so " + sh(dir + "/properties.shp")), Catch::Contains("Feature Count: 1"));
    // Nothing left beside it: the old folder went with the staging folder.
    size_t left = 0;
    for (const auto& e : std::filesystem::directory_iterator(tmp.path("")))
        left += e.path().filename().string().rfind(".estate-", 0) == 0 ? 1 : 0;
    CHECK(left == 0);
}
