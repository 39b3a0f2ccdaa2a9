#pragma once
// A web client and a running server for the web tests: requests as a browser or a
// script sends them, from a chosen local address (127.0.0.x are all this machine).

#include "estate/web/server.hpp"
#include "support.hpp"

#include <boost/beast/http/verb.hpp>

#include <string>
#include <thread>

namespace test {

struct Reply {
    int status = 0;
    std::string body, set_cookie, csp, content_type;
};

/// One HTTP request to the server on @p port, sent from the address @p from.
Reply send(unsigned short port, boost::beast::http::verb method, const std::string& target,
           const std::string& body = "", const std::string& cookie = "", const std::string& csrf = "",
           const std::string& from = "127.0.0.1");

/// The session cookie a login set ("estate_session=...").
std::string cookie_of(const Reply& login);

/// The options of the servers these tests run: a free port, 3 failures per name.
estate::web::ServerOptions test_options(const std::string& reg);

struct RunningServer {
    explicit RunningServer(const estate::web::ServerOptions& options)
        : server(options), thread([this] { server.run(); }) {}
    explicit RunningServer(const std::string& reg) : RunningServer(test_options(reg)) {}
    ~RunningServer() {
        server.stop();
        thread.join();
    }
    unsigned short port() const { return server.port(); }
    estate::web::Server server;
    std::thread thread;
};

/// A logged-in client: its cookie and CSRF token.
struct Client {
    std::string cookie, csrf;
};
/// Logs in (the test fails unless it is 200).
Client log_in(unsigned short port, const std::string& name, const std::string& password,
              const std::string& from = "127.0.0.1");

/// A copy of the Trafford register (in @p tmp) with three officers who can log in: Lee
/// Brown (Trafford Council, partnership-wide, "programme team lead"), Tom Ward (Trafford
/// Council, "council estates team") and Nia Hughes (Greater Manchester Fire and Rescue
/// Service, "fire service estates").
std::string register_with_officers(const TempDir& tmp);

/// Sends @p bytes as they are and returns everything the server answers until it closes.
std::string raw_exchange(unsigned short port, const std::string& bytes);

} // namespace test
