#pragma once
/// @file
/// `estate serve`: the register over HTTP for estates officers, in the same process as
/// the register file (one writer at a time, WAL, many readers), with no other server.
/// Boost.Beast (Boost is already a dependency; Beast gives a strict HTTP/1.1 parser
/// with limits on header and body sizes). The JSON API is documented in docs/api.md.
///
/// Safe by default: it listens on 127.0.0.1 unless told otherwise; sessions are random
/// 256-bit ids in HttpOnly, SameSite=Strict cookies with idle and absolute expiry; every
/// change needs the session's CSRF token; logins are rate-limited per name and per
/// client and answer alike for an unknown name and a wrong password; agency scope is
/// enforced on every write by the library (rag::set_status); every response carries a
/// Content Security Policy with no inline script.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace estate::web {

struct ServerOptions {
    std::string register_path;
    std::string bind = "127.0.0.1";
    unsigned short port = 8080; ///< 0: any free port (port() says which)
    /// HTTPS when both are given: a PEM certificate (chain) and its private key. Cookies
    /// are then Secure, and browsers are told to come back only over HTTPS (HSTS).
    std::string tls_cert, tls_key;
    /// The address of a reverse proxy in front: requests from it are counted, for the
    /// login limits per client, under the last address of their X-Forwarded-For header
    /// (which the proxy sets). Empty: the connection's address, whoever sends it.
    std::string trusted_proxy;
    std::chrono::seconds session_idle{30 * 60};
    std::chrono::seconds session_absolute{8 * 60 * 60};
    std::chrono::seconds read_timeout{30}; ///< a client that sends nothing for this long is closed
    std::size_t body_limit = 64 * 1024;    ///< bytes of a request body
    std::size_t header_limit = 16 * 1024;  ///< bytes of a request's headers
    /// Failed logins (counted before the password is checked) in login_window, then 429.
    /// Per name *from one client*: guesses at an officer's name lock out the guesser,
    /// not the officer logging in from elsewhere.
    int login_failures_per_name = 5;
    int login_failures_per_client = 20; ///< every name together, from one client
    std::chrono::seconds login_window{15 * 60};
    /// Open connections in all; at the cap, the one that has waited longest for a
    /// request is closed to make room (none waiting: the newcomer is refused). Also
    /// held below the process's open-file limit.
    std::size_t max_connections = 512;
    /// Open connections from one client address (a browser opens about six); a reverse
    /// proxy named by trusted_proxy is not held to it.
    std::size_t max_connections_per_client = 32;
    /// Threads answering requests (0: four per processor core, at least eight). Reading
    /// and writing of every connection is on one more thread, without blocking.
    unsigned workers = 0;
    /// Password checks at once (each takes 64 MiB for Argon2id; 0: one per core) and
    /// how many more may wait (0: two per core); a login beyond both gets 503.
    unsigned password_checks = 0, password_check_queue = 0;
};

class Server {
public:
    /// Opens the register (it must exist), reads the certificate and key when given, and
    /// binds: throws when the address is taken or a TLS file cannot be used.
    explicit Server(const ServerOptions& options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// The port it listens on.
    unsigned short port() const;
    /// "http" or "https".
    std::string scheme() const;
    /// Serves until stop(): connections read and written on one thread, requests answered
    /// by a fixed pool of threads.
    void run();
    /// Stops accepting, lets requests in hand finish, and makes run() return. Safe to
    /// call from another thread (or, through a flag, a signal handler's).
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace estate::web
