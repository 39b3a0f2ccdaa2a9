#include "estate/web/server.hpp"

#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "web/api.hpp"
#include "web/tiles.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <optional>
#include <thread>

#include <sys/resource.h>

namespace estate::web {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t max_header_fields = 100;

// A request refused before it is read whole: the connection is closed after it.
Response refusal(http::status status, const std::string& message) {
    return error_response(status, message, 11, false);
}

// Descriptors kept back from connections: the register's files (database, -wal, -shm
// for each connection), exports being written, the page's and the TLS files.
constexpr std::size_t descriptors_kept_back = 128;

// The open-file limit raised to what the system allows (systemd's default soft limit
// is 1,024 while the hard one is far higher); connections are capped below it.
std::size_t open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, 65536);
    if (limit.rlim_cur < wanted) {
        rlimit raised = limit;
        raised.rlim_cur = wanted;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    return static_cast<std::size_t>(limit.rlim_cur);
}

} // namespace

// A connection as the server's registry sees it: something it can close to make room.
class Link {
public:
    virtual ~Link() = default;
    /// Closes the socket: the operation in progress ends, and with it the connection.
    virtual void close_socket() = 0;
};

// Everything the server keeps: its options, sessions, limits, the I/O and the workers.
struct ServerCore {
    explicit ServerCore(const ServerOptions& o)
        : options(o), sessions(o.session_idle, o.session_absolute), limits(o),
          password_gate(o.password_checks ? o.password_checks : std::max(1u, std::thread::hardware_concurrency()),
                        o.password_check_queue ? o.password_check_queue
                                               : 2 * std::max(1u, std::thread::hardware_concurrency())),
          officers(o.register_path),
          tiles(o.register_path), context{options, sessions, limits, password_gate, officers, tiles} {}
    ServerOptions options;
    Sessions sessions;
    LoginLimits limits;
    PasswordGate password_gate;
    OfficerWatch officers;
    TileCache tiles;
    ApiContext context;
    std::optional<ssl::context> tls; // when serving HTTPS
    net::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    net::steady_timer accept_pause{ioc};
    std::optional<net::thread_pool> workers;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> keep_running;
    std::size_t connection_cap = 0;

    // The registry of open connections, touched on the I/O thread only. A connection
    // "waiting" is reading a request (or idle between two): it may be closed to make
    // room. One being answered or written to is not.
    struct Entry {
        std::string client;
        std::weak_ptr<Link> link;
        bool waiting = true;
        Clock::time_point since;
    };
    std::map<std::uint64_t, Entry> links;
    std::map<std::string, std::size_t> per_client;
    std::uint64_t next_link = 0;
    bool stopping = false; // on the I/O thread

    void accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    bool make_room(const std::string& client);
    bool close_longest_waiting(const std::string* client);
    std::uint64_t enter(const std::string& client, std::weak_ptr<Link> link);
    void leave(std::uint64_t id);
    void set_waiting(std::uint64_t id, bool waiting);
    void begin_stop();
    template <class Stream>
    void start_session(Stream stream, const std::string& peer);
};

// One connection: requests read and answers written without blocking on the I/O
// thread, each request answered on a worker thread. Stream is a beast::tcp_stream
// or a TLS stream over one.
template <class Stream>
class HttpSession : public Link, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(ServerCore& im, Stream stream, std::string peer)
        : im_(im), stream_(std::move(stream)), peer_(std::move(peer)) {}

    void start(std::uint64_t id) {
        id_ = id;
        if constexpr (is_tls) {
            // A client that starts a handshake and stops is closed too.
            beast::get_lowest_layer(stream_).expires_after(im_.options.read_timeout);
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) return self->finish(false);
                self->read();
            });
        } else {
            read();
        }
    }

    void close_socket() override {
        beast::error_code ec;
        beast::get_lowest_layer(stream_).socket().close(ec);
    }

private:
    static constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

    // A request must arrive whole within read_timeout of starting to wait for it (a
    // client sending a byte at a time is closed too).
    void read() {
        if (im_.stopping) return finish(false);
        im_.set_waiting(id_, true);
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(im_.options.header_limit));
        parser_->body_limit(im_.options.body_limit);
        beast::get_lowest_layer(stream_).expires_after(im_.options.read_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        im_.set_waiting(id_, false);
        if (ec == http::error::body_limit)
            return write(refusal(http::status::payload_too_large, "the request body is too large"));
        if (ec == http::error::header_limit)
            return write(refusal(http::status::request_header_fields_too_large, "the headers are too large"));
        if (ec) return finish(false); // closed, timed out, made room for another, or not HTTP
        const Request& rq = parser_->get();
        if (static_cast<std::size_t>(std::distance(rq.begin(), rq.end())) > max_header_fields)
            return write(refusal(http::status::request_header_fields_too_large, "too many header fields"));
        // Working out the answer takes what it takes, on a worker; the I/O thread goes on.
        beast::get_lowest_layer(stream_).expires_never();
        net::post(*im_.workers, [self = this->shared_from_this(), rq = parser_->release()]() mutable {
            Response r;
            try {
                r = handle(self->im_.context, rq, self->peer_);
            } catch (const std::exception& e) { // handle() answers its own errors; this is a last guard
                r = error_response(http::status::internal_server_error, std::string("the server failed: ") + e.what(),
                                   rq.version(), false);
            }
            net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->write(std::move(r)); });
        });
    }

    void write(Response r) {
        if (im_.stopping) r.keep_alive(false);
        response_ = std::make_shared<Response>(std::move(r));
        // An answer must be taken within read_timeout too.
        beast::get_lowest_layer(stream_).expires_after(im_.options.read_timeout);
        http::async_write(stream_, *response_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            const bool keep_alive = self->response_->keep_alive();
            self->response_.reset();
            if (ec || !keep_alive) return self->finish(!ec);
            self->read();
        });
    }

    // The connection ends: it leaves the registry at once (its room is free), then
    // closes; a TLS connection says goodbye first when it can.
    void finish(bool orderly) {
        im_.leave(id_);
        beast::error_code ec;
        if constexpr (is_tls) {
            if (orderly) {
                beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
                stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close_socket(); });
                return;
            }
        }
        beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
        close_socket();
    }

    ServerCore& im_;
    Stream stream_;
    std::string peer_;
    std::uint64_t id_ = 0;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Response> response_;
};

std::uint64_t ServerCore::enter(const std::string& client, std::weak_ptr<Link> link) {
    const std::uint64_t id = ++next_link;
    links[id] = Entry{client, std::move(link), true, Clock::now()};
    ++per_client[client];
    return id;
}

void ServerCore::leave(std::uint64_t id) {
    auto it = links.find(id);
    if (it == links.end()) return; // already gone (closed to make room)
    if (auto c = per_client.find(it->second.client); c != per_client.end() && --c->second == 0) per_client.erase(c);
    links.erase(it);
    if (stopping && links.empty()) keep_running.reset();
}

void ServerCore::set_waiting(std::uint64_t id, bool waiting) {
    if (auto it = links.find(id); it != links.end()) {
        it->second.waiting = waiting;
        it->second.since = Clock::now();
    }
}

// Closes the connection (of @p client, or of anyone) that has waited longest for a
// request; false when every one is being answered.
bool ServerCore::close_longest_waiting(const std::string* client) {
    auto oldest = links.end();
    for (auto it = links.begin(); it != links.end(); ++it)
        if (it->second.waiting && (!client || it->second.client == *client) &&
            (oldest == links.end() || it->second.since < oldest->second.since))
            oldest = it;
    if (oldest == links.end()) return false;
    auto link = oldest->second.link.lock();
    leave(oldest->first);
    if (link) link->close_socket();
    return true;
}

// Room for one more connection from @p client: within the caps, or made by closing the
// longest-waiting connection (that client's own, when it is the client at its cap).
bool ServerCore::make_room(const std::string& client) {
    const bool capped_client = client != options.trusted_proxy;
    if (capped_client) {
        auto it = per_client.find(client);
        if (it != per_client.end() && it->second >= options.max_connections_per_client &&
            !close_longest_waiting(&client))
            return false;
    }
    if (links.size() >= connection_cap && !close_longest_waiting(nullptr)) return false;
    return true;
}

template <class Stream>
void ServerCore::start_session(Stream stream, const std::string& peer) {
    auto session = std::make_shared<HttpSession<Stream>>(*this, std::move(stream), peer);
    session->start(enter(peer, session));
}

void ServerCore::accept() {
    if (stopping) return;
    acceptor.async_accept(ioc, [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void ServerCore::on_accept(beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (ec) {
        // Out of descriptors (EMFILE/ENFILE): free one by closing the longest-waiting
        // connection, and pause before accepting again instead of spinning on the error.
        const bool out_of_files = ec == net::error::no_descriptors || ec.value() == ENFILE;
        if (out_of_files) close_longest_waiting(nullptr);
        accept_pause.expires_after(std::chrono::milliseconds(out_of_files ? 50 : 10));
        accept_pause.async_wait([this](beast::error_code) { accept(); });
        return;
    }
    beast::error_code peer_ec;
    const std::string peer = socket.remote_endpoint(peer_ec).address().to_string();
    if (peer_ec || !make_room(peer)) {
        socket.close(peer_ec); // refused at once: nothing is queued behind a full server
    } else {
        // Each answer goes out as soon as it is written (headers and body are separate writes).
        socket.set_option(tcp::no_delay(true), peer_ec);
        beast::tcp_stream stream(std::move(socket));
        if (tls)
            start_session(beast::ssl_stream<beast::tcp_stream>(std::move(stream), *tls), peer);
        else
            start_session(std::move(stream), peer);
    }
    accept();
}

// Stops accepting, closes the connections waiting for a request; those being answered
// finish their answer and close. run() returns when none is left.
void ServerCore::begin_stop() {
    if (stopping) return;
    stopping = true;
    beast::error_code ec;
    acceptor.close(ec);
    accept_pause.cancel();
    while (close_longest_waiting(nullptr)) {
    }
    if (links.empty()) keep_running.reset();
}

struct Server::Impl : ServerCore {
    using ServerCore::ServerCore;
};

Server::Server(const ServerOptions& options) : impl_(std::make_unique<Impl>(options)) {
    db::Register::open(options.register_path, true); // exists, and is a register
    if (!options.trusted_proxy.empty()) {
        beast::error_code bad;
        net::ip::make_address(options.trusted_proxy, bad);
        if (bad) throw usage_error("trusted-proxy", "'" + options.trusted_proxy + "' is not an IP address");
    }
    if (options.max_connections == 0 || options.max_connections_per_client == 0)
        throw usage_error("max-connections", "at least one connection must be allowed");
    if (options.tls_cert.empty() != options.tls_key.empty())
        throw usage_error(options.tls_cert.empty() ? "tls-cert" : "tls-key",
                          "HTTPS needs both a certificate and its private key");
    if (!options.tls_cert.empty()) {
        auto& tls = impl_->tls.emplace(ssl::context::tls_server);
        // TLS 1.2 and later only; no compression; a fresh key for each session's exchange.
        tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                        ssl::context::single_dh_use);
        beast::error_code ec;
        tls.use_certificate_chain_file(options.tls_cert, ec);
        if (ec)
            throw file_error(options.tls_cert + ": not a PEM certificate this server can use (" + ec.message() +
                             "); give the certificate chain file your certificate authority issued");
        tls.use_private_key_file(options.tls_key, ssl::context::pem, ec);
        if (ec)
            throw file_error(options.tls_key + ": not the PEM private key of " + options.tls_cert + " (" +
                             ec.message() + ")");
    }
    const std::size_t files = open_file_limit();
    impl_->connection_cap = std::max<std::size_t>(
        1, std::min(options.max_connections,
                    files > 2 * descriptors_kept_back ? files - descriptors_kept_back : files / 2));
    beast::error_code ec;
    const auto address = net::ip::make_address(options.bind, ec);
    if (ec) throw usage_error("bind", "'" + options.bind + "' is not an IP address");
    tcp::endpoint endpoint(address, options.port);
    auto& a = impl_->acceptor;
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw error("cannot listen on " + options.bind + ":" + std::to_string(options.port) + ": " + ec.message() +
                    " (is another program using that port? choose another)");
}

Server::~Server() {
    stop();
}

unsigned short Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

std::string Server::scheme() const {
    return impl_->tls ? "https" : "http";
}

void Server::run() {
    auto& im = *impl_;
    // The map's points are read while the first officer logs in, not when the map asks.
    std::thread warm_up([&im] {
        try {
            im.tiles.extent();
        } catch (const std::exception&) { // the first tile asked for says what is wrong
        }
    });
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    im.workers.emplace(im.options.workers ? im.options.workers : std::max(8u, 4 * cores));
    im.keep_running.emplace(net::make_work_guard(im.ioc));
    net::post(im.ioc, [&im] { im.accept(); });
    // Nothing a client sends can end the I/O thread: a handler that throws is reported
    // and the loop goes on.
    for (;;) {
        try {
            im.ioc.run();
            break;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "estate serve: %s (the server goes on)\n", e.what());
        }
    }
    im.workers->join();
    warm_up.join();
}

void Server::stop() {
    // On the I/O thread, where the connections are kept; safe from any thread.
    net::post(impl_->ioc, [im = impl_.get()] { im->begin_stop(); });
}

} // namespace estate::web
