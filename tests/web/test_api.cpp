#include <catch2/catch.hpp>

#include "estate/db/register.hpp"
#include "estate/rag/passwords.hpp"
#include "estate/rag/status.hpp"
#include "estate/web/server.hpp"
#include "support.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <thread>

using namespace estate;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

struct Reply {
    int status = 0;
    std::string body, set_cookie, csp;
};

// One HTTP request to the server on @p port, as a browser or a script would send it.
Reply send(unsigned short port, http::verb method, const std::string& target, const std::string& body = "",
           const std::string& cookie = "", const std::string& csrf = "") {
    boost::asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> rq{method, target, 11};
    rq.set(http::field::host, "127.0.0.1");
    if (!cookie.empty()) rq.set(http::field::cookie, cookie);
    if (!csrf.empty()) rq.set("X-CSRF-Token", csrf);
    if (!body.empty()) {
        rq.set(http::field::content_type, "application/json");
        rq.body() = body;
    }
    rq.prepare_payload();
    http::write(socket, rq);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> r;
    http::read(socket, buffer, r);
    Reply out{static_cast<int>(r.result_int()), r.body(), std::string(r[http::field::set_cookie]),
              std::string(r["Content-Security-Policy"])};
    return out;
}

// The session cookie a login set ("estate_session=...").
std::string cookie_of(const Reply& login) { return login.set_cookie.substr(0, login.set_cookie.find(';')); }

struct RunningServer {
    explicit RunningServer(const std::string& reg) : server([&] {
        web::ServerOptions o;
        o.register_path = reg;
        o.port = 0;
        o.login_failures_per_name = 3;
        return o;
    }()), thread([this] { server.run(); }) {}
    ~RunningServer() {
        server.stop();
        thread.join();
    }
    unsigned short port() const { return server.port(); }
    web::Server server;
    std::thread thread;
};

} // namespace

TEST_CASE("The web API: login, sessions, CSRF, agency scope, conflicts, history under the officer", "[web]") {
    test::TempDir tmp;
    const std::string reg_path = test::trafford_register(tmp);
    {
        auto reg = db::Register::open(reg_path);
        rag::add_officer(reg, {"Lee Brown", "Trafford Council", true});
        rag::set_password(reg, "Lee Brown", "programme team lead");
        rag::add_officer(reg, {"Nia Hughes", "Greater Manchester Fire and Rescue Service", false},
                         std::string("Lee Brown"));
        rag::set_password(reg, "Nia Hughes", "fire service estates", std::string("Lee Brown"));
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

    auto login = send(port, http::verb::post, "/api/login", R"({"name":"Nia Hughes","password":"fire service estates"})");
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

    const std::string amber = R"({"status":"amber","reason":"Review in 2027","version":)" + std::to_string(version) + "}";
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
