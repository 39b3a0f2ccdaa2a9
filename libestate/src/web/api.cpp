// Boost.PropertyTree's JSON reader still includes the old global bind placeholders.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#include "web/api.hpp"

#include "db/sqlite.hpp"

#include "estate/db/postcode_lookup.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/geo/crs.hpp"
#include "estate/model/normalise.hpp"
#include "estate/officers/passwords.hpp"
#include "estate/rag/audit.hpp"
#include "estate/util/json.hpp"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace estate::web {

namespace {
// Officers' names are matched without regard to case (as the register's COLLATE NOCASE).
std::string lower(const std::string& s) {
    std::string out;
    for (char ch : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}
} // namespace

std::string random_token() {
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

std::pair<std::string, std::string> Sessions::open(Session session) {
    std::string id = random_token(), csrf = random_token();
    session.csrf_token = csrf;
    session.created = session.last_used = Clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    by_id_[id] = std::move(session);
    return {id, csrf};
}

std::optional<Session> Sessions::find(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    const auto now = Clock::now();
    if (now - it->second.last_used > idle_ || now - it->second.created > absolute_) {
        by_id_.erase(it);
        return std::nullopt;
    }
    it->second.last_used = now;
    return it->second;
}

void Sessions::close(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    by_id_.erase(id);
}

void LoginLimits::sweep(Times& by_key) {
    // Keys whose failures are all older than the window are forgotten, so that logins
    // under ever new names cannot grow the table without end.
    for (auto it = by_key.begin(); it != by_key.end();) it = count(it->second) == 0 ? by_key.erase(it) : std::next(it);
}

int LoginLimits::count(std::vector<Clock::time_point>& times) {
    const auto since = Clock::now() - window_;
    times.erase(std::remove_if(times.begin(), times.end(), [&](auto t) { return t < since; }), times.end());
    return static_cast<int>(times.size());
}

std::string LoginLimits::name_key(const std::string& name, const std::string& client) {
    return lower(name) + '\n' + client;
}

bool LoginLimits::reserve(const std::string& name, const std::string& client) {
    std::lock_guard<std::mutex> lock(mutex_);
    constexpr std::size_t sweep_above = 4096;
    if (by_name_.size() > sweep_above) sweep(by_name_);
    if (by_client_.size() > sweep_above) sweep(by_client_);
    auto& of_name = by_name_[name_key(name, client)];
    auto& of_client = by_client_[client];
    if (count(of_name) >= per_name_ || count(of_client) >= per_client_) return false;
    const auto now = Clock::now();
    of_name.push_back(now);
    of_client.push_back(now);
    return true;
}

void LoginLimits::forgive(const std::string& name, const std::string& client) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto drop_one = [](Times& by_key, const std::string& key) {
        auto it = by_key.find(key);
        if (it == by_key.end() || it->second.empty()) return;
        it->second.pop_back();
        if (it->second.empty()) by_key.erase(it);
    };
    drop_one(by_name_, name_key(name, client));
    drop_one(by_client_, client);
}

void OfficerWatch::refresh() {
    if (!watch_) watch_.emplace(db::Register::open(path_, true));
    auto& c = watch_->connection();
    const auto version = c.scalar_int("PRAGMA data_version");
    if (data_version_ && version == data_version_) return;
    data_version_ = version;
    hash_of_.clear();
    auto st =
        c.prepare("SELECT name, password_hash FROM officers WHERE removed_at IS NULL AND password_hash IS NOT NULL");
    while (st.step()) hash_of_[lower(st.text(0))] = st.text(1);
}

std::optional<std::string> OfficerWatch::password_hash(const std::string& officer) {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
        refresh();
    } catch (const std::exception&) {
        watch_.reset(); // opened afresh next time (after an I/O error or a damaged page)
        data_version_.reset();
        throw;
    }
    auto it = hash_of_.find(lower(officer));
    if (it == hash_of_.end()) return std::nullopt;
    return it->second;
}

PasswordGate::Turn::Turn(PasswordGate& gate) : gate_(gate) {
    std::unique_lock<std::mutex> lock(gate_.mutex_);
    if (gate_.checking_ >= gate_.at_once_) {
        if (gate_.waiting_ >= gate_.may_wait_) return; // the queue is full: refused at once
        ++gate_.waiting_;
        gate_.turn_free_.wait(lock, [this] { return gate_.checking_ < gate_.at_once_; });
        --gate_.waiting_;
    }
    ++gate_.checking_;
    granted_ = true;
}

PasswordGate::Turn::~Turn() {
    if (!granted_) return;
    {
        std::lock_guard<std::mutex> lock(gate_.mutex_);
        --gate_.checking_;
    }
    gate_.turn_free_.notify_one();
}

namespace {

constexpr const char* session_cookie = "estate_session";

Response json_answer(http::status status, const std::string& body, unsigned version, bool keep_alive) {
    Response r{status, version};
    r.set(http::field::content_type, "application/json; charset=utf-8");
    r.set(http::field::cache_control, "no-store");
    r.keep_alive(keep_alive);
    r.body() = body;
    r.prepare_payload();
    return r;
}

} // namespace

std::optional<boost::property_tree::ptree> body_json(const Request& rq) {
    try {
        std::istringstream in(rq.body());
        boost::property_tree::ptree tree;
        boost::property_tree::read_json(in, tree);
        return tree;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

namespace {

std::string cookie_value(const Request& rq, const std::string& name) {
    auto it = rq.find(http::field::cookie);
    if (it == rq.end()) return {};
    const std::string cookies(it->value());
    size_t at = 0;
    while (at < cookies.size()) {
        size_t end = cookies.find(';', at);
        if (end == std::string::npos) end = cookies.size();
        std::string pair = cookies.substr(at, end - at);
        pair.erase(0, pair.find_first_not_of(' '));
        if (pair.compare(0, name.size() + 1, name + "=") == 0) return pair.substr(name.size() + 1);
        at = end + 1;
    }
    return {};
}

// "%41+b" -> "A b".
std::string url_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+')
            out += ' ';
        else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else
            out += s[i];
    }
    return out;
}

} // namespace

std::map<std::string, std::string> query_of(const std::string& target) {
    std::map<std::string, std::string> out;
    const size_t q = target.find('?');
    if (q == std::string::npos) return out;
    std::istringstream parts(target.substr(q + 1));
    std::string part;
    while (std::getline(parts, part, '&')) {
        const size_t eq = part.find('=');
        if (eq == std::string::npos)
            out[url_decode(part)] = "";
        else
            out[url_decode(part.substr(0, eq))] = url_decode(part.substr(eq + 1));
    }
    return out;
}

namespace {

// Equal in constant time, so that a CSRF token cannot be guessed a character at a time.
bool same_token(const std::string& a, const std::string& b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Secure under TLS: the browser never sends the session over plain HTTP.
std::string cookie_attributes(const Call& c) {
    return std::string("; Path=/; HttpOnly; SameSite=Strict") + (c.context.options.tls_cert.empty() ? "" : "; Secure");
}

Response login(Call& c) {
    auto body = body_json(c.rq);
    if (!body) return problem(c.rq, http::status::bad_request, "send {\"name\": ..., \"password\": ...} as JSON");
    const std::string name = body->get<std::string>("name", ""), password = body->get<std::string>("password", "");
    // Counted before the password is checked: guesses sent at once meet the limit too.
    if (!c.context.limits.reserve(name, c.client))
        return problem(c.rq, http::status::too_many_requests, "too many failed logins: wait a few minutes");
    std::optional<officers::Officer> officer;
    {
        PasswordGate::Turn turn(c.context.password_gate);
        if (!turn) {
            c.context.limits.forgive(name, c.client); // never checked: not a failure
            auto r =
                problem(c.rq, http::status::service_unavailable, "the server is busy checking passwords: try again");
            r.set(http::field::retry_after, "1");
            return r;
        }
        auto reg = db::Register::open(c.context.options.register_path, true);
        officer = officers::check_password(reg, name, password);
    }
    if (!officer) return problem(c.rq, http::status::unauthorized, "name or password not recognised");
    c.context.limits.forgive(name, c.client);
    Session session;
    session.officer = *officer;
    session.password_hash = c.context.officers.password_hash(officer->name).value_or("");
    {
        // Recorded, so that estate verify can match the history's web rows with a login.
        auto reg = db::Register::open(c.context.options.register_path);
        session.record = rag::record_web_session(reg, officer->name, c.context.options.session_absolute);
    }
    auto [id, csrf] = c.context.sessions.open(std::move(session));
    std::ostringstream out;
    util::JsonWriter(out)
        .begin_object()
        .field("officer", officer->name)
        .field("agency", officer->agency)
        .field("partnership_wide", officer->partnership_wide)
        .field("csrf_token", csrf)
        .end_object();
    auto r = json_response(c.rq, http::status::ok, out.str());
    r.set(http::field::set_cookie, std::string(session_cookie) + "=" + id + cookie_attributes(c));
    return r;
}

void write_session(util::JsonWriter& w, const Session& s) {
    w.begin_object()
        .field("officer", s.officer.name)
        .field("agency", s.officer.agency)
        .field("partnership_wide", s.officer.partnership_wide)
        .field("csrf_token", s.csrf_token)
        .end_object();
}

} // namespace

std::optional<Response> refuse_change(Call& c) {
    if (!c.session) return problem(c.rq, http::status::unauthorized, "log in first");
    auto it = c.rq.find("X-CSRF-Token");
    if (it == c.rq.end() || !same_token(std::string(it->value()), c.session->csrf_token))
        return problem(c.rq, http::status::forbidden, "the X-CSRF-Token header is missing or wrong: reload the page");
    return std::nullopt;
}

std::optional<Response> read_filter(Call& c, const std::map<std::string, std::string>& q, db::ListFilter& f) {
    auto take = [&](const char* key, std::optional<std::string>& into) {
        if (auto it = q.find(key); it != q.end() && !it->second.empty()) into = it->second;
    };
    take("status", f.rag_status);
    take("owner", f.owner);
    take("use", f.use);
    take("q", f.text);
    if (auto it = q.find("no_value"); it != q.end()) f.no_market_value = it->second == "1" || it->second == "true";
    if (auto it = q.find("bbox"); it != q.end()) {
        std::array<double, 4> b{};
        if (std::sscanf(it->second.c_str(), "%lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) != 4 ||
            !std::all_of(b.begin(), b.end(), [](double v) { return std::isfinite(v); }))
            return problem(c.rq, http::status::bad_request,
                           "bbox is min_easting,min_northing,max_easting,max_northing");
        f.bbox = b;
    }
    return std::nullopt;
}

rag::TagRequest officer_tag(const Call& c, std::int64_t id, const boost::property_tree::ptree& status_and_reason,
                            const boost::property_tree::ptree& version) {
    rag::TagRequest rq;
    rq.property_id = id;
    rq.property = "#" + std::to_string(id); // as errors name it
    rq.status = status_and_reason.get<std::string>("status", "");
    rq.reason = status_and_reason.get<std::string>("reason", "");
    // The version seen, when sent, must be one: a malformed one ignored would let the save
    // overwrite another officer's change unseen.
    if (auto v = version.get_child_optional("version")) {
        const std::string& text = v->data();
        if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
            throw usage_error("version",
                              "version must be the whole number the property was read at, not '" + text + "'");
        rq.expect_version = std::stoll(text);
    }
    rq.by = c.session->officer.name; // the authenticated officer, never a name the client sends
    rq.source = "web";
    return rq;
}

namespace {

Response properties(Call& c) {
    auto q = query_of(std::string(c.rq.target()));
    db::ListFilter f;
    if (auto refused = read_filter(c, q, f)) return *refused;
    // At most max_features in one answer (each answer is built whole in memory): a
    // script pages through a larger register with after=the last id it was given.
    constexpr std::int64_t max_features = 50000;
    // A whole number of at least @p least, or nothing when the query does not say.
    bool malformed = false;
    auto whole_number = [&](const char* key, std::int64_t least) -> std::optional<std::int64_t> {
        auto it = q.find(key);
        if (it == q.end()) return std::nullopt;
        char* end = nullptr;
        const long long n = std::strtoll(it->second.c_str(), &end, 10);
        malformed = malformed || it->second.empty() || *end != '\0' || n < least;
        return n;
    };
    const std::int64_t limit = std::min(whole_number("limit", 1).value_or(max_features), max_features);
    f.after_id = whole_number("after", 0);
    if (malformed)
        return problem(c.rq, http::status::bad_request, "limit and after are whole numbers (limit at least 1)");
    f.limit = limit + 1;     // one more, to say whether there are more
    f.register_order = true; // pages in the register's order; the first of a county-wide view at once
    const bool lon_lat = q.count("crs") && q["crs"] == "4326";
    std::optional<geo::ToLonLat> to_lon_lat;
    if (lon_lat) to_lon_lat.emplace();
    auto reg = db::Register::open(c.context.options.register_path, true);
    std::ostringstream out;
    util::JsonWriter w(out);
    std::int64_t written = 0;
    bool more = false;
    w.begin_object().field("type", "FeatureCollection");
    w.key("crs")
        .begin_object()
        .field("type", "name")
        .key("properties")
        .begin_object()
        .field("name", lon_lat ? "urn:ogc:def:crs:OGC:1.3:CRS84" : "urn:ogc:def:crs:EPSG::27700")
        .end_object()
        .end_object();
    w.key("features").begin_array();
    db::for_each_property(reg, f, false, [&](const db::PropertyRecord& p, const std::vector<unsigned char>&) {
        if (written == limit) { // the one more: there are more
            more = true;
            return;
        }
        ++written;
        w.begin_object().field("type", "Feature").field("id", p.id).key("geometry");
        double x = p.easting.value_or(0), y = p.northing.value_or(0);
        if (p.easting && (!to_lon_lat || to_lon_lat->transform(*p.easting, *p.northing, x, y)))
            w.begin_object()
                .field("type", "Point")
                .key("coordinates")
                .begin_array()
                .value(x)
                .value(y)
                .end_array()
                .end_object();
        else
            w.null();
        w.key("properties")
            .begin_object()
            .field("owner", p.owner)
            .field("ref", p.ref)
            .field("name", p.name)
            .field("use", p.use)
            .field("use_source", p.use_source)
            .field("market_value", p.market_value)
            .field("gia_m2", p.gia_m2)
            .field("rag_status", p.rag_status)
            .field("version", p.version)
            .end_object();
        w.end_object();
    });
    w.end_array().field("more", more);
    w.end_object();
    return json_response(c.rq, http::status::ok, out.str());
}

Response property(Call& c, std::int64_t id) {
    auto reg = db::Register::open(c.context.options.register_path, true);
    const auto p = db::property_with_id(reg, id);
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_object();
    db::write_record_fields(w, p);
    w.key("history").begin_array();
    for (const auto& h : rag::history_of_id(reg, id))
        w.begin_object()
            .field("version", h.version)
            .field("old_status", h.old_status)
            .field("new_status", h.new_status)
            .field("reason", h.reason)
            .field("changed_by", h.changed_by)
            .field("source", h.source)
            .field("changed_at", h.changed_at)
            .end_object();
    w.end_array().end_object();
    return json_response(c.rq, http::status::ok, out.str());
}

Response tag(Call& c, std::int64_t id) {
    if (auto refused = refuse_change(c)) return *refused;
    auto body = body_json(c.rq);
    if (!body) return problem(c.rq, http::status::bad_request, "send {\"status\", \"reason\", \"version\"} as JSON");
    const rag::TagRequest rq = officer_tag(c, id, *body, *body);
    auto reg = db::Register::open(c.context.options.register_path);
    try {
        const auto r = rag::set_status(reg, rq);
        std::ostringstream out;
        util::JsonWriter w(out);
        w.begin_object()
            .field("id", r.property_id)
            .field("status", r.new_status)
            .field("version", r.version)
            .field("changed", r.changed)
            .key("also_tagged")
            .begin_array();
        for (const auto& o : r.also_tagged) w.value(o);
        w.end_array().end_object();
        return json_response(c.rq, http::status::ok, out.str());
    } catch (const rag::conflict_error& e) {
        // What changed since the version the officer saw, for the page to show.
        std::ostringstream out;
        util::JsonWriter w(out);
        w.begin_object().field("error", e.what()).key("since").begin_array();
        for (const auto& h : rag::history_of_id(reg, id))
            if (!rq.expect_version || h.version > *rq.expect_version)
                w.begin_object()
                    .field("version", h.version)
                    .field("new_status", h.new_status)
                    .field("reason", h.reason)
                    .field("changed_by", h.changed_by)
                    .field("changed_at", h.changed_at)
                    .end_object();
        w.end_array().end_object();
        return json_response(c.rq, http::status::conflict, out.str());
    }
}

// Where a postcode is, from the register's lookup (estate postcodes load): the page
// takes the map there when a search is a postcode.
Response postcode(Call& c, const std::string& text) {
    const auto checked = model::normalise_postcode(text);
    if (!checked.full) return problem(c.rq, http::status::bad_request, "'" + text + "' is not a full UK postcode");
    auto reg = db::Register::open(c.context.options.register_path, true);
    const auto at = db::find_postcode(reg, *checked.value);
    if (!at)
        return problem(c.rq, http::status::not_found,
                       "postcode " + *checked.value + " is not in the register's lookup (estate postcodes load)");
    std::ostringstream out;
    util::JsonWriter w(out);
    double lon = 0, lat = 0;
    const bool degrees = geo::ToLonLat().transform(at->easting, at->northing, lon, lat);
    w.begin_object().field("postcode", *checked.value).field("easting", at->easting).field("northing", at->northing);
    if (degrees) w.field("lon", lon).field("lat", lat);
    w.end_object();
    return json_response(c.rq, http::status::ok, out.str());
}

Response route(Call& c) {
    const auto method = c.rq.method();
    const std::string& path = c.path;
    if (path.compare(0, 5, "/api/") != 0) {
        if (auto file = page_file(c)) return *file;
        return problem(c.rq, http::status::not_found, "no such page");
    }
    if (path == "/api/login") {
        if (method != http::verb::post) return problem(c.rq, http::status::method_not_allowed, "POST only");
        return login(c);
    }
    if (path == "/api/logout") {
        if (method != http::verb::post) return problem(c.rq, http::status::method_not_allowed, "POST only");
        if (auto refused = refuse_change(c)) return *refused;
        c.context.sessions.close(c.session_id);
        auto reg = db::Register::open(c.context.options.register_path);
        rag::close_web_session(reg, c.session->record);
        auto r = json_response(c.rq, http::status::ok, "{}");
        r.set(http::field::set_cookie, std::string(session_cookie) + "=" + cookie_attributes(c) + "; Max-Age=0");
        return r;
    }
    if (!c.session) return problem(c.rq, http::status::unauthorized, "log in first");
    if (path == "/api/session" && method == http::verb::get) {
        std::ostringstream out;
        util::JsonWriter w(out);
        write_session(w, *c.session);
        return json_response(c.rq, http::status::ok, out.str());
    }
    if (method == http::verb::get) {
        if (path == "/api/properties") return properties(c);
        if (path == "/api/area") return area(c);
        if (path == "/api/hubs") return hubs(c);
        if (path == "/api/export") return export_shown(c);
        if (path == "/api/report") return board_report(c);
        static const std::string tiles = "/api/tiles/";
        if (path.compare(0, tiles.size(), tiles) == 0) return tile(c, path.substr(tiles.size()));
        static const std::string postcodes = "/api/postcodes/";
        if (path.compare(0, postcodes.size(), postcodes) == 0)
            return postcode(c, url_decode(path.substr(postcodes.size())));
    }
    if (path == "/api/rag/bulk") {
        if (method != http::verb::post) return problem(c.rq, http::status::method_not_allowed, "POST only");
        return bulk_tag(c);
    }
    static const std::string prefix = "/api/properties/";
    if (path.compare(0, prefix.size(), prefix) == 0) {
        std::string rest = path.substr(prefix.size());
        const bool rag = rest.size() > 4 && rest.compare(rest.size() - 4, 4, "/rag") == 0;
        if (rag) rest.resize(rest.size() - 4);
        if (rest.empty() || rest.size() > 18 || rest.find_first_not_of("0123456789") != std::string::npos)
            return problem(c.rq, http::status::not_found, "no such property");
        const std::int64_t id = std::stoll(rest);
        if (!rag && method == http::verb::get) return property(c, id);
        if (rag && method == http::verb::post) return tag(c, id);
        return problem(c.rq, http::status::method_not_allowed, "GET a property, POST its /rag");
    }
    return problem(c.rq, http::status::not_found, "no such address in the API (docs/api.md)");
}

} // namespace

Response json_response(const Request& rq, http::status status, const std::string& body) {
    return json_answer(status, body, rq.version(), rq.keep_alive());
}

Response ok_response(const Request& rq, const std::string& content_type, std::string body) {
    Response r{http::status::ok, rq.version()};
    r.set(http::field::content_type, content_type);
    r.set(http::field::cache_control, "no-store");
    r.keep_alive(rq.keep_alive());
    r.body() = std::move(body);
    r.prepare_payload();
    return r;
}

Response problem(const Request& rq, http::status status, const std::string& message) {
    return error_response(status, message, rq.version(), rq.keep_alive());
}

Response error_response(http::status status, const std::string& message, unsigned version, bool keep_alive) {
    std::ostringstream out;
    util::JsonWriter(out).begin_object().field("error", message).end_object();
    return json_answer(status, out.str(), version, keep_alive);
}

std::string client_address(const ServerOptions& options, const Request& rq, const std::string& peer) {
    if (options.trusted_proxy.empty() || peer != options.trusted_proxy) return peer;
    auto it = rq.find("X-Forwarded-For");
    if (it == rq.end()) return peer;
    // The last address is the one the proxy itself saw; earlier ones the client wrote.
    std::string list(it->value());
    std::string last = list.substr(list.find_last_of(',') == std::string::npos ? 0 : list.find_last_of(',') + 1);
    last.erase(0, last.find_first_not_of(' '));
    last.erase(last.find_last_not_of(' ') + 1);
    return last.empty() ? peer : last;
}

Response handle(ApiContext& context, const Request& rq, const std::string& peer) {
    const std::string client = client_address(context.options, rq, peer);
    Call c{context, rq, client, std::string(rq.target().substr(0, rq.target().find('?'))), std::nullopt, {}};
    c.session_id = cookie_value(rq, session_cookie);
    Response r;
    try {
        if (!c.session_id.empty()) c.session = context.sessions.find(c.session_id);
        // An officer removed, or with a new password, since the login: the session ends.
        if (c.session && context.officers.password_hash(c.session->officer.name) != c.session->password_hash) {
            context.sessions.close(c.session_id);
            c.session.reset();
        }
        r = route(c);
    } catch (const officers::permission_error& e) {
        r = problem(rq, http::status::forbidden, e.what());
    } catch (const not_found_error& e) {
        r = problem(rq, http::status::not_found, e.what());
    } catch (const usage_error& e) {
        r = problem(rq, http::status::bad_request, e.what());
    } catch (const rag::conflict_error& e) {
        r = problem(rq, http::status::conflict, e.what());
    } catch (const std::exception& e) {
        r = problem(rq, http::status::internal_server_error, std::string("the register could not answer: ") + e.what());
    }
    // On every answer: no inline script, no framing, no guessing of types, no referrer.
    // (The board report sets its own, stricter one: its style is inline, it runs nothing.)
    if (r.find("Content-Security-Policy") == r.end())
        r.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; object-src 'none'; "
                                         "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    r.set("X-Content-Type-Options", "nosniff");
    r.set("Referrer-Policy", "no-referrer");
    r.set("X-Frame-Options", "DENY");
    if (!context.options.tls_cert.empty()) r.set(http::field::strict_transport_security, "max-age=31536000");
    return r;
}

} // namespace estate::web
