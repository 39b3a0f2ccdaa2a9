// estate serve under clients that mean harm: many connections held open, guesses at a
// password sent all at once. The server's threads and password checks stay bounded and
// a real officer is answered at once.

#include <catch2/catch.hpp>

#include "estate/db/register.hpp"
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

std::string login_body(const std::string& name, const std::string& password) {
    return R"({"name":")" + name + R"(","password":")" + password + "\"}";
}

// @p n logins of Lee Brown sent at once (the i-th with password(i)): how many got each
// answer (0: closed unanswered, as for more connections from one address than it may hold).
template <class Password>
std::map<int, int> logins_at_once(unsigned short port, int n, Password password) {
    std::vector<std::future<int>> sent;
    for (int i = 0; i < n; ++i)
        sent.push_back(std::async(std::launch::async, [port, i, &password] {
            try {
                return test::send(port, verb::post, "/api/login", login_body("Lee Brown", password(i))).status;
            } catch (const std::exception&) {
                return 0;
            }
        }));
    std::map<int, int> answers;
    for (auto& s : sent) ++answers[s.get()];
    return answers;
}

} // namespace

TEST_CASE("Hostile connections neither crash the server nor keep an officer waiting", "[web][slow]") {
    test::TempDir tmp;
    const std::string reg = test::register_with_officers(tmp);
    auto o = test::test_options(reg);
    o.max_connections = 256;
    test::RunningServer running(o);
    const auto port = running.port();
    // The officer logs in first (and the server's threads have started): what is timed is
    // their request, not the password check.
    const auto officer = test::log_in(port, "Lee Brown", "programme team lead", "127.0.0.9");
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
        s.bind(tcp::endpoint(
            boost::asio::ip::make_address("127.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1)), 0));
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
    const auto session = test::send(port, verb::get, "/api/properties/1", "", officer.cookie, "", "127.0.0.9");
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK(session.status == 200);
    CHECK(waited < std::chrono::seconds(1));
    // No thread a connection: the server has the threads it had.
    CHECK(threads_of_this_process() <= threads_before);
    INFO("hostile connections: " << hostile);
}

TEST_CASE("Forty guesses sent at once cost five password checks and lock out only the guesser", "[web][slow]") {
    test::TempDir tmp;
    const std::string reg = test::register_with_officers(tmp);
    auto o = test::test_options(reg);
    o.login_failures_per_name = 5;
    o.login_failures_per_client = 20;
    test::RunningServer running(o);
    const auto port = running.port();

    auto answers = logins_at_once(port, 40, [](int i) { return "guess " + std::to_string(i); });
    INFO("401: " << answers[401] << ", 429: " << answers[429] << ", 503: " << answers[503]
                 << ", closed: " << answers[0]);
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
    const std::string reg = test::register_with_officers(tmp);
    auto o = test::test_options(reg);
    o.login_failures_per_name = 100;
    o.login_failures_per_client = 100;
    o.password_checks = 1;
    o.password_check_queue = 1;
    test::RunningServer running(o);
    const auto port = running.port();
    auto answers = logins_at_once(port, 12, [](int) { return std::string("programme team lead"); });
    INFO("200: " << answers[200] << ", 503: " << answers[503]);
    CHECK(answers[200] + answers[503] == 12);
    CHECK(answers[200] >= 1);
    CHECK(answers[503] >= 4); // one checking and one waiting of the eight that reached a worker together
}
