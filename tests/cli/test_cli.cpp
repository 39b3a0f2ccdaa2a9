#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/runs/runs.hpp"

#include "support.hpp"

#include <sstream>

using test::run_estate;
using test::sh;

TEST_CASE("Every command has --help starting with a Usage line", "[cli]") {
    for (const char* cmd : {"init",        "import",          "load",      "info",         "list",
                            "show",        "profiles",        "synth",     "migrate",      "clusters",
                            "hubs",        "nearest",         "runs",      "export",       "receipts",
                            "report",      "rag set",         "rag bulk",  "rag history",  "rag summary",
                            "rag suggest", "rag apply-rules", "rag rules", "officers add", "officers list"}) {
        auto r = run_estate(std::string(cmd) + " --help");
        INFO(cmd);
        CHECK(r.exit_code == 0);
        CHECK(r.out.rfind("Usage: estate " + std::string(cmd), 0) == 0);
        CHECK_THAT(r.out, Catch::Contains("Exit codes"));
    }
    auto top = run_estate("--help");
    CHECK(top.exit_code == 0);
    CHECK_THAT(top.out, Catch::StartsWith("Usage: estate COMMAND"));
}

TEST_CASE("Usage errors exit 2 and say what is wrong", "[cli]") {
    auto unknown = run_estate("frobnicate");
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown command 'frobnicate'"));
    auto missing = run_estate("import");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("Usage: estate import"));
    auto bad_option = run_estate("info x.sqlite --colour");
    CHECK(bad_option.exit_code == 2);
    test::TempDir tmp;
    auto no_register = run_estate("info " + sh(tmp.path("none.sqlite")));
    CHECK(no_register.exit_code == 1); // a missing file is a bad file, not a wrong command line
    CHECK_THAT(no_register.err, Catch::Contains("estate init"));
    // A setting out of range names the option it came from.
    auto radius = run_estate("hubs " + sh(tmp.path("none.sqlite")) + " --radius -5");
    CHECK(radius.exit_code == 2);
    CHECK_THAT(radius.err, Catch::Contains("--radius"));
    // Infinity and NaN too (clusters --radius inf asked for a grid larger than memory).
    for (const char* command : {"clusters", "hubs"})
        for (const char* value : {"inf", "nan", "1e300"}) {
            auto r = run_estate(std::string(command) + " " + sh(test::trafford_register(tmp)) + " --radius " + value);
            INFO(command << " --radius " << value);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Catch::Contains("--radius: the radius must be a distance in metres"));
        }
}

TEST_CASE("A bad or missing file exits 1, whichever command and option names it", "[cli]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("r.sqlite");
    REQUIRE(run_estate("init " + sh(reg)).exit_code == 0);
    const std::string csv = tmp.path("good.csv");
    test::write_file(csv, "ref,name,owner\n1,Town Hall,Test Council\n");
    test::write_file(tmp.path("empty.csv"), "");
    test::write_file(tmp.path("bad.ini"), "[profile\nfoo\n");
    test::write_file(tmp.path("bad.geojson"), "not json");
    test::write_file(tmp.path("bad.gpkg"), std::string("SQLite format 3\0junk", 21));
    test::write_file(tmp.path("nocols.geojson"), R"({"type":"FeatureCollection","features":[]})");
    const std::string missing = sh(tmp.path("missing.csv"));
    const std::vector<std::string> cases = {
        "import " + sh(reg) + " " + missing + " --owner X",
        "import " + sh(reg) + " " + sh(tmp.path("empty.csv")) + " --owner X",
        "import " + sh(reg) + " " + sh(tmp.path("bad.geojson")) + " --owner X",
        "import " + sh(reg) + " " + sh(tmp.path("bad.gpkg")) + " --owner X",
        "import " + sh(reg) + " " + sh(tmp.path("nocols.geojson")) + " --profile generic --owner X",
        "import " + sh(reg) + " " + sh(csv) + " --profile " + sh(tmp.path("bad.ini")),
        "import " + sh(reg) + " " + sh(csv) + " --profile " + sh(tmp.path("missing.ini")),
        "import " + sh(reg) + " " + sh(csv) + " --postcodes " + missing,
        "import " + sh(reg) + " " + sh(csv) + " --boundary " + sh(tmp.path("bad.geojson")),
        "import " + sh(tmp.path("bad.gpkg")) + " " + sh(csv),
        "import " + sh(tmp.path("none.sqlite")) + " " + sh(csv),
        "load " + sh(reg) + " " + sh(tmp.path("missing.ini")),
        "load " + sh(reg) + " " + sh(tmp.path("bad.ini")),
        "load " + sh(reg) + " /dev/zero",
        "receipts " + sh(reg) + " --scenario " + sh(tmp.path("missing.ini")),
        "receipts " + sh(reg) + " --scenario " + sh(tmp.path("bad.ini")),
        "rag suggest " + sh(reg) + " --rules " + sh(tmp.path("bad.ini")),
        "rag bulk " + sh(reg) + " " + missing + " --by X",
        "info " + sh(tmp.path("bad.gpkg")),
        "show " + sh(reg) + " no-such-ref",
        "nearest " + sh(reg) + " no-such-ref",
        "export " + sh(reg) + " --format gpkg --out " + sh(tmp.path("no/such/x.gpkg")),
        "report " + sh(reg) + " --out " + sh(tmp.path("no/such/x.html")),
    };
    for (const auto& args : cases) {
        INFO("estate " << args);
        auto r = run_estate(args);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("error: ") || Catch::Contains("no property"));
    }
}

TEST_CASE("import --json prints one JSON object with the accounting keys", "[cli]") {
    test::TempDir tmp;
    std::string reg = tmp.path("r.sqlite");
    REQUIRE(run_estate("init " + sh(reg)).exit_code == 0);
    auto r = run_estate("import " + sh(reg) + " " + sh(test::trafford("trafford_land_and_building_assets.csv")) +
                        " --postcodes " + sh(test::trafford("trafford_postcodes.csv")) + " --json");
    REQUIRE(r.exit_code == 0);
    for (const char* key : {"\"read\":608", "\"inserted\":608", "\"updated\":0", "\"unchanged\":0", "\"rejected\":0",
                            "\"stored_with_warnings\":37", "\"postcode_located\":22", "\"unlocated\":213",
                            "\"swapped_coordinates\":1", "\"bad_postcode\":1"})
        CHECK_THAT(r.out, Catch::Contains(key));
    CHECK(r.out.front() == '{');
    CHECK(r.out.find('\n') == r.out.size() - 1); // one line, one object
}

TEST_CASE("load builds the multi-agency Trafford register from the manifest", "[cli][trafford]") {
    test::TempDir tmp;
    std::string reg = tmp.path("trafford.sqlite");
    auto r = run_estate("load " + sh(reg) + " " + sh(test::trafford("manifest.ini")) + " --json");
    REQUIRE(r.exit_code == 0);
    auto info = run_estate("info " + sh(reg) + " --json");
    REQUIRE(info.exit_code == 0);
    // 608 council + 6 fire + 20 hospital + 2 jobcentre + 13 library + 103 school + 2 children's centre
    CHECK(test::parse_json(info.out).get<int>("properties") == 754);
    for (const char* owner : {"Trafford Council", "Greater Manchester Fire and Rescue Service",
                              "Manchester University NHS Foundation Trust", "Department for Work and Pensions"})
        CHECK_THAT(info.out, Catch::Contains(owner));
    for (const char* sector :
         {"\"local_government\"", "\"fire_and_rescue\"", "\"health\"", "\"central_government\"", "\"education\""})
        CHECK_THAT(info.out, Catch::Contains(sector));
    // Loading again changes nothing.
    auto again = run_estate("load " + sh(reg) + " " + sh(test::trafford("manifest.ini")) + " --json");
    const auto sources = test::items(test::parse_json(again.out));
    REQUIRE(sources.size() == 7);
    for (const auto& s : sources) CHECK(s.get<int>("inserted") == 0);
    CHECK(sources[0].get<int>("unchanged") == 608);

    // The register is real SpatiaLite that the users' tools open.
    auto meta = test::run_shell("spatialite " + sh(reg) +
                                " \"SELECT CheckSpatialMetaData(); SELECT CheckSpatialIndex('properties','geom');\"");
    CHECK_THAT(meta.out, Catch::Contains("3\n1"));
    auto ogr = test::run_shell("ogrinfo -ro -so " + sh(reg) + " properties");
    CHECK(ogr.exit_code == 0);
    CHECK_THAT(ogr.out, Catch::Contains("Feature Count: 754"));
    CHECK_THAT(ogr.out, Catch::Contains("27700"));

    // list / show find what officers look for.
    auto libs = run_estate("list " + sh(reg) + " --use library --csv");
    CHECK(libs.exit_code == 0);
    CHECK_THAT(libs.out, Catch::Contains("Altrincham Library"));
    auto json = run_estate("list " + sh(reg) + " --owner 'Department for Work and Pensions' --json");
    CHECK_THAT(json.out, Catch::Contains("Altrincham Jobcentre Plus"));
    auto show = run_estate("show " + sh(reg) + " 100012797623");
    CHECK(show.exit_code == 0);
    CHECK_THAT(show.out, Catch::Contains("Altrincham Town Hall"));
    auto none = run_estate("show " + sh(reg) + " NO-SUCH-REF");
    CHECK(none.exit_code == 1);
    auto bad_use = run_estate("list " + sh(reg) + " --use spaceport");
    CHECK(bad_use.exit_code == 2);
    CHECK_THAT(bad_use.err, Catch::Contains("library"));
}

TEST_CASE("profiles lists the built-in profiles and prints one", "[cli]") {
    auto list = run_estate("profiles");
    CHECK(list.exit_code == 0);
    CHECK_THAT(list.out, Catch::Contains("transparency-code"));
    auto one = run_estate("profiles transparency-code");
    CHECK_THAT(one.out, Catch::Contains("[columns]"));
}

TEST_CASE("synth writes the same county for the same seed, and it imports cleanly", "[cli][synth]") {
    test::TempDir tmp;
    REQUIRE(run_estate("synth " + sh(tmp.path("a.csv")) + " --seed 5").exit_code == 0);
    REQUIRE(run_estate("synth " + sh(tmp.path("b.csv")) + " --seed 5").exit_code == 0);
    CHECK(test::read_file(tmp.path("a.csv")) == test::read_file(tmp.path("b.csv")));
    std::string reg = tmp.path("w.sqlite");
    REQUIRE(run_estate("init " + sh(reg)).exit_code == 0);
    auto r = run_estate("import " + sh(reg) + " " + sh(tmp.path("a.csv")) + " --json");
    CHECK(r.exit_code == 0);
    const auto summary = test::parse_json(r.out);
    CHECK(summary.get<std::string>("profile") == "synthetic-county");
    CHECK(summary.get<int>("inserted") == 1300);
    CHECK(summary.get<int>("rejected") == 0);
}

TEST_CASE("rag set from the command line: exit codes an officer can rely on", "[cli][rag]") {
    test::TempDir tmp;
    std::string reg = test::trafford_register(tmp);
    REQUIRE(run_estate("officers add " + sh(reg) + " 'Ann Smith' --agency 'Trafford Council'").exit_code == 0);
    auto ok = run_estate("rag set " + sh(reg) +
                         " TMBC0001/T0000003 green --reason 'Services moving to Sale' "
                         "--by 'Ann Smith' --expect-version 1 --json");
    CHECK(ok.exit_code == 0);
    CHECK(test::parse_json(ok.out).get<std::string>("new_status") == "green");
    CHECK(test::parse_json(ok.out).get<int>("version") == 2);
    auto stale = run_estate("rag set " + sh(reg) +
                            " TMBC0001/T0000003 red --reason 'x' --by 'Ann Smith' "
                            "--expect-version 1");
    CHECK(stale.exit_code == 1);
    CHECK_THAT(stale.err, Catch::Contains("version 2"));
    auto no_reason = run_estate("rag set " + sh(reg) + " TMBC0001/T0000003 red --by 'Ann Smith'");
    CHECK(no_reason.exit_code == 2);
    auto other_agency = run_estate("rag set " + sh(reg) + " 100012797623 red --reason 'x' --by 'Nobody'");
    CHECK(other_agency.exit_code == 1);
    auto history = run_estate("rag history " + sh(reg) + " --csv");
    CHECK_THAT(history.out, Catch::Contains("Services moving to Sale") && Catch::Contains("Ann Smith"));
    auto listed = run_estate("list " + sh(reg) + " --status green --csv");
    CHECK_THAT(listed.out, Catch::Contains("Altrincham Town Hall"));
    auto summary = run_estate("rag summary " + sh(reg) + " --json");
    bool green_listed = false;
    for (const auto& row : test::items(test::parse_json(summary.out)))
        green_listed |= row.get<std::string>("status") == "green";
    CHECK(green_listed);
}

TEST_CASE("clusters on the Trafford register: JSON for planners, runs kept for boards", "[cli][hubs]") {
    test::TempDir tmp;
    std::string reg = test::trafford_register(tmp);
    auto r = run_estate("clusters " + sh(reg) + " --radius 250 --json");
    REQUIRE(r.exit_code == 0);
    const auto clusters = test::parse_json(r.out);
    CHECK(clusters.get<int>("run") == 1);
    CHECK(clusters.get<int>("unlocated_left_out") == 213);
    REQUIRE_FALSE(test::items(clusters, "clusters").empty());
    for (const auto& c : test::items(clusters, "clusters"))
        for (const auto& m : test::items(c, "members")) CHECK_FALSE(m.get<std::string>("ref").empty());
    CHECK_THAT(r.err, Catch::Contains("Run 1:"));
    // Altrincham's town hall and library are in one multi-agency cluster at 250 m.
    auto csv = run_estate("clusters " + sh(reg) + " --radius 250 --csv");
    std::string town_hall_cluster, library_cluster;
    std::istringstream lines(csv.out);
    std::string line;
    while (std::getline(lines, line)) {
        auto cluster = line.substr(line.find(',') + 1, line.find(',', line.find(',') + 1) - line.find(',') - 1);
        if (line.find("Altrincham Town Hall") != std::string::npos) town_hall_cluster = cluster;
        if (line.find("Altrincham Library") != std::string::npos) library_cluster = cluster;
    }
    CHECK_FALSE(town_hall_cluster.empty());
    CHECK(town_hall_cluster == library_cluster);
    // Coordinates at full precision, read back to the millimetre, never "3.7668e+05".
    CHECK_THAT(csv.out, !Catch::Contains("e+"));
    {
        std::istringstream rows(csv.out);
        std::getline(rows, line); // the header
        REQUIRE(std::getline(rows, line));
        const std::string id = line.substr(line.find(',', line.find(',', line.find(',') + 1) + 1) + 1);
        const std::string easting = line.substr(line.rfind(',', line.rfind(',') - 1) + 1,
                                                line.rfind(',') - line.rfind(',', line.rfind(',') - 1) - 1);
        auto stored = test::run_shell("sqlite3 " + sh(reg) +
                                      " -cmd '.load mod_spatialite' \"SELECT printf('%.3f', X(geom)) "
                                      "FROM properties WHERE id = " +
                                      id.substr(0, id.find(',')) + "\"");
        CHECK(stored.out == easting + "\n");
    }
    // One owner only: no multi-agency cluster, but --min-agencies 1 lists its groups.
    auto one = run_estate("clusters " + sh(reg) + " --radius 250 --owners 'Trafford Council' --json");
    CHECK(test::items(test::parse_json(one.out), "clusters").empty());
    auto any = run_estate("clusters " + sh(reg) + " --radius 250 --owners 'Trafford Council' --min-agencies 1 --json");
    CHECK(test::items(test::parse_json(any.out), "clusters").at(0).get<int>("cluster") == 1);
    auto runs = test::run_shell("sqlite3 " + sh(reg) + " 'SELECT count(*) FROM analysis_runs'");
    CHECK(runs.out == "4\n");
    CHECK(run_estate("clusters " + sh(reg) + " --radius -5").exit_code == 2);
}

TEST_CASE("nearest: the closest buildings of other agencies, by the clusters' distance rule", "[cli][hubs]") {
    test::TempDir tmp;
    std::string reg = test::trafford_register(tmp);
    auto r = run_estate("nearest " + sh(reg) + " TMBC0001/T0000003 --count 3 --json");
    REQUIRE(r.exit_code == 0);
    const auto nearest = test::parse_json(r.out);
    CHECK(nearest.get<std::string>("name") == "Altrincham Town Hall");
    CHECK_THAT(r.out, Catch::Contains("Altrincham Hospital")); // the NHS trust, about 335 m away
    // Other agencies only, closest first.
    const auto neighbours = test::items(nearest, "nearest");
    REQUIRE(neighbours.size() == 3);
    for (size_t i = 0; i < neighbours.size(); ++i) {
        CHECK(neighbours[i].get<std::string>("owner") != "Trafford Council");
        if (i) CHECK(neighbours[i - 1].get<double>("distance_m") <= neighbours[i].get<double>("distance_m"));
    }
    // A property with no location has no neighbours: a clear usage error.
    auto unlocated = run_estate("nearest " + sh(reg) + " TMBC0004");
    CHECK(unlocated.exit_code == 2);
    CHECK_THAT(unlocated.err, Catch::Contains("no location"));
}

TEST_CASE("hubs on the Trafford register: hosts, members within the radius, runs kept", "[cli][hubs]") {
    test::TempDir tmp;
    std::string reg = test::trafford_register(tmp);
    auto r = run_estate("hubs " + sh(reg) + " --radius 250 --json");
    REQUIRE(r.exit_code == 0);
    const auto hubs = test::parse_json(r.out);
    REQUIRE_FALSE(test::items(hubs, "hubs").empty());
    for (const auto& h : test::items(hubs, "hubs")) {
        CHECK_FALSE(h.get<std::string>("host.label").empty());
        CHECK_FALSE(h.get<std::string>("explanation").empty());
        for (const auto& m : test::items(h, "members")) CHECK(m.get<double>("distance_m") <= 250);
        CHECK(h.get<std::string>("host.spare_m2") == "null");
        CHECK(h.get<std::string>("fit") == "unknown");
    }
    CHECK(hubs.get<std::string>("order") == "ranked by net benefit");
    // Altrincham: the fire station can host the Jobcentre Plus 188 m away.
    CHECK_THAT(r.out, Catch::Contains("Altrincham Jobcentre Plus"));
    // (The Former Royal Mail Sorting Office no longer hosts the Stretford Jobcentre: its
    // name says what it was, not what it is, so its use is not guessed.)
    CHECK_THAT(r.err, Catch::Contains("Run 1: 2 hubs proposed") && Catch::Contains("ranked by net benefit"));
    // Unknown is not zero: the hosts' floor areas are not recorded, so their fit is
    // unknown (JSON null), never "new build needed"; every assumed figure is named; the
    // fire station is named with its place.
    CHECK_THAT(r.out, Catch::Contains("Fire station, Altrincham (WA14)") &&
                          Catch::Contains("typical for an office (scenario default v4)"));
    CHECK_THAT(r.out,
               !Catch::Contains("new build") && !Catch::Contains("saves £0") && !Catch::Contains("could raise £0"));
    // Stored with roles and distances; every member within the radius of its host.
    auto stored = test::run_shell("sqlite3 " + sh(reg) +
                                  " \"SELECT kind, sum(role = 'host'), sum(role = 'member'), max(distance_m) <= 250 "
                                  "FROM analysis_runs r JOIN analysis_members m ON m.run_id = r.id\"");
    CHECK(stored.out == "hubs|2|2|1\n"); // Altrincham Library once, though two files list it
    auto csv = run_estate("hubs " + sh(reg) + " --radius 250 --csv");
    CHECK_THAT(csv.out, Catch::StartsWith("run,hub,proposed,verdict,role,id,owner,ref,name,label,distance_m"));
    CHECK_THAT(csv.out, Catch::Contains(",typical,") && Catch::Contains(",ranked by net benefit\n"));
    CHECK_THAT(csv.out, Catch::Contains(",host,") && Catch::Contains(",member,"));
    auto text = run_estate("hubs " + sh(reg) + " --radius 250");
    CHECK_THAT(text.out, Catch::StartsWith("Hubs ranked by net benefit (scenario default v4)") &&
                             Catch::Contains("Hub 1:") && Catch::Contains("within 250 m of it"));
    auto by_agencies = run_estate("hubs " + sh(reg) + " --radius 250 --rank agencies");
    CHECK_THAT(by_agencies.out, Catch::StartsWith("Hubs ranked by agencies brought together"));
    CHECK(run_estate("hubs " + sh(reg) + " --radius 250 --rank score").exit_code == 2);
    // Every run is listed, with its parameters, for a board paper to cite.
    auto runs = run_estate("runs " + sh(reg) + " --json");
    const auto listed_runs = test::items(test::parse_json(runs.out));
    REQUIRE(listed_runs.size() == 4);
    CHECK(listed_runs.back().get<int>("run") == 4);
    CHECK(listed_runs.back().get<std::string>("kind") == "hubs");
    CHECK(listed_runs.back().get<double>("parameters.radius_m") == 250);
    CHECK(run_estate("hubs " + sh(reg) + " --radius 250 --min-agencies 1").exit_code == 2);
    CHECK(run_estate("hubs " + sh(reg) + " --radius 250 --member-uses offices").exit_code == 2);

    // The stored run as the report and the exports read it: each hub's host first,
    // then its members nearest first; a hub whose host has since been deleted is left out.
    {
        auto r = estate::db::Register::open(reg);
        auto stored_hubs = estate::runs::read_stored_hubs(r, 1, true);
        REQUIRE(stored_hubs.size() == 2);
        for (const auto& h : stored_hubs) {
            CHECK(h.members.front().host);
            CHECK(h.members.size() == static_cast<size_t>(h.member_count));
            CHECK(h.explanation);
            for (size_t i = 2; i < h.members.size(); ++i) CHECK(h.members[i - 1].distance_m <= h.members[i].distance_m);
        }
        r.connection().exec("DELETE FROM properties WHERE id = " +
                            std::to_string(stored_hubs[0].members[0].property_id));
        CHECK(estate::runs::read_stored_hubs(r, 1, false).size() == 1);
    }
}

TEST_CASE("A register names its area and partnership, for board papers", "[cli]") {
    test::TempDir tmp;
    const std::string reg = tmp.path("county.sqlite");
    REQUIRE(run_estate("init " + sh(reg) + " --area Worcestershire --partnership 'The partnership'").exit_code == 0);
    auto info = run_estate("info " + sh(reg) + " --json");
    const auto described = test::parse_json(info.out);
    CHECK(described.get<std::string>("area") == "Worcestershire");
    CHECK(described.get<std::string>("partnership") == "The partnership");
    CHECK(described.get<int>("statuses_by_officer") == 0);
    auto text = run_estate("info " + sh(reg));
    CHECK_THAT(text.out, Catch::Contains("Area: Worcestershire; partnership: The partnership"));
    const std::string plain = tmp.path("plain.sqlite");
    REQUIRE(run_estate("init " + sh(plain)).exit_code == 0);
    CHECK_THAT(run_estate("info " + sh(plain)).out, Catch::Contains("Area and partnership not named"));
}
