// estate serve under clients that mean harm: many connections held open, guesses at a
// password sent all at once. The server's threads and password checks stay bounded and
// a real officer is answered at once.

#include <catch2/catch.hpp>

#include "estate/db/register.hpp"
#include "estate/rag/passwords.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"
#include "web/client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>

#include <sys/resource.h>

using namespace estate;
using boost::beast::http::verb;
using tcp = boost::asio::ip::tcp;

namespace {

std::size_t threads_of_this_process() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& t : std::filesystem::directory_iterator("/proc/self/task")) ++n;
    return n;
}

// A register with two officers who can log in, of two agencies.
std::string register_with_officers(const test::TempDir& tmp) {
    const std::string path = test::trafford_register(tmp);
    auto reg = db::Register::open(path);
    rag::add_officer(reg, {"Lee Brown", "Trafford Council", true});
    rag::set_password(reg, "Lee Brown", "programme team lead");
    rag::add_officer(reg, {"Nia Hughes", "Greater Manchester Fire and Rescue Service", false}, std::string("Lee Brown"));
    rag::set_password(reg, "Nia Hughes", "fire service estates", std::string("Lee Brown"));
    return path;
}

std::string login_body(const std::string& name, const std::string& password) {
    return R"({"name":")" + name + R"(","password":")" + password + "\"}";
}

} // namespace

TEST_CASE("Hostile connections neither crash the server nor keep an officer waiting", "[web][slow]") {
    test::TempDir tmp;
    const std::string reg = register_with_officers(tmp);
    auto o = test::test_options(reg);
    o.max_connections = 256;
    test::RunningServer running(o);
    const auto port = running.port();
    test::log_in(port, "Lee Brown", "programme team lead"); // the server is up and its threads started
    const std::size_t threads_before = threads_of_this_process();

    // A thousand connections (fewer where this process may not open that many files),
    // from as many addresses, half of them halfway through a request, none finishing.
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    const std::size_t hostile = std::min<std::size_t>(1000, (files.rlim_cur - 300) / 2);
    boost::asio::io_context ioc;
    std::vector<tcp::socket> sockets;
    for (std::size_t i = 0; i < hostile; ++i) {
        tcp::socket s(ioc);
        s.open(tcp::v4());
        s.bind(tcp::endpoint(boost::asio::ip::make_address("127.1." + std::to_string(i / 250) + "." +
                                                             std::to_string(i % 250 + 1)),
                             0));
        s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        if (i % 2) boost::asio::write(s, boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: a\r\n")));
        sockets.push_back(std::move(s));
    }
    // More from one address than it may hold: its oldest are closed, the server goes on.
    for (int i = 0; i < 100; ++i) {
        tcp::socket s(ioc);
        s.open(tcp::v4());
        s.bind(tcp::endpoint(boost::asio::ip::make_address("127.0.0.2"), 0));
        s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        sockets.push_back(std::move(s));
    }

    const auto started = std::chrono::steady_clock::now();
    const auto officer = test::log_in(port, "Lee Brown", "programme team lead", "127.0.0.9");
    const auto session = test::send(port, verb::get, "/api/properties/1", "", officer.cookie);
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK(session.status == 200);
    CHECK(waited < std::chrono::seconds(1));
    // No thread a connection: the server has the threads it had.
    CHECK(threads_of_this_process() <= threads_before);
    INFO("hostile connections: " << hostile);
}

TEST_CASE("Forty guesses sent at once cost five password checks and lock out only the guesser", "[web][slow]") {
    test::TempDir tmp;
    const std::string reg = register_with_officers(tmp);
    auto o = test::test_options(reg);
    o.login_failures_per_name = 5;
    o.login_failures_per_client = 20;
    test::RunningServer running(o);
    const auto port = running.port();

    std::vector<std::future<int>> guesses;
    for (int i = 0; i < 40; ++i)
        guesses.push_back(std::async(std::launch::async, [port, i] {
            try {
                return test::send(port, verb::post, "/api/login", login_body("Lee Brown", "guess " + std::to_string(i)))
                    .status;
            } catch (const std::exception&) {
                return 0; // closed unanswered: more connections from one address than it may hold
            }
        }));
    std::map<int, int> answers;
    for (auto& g : guesses) ++answers[g.get()];
    INFO("401: " << answers[401] << ", 429: " << answers[429] << ", 503: " << answers[503] << ", closed: " << answers[0]);
    CHECK(answers[401] == 5); // checked, and wrong
    CHECK(answers[401] + answers[429] + answers[503] + answers[0] == 40);

    // The guesser is held up under that name; the officer, from their own desk, is not;
    // nor is another officer from the guesser's address (its limit is per client, 20).
    CHECK(test::send(port, verb::post, "/api/login", login_body("Lee Brown", "programme team lead")).status == 429);
    test::log_in(port, "Lee Brown", "programme team lead", "127.0.0.3");
    test::log_in(port, "Nia Hughes", "fire service estates");
}

TEST_CASE("Password checks beyond the queue are refused at once with 503", "[web][slow]") {
    test::TempDir tmp;
    const std::string reg = register_with_officers(tmp);
    auto o = test::test_options(reg);
    o.login_failures_per_name = 100;
    o.login_failures_per_client = 100;
    o.password_checks = 1;
    o.password_check_queue = 1;
    test::RunningServer running(o);
    const auto port = running.port();
    std::vector<std::future<int>> logins;
    for (int i = 0; i < 12; ++i)
        logins.push_back(std::async(std::launch::async, [port] {
            return test::send(port, verb::post, "/api/login", login_body("Lee Brown", "programme team lead")).status;
        }));
    std::map<int, int> answers;
    for (auto& l : logins) ++answers[l.get()];
    INFO("200: " << answers[200] << ", 503: " << answers[503]);
    CHECK(answers[200] + answers[503] == 12);
    CHECK(answers[200] >= 1);
    CHECK(answers[503] >= 4); // one checking and one waiting of the eight that reached a worker together
}
