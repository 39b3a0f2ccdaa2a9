#define GEOS_USE_ONLY_R_API
#include "estate/hubs/sites.hpp"

#include "db/sqlite.hpp"
#include "estate/geo/geometry.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace estate::hubs {

SiteSet load_sites(db::Register& reg, const SiteFilter& filter) {
    auto& c = reg.connection();
    SiteSet set;
    set.unlocated_left_out = c.scalar_int("SELECT count(*) FROM properties WHERE geom IS NULL").value_or(0);
    auto st = c.prepare(
        "SELECT p.id, p.owner_id, o.name, p.ref, ifnull(p.name, ''), p.use, ifnull(p.tenure, ''), p.rag_status, "
        "p.condition, X(p.geom), Y(p.geom), AsBinary(p.footprint), p.gia_m2, p.market_value, p.running_cost "
        "FROM properties p JOIN owners o ON o.id = p.owner_id WHERE p.geom IS NOT NULL ORDER BY p.id");
    while (st.step()) {
        Site s;
        s.id = st.int64(0);
        s.owner_id = st.int64(1);
        s.owner = st.text(2);
        if (filter.exclude_red && st.text(7) == "red") {
            ++set.filtered_out;
            continue;
        }
        if (!filter.owners.empty() &&
            std::find(filter.owners.begin(), filter.owners.end(), s.owner) == filter.owners.end()) {
            ++set.filtered_out;
            continue;
        }
        s.ref = st.text(3);
        s.name = st.text(4);
        s.use = st.text(5);
        s.tenure = st.text(6);
        s.rag_status = st.text(7);
        s.condition = st.opt_text(8);
        s.x = st.real(9);
        s.y = st.real(10);
        s.min_x = s.max_x = s.x;
        s.min_y = s.max_y = s.y;
        s.footprint = st.blob(11);
        if (auto env = geo::wkb_envelope(s.footprint)) {
            s.min_x = std::min(s.min_x, env->min_x);
            s.max_x = std::max(s.max_x, env->max_x);
            s.min_y = std::min(s.min_y, env->min_y);
            s.max_y = std::max(s.max_y, env->max_y);
        }
        s.gia_m2 = st.opt_real(12);
        s.market_value = st.opt_real(13);
        s.running_cost = st.opt_real(14);
        set.sites.push_back(std::move(s));
    }
    return set;
}

struct Distance::Impl {
    GEOSContextHandle_t ctx = GEOS_init_r();
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
    // Footprints parsed once, on first use.
    std::unordered_map<std::int64_t, GEOSGeometry*> parsed;
    ~Impl() {
        for (auto& [id, g] : parsed)
            if (g) GEOSGeom_destroy_r(ctx, g);
        GEOSWKBReader_destroy_r(ctx, reader);
        GEOS_finish_r(ctx);
    }
    const GEOSGeometry* footprint(const Site& s) {
        auto it = parsed.find(s.id);
        if (it == parsed.end())
            it = parsed.emplace(s.id, GEOSWKBReader_read_r(ctx, reader, s.footprint.data(), s.footprint.size())).first;
        return it->second;
    }
};

Distance::Distance() : impl_(std::make_unique<Impl>()) {}
Distance::~Distance() = default;

double Distance::between(const Site& a, const Site& b) {
    if (!a.footprint.empty() && !b.footprint.empty()) {
        const GEOSGeometry* ga = impl_->footprint(a);
        const GEOSGeometry* gb = impl_->footprint(b);
        double d = 0;
        if (ga && gb && GEOSDistance_r(impl_->ctx, ga, gb, &d) == 1) return d;
    }
    // sqrt(dx^2 + dy^2), as PostGIS computes it, so that pairs exactly at the radius
    // fall on the same side in both.
    const double dx = a.x - b.x, dy = a.y - b.y;
    return std::sqrt(dx * dx + dy * dy);
}

bool Distance::within(const Site& a, const Site& b, double radius) {
    if (!a.footprint.empty() && !b.footprint.empty()) {
        // The envelopes alone may already be too far apart.
        double dx = std::max({0.0, a.min_x - b.max_x, b.min_x - a.max_x});
        double dy = std::max({0.0, a.min_y - b.max_y, b.min_y - a.max_y});
        if (dx * dx + dy * dy > radius * radius) return false;
        return between(a, b) <= radius;
    }
    const double dx = a.x - b.x, dy = a.y - b.y;
    return std::sqrt(dx * dx + dy * dy) <= radius;
}

} // namespace estate::hubs
