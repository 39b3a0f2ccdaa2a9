#include <catch2/catch.hpp>

#include <cmath>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/officers/passwords.hpp"
#include "estate/rag/audit.hpp"
#include "estate/rag/status.hpp"
#include "estate/web/server.hpp"
#include "support.hpp"
#include "web/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <thread>

using namespace estate;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using test::Client;
using test::cookie_of;
using test::log_in;
using test::raw_exchange;
using test::RunningServer;
using test::send;
using test::test_options;

namespace {

// The features of a Mapbox Vector Tile's layers: (id, status value index, x, y).
struct TileFeature {
    std::uint64_t id = 0, status = 0;
    std::int64_t x = 0, y = 0;
};
// Just enough Protocol Buffers to read one: varints and length-delimited fields.
struct ProtoReader {
    const std::string& b;
    size_t at, end;
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0;; shift += 7) {
            const auto c = static_cast<unsigned char>(b.at(at++));
            v |= std::uint64_t(c & 0x7f) << shift;
            if (c < 0x80) return v;
        }
    }
    // Calls visit(field, reader of a length-delimited value or nullptr, varint value).
    template <class F>
    void fields(F visit) {
        while (at < end) {
            const auto key = varint();
            if ((key & 7) == 0)
                visit(int(key >> 3), nullptr, varint());
            else {
                const auto n = varint();
                ProtoReader inner{b, at, at + n};
                visit(int(key >> 3), &inner, 0);
                at += n;
            }
        }
    }
};

std::vector<TileFeature> tile_features(const std::string& bytes) {
    using Reader = ProtoReader;
    auto zigzag = [](std::uint64_t v) { return std::int64_t(v >> 1) ^ -std::int64_t(v & 1); };
    std::vector<TileFeature> out;
    Reader tile{bytes, 0, bytes.size()};
    tile.fields([&](int field, Reader* layer, std::uint64_t) {
        if (field != 3 || !layer) return;
        layer->fields([&](int f, Reader* feature, std::uint64_t) {
            if (f != 2 || !feature) return;
            TileFeature tf;
            feature->fields([&](int ff, Reader* r, std::uint64_t v) {
                if (ff == 1) tf.id = v;
                if (ff == 2 && r) {
                    r->varint();
                    tf.status = r->varint();
                }
                if (ff == 4 && r) {
                    r->varint();
                    tf.x = zigzag(r->varint());
                    tf.y = zigzag(r->varint());
                }
            });
            out.push_back(tf);
        });
    });
    return out;
}

// Every feature of the tiles at zoom @p z that cover @p extent (the grid of docs/api.md).
std::vector<TileFeature> features_over(unsigned short port, const std::string& cookie,
                                       const std::vector<double>& extent, int z) {
    const double size = 896.0 / (1 << z) * 256;
    std::vector<TileFeature> out;
    for (auto x = std::int64_t((extent[0] + 238375) / size); x <= std::int64_t((extent[2] + 238375) / size); ++x)
        for (auto y = std::int64_t((1376256 - extent[3]) / size); y <= std::int64_t((1376256 - extent[1]) / size);
             ++y) {
            auto r =
                send(port, http::verb::get,
                     "/api/tiles/" + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y) + ".mvt", "",
                     cookie);
            REQUIRE(r.status == 200);
            for (const auto& f : tile_features(r.body)) out.push_back(f);
        }
    return out;
}

// The status (as its value index: 0 red, 1 amber, 2 green, 3 unassessed) that the
// zoom-12 tile under (@p easting, @p northing) draws property @p id with; -1 if none.
int drawn_status(unsigned short port, const std::string& cookie, std::uint64_t id, double easting, double northing) {
    const double size = 896.0 / (1 << 12) * 256;
    const auto x = std::int64_t((easting + 238375) / size), y = std::int64_t((1376256 - northing) / size);
    auto r = send(port, http::verb::get, "/api/tiles/12/" + std::to_string(x) + "/" + std::to_string(y) + ".mvt", "",
                  cookie);
    for (const auto& f : tile_features(r.body))
        if (f.id == id) return static_cast<int>(f.status);
    return -1;
}

} // namespace

TEST_CASE("The web API: login, sessions, CSRF, agency scope, conflicts, history under the officer", "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::trafford_register(tmp);
    {
        auto reg = db::Register::open(reg_path);
        officers::add_officer(reg, {"Lee Brown", "Trafford Council", true});
        officers::set_password(reg, "Lee Brown", "programme team lead");
        officers::add_officer(reg, {"Nia Hughes", "Greater Manchester Fire and Rescue Service", false},
                              std::string("Lee Brown"));
        officers::set_password(reg, "Nia Hughes", "fire service estates", std::string("Lee Brown"));
    }
    RunningServer running(reg_path);
    const auto port = running.port();
    const std::string council_property = "/api/properties/1"; // Altrincham Town Hall, Trafford Council's

    // Without a session: 401, and every answer carries the Content Security Policy.
    auto anonymous = send(port, http::verb::get, council_property);
    CHECK(anonymous.status == 401);
    CHECK_THAT(anonymous.csp, Catch::Contains("script-src 'self'") && !Catch::Contains("unsafe-inline"));
    // A wrong password and an unknown name get the same answer.
    auto wrong = send(port, http::verb::post, "/api/login", R"({"name":"Lee Brown","password":"not it"})");
    auto unknown = send(port, http::verb::post, "/api/login", R"({"name":"Nobody","password":"not it"})");
    CHECK(wrong.status == 401);
    CHECK(unknown.status == 401);
    CHECK(wrong.body == unknown.body);

    auto login =
        send(port, http::verb::post, "/api/login", R"({"name":"Nia Hughes","password":"fire service estates"})");
    REQUIRE(login.status == 200);
    CHECK_THAT(login.set_cookie, Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Strict"));
    const std::string cookie = cookie_of(login);
    CHECK(cookie.size() == std::string("estate_session=").size() + 64); // 256 random bits
    const std::string csrf = test::parse_json(login.body).get<std::string>("csrf_token");

    auto town_hall = send(port, http::verb::get, council_property, "", cookie);
    REQUIRE(town_hall.status == 200);
    const auto record = test::parse_json(town_hall.body);
    CHECK(record.get<std::string>("name") == "Altrincham Town Hall");
    const auto version = record.get<std::int64_t>("version");

    const std::string amber =
        R"({"status":"amber","reason":"Review in 2027","version":)" + std::to_string(version) + "}";
    // Changes need the CSRF token; outside the officer's agency they are refused.
    CHECK(send(port, http::verb::post, council_property + "/rag", amber, cookie).status == 403);
    CHECK(send(port, http::verb::post, council_property + "/rag", amber, cookie, "0" + csrf.substr(1)).status == 403);
    auto other_agency = send(port, http::verb::post, council_property + "/rag", amber, cookie, csrf);
    CHECK(other_agency.status == 403);
    CHECK_THAT(other_agency.body, Catch::Contains("Nia Hughes acts for Greater Manchester Fire and Rescue Service"));

    // The partnership-wide lead may: 400 without a reason, 200 with, 409 on a stale version.
    auto lead = send(port, http::verb::post, "/api/login", R"({"name":"Lee Brown","password":"programme team lead"})");
    REQUIRE(lead.status == 200);
    const std::string lead_cookie = cookie_of(lead);
    const std::string lead_csrf = test::parse_json(lead.body).get<std::string>("csrf_token");
    CHECK(send(port, http::verb::post, council_property + "/rag",
               R"({"status":"red","reason":"","version":)" + std::to_string(version) + "}", lead_cookie, lead_csrf)
              .status == 400);
    // An injection string is stored as text, never run.
    const std::string sly = "Robert'); DROP TABLE properties;-- <script>alert(1)</script>";
    auto tagged = send(port, http::verb::post, council_property + "/rag",
                       R"({"status":"amber","reason":")" + sly + R"(","version":)" + std::to_string(version) + "}",
                       lead_cookie, lead_csrf);
    REQUIRE(tagged.status == 200);
    CHECK(test::parse_json(tagged.body).get<std::int64_t>("version") == version + 1);
    auto stale = send(port, http::verb::post, council_property + "/rag", amber, lead_cookie, lead_csrf);
    CHECK(stale.status == 409);
    const auto since = test::items(test::parse_json(stale.body), "since");
    REQUIRE(since.size() == 1);
    CHECK(since[0].get<std::string>("changed_by") == "Lee Brown");

    // The history names the authenticated officer, whatever a client might send as "by".
    auto history = test::run_estate("rag history " + test::sh(reg_path) + " --csv");
    CHECK_THAT(history.out, Catch::Contains("Lee Brown") && Catch::Contains("DROP TABLE properties"));
    auto after = send(port, http::verb::get, council_property, "", lead_cookie);
    CHECK(test::parse_json(after.body).get<std::string>("rag_reason") == sly);

    // Properties as GeoJSON, filtered; logout ends the session.
    auto greens = send(port, http::verb::get, "/api/properties?status=amber&owner=Trafford%20Council", "", lead_cookie);
    REQUIRE(greens.status == 200);
    const auto features = test::items(test::parse_json(greens.body), "features");
    REQUIRE(features.size() == 1);
    CHECK(features[0].get<std::string>("properties.name") == "Altrincham Town Hall");
    CHECK(send(port, http::verb::post, "/api/logout", "", lead_cookie, lead_csrf).status == 200);
    CHECK(send(port, http::verb::get, council_property, "", lead_cookie).status == 401);

    // Logins are limited per name: after 3 failures even the right password waits.
    for (int i = 0; i < 3; ++i)
        send(port, http::verb::post, "/api/login", R"({"name":"Nia Hughes","password":"guess"})");
    CHECK(send(port, http::verb::post, "/api/login", R"({"name":"Nia Hughes","password":"fire service estates"})")
              .status == 429);
}

TEST_CASE("The web API: an idle session expires", "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::trafford_register(tmp);
    {
        auto reg = db::Register::open(reg_path);
        officers::add_officer(reg, {"Lee Brown", "Trafford Council", true});
        officers::set_password(reg, "Lee Brown", "programme team lead");
    }
    auto o = test_options(reg_path);
    o.session_idle = std::chrono::seconds(1);
    o.session_absolute = std::chrono::seconds(3);
    RunningServer running(o);
    const auto port = running.port();
    const auto lee = log_in(port, "Lee Brown", "programme team lead");
    CHECK(send(port, http::verb::get, "/api/session", "", lee.cookie).status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    CHECK(send(port, http::verb::get, "/api/session", "", lee.cookie).status == 401);
    CHECK(
        send(port, http::verb::post, "/api/properties/1/rag", R"({"status":"red","reason":"x"})", lee.cookie, lee.csrf)
            .status == 401);
    // In use every half second, a session still ends at its absolute expiry.
    const auto busy = log_in(port, "Lee Brown", "programme team lead");
    int answered = 0;
    for (int i = 0; i < 8; ++i) {
        answered += send(port, http::verb::get, "/api/session", "", busy.cookie).status == 200;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    CHECK(answered >= 5);
    CHECK(answered < 8);
    CHECK(send(port, http::verb::get, "/api/session", "", busy.cookie).status == 401);
}

TEST_CASE("The web API: a new password or a removal ends sessions and bad versions or retired properties are refused",
          "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::register_with_officers(tmp);
    RunningServer running(reg_path);
    const auto port = running.port();
    const auto lee = log_in(port, "Lee Brown", "programme team lead");
    auto tom = log_in(port, "Tom Ward", "council estates team");

    // A version that is not a whole number is refused, not ignored (which would overwrite).
    for (const char* bad : {R"("1.5")", "1.5", "null", R"("abc")", "-1"})
        CHECK(send(port, http::verb::post, "/api/properties/1/rag",
                   std::string(R"({"status":"red","reason":"x","version":)") + bad + "}", lee.cookie, lee.csrf)
                  .status == 400);
    CHECK(send(port, http::verb::post, "/api/properties/1/rag", R"({"status":"red","reason":"x","version":1})",
               lee.cookie, lee.csrf)
              .status == 200);
    // A retired property is not tagged: 409, saying why.
    {
        db::Connection c(reg_path, db::Connection::Mode::read_write);
        c.exec("UPDATE properties SET retired_at = '2026-01-01T00:00:00Z' WHERE id = 2");
    }
    const auto retired =
        send(port, http::verb::post, "/api/properties/2/rag", R"({"status":"red","reason":"x"})", lee.cookie, lee.csrf);
    CHECK(retired.status == 409);
    CHECK_THAT(retired.body, Catch::Contains("retired"));
    // The search box's % and _ are the characters themselves, not wildcards.
    CHECK(test::items(test::parse_json(send(port, http::verb::get, "/api/properties?q=%25", "", lee.cookie).body),
                      "features")
              .empty());
    CHECK_FALSE(
        test::items(test::parse_json(send(port, http::verb::get, "/api/properties?q=Library", "", lee.cookie).body),
                    "features")
            .empty());

    // A new password (set from the command line, another process) ends the session.
    CHECK(send(port, http::verb::get, "/api/session", "", tom.cookie).status == 200);
    {
        auto reg = db::Register::open(reg_path);
        officers::set_password(reg, "Tom Ward", "a brand new passphrase", std::string("Lee Brown"));
    }
    CHECK(send(port, http::verb::get, "/api/session", "", tom.cookie).status == 401);
    CHECK(
        send(port, http::verb::post, "/api/properties/3/rag", R"({"status":"red","reason":"x"})", tom.cookie, tom.csrf)
            .status == 401);
    tom = log_in(port, "Tom Ward", "a brand new passphrase");
    // Removed: the session ends, the login is refused, the history keeps the name.
    {
        auto reg = db::Register::open(reg_path);
        officers::remove_officer(reg, "Tom Ward", "Lee Brown");
    }
    CHECK(send(port, http::verb::get, "/api/session", "", tom.cookie).status == 401);
    CHECK(send(port, http::verb::post, "/api/login", R"({"name":"Tom Ward","password":"a brand new passphrase"})")
              .status == 401);
    CHECK(send(port, http::verb::get, "/api/session", "", lee.cookie).status == 200); // others go on

    // Every login is recorded for estate verify; a logout closes its record.
    CHECK(send(port, http::verb::post, "/api/logout", "", lee.cookie, lee.csrf).status == 200);
    db::Connection c(reg_path, db::Connection::Mode::read_only);
    CHECK(c.scalar_int("SELECT count(*) FROM web_sessions") == 3);
    CHECK(c.scalar_int("SELECT count(*) FROM web_sessions WHERE officer = 'Lee Brown' AND closed_at IS NOT NULL") == 1);
    auto reg = db::Register::open(reg_path, true);
    CHECK(rag::audit_history(reg).clean()); // the web tag falls within Lee's recorded login
}

// Raw bytes to the server; what it answers before closing (empty when it just closes).
TEST_CASE("The web server's limits: body, header size and count, silent clients, logins per client", "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::trafford_register(tmp);
    auto o = test_options(reg_path);
    o.read_timeout = std::chrono::seconds(1);
    o.login_failures_per_name = 100;
    o.login_failures_per_client = 4;
    RunningServer running(o);
    const auto port = running.port();
    const std::string big(70 * 1024, 'x');
    CHECK_THAT(raw_exchange(port, "POST /api/login HTTP/1.1\r\nHost: a\r\nContent-Length: " +
                                      std::to_string(big.size()) + "\r\n\r\n" + big),
               Catch::StartsWith("HTTP/1.1 413"));
    CHECK_THAT(raw_exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(17 * 1024, 'y') + "\r\n\r\n"),
               Catch::StartsWith("HTTP/1.1 431"));
    std::string many = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 101; ++i) many += "X-H" + std::to_string(i) + ": 1\r\n";
    CHECK_THAT(raw_exchange(port, many + "\r\n"), Catch::StartsWith("HTTP/1.1 431"));
    // A client that starts a request and sends no more is closed after read_timeout.
    const auto started = std::chrono::steady_clock::now();
    CHECK(raw_exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n").empty());
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    // Failures from one client under ever new names: the client waits after 4.
    for (int i = 0; i < 4; ++i)
        CHECK(
            send(port, http::verb::post, "/api/login", R"({"name":"guess)" + std::to_string(i) + R"(","password":"x"})")
                .status == 401);
    CHECK(send(port, http::verb::post, "/api/login", R"({"name":"guess9","password":"x"})").status == 429);
}

TEST_CASE("Behind a trusted reverse proxy, logins are limited per forwarded client", "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::trafford_register(tmp);
    auto o = test_options(reg_path);
    o.login_failures_per_name = 100;
    o.login_failures_per_client = 3;
    o.trusted_proxy = "127.0.0.1";
    RunningServer running(o);
    auto login_from = [&](const std::string& forwarded, int i) {
        boost::asio::io_context ioc;
        tcp::socket socket(ioc);
        socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), running.port()));
        http::request<http::string_body> rq{http::verb::post, "/api/login", 11};
        rq.set(http::field::host, "estate.example");
        rq.set("X-Forwarded-For", forwarded);
        rq.set(http::field::content_type, "application/json");
        rq.body() = R"({"name":"guess)" + std::to_string(i) + R"(","password":"x"})";
        rq.prepare_payload();
        http::write(socket, rq);
        boost::beast::flat_buffer buffer;
        http::response<http::string_body> r;
        http::read(socket, buffer, r);
        return static_cast<int>(r.result_int());
    };
    // The address the proxy saw is the last; one a client wrote before it changes nothing.
    for (int i = 0; i < 3; ++i) CHECK(login_from("1.2.3.4, 203.0.113.7", i) == 401);
    CHECK(login_from("9.9.9.9, 203.0.113.7", 3) == 429);
    CHECK(login_from("198.51.100.2", 4) == 401); // another client is not held up
}

TEST_CASE("The web API: the page, the area, tiles, hubs, bulk tags all or nothing, exports, the board report",
          "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::register_with_officers(tmp);
    RunningServer running(reg_path);
    const auto port = running.port();

    // The page is served to anyone (it logs in through the API), under the same policy.
    auto page = send(port, http::verb::get, "/");
    CHECK(page.status == 200);
    CHECK_THAT(page.content_type, Catch::StartsWith("text/"));
    CHECK_THAT(page.csp, Catch::Contains("script-src 'self'"));
    CHECK(send(port, http::verb::get, "/no-such-page").status == 404);
    CHECK(send(port, http::verb::get, "/api/area").status == 401);
    CHECK(send(port, http::verb::get, "/api/tiles/0/0/0.mvt").status == 401);

    const auto tom = log_in(port, "Tom Ward", "council estates team");
    auto area = test::parse_json(send(port, http::verb::get, "/api/area", "", tom.cookie).body);
    CHECK(area.get<std::string>("area") == "Trafford");
    const auto located = area.get<std::int64_t>("located");
    CHECK(located > 400);
    CHECK_THAT(area.get<std::string>("boundary_wkt"), Catch::StartsWith("POLYGON"));

    std::vector<double> extent;
    for (const auto& [key, v] : area.get_child("extent")) extent.push_back(v.get_value<double>());
    REQUIRE(extent.size() == 4);

    // A postcode from the register's lookup (the manifest's, kept by the load): where the
    // page takes the map when a search is a postcode, however it is written.
    auto pc = send(port, http::verb::get, "/api/postcodes/m15%204ab", "", tom.cookie);
    REQUIRE(pc.status == 200);
    const auto at = test::parse_json(pc.body);
    CHECK(at.get<std::string>("postcode") == "M15 4AB");
    CHECK(at.get<double>("easting") > extent[0] - 1000);
    CHECK(at.get<double>("northing") < extent[3] + 1000);
    CHECK(std::fabs(at.get<double>("lat") - 53.4656) < 0.001);
    CHECK(send(port, http::verb::get, "/api/postcodes/ZZ99%209ZZ", "", tom.cookie).status == 404);
    CHECK(send(port, http::verb::get, "/api/postcodes/Trafford", "", tom.cookie).status == 400);
    CHECK(send(port, http::verb::get, "/api/postcodes/M15%204AB").status == 401);

    // Zoom 6 (14 m a pixel): one feature per status per six-pixel cell (84 m), none
    // unassessed beneath a coloured one, so at most the located properties and most of
    // them; each inside its tile. Zoom 1 (448 m a pixel) thins much more.
    auto tile = send(port, http::verb::get, "/api/tiles/6/41/60.mvt", "", tom.cookie);
    REQUIRE(tile.status == 200);
    CHECK(tile.content_type == "application/vnd.mapbox-vector-tile");
    const auto features = features_over(port, tom.cookie, extent, 6);
    CHECK(static_cast<std::int64_t>(features.size()) <= located);
    CHECK(static_cast<std::int64_t>(features.size()) > located * 6 / 10);
    for (const auto& f : features) {
        CHECK(f.x >= 0);
        CHECK(f.x <= 4096);
        CHECK(f.y >= 0);
        CHECK(f.y <= 4096);
    }
    CHECK(features_over(port, tom.cookie, extent, 1).size() < features.size() / 2);
    CHECK(tile_features(send(port, http::verb::get, "/api/tiles/5/0/0.mvt", "", tom.cookie).body).empty());
    CHECK(send(port, http::verb::get, "/api/tiles/15/0/0.mvt", "", tom.cookie).status == 404);
    CHECK(send(port, http::verb::get, "/api/tiles/5/x/0.mvt", "", tom.cookie).status == 404);

    // Paging in the register's order: limit, then after= the last id given.
    auto page1 = test::parse_json(send(port, http::verb::get, "/api/properties?limit=10", "", tom.cookie).body);
    CHECK(page1.get<std::string>("more") == "true");
    const auto first10 = test::items(page1, "features");
    REQUIRE(first10.size() == 10);
    const auto last = first10.back().get<std::int64_t>("id");
    auto page2 = test::items(
        test::parse_json(
            send(port, http::verb::get, "/api/properties?limit=10&after=" + std::to_string(last), "", tom.cookie).body),
        "features");
    REQUIRE(page2.size() == 10);
    CHECK(page2.front().get<std::int64_t>("id") > last);
    auto all = test::parse_json(send(port, http::verb::get, "/api/properties", "", tom.cookie).body);
    CHECK(all.get<std::string>("more") == "false"); // 754 is under the 50,000 of one answer
    CHECK(send(port, http::verb::get, "/api/properties?limit=0", "", tom.cookie).status == 400);

    // Bulk: all or nothing. One stale version among three: 409, none applied.
    auto town_hall = test::parse_json(send(port, http::verb::get, "/api/properties/1", "", tom.cookie).body);
    const auto v1 = town_hall.get<std::int64_t>("version");
    // Two located, unassessed council properties (the GeoJSON lists unlocated ones with no geometry).
    std::vector<test::Json> some;
    for (const auto& f :
         test::items(test::parse_json(send(port, http::verb::get,
                                           "/api/properties?owner=Trafford%20Council&status=unassessed&limit=50", "",
                                           tom.cookie)
                                          .body),
                     "features"))
        if (f.get_child_optional("geometry.coordinates") && f.get<std::string>("id") != "1" && some.size() < 2)
            some.push_back(f);
    REQUIRE(some.size() == 2);
    const auto a = some[0].get<std::int64_t>("id"), b = some[1].get<std::int64_t>("id");
    auto body = [&](std::int64_t stale_version) {
        return R"({"status":"amber","reason":"Sale hub review","properties":[{"id":)" + std::to_string(a) +
               R"(,"version":)" + some[0].get<std::string>("properties.version") + R"(},{"id":)" + std::to_string(b) +
               R"(},{"id":1,"version":)" + std::to_string(stale_version) + "}]}";
    };
    auto stale = send(port, http::verb::post, "/api/rag/bulk", body(v1 + 5), tom.cookie, tom.csrf);
    CHECK(stale.status == 409);
    CHECK_THAT(stale.body, Catch::Contains("1 of 3 tags cannot be applied, so none was"));
    CHECK(test::parse_json(send(port, http::verb::get, "/api/properties/" + std::to_string(a), "", tom.cookie).body)
              .get<std::string>("rag_status") == "unassessed");
    CHECK(send(port, http::verb::post, "/api/rag/bulk", body(v1), tom.cookie).status == 403); // no CSRF token
    // Another agency's property among them: 403, none applied.
    auto fire = test::items(
        test::parse_json(send(port, http::verb::get,
                              "/api/properties?owner=Greater%20Manchester%20Fire%20and%20Rescue%20Service&limit=1", "",
                              tom.cookie)
                             .body),
        "features");
    REQUIRE(fire.size() == 1);
    auto outside = send(port, http::verb::post, "/api/rag/bulk",
                        R"({"status":"red","reason":"x","properties":[{"id":)" + std::to_string(a) + R"(},{"id":)" +
                            fire[0].get<std::string>("id") + "}]}",
                        tom.cookie, tom.csrf);
    CHECK(outside.status == 403);
    CHECK_THAT(outside.body, Catch::Contains("so none was"));
    auto done = send(port, http::verb::post, "/api/rag/bulk", body(v1), tom.cookie, tom.csrf);
    REQUIRE(done.status == 200);
    CHECK(test::parse_json(done.body).get<int>("changed") == 3);
    // The history says web, under Tom; the next tile draws them amber.
    auto history = test::run_estate("rag history " + test::sh(reg_path) + " --csv");
    CHECK_THAT(history.out, Catch::Contains("Tom Ward,web"));
    const double e1 = town_hall.get<double>("easting"), n1 = town_hall.get<double>("northing");
    CHECK(drawn_status(port, tom.cookie, 1, e1, n1) == 1);
    for (const auto& p : some) {
        std::vector<double> at;
        for (const auto& [key, v] : p.get_child("geometry.coordinates")) at.push_back(v.get_value<double>());
        REQUIRE(at.size() == 2);
        CHECK(drawn_status(port, tom.cookie, p.get<std::uint64_t>("id"), at[0], at[1]) == 1);
    }
    // A status changed on the command line reaches the tiles too.
    test::run_estate("rag set " + test::sh(reg_path) + " 1 red --reason 'Closing' --by 'Lee Brown'");
    CHECK(drawn_status(port, tom.cookie, 1, e1, n1) == 0);

    // The latest hubs run; an export of what the table shows; the board report.
    auto hubs = test::parse_json(send(port, http::verb::get, "/api/hubs", "", tom.cookie).body);
    CHECK(hubs.get<std::string>("type") == "FeatureCollection");
    auto gpkg = send(port, http::verb::get, "/api/export?format=gpkg&status=amber", "", tom.cookie);
    REQUIRE(gpkg.status == 200);
    CHECK(gpkg.body.compare(0, 15, "SQLite format 3") == 0);
    auto xlsx = send(port, http::verb::get, "/api/export?format=xlsx&owner=Trafford%20Council", "", tom.cookie);
    REQUIRE(xlsx.status == 200);
    CHECK(xlsx.body.compare(0, 2, "PK") == 0); // a zip, as XLSX is
    CHECK(send(port, http::verb::get, "/api/export?format=shp", "", tom.cookie).status == 400);
    auto report = send(port, http::verb::get, "/api/report", "", tom.cookie);
    REQUIRE(report.status == 200);
    CHECK_THAT(report.body, Catch::Contains("Trafford"));
    CHECK_THAT(report.csp, Catch::Contains("default-src 'none'") && !Catch::Contains("script-src"));
}

TEST_CASE("The web API over HTTPS: a certificate given, cookies are Secure and plain HTTP gets nothing", "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::trafford_register(tmp);
    {
        auto reg = db::Register::open(reg_path);
        officers::add_officer(reg, {"Lee Brown", "Trafford Council", true});
        officers::set_password(reg, "Lee Brown", "programme team lead");
    }
    const std::string cert = tmp.path("cert.pem"), key = tmp.path("key.pem");
    REQUIRE(test::run_shell("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout " +
                            test::sh(key) + " -out " + test::sh(cert) + " 2>/dev/null")
                .exit_code == 0);
    // The wrong files are named.
    web::ServerOptions bad;
    bad.register_path = reg_path;
    bad.port = 0;
    bad.tls_cert = key;
    bad.tls_key = key;
    CHECK_THROWS_WITH(web::Server(bad), Catch::Contains("key.pem: not a PEM certificate"));
    bad.tls_cert = cert;
    bad.tls_key = "";
    CHECK_THROWS_WITH(web::Server(bad), Catch::Contains("both a certificate and its private key"));

    auto o = test_options(reg_path);
    o.tls_cert = cert;
    o.tls_key = key;
    RunningServer running(o);
    boost::asio::io_context ioc;
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    ctx.set_verify_mode(boost::asio::ssl::verify_none); // a certificate made for the test
    boost::asio::ssl::stream<tcp::socket> stream(ioc, ctx);
    stream.next_layer().connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), running.port()));
    stream.handshake(boost::asio::ssl::stream_base::client);
    http::request<http::string_body> rq{http::verb::post, "/api/login", 11};
    rq.set(http::field::host, "localhost");
    rq.set(http::field::content_type, "application/json");
    rq.body() = R"({"name":"Lee Brown","password":"programme team lead"})";
    rq.prepare_payload();
    http::write(stream, rq);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> r;
    http::read(stream, buffer, r);
    CHECK(r.result_int() == 200);
    CHECK_THAT(std::string(r[http::field::set_cookie]), Catch::Contains("; Secure") && Catch::Contains("HttpOnly"));
    CHECK_THAT(std::string(r[http::field::strict_transport_security]), Catch::Contains("max-age="));
    // Plain HTTP to the HTTPS port gets no answer.
    CHECK_THROWS(send(running.port(), http::verb::get, "/api/session"));
}
