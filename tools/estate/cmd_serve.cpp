// estate serve: the register over HTTP for officers' browsers (libestate/web).

#include "command.hpp"

#include "estate/rag/audit.hpp"
#include "estate/web/server.hpp"

#include <chrono>
#include <iostream>
#include <thread>

namespace estate::cli {
namespace {

class Serve : public Command {
public:
    std::string name() const override { return "serve"; }
    std::string synopsis() const override {
        return "estate serve REGISTER [--bind ADDRESS] [--port N] [--tls-cert FILE --tls-key FILE] [--trusted-proxy "
               "ADDRESS]";
    }
    std::string description() const override {
        return "Serves the register to officers' browsers: the map, table and tagging page of\n"
               "docs/web.md and the JSON API of docs/api.md. Officers log in with the password set by\n"
               "'estate officers password' and tag within their agency's scope; every change goes\n"
               "into the register's history under the logged-in officer, source 'web'. Listens on\n"
               "127.0.0.1 unless --bind says otherwise; before opening it to a network give it a\n"
               "certificate (--tls-cert, --tls-key: HTTPS, Secure cookies) or put it behind a reverse\n"
               "proxy that terminates TLS. Ctrl-C (or SIGTERM) stops it once the requests in hand are\n"
               "answered; nothing is lost.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "bind", po::value<std::string>()->default_value("127.0.0.1"), "the address to listen on")(
            "port", po::value<unsigned short>()->default_value(8080), "the port (0: any free one)")(
            "tls-cert", po::value<std::string>(), "serve HTTPS with this PEM certificate (chain)")(
            "tls-key", po::value<std::string>(), "the certificate's PEM private key")(
            "trusted-proxy", po::value<std::string>(),
            "the address of a reverse proxy in front: its X-Forwarded-For names the client for the login limits");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        web::ServerOptions o;
        o.register_path = vm["register"].as<std::string>();
        o.bind = vm["bind"].as<std::string>();
        o.port = vm["port"].as<unsigned short>();
        if (vm.count("tls-cert")) o.tls_cert = vm["tls-cert"].as<std::string>();
        if (vm.count("tls-key")) o.tls_key = vm["tls-key"].as<std::string>();
        if (vm.count("trusted-proxy")) o.trusted_proxy = vm["trusted-proxy"].as<std::string>();
        web::Server server(o);
        std::cerr << "Serving " << o.register_path << " at " << server.scheme() << "://" << o.bind << ":"
                  << server.port() << "/ (Ctrl-C to stop)" << std::endl;
        if (server.scheme() == "http" && o.bind != "127.0.0.1" && o.bind != "::1")
            std::cerr << "Warning: plain HTTP on " << o.bind << ": passwords and sessions cross the network "
                      << "unencrypted. Give --tls-cert and --tls-key, or put a reverse proxy with TLS in front "
                      << "(docs/web.md)." << std::endl;
        {
            // As it starts: is the history whole? (Tampering is shown, never hidden.)
            auto reg = db::Register::open(o.register_path, true);
            std::cerr << rag::describe(rag::audit_history(reg), o.register_path) << std::endl;
        }
        install_interrupt_handler();
        std::thread serving([&server] { server.run(); });
        while (!interrupt_flag()->load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        server.stop();
        serving.join();
        std::cerr << "Stopped." << std::endl;
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_serve() {
    return std::make_unique<Serve>();
}

} // namespace estate::cli
