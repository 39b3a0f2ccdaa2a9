// The page's data beyond single properties: the area and its outline, the hubs of the
// latest run, vector tiles, many tags at once, exports of what is shown, and the board
// report.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#include "db/sqlite.hpp"
#include "estate/db/owners.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/exporting/export.hpp"
#include "estate/model/property.hpp"
#include "estate/report/board_report.hpp"
#include "estate/runs/runs.hpp"
#include "estate/util/json.hpp"
#include "web/api.hpp"
#include "web/tiles.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace estate::web {

namespace {

void write_vocabulary(util::JsonWriter& w, const model::Vocabulary& v) {
    w.begin_array();
    for (const auto& [code, label] : v.entries) w.begin_object().field("code", code).field("label", label).end_object();
    w.end_array();
}

} // namespace

Response area(Call& c) {
    auto reg = db::Register::open(c.context.options.register_path, true);
    const auto [extent, located] = c.context.tiles.extent();
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_object().field("area", reg.description("area")).field("partnership", reg.description("partnership"));
    w.key("extent");
    if (extent)
        w.begin_array().value((*extent)[0]).value((*extent)[1]).value((*extent)[2]).value((*extent)[3]).end_array();
    else
        w.null();
    w.field("located", located);
    w.field("boundary_wkt", reg.description("boundary")); // EPSG:27700, simplified to 20 m
    w.key("owners").begin_array();
    auto st = reg.connection().prepare("SELECT name FROM owners ORDER BY name COLLATE NOCASE");
    while (st.step()) w.value(st.text(0));
    w.end_array();
    w.key("uses");
    write_vocabulary(w, model::uses());
    w.key("statuses");
    write_vocabulary(w, model::rag_statuses());
    w.end_object();
    return json_response(c.rq, http::status::ok, out.str());
}

Response hubs(Call& c) {
    auto reg = db::Register::open(c.context.options.register_path, true);
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_object().field("type", "FeatureCollection");
    const auto run = runs::hub_run(reg, std::nullopt);
    w.field("run", run);
    w.key("features").begin_array();
    if (run)
        for (const auto& h : runs::read_stored_hubs(reg, *run, false)) {
            if (h.members.empty() || !h.members.front().location) continue;
            const auto& host = *h.members.front().location;
            w.begin_object().field("type", "Feature").field("id", h.group_no);
            w.key("geometry")
                .begin_object()
                .field("type", "Point")
                .key("coordinates")
                .begin_array()
                .value(host.easting)
                .value(host.northing)
                .end_array()
                .end_object();
            w.key("properties")
                .begin_object()
                .field("hub", h.group_no)
                .field("proposed", h.proposed)
                .field("fit", h.fit)
                .field("verdict", h.verdict)
                .field("agencies", h.agencies)
                .field("net_benefit", h.net_benefit)
                .field("host", h.members.front().name);
            w.key("members").begin_array();
            for (const auto& m : h.members) {
                w.begin_object()
                    .field("id", m.property_id)
                    .field("name", m.name)
                    .field("owner", m.owner)
                    .field("host", m.host);
                w.key("at");
                if (m.location)
                    w.begin_array().value(m.location->easting).value(m.location->northing).end_array();
                else
                    w.null();
                w.end_object();
            }
            w.end_array().end_object().end_object();
        }
    w.end_array().end_object();
    return json_response(c.rq, http::status::ok, out.str());
}

Response tile(Call& c, const std::string& zxy) {
    int z = 0;
    long long x = 0, y = 0;
    char tail[8] = {};
    if (std::sscanf(zxy.c_str(), "%d/%lld/%lld.%4s", &z, &x, &y, tail) != 4 || std::string(tail) != "mvt" ||
        !TileGrid::valid(z, x, y))
        return problem(c.rq, http::status::not_found, "no such tile (z/x/y.mvt in the grid of docs/api.md)");
    return ok_response(c.rq, "application/vnd.mapbox-vector-tile", c.context.tiles.tile(z, x, y));
}

Response bulk_tag(Call& c) {
    if (auto refused = refuse_change(c)) return *refused;
    auto body = body_json(c.rq);
    const char* shape = "send {\"status\", \"reason\", \"properties\": [{\"id\", \"version\"}, ...]} as JSON";
    if (!body || !body->get_child_optional("properties")) return problem(c.rq, http::status::bad_request, shape);
    std::vector<rag::TagRequest> requests;
    for (const auto& [key, item] : body->get_child("properties")) {
        const auto id = item.get_optional<std::int64_t>("id");
        if (!key.empty() || !id) return problem(c.rq, http::status::bad_request, shape);
        requests.push_back(officer_tag(c, *id, *body, item));
    }
    if (requests.empty()) return problem(c.rq, http::status::bad_request, "no properties to tag");
    auto reg = db::Register::open(c.context.options.register_path);
    const auto r = rag::set_statuses(reg, requests);
    std::ostringstream out;
    util::JsonWriter(out).begin_object().field("changed", r.changed).field("unchanged", r.unchanged).end_object();
    return json_response(c.rq, http::status::ok, out.str());
}

Response export_shown(Call& c) {
    auto q = query_of(std::string(c.rq.target()));
    exporting::Options o;
    if (auto refused = read_filter(c, q, o.filter)) return *refused;
    const std::string format = q.count("format") ? q["format"] : "gpkg";
    if (format != "gpkg" && format != "xlsx") return problem(c.rq, http::status::bad_request, "format is gpkg or xlsx");
    o.format = exporting::parse_format(format);
    o.layers = {exporting::Layer::properties};
    // Written into a folder of its own, read back, and removed.
    const auto dir = std::filesystem::temp_directory_path() / ("estate-export-" + random_token());
    std::filesystem::create_directory(dir);
    struct Remove {
        std::filesystem::path dir;
        ~Remove() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } remove{dir};
    o.out = (dir / ("register." + format)).string();
    auto reg = db::Register::open(c.context.options.register_path, true);
    exporting::export_register(reg, o);
    std::ifstream in(o.out, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    Response r = ok_response(c.rq,
                             format == "gpkg" ? "application/geopackage+sqlite3"
                                              : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             bytes.str());
    const std::string area = reg.description("area").value_or("register");
    std::string file;
    for (char ch : area) file += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
    r.set(http::field::content_disposition, "attachment; filename=\"" + file + "-properties." + format + "\"");
    return r;
}

Response board_report(Call& c) {
    auto reg = db::Register::open(c.context.options.register_path, true);
    report::Options o;
    o.record = false; // reading the paper in a browser changes nothing
    report::Written about;
    Response r = ok_response(c.rq, "text/html; charset=utf-8", report::board_report_html(reg, o, about));
    // The paper is self-contained: inline style and SVG, no script at all.
    r.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                     "frame-ancestors 'none'; base-uri 'none'");
    return r;
}

} // namespace estate::web
