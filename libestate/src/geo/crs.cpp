#include "estate/geo/crs.hpp"

#include "estate/error.hpp"
#include "estate/geo/ostn15.hpp"
#include "estate/model/normalise.hpp"

#include "util/c_handles.hpp"

#include <proj.h>

#include <cctype>
#include <cmath>

namespace estate::geo {
namespace {

// PROJ's own error text is poor ("Unknown error (code 2)"): keep the last log line.
void log_to_string(void* app_data, int /*level*/, const char* msg) {
    if (app_data && msg) *static_cast<std::string*>(app_data) = msg;
}

} // namespace

struct ToGrid::Impl {
    std::string source;
    std::string last_log;
    PJ_CONTEXT* ctx = nullptr;
    PJ* pj = nullptr;
    bool identity = false;
    bool etrs89 = false; // latitude/longitude on ETRS89 or WGS84: OSTN15

    ~Impl() {
        if (pj) proj_destroy(pj);
        if (ctx) proj_context_destroy(ctx);
    }
};

ToGrid::ToGrid(const std::string& source_crs, const char* target_crs) : impl_(std::make_unique<Impl>()) {
    impl_->source = source_crs;
    impl_->ctx = proj_context_create();
    proj_log_func(impl_->ctx, &impl_->last_log, log_to_string);
    proj_log_level(impl_->ctx, PJ_LOG_ERROR);

    util::ProjObject src(proj_create(impl_->ctx, source_crs.c_str()));
    if (!src)
        throw crs_error("PROJ does not recognise the coordinate reference system '" + source_crs + "'" +
                        (impl_->last_log.empty() ? "" : " (" + impl_->last_log + ")") +
                        "; give an EPSG code such as EPSG:4326 or EPSG:27700");
    util::ProjObject dst(proj_create(impl_->ctx, target_crs));
    impl_->identity = proj_is_equivalent_to(src.get(), dst.get(), PJ_COMP_EQUIVALENT) != 0;
    // OSTN15 treats WGS84 as ETRS89 (as Ordnance Survey and the EPSG dataset do for the
    // National Grid: they differ by under a metre, below WGS84's own realisation spread).
    for (const char* geographic : {"EPSG:4326", "EPSG:4258", "OGC:CRS84"}) {
        if (std::string_view(target_crs) != grid_crs) break; // ToLonLat's PROJ fallback
        util::ProjObject g(proj_create(impl_->ctx, geographic));
        if (g && proj_is_equivalent_to(src.get(), g.get(), PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS))
            impl_->etrs89 = true;
    }
    util::ProjObject raw(proj_create_crs_to_crs_from_pj(impl_->ctx, src.get(), dst.get(), nullptr, nullptr));
    if (!raw)
        throw crs_error("PROJ cannot transform from '" + source_crs + "' to " + target_crs +
                        (impl_->last_log.empty() ? "" : ": " + impl_->last_log));
    // EPSG:4326 is officially latitude first; sources give longitude first.
    impl_->pj = proj_normalize_for_visualization(impl_->ctx, raw.get());
    if (!impl_->pj) throw crs_error("PROJ cannot normalise the axis order of '" + source_crs + "'");
}

ToGrid::~ToGrid() = default;
ToGrid::ToGrid(ToGrid&&) noexcept = default;
ToGrid& ToGrid::operator=(ToGrid&&) noexcept = default;

bool ToGrid::is_identity() const {
    return impl_->identity;
}
const std::string& ToGrid::source() const {
    return impl_->source;
}

Transformation ToGrid::usual() const {
    if (impl_->identity) return Transformation::none;
    return impl_->etrs89 ? Transformation::ostn15 : Transformation::proj;
}

const char* transformation_name(Transformation t) {
    switch (t) {
    case Transformation::ostn15:
        return "OSTN15";
    case Transformation::helmert:
        return "Helmert";
    case Transformation::proj:
        return "PROJ";
    case Transformation::none:
        break;
    }
    return "";
}

std::optional<model::GridPoint> ToGrid::transform(double x, double y, Transformation* used) const {
    if (!std::isfinite(x) || !std::isfinite(y)) return std::nullopt;
    Transformation how = Transformation::none;
    if (!used) used = &how;
    *used = Transformation::none;
    if (impl_->identity) return model::GridPoint{x, y};
    if (impl_->etrs89) {
        if (auto g = ostn15::to_grid(x, y)) {
            *used = Transformation::ostn15;
            return g;
        }
    }
    *used = impl_->etrs89 ? Transformation::helmert : Transformation::proj;
    PJ_COORD c = proj_coord(x, y, 0, 0);
    PJ_COORD out = proj_trans(impl_->pj, PJ_FWD, c);
    if (proj_errno(impl_->pj) != 0 || !std::isfinite(out.xy.x) || !std::isfinite(out.xy.y)) {
        proj_errno_reset(impl_->pj);
        return std::nullopt;
    }
    return model::GridPoint{out.xy.x, out.xy.y};
}

ToLonLat::ToLonLat() : helmert_(grid_crs, "EPSG:4326") {}
ToLonLat::~ToLonLat() = default;

bool ToLonLat::transform(double easting, double northing, double& lon, double& lat, Transformation* used) const {
    if (auto ll = ostn15::to_etrs89(easting, northing)) {
        lon = ll->lon;
        lat = ll->lat;
        if (used) *used = Transformation::ostn15;
        return true;
    }
    auto p = helmert_.transform(easting, northing);
    if (!p) return false;
    lon = p->easting;
    lat = p->northing;
    if (used) *used = Transformation::helmert;
    return true;
}

std::optional<std::string> resolve_crs_name(std::string_view name) {
    std::string key = model::header_key(name);
    if (key.empty()) return std::nullopt;
    if (key == "wgs84" || key == "wgs1984" || key == "epsg4326" || key == "4326" || key == "latlon" ||
        key == "latlong" || key == "lonlat")
        return std::string("EPSG:4326");
    if (key == "crs84" || key == "ogccrs84") return std::string("OGC:CRS84");
    if (key == "osgb36" || key == "osgb" || key == "osgb1936" || key == "britishnationalgrid" || key == "bng" ||
        key == "nationalgrid" || key == "epsg27700" || key == "27700" || key == "osgb36britishnationalgrid" ||
        key == "eastingsnorthings")
        return std::string("EPSG:27700");
    if (key == "etrs89" || key == "epsg4258" || key == "4258") return std::string("EPSG:4258");
    if (key.rfind("epsg", 0) == 0 && key.size() > 4 && key.find_first_not_of("0123456789", 4) == std::string::npos)
        return "EPSG:" + key.substr(4);
    return std::nullopt;
}

std::optional<model::GridPoint> parse_grid_reference(std::string_view text) {
    std::string compact;
    for (unsigned char c : model::trim_view(text))
        if (c != ' ') compact += static_cast<char>(std::toupper(c));
    if (compact.size() < 2 || compact.size() > 12) return std::nullopt;
    // The 500 km and 100 km squares are letters of a 5 x 5 grid without I.
    auto letter_index = [](char c) -> int {
        if (c < 'A' || c > 'Z' || c == 'I') return -1;
        return c > 'I' ? c - 'A' - 1 : c - 'A';
    };
    const int l1 = letter_index(compact[0]), l2 = letter_index(compact[1]);
    if (l1 < 0 || l2 < 0) return std::nullopt;
    // The National Grid's squares all lie in the 500 km squares H, N, O, S and T.
    if (l1 != letter_index('H') && l1 != letter_index('N') && l1 != letter_index('O') && l1 != letter_index('S') &&
        l1 != letter_index('T'))
        return std::nullopt;
    const std::string digits = compact.substr(2);
    if (digits.size() % 2 != 0 || digits.size() > 10 || digits.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const int e100 = ((l1 - 2) % 5) * 5 + l2 % 5;
    const int n100 = (19 - (l1 / 5) * 5) - l2 / 5;
    const size_t half = digits.size() / 2;
    double resolution = 100000;
    for (size_t i = 0; i < half; ++i) resolution /= 10;
    double e = 0, n = 0;
    if (half > 0) {
        e = std::stod(digits.substr(0, half)) * resolution;
        n = std::stod(digits.substr(half)) * resolution;
    }
    // A reference names the square's south-west corner; the property is within it,
    // its centre the best single point.
    return model::GridPoint{e100 * 100000.0 + e + resolution / 2, n100 * 100000.0 + n + resolution / 2};
}

bool inside_gb_grid(const model::GridPoint& p) {
    return p.easting >= 0 && p.easting <= 700000 && p.northing >= 0 && p.northing <= 1300000;
}

std::string crs_from_magnitude(double x, double y) {
    return std::fabs(x) <= 180 && std::fabs(y) <= 90 ? "EPSG:4326" : "EPSG:27700";
}

} // namespace estate::geo
