// libFuzzer: what a client of estate serve can send. The input is raw bytes on the
// wire: parsed by the server's HTTP parser with its limits, then answered by the API
// (routing, cookies, queries, JSON bodies) as an anonymous client, and its JSON body
// given to the bulk tag and the tile path as a logged-in officer's. A refusal is an
// answer (4xx); a crash, a sanitizer report or an exception escaping is a bug.
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "estate/officers/passwords.hpp"
#include "estate/rag/status.hpp"
#include "web/api.hpp"
#include "web/tiles.hpp"

#include <boost/beast/http.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

namespace web = estate::web;
namespace http = boost::beast::http;

namespace {

// A small register with an officer, and the server's state around it, kept for the run.
struct Server {
    web::ServerOptions options;
    web::Sessions sessions{options.session_idle, options.session_absolute};
    std::unique_ptr<web::LoginLimits> limits;
    web::PasswordGate gate{1, 1};
    std::unique_ptr<web::OfficerWatch> officers;
    std::unique_ptr<web::TileCache> tiles;
    std::unique_ptr<web::ApiContext> context;

    Server() {
        const std::string dir = "/tmp/estate-fuzz-http-" + std::to_string(::getpid());
        std::filesystem::create_directories(dir);
        options.register_path = dir + "/r.sqlite";
        std::filesystem::remove(options.register_path);
        auto reg = estate::db::Register::create(options.register_path);
        std::ofstream(dir + "/p.csv")
            << "ref,name,owner,easting,northing\nA1,Town Hall,Council,377000,388000\n"
               "A2,Library,Council,377100,388100\nB1,Fire Station,Fire Service,377200,388200\n";
        estate::importing::ImportOptions o;
        o.source = dir + "/p.csv";
        o.profile = "generic";
        estate::importing::import_source(reg, o);
        estate::officers::add_officer(reg, {"Lee Brown", "Council", false});
        // No login gets as far as a password check (a 64 MiB hash each): the limits are 0.
        options.login_failures_per_client = 0;
        limits = std::make_unique<web::LoginLimits>(options);
        officers = std::make_unique<web::OfficerWatch>(options.register_path);
        tiles = std::make_unique<web::TileCache>(options.register_path);
        context =
            std::make_unique<web::ApiContext>(web::ApiContext{options, sessions, *limits, gate, *officers, *tiles});
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Server server;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(server.options.header_limit));
    parser.body_limit(server.options.body_limit);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (ec || !parser.is_done()) return 0; // refused or incomplete: the connection would close
    const web::Request& rq = parser.get();
    web::handle(*server.context, rq, "127.0.0.1"); // answers its own errors

    // The same body and path as a logged-in officer's change.
    web::Session session;
    session.officer = {"Lee Brown", "Council", false};
    session.csrf_token = "fuzz";
    web::Call c{*server.context, rq, "127.0.0.1", std::string(rq.target().substr(0, rq.target().find('?'))), session,
                "fuzz-session"};
    try {
        web::bulk_tag(c);
        if (c.path.rfind("/api/tiles/", 0) == 0) web::tile(c, c.path.substr(11));
    } catch (const estate::error&) {
    } catch (const boost::property_tree::ptree_error&) {
    }
    return 0;
}
