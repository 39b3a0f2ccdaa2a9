#define GEOS_USE_ONLY_R_API
#include "estate/geo/geometry.hpp"

#include "estate/error.hpp"
#include "geo/simple_ring.hpp"
#include "geo/wkb_cursor.hpp"
#include "util/c_handles.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <limits>

namespace estate::geo {
namespace {

// GEOS reports errors through a callback; keep the last one for the message.
void capture_message(const char* fmt, void* userdata) {
    if (userdata && fmt) *static_cast<std::string*>(userdata) = fmt;
}

using GeomPtr = util::GeosGeometry;

struct TransformData {
    const ToGrid* to_grid;
    bool failed = false;
};

// No exception may cross into GEOS: failures are reported through the return value.
int transform_callback(double* x, double* y, void* userdata) {
    auto* data = static_cast<TransformData*>(userdata);
    try {
        auto p = data->to_grid->transform(*x, *y);
        if (!p) {
            data->failed = true;
            return 0;
        }
        *x = p->easting;
        *y = p->northing;
        return 1;
    } catch (...) {
        data->failed = true;
        return 0;
    }
}

} // namespace

namespace {

// Walks WKB, widening @p env with every coordinate. Returns false on malformed input.
// With @p blob, it also writes the geometry's body in SpatiaLite's BLOB layout
// (little-endian; each item of a collection marked 0x69 and typed; no byte-order
// marks), which is WKB's structure with those differences.
class WkbWalker {
public:
    WkbWalker(const std::vector<unsigned char>& wkb, Envelope& env, std::vector<unsigned char>* blob = nullptr)
        : in_(wkb.data(), wkb.size()), env_(env), blob_(blob) {}

    bool geometry() {
        const int order = in_.byte();
        if (order < 0) return false;
        in_.little_endian(order == 1);
        std::uint32_t type = 0;
        if (!in_.u32(type)) return false;
        if (blob_ && (type > 7 || type == 0)) return false; // SpatiaLite blobs: 2-D types only
        type = (type & 0x0FFFFFFF) % 1000;                  // 2-D types only are written here
        if (depth_ > 0) emit_byte(0x69);
        emit_u32(type);
        ++depth_;
        const bool ok = body(type);
        --depth_;
        return ok;
    }

private:
    bool body(std::uint32_t type) {
        std::uint32_t n = 0;
        switch (type) {
        case 1:
            return point();
        case 2:
            return count(n) && points(n);
        case 3:
            if (!count(n)) return false;
            for (std::uint32_t i = 0; i < n; ++i) {
                std::uint32_t m = 0;
                if (!count(m) || !points(m)) return false;
            }
            return true;
        case 4:
        case 5:
        case 6:
        case 7:
            if (!count(n)) return false;
            for (std::uint32_t i = 0; i < n; ++i)
                if (!geometry()) return false;
            return true;
        default:
            return false;
        }
    }
    bool count(std::uint32_t& v) {
        if (!in_.u32(v)) return false;
        emit_u32(v);
        return true;
    }
    bool point() {
        double x = 0, y = 0;
        if (!in_.f64(x) || !in_.f64(y)) return false;
        emit_f64(x);
        emit_f64(y);
        if (std::isnan(x) || std::isnan(y)) return true; // POINT EMPTY
        env_.min_x = std::min(env_.min_x, x);
        env_.max_x = std::max(env_.max_x, x);
        env_.min_y = std::min(env_.min_y, y);
        env_.max_y = std::max(env_.max_y, y);
        return true;
    }
    bool points(std::uint32_t n) {
        for (std::uint32_t i = 0; i < n; ++i)
            if (!point()) return false;
        return true;
    }
    void emit_byte(unsigned char b) {
        if (blob_) blob_->push_back(b);
    }
    void emit_u32(std::uint32_t v) {
        if (blob_)
            for (int i = 0; i < 4; ++i) blob_->push_back(static_cast<unsigned char>(v >> (8 * i)));
    }
    void emit_f64(double v) {
        if (!blob_) return;
        unsigned char b[8];
        std::memcpy(b, &v, 8);
        blob_->insert(blob_->end(), b, b + 8);
    }

    WkbCursor in_;
    Envelope& env_;
    std::vector<unsigned char>* blob_;
    int depth_ = 0;
};

// SpatiaLite's BLOB around a body: start, little-endian, SRID, MBR, MBR end, the
// body (class type first), end.
void put_le(std::vector<unsigned char>& out, size_t at, const void* v, size_t n) {
    std::memcpy(out.data() + at, v, n);
}

} // namespace

bool spatialite_blob(const std::vector<unsigned char>& wkb, int srid, std::vector<unsigned char>& out,
                     Envelope* envelope) {
    out.assign(39, 0);
    out.reserve(wkb.size() + 40);
    out[0] = 0x00;
    out[1] = 0x01;
    const std::int32_t s = srid;
    put_le(out, 2, &s, 4);
    out[38] = 0x7C;
    const double inf = std::numeric_limits<double>::infinity();
    Envelope env{inf, -inf, inf, -inf};
    if (!WkbWalker(wkb, env, &out).geometry() || env.min_x > env.max_x) {
        out.clear();
        return false;
    }
    const double mbr[4] = {env.min_x, env.min_y, env.max_x, env.max_y};
    put_le(out, 6, mbr, sizeof mbr);
    out.push_back(0xFE);
    if (envelope) *envelope = env;
    return true;
}

void spatialite_point_blob(double x, double y, int srid, std::vector<unsigned char>& out) {
    // The same layout for a point, written straight: 60 bytes.
    out.assign(60, 0);
    out[1] = 0x01;
    const std::int32_t s = srid;
    put_le(out, 2, &s, 4);
    const double mbr[4] = {x, y, x, y};
    put_le(out, 6, mbr, sizeof mbr);
    out[38] = 0x7C;
    const std::uint32_t point_type = 1;
    put_le(out, 39, &point_type, 4);
    put_le(out, 43, &x, 8);
    put_le(out, 51, &y, 8);
    out[59] = 0xFE;
}

std::optional<Envelope> wkb_envelope(const std::vector<unsigned char>& wkb) {
    const double inf = std::numeric_limits<double>::infinity();
    Envelope env{inf, -inf, inf, -inf};
    if (!WkbWalker(wkb, env).geometry() || env.min_x > env.max_x) return std::nullopt;
    return env;
}

namespace {

// Even-odd crossings of the rays from (x, y) to the right by the polygons at @p in.
bool polygon_crossings(WkbCursor& in, double x, double y, bool& inside, bool collection) {
    const int order = in.byte();
    if (order < 0) return false;
    in.little_endian(order == 1);
    std::uint32_t type = 0, parts = 1;
    if (!in.u32(type)) return false;
    type = (type & 0x0FFFFFFF) % 1000;
    if (type == 6 && !collection) {
        if (!in.u32(parts)) return false;
        for (std::uint32_t i = 0; i < parts; ++i)
            if (!polygon_crossings(in, x, y, inside, true)) return false;
        return true;
    }
    if (type != 3) return false;
    std::uint32_t rings = 0;
    if (!in.u32(rings)) return false;
    for (std::uint32_t r = 0; r < rings; ++r) {
        std::uint32_t n = 0;
        if (!in.u32(n)) return false;
        double px = 0, py = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            double qx = 0, qy = 0;
            if (!in.f64(qx) || !in.f64(qy)) return false;
            if (i > 0 && (py > y) != (qy > y) && x < px + (y - py) * (qx - px) / (qy - py)) inside = !inside;
            px = qx;
            py = qy;
        }
    }
    return true;
}

} // namespace

std::optional<bool> wkb_polygon_contains(const std::vector<unsigned char>& wkb, double x, double y) {
    WkbCursor in(wkb.data(), wkb.size());
    bool inside = false;
    if (!polygon_crossings(in, x, y, inside, false)) return std::nullopt;
    return inside;
}

struct GeometryEngine::Impl {
    GEOSContextHandle_t ctx = nullptr;
    GEOSWKBReader* wkb_reader = nullptr;
    GEOSWKTReader* wkt_reader = nullptr;
    GEOSWKBWriter* wkb_writer = nullptr;
    std::string last_error;
    std::vector<double> xy; // the fast path's ring, reused

    Impl() {
        ctx = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(ctx, capture_message, &last_error);
        wkb_reader = GEOSWKBReader_create_r(ctx);
        wkt_reader = GEOSWKTReader_create_r(ctx);
        wkb_writer = GEOSWKBWriter_create_r(ctx);
    }
    ~Impl() {
        GEOSWKBReader_destroy_r(ctx, wkb_reader);
        GEOSWKTReader_destroy_r(ctx, wkt_reader);
        GEOSWKBWriter_destroy_r(ctx, wkb_writer);
        GEOS_finish_r(ctx);
    }
    GeomPtr wrap(GEOSGeometry* g) { return util::geos_owned(ctx, g); }

    Footprint refuse(std::string reason, std::string message) {
        Footprint f;
        f.problem = std::move(message);
        f.problem_reason = std::move(reason);
        return f;
    }

    // Keeps only the polygons of a (possibly mixed) geometry, as a MultiPolygon.
    GeomPtr polygons_only(const GEOSGeometry* g) {
        std::vector<GEOSGeometry*> parts;
        int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, g, i);
            int type = GEOSGeomTypeId_r(ctx, part);
            if (type == GEOS_POLYGON) {
                parts.push_back(GEOSGeom_clone_r(ctx, part));
            } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
                GeomPtr sub = polygons_only(part);
                int m = GEOSGetNumGeometries_r(ctx, sub.get());
                for (int j = 0; j < m; ++j)
                    parts.push_back(GEOSGeom_clone_r(ctx, GEOSGetGeometryN_r(ctx, sub.get(), j)));
            }
        }
        return wrap(
            GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size())));
    }

    // The fast path for a one-ring polygon (simple_ring.hpp), or nullopt when GEOS
    // must decide. @p xy is in the source CRS; it is transformed in place.
    std::optional<Footprint> simple(std::vector<double>& xy, const ToGrid& to_grid, bool need_point) {
        if (!to_grid.is_identity()) {
            for (size_t i = 0; i < xy.size(); i += 2) {
                auto p = to_grid.transform(xy[i], xy[i + 1]); // as GEOSGeom_transformXY would
                if (!p) return std::nullopt;                  // GEOS's path says so, with its message
                xy[i] = p->easting;
                xy[i + 1] = p->northing;
            }
        }
        if (xy.size() / 2 > static_cast<size_t>(max_footprint_vertices) || !simple_ring::certainly_valid(xy))
            return std::nullopt; // (too many vertices: GEOS's path keeps the hull)
        Footprint f;
        simple_ring::write_multipolygon_wkb(xy, f.wkb);
        if (need_point) {
            // Rare (a footprint with no coordinates beside it): GEOS places the point,
            // so both paths give the same one.
            auto n = static_cast<unsigned>(xy.size() / 2);
            GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx, xy.data(), n, 0, 0);
            GEOSGeometry* ring = seq ? GEOSGeom_createLinearRing_r(ctx, seq) : nullptr;
            GeomPtr polygon = wrap(ring ? GEOSGeom_createPolygon_r(ctx, ring, nullptr, 0) : nullptr);
            auto inside = polygon ? point_on_surface(polygon.get()) : std::nullopt;
            if (!inside) return std::nullopt;
            f.point_on_surface = *inside;
        }
        return f;
    }

    std::optional<model::GridPoint> point_on_surface(const GEOSGeometry* g) {
        GeomPtr inside = wrap(GEOSPointOnSurface_r(ctx, g));
        double x = 0, y = 0;
        if (!inside || GEOSGeomGetX_r(ctx, inside.get(), &x) != 1 || GEOSGeomGetY_r(ctx, inside.get(), &y) != 1)
            return std::nullopt;
        return model::GridPoint{x, y};
    }

    Footprint finish(GeomPtr source, const ToGrid& to_grid, bool need_point) {
        if (!source) return refuse("bad_footprint", "footprint geometry cannot be read: " + last_error);
        int type = GEOSGeomTypeId_r(ctx, source.get());
        if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
            return refuse("unsupported_geometry",
                          std::string("footprint is a ") + GEOSGeomType_r(ctx, source.get()) + ", not a polygon");
        if (GEOSisEmpty_r(ctx, source.get()) == 1) return refuse("bad_footprint", "footprint polygon is empty");
        GeomPtr grid;
        if (to_grid.is_identity()) {
            grid = std::move(source);
        } else {
            TransformData data{&to_grid};
            grid = wrap(GEOSGeom_transformXY_r(ctx, source.get(), transform_callback, &data));
            if (!grid || data.failed)
                return refuse("bad_coordinates", "footprint coordinates cannot be transformed from " +
                                                     to_grid.source() + " to EPSG:27700");
        }
        Footprint f;
        if (const int vertices = GEOSGetNumCoordinates_r(ctx, grid.get()); vertices > max_footprint_vertices) {
            // Checking and repairing it could take minutes: its convex hull instead
            // (O(n log n), always valid, holding every part of the original).
            GeomPtr hull = wrap(GEOSConvexHull_r(ctx, grid.get()));
            if (!hull || GEOSGeomTypeId_r(ctx, hull.get()) != GEOS_POLYGON)
                return refuse("bad_footprint",
                              "footprint has " + std::to_string(vertices) + " vertices and no area as a convex hull");
            grid = std::move(hull);
            f.hull_of_vertices = vertices;
        }
        char valid = GEOSisValid_r(ctx, grid.get());
        if (valid == 2) return refuse("bad_footprint", "GEOS cannot check footprint: " + last_error);
        if (valid == 0) {
            char* why = GEOSisValidReason_r(ctx, grid.get());
            std::string reason = why ? why : "invalid";
            GEOSFree_r(ctx, why);
            GeomPtr fixed = wrap(GEOSMakeValid_r(ctx, grid.get()));
            if (!fixed)
                return refuse("bad_footprint",
                              "footprint is invalid (" + reason + ") and cannot be repaired: " + last_error);
            fixed = polygons_only(fixed.get());
            double area = 0;
            if (!fixed || GEOSisEmpty_r(ctx, fixed.get()) == 1 || GEOSArea_r(ctx, fixed.get(), &area) != 1 || area <= 0)
                return refuse("bad_footprint", "footprint is invalid (" + reason + ") and repairing it leaves no area");
            grid = std::move(fixed);
            f.repaired = true;
        } else if (GEOSGeomTypeId_r(ctx, grid.get()) == GEOS_POLYGON) {
            // The register stores MultiPolygons: wrap the polygon (the collection takes it over).
            GEOSGeometry* parts[] = {grid.release()};
            grid = wrap(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, parts, 1));
        }
        if (need_point) {
            auto inside = point_on_surface(grid.get());
            if (!inside) return refuse("bad_footprint", "no point on the footprint's surface: " + last_error);
            f.point_on_surface = *inside;
        }
        size_t size = 0;
        unsigned char* buf = GEOSWKBWriter_write_r(ctx, wkb_writer, grid.get(), &size);
        f.wkb.assign(buf, buf + size);
        GEOSFree_r(ctx, buf);
        return f;
    }
};

GeometryEngine::GeometryEngine() : impl_(std::make_unique<Impl>()) {}
GeometryEngine::~GeometryEngine() = default;

GeometryKind wkb_kind(const std::vector<unsigned char>& bytes) {
    if (bytes.size() < 5) return GeometryKind::empty;
    const unsigned char* wkb = bytes.data();
    // WKB: byte order, then a 32-bit type (ISO adds 1000s for Z/M; EWKB flags high bits).
    bool little = wkb[0] == 1;
    uint32_t type = little ? (wkb[1] | wkb[2] << 8 | wkb[3] << 16 | uint32_t(wkb[4]) << 24)
                           : (wkb[4] | wkb[3] << 8 | wkb[2] << 16 | uint32_t(wkb[1]) << 24);
    type = (type & 0x0FFFFFFF) % 1000;
    switch (type) {
    case 1:
    case 4:
        return GeometryKind::point;
    case 3:
    case 6:
        return GeometryKind::polygonal;
    default:
        return GeometryKind::other;
    }
}

std::optional<model::GridPoint> GeometryEngine::point_of_wkb(const unsigned char* wkb, size_t size) {
    GeomPtr g = impl_->wrap(GEOSWKBReader_read_r(impl_->ctx, impl_->wkb_reader, wkb, size));
    if (!g || GEOSisEmpty_r(impl_->ctx, g.get()) == 1) return std::nullopt;
    const GEOSGeometry* first = GEOSGetGeometryN_r(impl_->ctx, g.get(), 0);
    double x = 0, y = 0;
    if (GEOSGeomGetX_r(impl_->ctx, first, &x) != 1 || GEOSGeomGetY_r(impl_->ctx, first, &y) != 1) return std::nullopt;
    return model::GridPoint{x, y};
}

Footprint GeometryEngine::footprint_from_wkb(const unsigned char* wkb, size_t size, const ToGrid& to_grid,
                                             bool need_point) {
    impl_->last_error.clear();
    if (fast_path_ && simple_ring::read_wkb(wkb, size, impl_->xy))
        if (auto f = impl_->simple(impl_->xy, to_grid, need_point)) return std::move(*f);
    return impl_->finish(impl_->wrap(GEOSWKBReader_read_r(impl_->ctx, impl_->wkb_reader, wkb, size)), to_grid,
                         need_point);
}

bool GeometryEngine::wkb_of_wkt(std::string_view wkt, std::vector<unsigned char>& out) {
    const std::string text(wkt);
    auto g = impl_->wrap(GEOSWKTReader_read_r(impl_->ctx, impl_->wkt_reader, text.c_str()));
    if (!g) return false;
    size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(impl_->ctx, impl_->wkb_writer, g.get(), &size);
    if (!buf) return false;
    out.assign(buf, buf + size);
    GEOSFree_r(impl_->ctx, buf);
    return true;
}

namespace {
// Walks WKB down to its first coordinate: a point's own, a polygon's first ring's
// first, a collection's first member's.
bool first_xy(WkbCursor& c, double& x, double& y, int depth) {
    const int order = c.byte();
    if (order < 0 || depth > 8) return false;
    c.little_endian(order == 1);
    std::uint32_t type = 0;
    if (!c.u32(type)) return false;
    if (type & 0x20000000) { // EWKB with an SRID
        std::uint32_t srid = 0;
        if (!c.u32(srid)) return false;
    }
    switch ((type & 0x0FFFFFFF) % 1000) {
    case 1:
        return c.f64(x) && c.f64(y) && !(std::isnan(x) && std::isnan(y)); // POINT EMPTY is NaN, NaN
    case 2: {
        std::uint32_t n = 0;
        return c.u32(n) && n > 0 && c.f64(x) && c.f64(y);
    }
    case 3: {
        std::uint32_t rings = 0, n = 0;
        return c.u32(rings) && rings > 0 && c.u32(n) && n > 0 && c.f64(x) && c.f64(y);
    }
    case 4:
    case 5:
    case 6:
    case 7: {
        std::uint32_t n = 0;
        return c.u32(n) && n > 0 && first_xy(c, x, y, depth + 1);
    }
    default:
        return false;
    }
}
} // namespace

std::optional<std::pair<double, double>> first_coordinate(const std::vector<unsigned char>& wkb) {
    WkbCursor c(wkb.data(), wkb.size());
    double x = 0, y = 0;
    if (!first_xy(c, x, y, 0)) return std::nullopt;
    return std::pair{x, y};
}

std::optional<std::pair<double, double>> first_coordinate_of_wkt(std::string_view wkt) {
    const size_t open = wkt.find('(');
    if (open == std::string_view::npos) return std::nullopt;
    double v[2];
    const char* p = wkt.data() + open;
    const char* end = wkt.data() + wkt.size();
    for (double& d : v) {
        while (p < end && (*p == '(' || *p == ' ' || *p == ',' || *p == '\t')) ++p;
        auto [next, ec] = std::from_chars(p, end, d);
        if (ec != std::errc{}) return std::nullopt;
        p = next;
    }
    return std::pair{v[0], v[1]};
}

Ewkt split_ewkt(std::string_view text) {
    std::string_view t = text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    if (t.size() < 6 || (t.substr(0, 5) != "SRID=" && t.substr(0, 5) != "srid=")) return {std::nullopt, text};
    const size_t semi = t.find(';');
    if (semi == std::string_view::npos) return {std::nullopt, text};
    int srid = 0;
    auto [end, ec] = std::from_chars(t.data() + 5, t.data() + semi, srid);
    if (ec != std::errc{} || end != t.data() + semi) return {std::nullopt, text};
    return {srid, t.substr(semi + 1)};
}

Footprint GeometryEngine::footprint_from_wkt(std::string_view wkt, const ToGrid& to_grid, bool need_point) {
    impl_->last_error.clear();
    if (fast_path_ && simple_ring::read_wkt(wkt, impl_->xy))
        if (auto f = impl_->simple(impl_->xy, to_grid, need_point)) return std::move(*f);
    std::string text(wkt);
    return impl_->finish(impl_->wrap(GEOSWKTReader_read_r(impl_->ctx, impl_->wkt_reader, text.c_str())), to_grid,
                         need_point);
}

struct Boundary::Impl {
    GeometryEngine engine;
    GEOSContextHandle_t ctx = nullptr;
    util::GeosGeometry geom;
    util::GeosPrepared prepared; // of geom: freed first (members go in reverse order)
    std::string source;
};

Boundary::Boundary() : impl_(std::make_unique<Impl>()) {}
Boundary::~Boundary() = default;
Boundary::Boundary(Boundary&&) noexcept = default;
Boundary& Boundary::operator=(Boundary&&) noexcept = default;

std::vector<unsigned char> GeometryEngine::outline(const std::vector<model::GridPoint>& points,
                                                   const std::vector<std::vector<unsigned char>>& footprints,
                                                   double margin) {
    auto ctx = impl_->ctx;
    std::vector<GEOSGeometry*> parts;
    for (const auto& p : points) parts.push_back(GEOSGeom_createPointFromXY_r(ctx, p.easting, p.northing));
    for (const auto& wkb : footprints)
        if (GEOSGeometry* g = GEOSWKBReader_read_r(ctx, impl_->wkb_reader, wkb.data(), wkb.size())) parts.push_back(g);
    if (parts.empty()) return {};
    auto all = impl_->wrap(
        GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts.data(), static_cast<unsigned>(parts.size())));
    auto hull = impl_->wrap(GEOSConvexHull_r(ctx, all.get()));
    auto grown = impl_->wrap(GEOSBuffer_r(ctx, hull.get(), margin, 8));
    if (!grown) throw geometry_error("GEOS could not draw an outline: " + impl_->last_error);
    GEOSSetSRID_r(ctx, grown.get(), 27700);
    size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(ctx, impl_->wkb_writer, grown.get(), &size);
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(ctx, buf);
    return out;
}

Boundary Boundary::from_wkb(const std::vector<unsigned char>& wkb, const ToGrid& to_grid, const std::string& source) {
    Boundary b;
    b.impl_->source = source;
    Footprint f = b.impl_->engine.footprint_from_wkb(wkb.data(), wkb.size(), to_grid);
    if (f.problem) throw geometry_error("boundary " + source + ": " + *f.problem);
    auto& e = *b.impl_->engine.impl_;
    b.impl_->ctx = e.ctx;
    b.impl_->geom = util::geos_owned(e.ctx, GEOSWKBReader_read_r(e.ctx, e.wkb_reader, f.wkb.data(), f.wkb.size()));
    b.impl_->prepared = util::GeosPrepared(GEOSPrepare_r(e.ctx, b.impl_->geom.get()), {e.ctx});
    return b;
}

std::string Boundary::outline_wkt(double tolerance_m) const {
    auto ctx = impl_->ctx;
    auto simple = util::geos_owned(ctx, GEOSTopologyPreserveSimplify_r(ctx, impl_->geom.get(), tolerance_m));
    if (!simple) return "";
    util::GeosWktWriter writer(GEOSWKTWriter_create_r(ctx), {ctx});
    GEOSWKTWriter_setRoundingPrecision_r(ctx, writer.get(), 1);
    GEOSWKTWriter_setTrim_r(ctx, writer.get(), 1);
    char* text = GEOSWKTWriter_write_r(ctx, writer.get(), simple.get());
    std::string out = text ? text : "";
    if (text) GEOSFree_r(ctx, text);
    return out;
}

bool Boundary::contains(const model::GridPoint& p, double tolerance_m) const {
    auto ctx = impl_->ctx;
    auto pt = util::geos_owned(ctx, GEOSGeom_createPointFromXY_r(ctx, p.easting, p.northing));
    char inside = GEOSPreparedIntersects_r(ctx, impl_->prepared.get(), pt.get());
    bool result = inside == 1;
    if (!result && inside != 2 && tolerance_m > 0) {
        double d = 0;
        result = GEOSDistance_r(ctx, impl_->geom.get(), pt.get(), &d) == 1 && d <= tolerance_m;
    }
    return result;
}

const std::string& Boundary::source() const {
    return impl_->source;
}

} // namespace estate::geo
