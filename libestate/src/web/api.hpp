#pragma once
// The JSON API's handlers (docs/api.md): each request in, one response out, with the
// sessions and login limits the server keeps. Private to libestate.

#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/rag/status.hpp"
#include "estate/web/server.hpp"

#include <boost/beast/http.hpp>
#include <boost/property_tree/ptree.hpp>

#include <chrono>
#include <condition_variable>
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
    officers::Officer officer;
    std::string csrf_token;
    Clock::time_point created, last_used;
    std::int64_t record = 0;   ///< its row in the register's web_sessions
    std::string password_hash; ///< of the password it logged in with: a new one ends it
};

/// Open sessions, in memory: a restart logs everyone out (nothing secret on disk).
class Sessions {
public:
    Sessions(std::chrono::seconds idle, std::chrono::seconds absolute) : idle_(idle), absolute_(absolute) {}
    /// A new session: its id (for the cookie) and CSRF token.
    std::pair<std::string, std::string> open(Session session);
    /// The session of @p id, when it exists and has not expired (its idle time restarts).
    std::optional<Session> find(const std::string& id);
    void close(const std::string& id);

private:
    std::mutex mutex_;
    std::unordered_map<std::string, Session> by_id_;
    std::chrono::seconds idle_, absolute_;
};

/// Failed logins counted over a window, per name from one client and per client. An
/// attempt is counted *before* its password is checked (reserve) and forgiven when it
/// succeeds, so that guesses sent all at once are held to the limit like guesses sent
/// one by one. Per name from one client: a name being guessed at from one address is
/// not locked out for its officer logging in from another.
class LoginLimits {
public:
    explicit LoginLimits(const ServerOptions& o)
        : per_name_(o.login_failures_per_name), per_client_(o.login_failures_per_client), window_(o.login_window) {}
    /// Counts an attempt of @p name from @p client; false (nothing counted) when either
    /// limit is already reached.
    bool reserve(const std::string& name, const std::string& client);
    /// The attempt reserved was not a failure (the password was right, or it was never checked).
    void forgive(const std::string& name, const std::string& client);

private:
    using Times = std::map<std::string, std::vector<Clock::time_point>>;
    static std::string name_key(const std::string& name, const std::string& client);
    int count(std::vector<Clock::time_point>& times);
    void sweep(Times& by_key);
    std::mutex mutex_;
    Times by_name_, by_client_;
    int per_name_, per_client_;
    std::chrono::seconds window_;
};

/// Password checks at once, and how many may wait for a turn: Argon2id takes 64 MiB and
/// a tenth of a second of a core each, so the logins in hand bound memory and time.
class PasswordGate {
public:
    PasswordGate(unsigned at_once, unsigned may_wait) : at_once_(at_once), may_wait_(may_wait) {}
    /// A turn to check a password, held while the object lives; false when the queue is full.
    class Turn {
    public:
        explicit Turn(PasswordGate& gate);
        ~Turn();
        Turn(const Turn&) = delete;
        Turn& operator=(const Turn&) = delete;
        explicit operator bool() const { return granted_; }

    private:
        PasswordGate& gate_;
        bool granted_ = false;
    };

private:
    std::mutex mutex_;
    std::condition_variable turn_free_;
    unsigned at_once_, may_wait_, checking_ = 0, waiting_ = 0;
};

/// Whether a session's officer may still act: not removed, and the password the same as
/// at the login (removing an officer or changing their password, from any program, ends
/// their sessions at the next request). Kept in step with the register through PRAGMA
/// data_version on one held connection: nothing is read while nothing has changed.
class OfficerWatch {
public:
    explicit OfficerWatch(std::string register_path) : path_(std::move(register_path)) {}
    /// @p officer's current password hash (each setting has its own salt: a new password,
    /// even the same one again, is a new hash); nothing when they cannot log in now.
    std::optional<std::string> password_hash(const std::string& officer);

private:
    void refresh();
    std::mutex mutex_;
    std::string path_;
    std::optional<db::Register> watch_;
    std::optional<std::int64_t> data_version_;
    std::map<std::string, std::string> hash_of_; // lower-cased name -> password hash
};

class TileCache;

struct ApiContext {
    const ServerOptions& options;
    Sessions& sessions;
    LoginLimits& limits;
    PasswordGate& password_gate;
    OfficerWatch& officers;
    TileCache& tiles;
};

/// One request being answered.
struct Call {
    ApiContext& context;
    const Request& rq;
    const std::string& client;
    std::string path;               ///< the target without its query
    std::optional<Session> session; ///< when the request carries a live session cookie
    std::string session_id;
};

/// An answer {"error": @p message}, as every refusal is written.
Response error_response(http::status status, const std::string& message, unsigned version, bool keep_alive);

/// A 200 answer to @p rq with @p body of @p content_type (not stored by caches).
Response ok_response(const Request& rq, const std::string& content_type, std::string body);
/// A JSON answer to @p rq.
Response json_response(const Request& rq, http::status status, const std::string& body);
/// {"error": @p message} with @p status, answering @p rq.
Response problem(const Request& rq, http::status status, const std::string& message);
/// The target's query, decoded: "?a=1&b=x%20y" -> {a: 1, b: "x y"}.
std::map<std::string, std::string> query_of(const std::string& target);
/// The request's body as JSON; nothing when it is not JSON.
std::optional<boost::property_tree::ptree> body_json(const Request& rq);
/// The list filter a query asks for (status, owner, use, q, no_value, bbox); a 400
/// answer when one is malformed.
std::optional<Response> read_filter(Call& c, const std::map<std::string, std::string>& query, db::ListFilter& f);
/// The refusal of a change without a session (401) or without the session's CSRF token
/// in X-CSRF-Token (403); nothing when the change may go ahead.
std::optional<Response> refuse_change(Call& c);

/// A tag of property @p id by the session's officer, from the web: @p status, @p reason
/// and the version seen (@p version) as the client sent them, who and where never.
rag::TagRequest officer_tag(const Call& c, std::int64_t id, const boost::property_tree::ptree& status_and_reason,
                            const boost::property_tree::ptree& version);

// The map's and the table's data (web/map_data.cpp).
Response area(Call& c);                         ///< GET /api/area
Response hubs(Call& c);                         ///< GET /api/hubs
Response tile(Call& c, const std::string& zxy); ///< GET /api/tiles/{z}/{x}/{y}.mvt
Response bulk_tag(Call& c);                     ///< POST /api/rag/bulk
Response export_shown(Call& c);                 ///< GET /api/export
Response board_report(Call& c);                 ///< GET /api/report
/// The page's files (index.html, app.js, app.css), built from npm packages at build time.
std::optional<Response> page_file(Call& c);

/// The client's address for the login limits: @p peer, or behind the trusted reverse
/// proxy (ServerOptions::trusted_proxy) the last address of its X-Forwarded-For.
std::string client_address(const ServerOptions& options, const Request& rq, const std::string& peer);

/// One request from @p peer (the connection's address).
Response handle(ApiContext& context, const Request& request, const std::string& peer);

/// 256 random bits as 64 hexadecimal digits (libsodium's randombytes).
std::string random_token();

} // namespace estate::web
