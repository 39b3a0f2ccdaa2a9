#include "estate/web/server.hpp"

#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "web/api.hpp"
#include "web/tiles.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>

#include <atomic>
#include <optional>
#include <condition_variable>
#include <map>
#include <thread>

#include <sys/socket.h>

namespace estate::web {

namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

struct Server::Impl {
    explicit Impl(const ServerOptions& o)
        : options(o), sessions(o.session_idle, o.session_absolute), limits(o), tiles(o.register_path),
          context{options, sessions, limits, tiles} {}
    ServerOptions options;
    Sessions sessions;
    LoginLimits limits;
    TileCache tiles;
    ApiContext context;
    std::optional<ssl::context> tls; // when serving HTTPS
    boost::asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::atomic<bool> stopping{false};
    // Connections in hand: their sockets, so that stop() can end their reads, each with
    // the time by which its read or write in progress must be done (max: none).
    // (Asio's blocking reads wait without end whatever SO_RCVTIMEO says: the watchdog
    // shuts down a socket whose deadline has passed, which ends the wait.)
    std::mutex mutex;
    std::condition_variable idle;
    std::map<int, Clock::time_point> connections;

    void serve(tcp::socket socket);
    template <class Stream> void answer(Stream& stream, int fd, const std::string& client);
    void arm(int fd) { set_deadline(fd, Clock::now() + options.read_timeout); }
    void disarm(int fd) { set_deadline(fd, Clock::time_point::max()); }
    void set_deadline(int fd, Clock::time_point when) {
        std::lock_guard<std::mutex> lock(mutex);
        connections[fd] = when;
    }
    void watch();
};

namespace {

constexpr std::size_t max_header_fields = 100;

// A request refused before it is read whole: the connection is closed after it.
Response refusal(http::status status, const std::string& message) {
    return error_response(status, message, 11, false);
}

} // namespace

// Every tenth of a second: a socket past its deadline is shut down (its read or write
// then fails, and its connection ends).
void Server::Impl::watch() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping || !connections.empty()) {
        const auto now = Clock::now();
        for (auto& [fd, deadline] : connections)
            if (now > deadline) {
                ::shutdown(fd, SHUT_RDWR);
                deadline = Clock::time_point::max();
            }
        idle.wait_for(lock, std::chrono::milliseconds(100));
    }
}

void Server::Impl::serve(tcp::socket socket) {
    beast::error_code ec;
    const int fd = socket.native_handle();
    const std::string client = socket.remote_endpoint(ec).address().to_string();
    // Each answer goes out as soon as it is written (headers and body are separate writes).
    socket.set_option(tcp::no_delay(true), ec);
    if (tls) {
        ssl::stream<tcp::socket&> stream(socket, *tls);
        arm(fd); // a client that starts a handshake and stops is closed too
        stream.handshake(ssl::stream_base::server, ec);
        disarm(fd);
        if (!ec) {
            answer(stream, fd, client);
            arm(fd);
            stream.shutdown(ec);
        }
    } else {
        answer(socket, fd, client);
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
    // Forgotten while the socket is still open, so its number cannot be another's yet.
    std::lock_guard<std::mutex> lock(mutex);
    connections.erase(fd);
    idle.notify_all();
}

// Requests on one connection, one after another, until it closes or a limit is broken.
// A request must arrive whole within read_timeout of starting to wait for it (a client
// sending a byte at a time is closed too), and an answer be taken within it.
template <class Stream> void Server::Impl::answer(Stream& stream, int fd, const std::string& client) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    while (!stopping) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
        parser.body_limit(options.body_limit);
        arm(fd);
        http::read(stream, buffer, parser, ec);
        arm(fd); // now for writing the answer
        if (ec == http::error::body_limit) {
            http::write(stream, refusal(http::status::payload_too_large, "the request body is too large"), ec);
            break;
        }
        if (ec == http::error::header_limit) {
            http::write(stream, refusal(http::status::request_header_fields_too_large, "the headers are too large"), ec);
            break;
        }
        if (ec) break; // closed, timed out, or not HTTP
        const Request& rq = parser.get();
        if (static_cast<std::size_t>(std::distance(rq.begin(), rq.end())) > max_header_fields) {
            http::write(stream, refusal(http::status::request_header_fields_too_large, "too many header fields"), ec);
            break;
        }
        disarm(fd); // working out the answer takes what it takes
        Response response = handle(context, rq, client);
        const bool keep_alive = response.keep_alive();
        arm(fd);
        http::write(stream, response, ec);
        if (ec || !keep_alive) break;
    }
}

Server::Server(const ServerOptions& options) : impl_(std::make_unique<Impl>(options)) {
    db::Register::open(options.register_path, true); // exists, and is a register
    if (!options.trusted_proxy.empty()) {
        beast::error_code bad;
        boost::asio::ip::make_address(options.trusted_proxy, bad);
        if (bad) throw usage_error("trusted-proxy", "'" + options.trusted_proxy + "' is not an IP address");
    }
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
    beast::error_code ec;
    const auto address = boost::asio::ip::make_address(options.bind, ec);
    if (ec) throw usage_error("bind", "'" + options.bind + "' is not an IP address");
    tcp::endpoint endpoint(address, options.port);
    auto& a = impl_->acceptor;
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw error("cannot listen on " + options.bind + ":" + std::to_string(options.port) + ": " + ec.message() +
                    " (is another program using that port? choose another)");
}

Server::~Server() {
    stop();
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string Server::scheme() const { return impl_->tls ? "https" : "http"; }

void Server::run() {
    auto& im = *impl_;
    // The map's points are read while the first officer logs in, not when the map asks.
    std::thread warm_up([&im] {
        try {
            im.tiles.extent();
        } catch (const std::exception&) { // the first tile asked for says what is wrong
        }
    });
    std::thread watchdog([&im] { im.watch(); });
    while (!im.stopping) {
        tcp::socket socket(im.ioc);
        beast::error_code ec;
        im.acceptor.accept(socket, ec);
        if (ec) {
            if (im.stopping) break;
            continue;
        }
        im.disarm(socket.native_handle()); // known before its thread starts, so run() waits for it
        std::thread([&im, s = std::move(socket)]() mutable { im.serve(std::move(s)); }).detach();
    }
    // Requests in hand finish; idle keep-alive connections are ended.
    {
        std::unique_lock<std::mutex> lock(im.mutex);
        for (const auto& [fd, deadline] : im.connections) ::shutdown(fd, SHUT_RD);
        im.idle.wait(lock, [&] { return im.connections.empty(); });
        im.idle.notify_all();
    }
    watchdog.join();
    warm_up.join();
}

void Server::stop() {
    if (impl_->stopping.exchange(true)) return;
    // Ends the blocking accept in run() (closing the acceptor from another thread is not safe).
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
}

} // namespace estate::web
