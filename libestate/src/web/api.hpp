#pragma once
// The JSON API's handlers (docs/api.md): each request in, one response out, with the
// sessions and login limits the server keeps. Private to libestate.

#include "estate/rag/status.hpp"
#include "estate/web/server.hpp"

#include <boost/beast/http.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace estate::web {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Clock = std::chrono::steady_clock;

struct Session {
    rag::Officer officer;
    std::string csrf_token;
    Clock::time_point created, last_used;
};

/// Open sessions, in memory: a restart logs everyone out (nothing secret on disk).
class Sessions {
public:
    Sessions(std::chrono::seconds idle, std::chrono::seconds absolute) : idle_(idle), absolute_(absolute) {}
    /// A new session for @p officer: its id (for the cookie) and CSRF token.
    std::pair<std::string, std::string> open(const rag::Officer& officer);
    /// The session of @p id, when it exists and has not expired (its idle time restarts).
    std::optional<Session> find(const std::string& id);
    void close(const std::string& id);

private:
    std::mutex mutex_;
    std::unordered_map<std::string, Session> by_id_;
    std::chrono::seconds idle_, absolute_;
};

/// Failed logins counted per name and per client over a window.
class LoginLimits {
public:
    explicit LoginLimits(const ServerOptions& o) : per_name_(o.login_failures_per_name),
        per_client_(o.login_failures_per_client), window_(o.login_window) {}
    bool allowed(const std::string& name, const std::string& client);
    void failed(const std::string& name, const std::string& client);

private:
    int count(std::vector<Clock::time_point>& times);
    void sweep(std::map<std::string, std::vector<Clock::time_point>>& by_key);
    std::mutex mutex_;
    std::map<std::string, std::vector<Clock::time_point>> by_name_, by_client_;
    int per_name_, per_client_;
    std::chrono::seconds window_;
};

struct ApiContext {
    const ServerOptions& options;
    Sessions& sessions;
    LoginLimits& limits;
};

/// An answer {"error": @p message}, as every refusal is written.
Response error_response(http::status status, const std::string& message, unsigned version, bool keep_alive);

/// One request: @p client is the peer's address (for the login limits).
Response handle(ApiContext& context, const Request& request, const std::string& client);

/// 256 random bits as 64 hexadecimal digits (libsodium's randombytes).
std::string random_token();

} // namespace estate::web
