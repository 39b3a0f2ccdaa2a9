#include "web/client.hpp"

#include "support.hpp"

#include "estate/db/register.hpp"
#include "estate/officers/passwords.hpp"
#include "estate/rag/status.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace test {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

Reply send(unsigned short port, http::verb method, const std::string& target, const std::string& body,
           const std::string& cookie, const std::string& csrf, const std::string& from) {
    boost::asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(boost::asio::ip::make_address(from), 0));
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
    return Reply{static_cast<int>(r.result_int()), r.body(), std::string(r[http::field::set_cookie]),
                 std::string(r["Content-Security-Policy"]), std::string(r[http::field::content_type])};
}

std::string cookie_of(const Reply& login) {
    return login.set_cookie.substr(0, login.set_cookie.find(';'));
}

estate::web::ServerOptions test_options(const std::string& reg) {
    estate::web::ServerOptions o;
    o.register_path = reg;
    o.port = 0;
    o.login_failures_per_name = 3;
    return o;
}

Client log_in(unsigned short port, const std::string& name, const std::string& password, const std::string& from) {
    auto r = send(port, http::verb::post, "/api/login", R"({"name":")" + name + R"(","password":")" + password + "\"}",
                  "", "", from);
    REQUIRE(r.status == 200);
    return {cookie_of(r), parse_json(r.body).get<std::string>("csrf_token")};
}

std::string register_with_officers(const TempDir& tmp) {
    const std::string path = trafford_register(tmp);
    auto reg = estate::db::Register::open(path);
    namespace rag = estate::rag;
    namespace officers = estate::officers;
    officers::add_officer(reg, {"Lee Brown", "Trafford Council", true});
    officers::set_password(reg, "Lee Brown", "programme team lead");
    officers::add_officer(reg, {"Tom Ward", "Trafford Council", false}, std::string("Lee Brown"));
    officers::set_password(reg, "Tom Ward", "council estates team", std::string("Lee Brown"));
    officers::add_officer(reg, {"Nia Hughes", "Greater Manchester Fire and Rescue Service", false},
                          std::string("Lee Brown"));
    officers::set_password(reg, "Nia Hughes", "fire service estates", std::string("Lee Brown"));
    return path;
}

std::string raw_exchange(unsigned short port, const std::string& bytes) {
    boost::asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(bytes), ec);
    std::string answer;
    char chunk[4096];
    for (;;) {
        const auto n = socket.read_some(boost::asio::buffer(chunk), ec);
        if (ec) break;
        answer.append(chunk, n);
    }
    return answer;
}

} // namespace test
