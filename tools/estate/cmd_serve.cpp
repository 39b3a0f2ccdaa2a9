// estate serve: the register over HTTP for officers' browsers (libestate/web).

#include "command.hpp"

#include "estate/web/server.hpp"

#include <chrono>
#include <iostream>
#include <thread>

namespace estate::cli {
namespace {

class Serve : public Command {
public:
    std::string name() const override { return "serve"; }
    std::string synopsis() const override { return "estate serve REGISTER [--bind ADDRESS] [--port N]"; }
    std::string description() const override {
        return "Serves the register over HTTP: the JSON API of docs/api.md (log in with an officer's\n"
               "password, set with 'estate officers password'; read properties and their history;\n"
               "tag them within the officer's scope, every change in the register's history under\n"
               "the logged-in officer). Listens on 127.0.0.1 unless --bind says otherwise: put it\n"
               "behind a reverse proxy with TLS before opening it to a network. Ctrl-C (or SIGTERM)\n"
               "stops it once the requests in hand are answered; nothing is lost.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()
            ("register", po::value<std::string>()->required(), "the register file")
            ("bind", po::value<std::string>()->default_value("127.0.0.1"), "the address to listen on")
            ("port", po::value<unsigned short>()->default_value(8080), "the port (0: any free one)");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        web::ServerOptions o;
        o.register_path = vm["register"].as<std::string>();
        o.bind = vm["bind"].as<std::string>();
        o.port = vm["port"].as<unsigned short>();
        web::Server server(o);
        std::cerr << "Serving " << o.register_path << " at http://" << o.bind << ":" << server.port()
                  << "/ (Ctrl-C to stop)" << std::endl;
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

std::unique_ptr<Command> make_serve() { return std::make_unique<Serve>(); }

} // namespace estate::cli
