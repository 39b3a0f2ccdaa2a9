#include "estate/web/server.hpp"

#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "web/api.hpp"
#include "web/tiles.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

#include <atomic>
#include <condition_variable>
#include <set>
#include <thread>

#include <sys/socket.h>
#include <sys/time.h>

namespace estate::web {

namespace beast = boost::beast;
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
    boost::asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::atomic<bool> stopping{false};
    // Connections in hand: their sockets, so that stop() can end their reads.
    std::mutex mutex;
    std::condition_variable idle;
    std::set<int> open_sockets;

    void serve(tcp::socket socket);
};

namespace {

constexpr std::size_t max_header_fields = 100;

// A request refused before it is read whole: the connection is closed after it.
Response refusal(http::status status, const std::string& message) {
    return error_response(status, message, 11, false);
}

} // namespace

void Server::Impl::serve(tcp::socket socket) {
    beast::error_code ec;
    const std::string client = socket.remote_endpoint(ec).address().to_string();
    // A client that sends nothing for read_timeout is closed (blocking reads end then).
    timeval timeout{static_cast<time_t>(options.read_timeout.count()), 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    beast::flat_buffer buffer;
    while (!stopping) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
        parser.body_limit(options.body_limit);
        http::read(socket, buffer, parser, ec);
        if (ec == http::error::body_limit) {
            http::write(socket, refusal(http::status::payload_too_large, "the request body is too large"), ec);
            break;
        }
        if (ec == http::error::header_limit) {
            http::write(socket, refusal(http::status::request_header_fields_too_large, "the headers are too large"), ec);
            break;
        }
        if (ec) break; // closed, timed out, or not HTTP
        const Request& rq = parser.get();
        if (static_cast<std::size_t>(std::distance(rq.begin(), rq.end())) > max_header_fields) {
            http::write(socket, refusal(http::status::request_header_fields_too_large, "too many header fields"), ec);
            break;
        }
        Response response = handle(context, rq, client);
        const bool keep_alive = response.keep_alive();
        http::write(socket, response, ec);
        if (ec || !keep_alive) break;
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
}

Server::Server(const ServerOptions& options) : impl_(std::make_unique<Impl>(options)) {
    db::Register::open(options.register_path, true); // exists, and is a register
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

void Server::run() {
    auto& im = *impl_;
    while (!im.stopping) {
        tcp::socket socket(im.ioc);
        beast::error_code ec;
        im.acceptor.accept(socket, ec);
        if (ec) {
            if (im.stopping) break;
            continue;
        }
        const int fd = socket.native_handle();
        {
            std::lock_guard<std::mutex> lock(im.mutex);
            im.open_sockets.insert(fd);
        }
        std::thread([&im, fd, s = std::move(socket)]() mutable {
            im.serve(std::move(s));
            std::lock_guard<std::mutex> lock(im.mutex);
            im.open_sockets.erase(fd);
            im.idle.notify_all();
        }).detach();
    }
    // Requests in hand finish; idle keep-alive connections are ended.
    std::unique_lock<std::mutex> lock(im.mutex);
    for (int fd : im.open_sockets) ::shutdown(fd, SHUT_RD);
    im.idle.wait(lock, [&] { return im.open_sockets.empty(); });
}

void Server::stop() {
    if (impl_->stopping.exchange(true)) return;
    // Ends the blocking accept in run() (closing the acceptor from another thread is not safe).
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
}

} // namespace estate::web
