#define GEOS_USE_ONLY_R_API
#include "estate/hubs/sites.hpp"

#include "estate/db/queries.hpp"
#include "estate/duplicates/duplicates.hpp"

#include "db/sqlite.hpp"
#include "estate/error.hpp"
#include "estate/geo/geometry.hpp"

#include "util/c_handles.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace estate::hubs {

SiteSet load_sites(db::Register& reg, const SiteFilter& filter, const facts::Plausibility* plausible) {
    auto& c = reg.connection();
    SiteSet set;
    // Retired properties (no longer listed by their owner's complete return) take no part.
    set.unlocated_left_out =
        c.scalar_int("SELECT count(*) FROM properties WHERE geom IS NULL AND retired_at IS NULL").value_or(0);
    // The owners taking part, by id (the filter names owners).
    std::unordered_map<std::int64_t, bool> owner_included;
    auto owners = c.prepare("SELECT id, name FROM owners");
    while (owners.step())
        owner_included[owners.int64(0)] = filter.owners.empty() || std::find(filter.owners.begin(), filter.owners.end(),
                                                                             owners.text(1)) != filter.owners.end();
    // With facts, each building once: its facts are its records' together.
    const bool one_per_building = filter.one_per_building || plausible;
    auto st =
        c.prepare(std::string("SELECT p.id, p.owner_id, p.rag_status = 'red', X(p.geom), Y(p.geom), "
                              "AsBinary(p.footprint) FROM properties p WHERE p.retired_at IS NULL AND "
                              "p.geom IS NOT NULL") +
                  (one_per_building ? " AND " + db::counted_building_condition() : std::string()) + " ORDER BY p.id");
    while (st.step()) {
        const std::int64_t owner = st.int64(1);
        if ((filter.exclude_red && st.int64(2) != 0) || !owner_included[owner]) {
            ++set.filtered_out;
            continue;
        }
        Site& s = set.sites.emplace_back();
        s.id = st.int64(0);
        s.owner_id = owner;
        s.x = s.min_x = s.max_x = st.real(3);
        s.y = s.min_y = s.max_y = st.real(4);
        if (!filter.points_only && !st.is_null(5)) {
            s.footprint = st.blob(5);
            if (auto env = geo::wkb_envelope(s.footprint)) {
                s.min_x = std::min(s.min_x, env->min_x);
                s.max_x = std::max(s.max_x, env->max_x);
                s.min_y = std::min(s.min_y, env->min_y);
                s.max_y = std::max(s.max_y, env->max_y);
            }
        }
    }
    if (!plausible) return set;
    // The facts of the sites (both in id order: a merge), from the one reading every
    // analysis shares.
    facts::ReadOptions o;
    o.plausible = *plausible;
    size_t next = 0;
    o.wanted = [&](const facts::Building& b) {
        while (next < set.sites.size() && set.sites[next].id < b.id) ++next;
        return next < set.sites.size() && set.sites[next].id == b.id;
    };
    set.facts.reserve(set.sites.size());
    set.reading = facts::read_buildings(reg, o, [&set](facts::Building&& b) { set.facts.push_back(std::move(b)); });
    check_invariant(set.facts.size() == set.sites.size(), "every located building of a hubs run has its facts");
    return set;
}

std::vector<SiteDetails> load_details(db::Register& reg, std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<SiteDetails> out;
    out.reserve(ids.size());
    auto& c = reg.connection();
    std::unordered_map<std::int64_t, std::string> owners;
    auto o = c.prepare("SELECT id, name FROM owners");
    while (o.step()) owners[o.int64(0)] = o.text(1);
    // A few properties are looked up one by one; many are picked out of one pass over
    // the table, which is much faster than a query each.
    const bool whole_table = ids.size() > 2000;
    const std::string columns =
        "SELECT id, owner_id, ref, ifnull(name, ''), ifnull(address, ''), ifnull(postcode, '') FROM properties";
    auto st = c.prepare(whole_table ? columns + " ORDER BY id" : columns + " WHERE id = ?");
    // The location is read only for the few with neither address nor postcode.
    auto location = c.prepare("SELECT X(geom), Y(geom) FROM properties WHERE id = ? AND geom IS NOT NULL");
    db::PlaceNamer places(reg);
    auto add = [&](std::int64_t id) {
        SiteDetails d{id, owners[st.int64(1)], st.text(2), st.text(3), "", st.text(4)};
        const std::string postcode = st.text(5);
        std::optional<model::GridPoint> at;
        if (d.address.empty() && postcode.empty()) {
            location.bind(1, id);
            if (location.step()) at = model::GridPoint{location.real(0), location.real(1)};
            location.reset();
        }
        d.label = places.label(d.name.empty() ? d.ref : d.name, d.address, postcode, at);
        out.push_back(std::move(d));
    };
    if (whole_table) {
        size_t next = 0; // ids and rows both ascend: a merge
        while (next < ids.size() && st.step()) {
            while (next < ids.size() && ids[next] < st.int64(0)) ++next; // not in the table
            if (next < ids.size() && ids[next] == st.int64(0)) add(ids[next++]);
        }
    } else {
        for (std::int64_t id : ids) {
            st.bind(1, id);
            if (st.step()) add(id);
            st.reset();
        }
    }
    return out;
}

const SiteDetails& detail_of(const std::vector<SiteDetails>& details, std::int64_t id) {
    auto it = std::lower_bound(details.begin(), details.end(), id,
                               [](const SiteDetails& d, std::int64_t v) { return d.id < v; });
    check_invariant(it != details.end() && it->id == id,
                    "property " + std::to_string(id) + " was not read with its run");
    return *it;
}

struct Distance::Impl {
    struct Context { // made first, finished last
        GEOSContextHandle_t handle = GEOS_init_r();
        ~Context() { GEOS_finish_r(handle); }
    } context;
    GEOSContextHandle_t ctx = context.handle;
    util::GeosWkbReader reader{GEOSWKBReader_create_r(ctx), {ctx}};
    // Footprints parsed once, on first use.
    std::unordered_map<std::int64_t, util::GeosGeometry> parsed;
    void forget() { parsed.clear(); }
    const GEOSGeometry* footprint(const Site& s) {
        auto it = parsed.find(s.id);
        if (it == parsed.end())
            it = parsed
                     .emplace(s.id, util::geos_owned(ctx, GEOSWKBReader_read_r(ctx, reader.get(), s.footprint.data(),
                                                                               s.footprint.size())))
                     .first;
        return it->second.get();
    }
};

Distance::Distance() : impl_(std::make_unique<Impl>()) {}
Distance::~Distance() = default;

void Distance::forget_footprints_beyond(std::size_t count) {
    if (impl_->parsed.size() > count) impl_->forget();
}

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

bool Distance::surely_within(const Site& a, const Site& b, double radius) {
    if (!points_within(a.x, a.y, b.x, b.y, radius)) return false;
    return geo::wkb_polygon_contains(a.footprint, a.x, a.y).value_or(false) &&
           geo::wkb_polygon_contains(b.footprint, b.x, b.y).value_or(false);
}

Distance::From::From(Distance& d, const Site& a) : d_(d), a_(a) {
    if (a.footprint.empty()) return;
    if (const GEOSGeometry* g = d.impl_->footprint(a)) prepared_ = GEOSPrepare_r(d.impl_->ctx, g);
}

Distance::From::~From() {
    if (prepared_) GEOSPreparedGeom_destroy_r(d_.impl_->ctx, static_cast<const GEOSPreparedGeometry*>(prepared_));
}

bool Distance::From::within(const Site& b, double radius) {
    if (!prepared_ || b.footprint.empty()) return d_.within(a_, b, radius);
    if (envelope_gap_squared(a_, b) > radius * radius) return false;
    if (surely_within(a_, b, radius)) return true;
    const GEOSGeometry* gb = d_.impl_->footprint(b);
    if (!gb) return d_.within(a_, b, radius);
    const char within =
        GEOSPreparedDistanceWithin_r(d_.impl_->ctx, static_cast<const GEOSPreparedGeometry*>(prepared_), gb, radius);
    return within == 2 ? d_.within(a_, b, radius) : within == 1;
}

double Distance::From::to(const Site& b) {
    if (!prepared_ || b.footprint.empty()) return d_.between(a_, b);
    const GEOSGeometry* gb = d_.impl_->footprint(b);
    double dist = 0;
    if (gb &&
        GEOSPreparedDistance_r(d_.impl_->ctx, static_cast<const GEOSPreparedGeometry*>(prepared_), gb, &dist) == 1)
        return dist;
    return d_.between(a_, b);
}

bool Distance::within(const Site& a, const Site& b, double radius) {
    if (!a.footprint.empty() && !b.footprint.empty()) {
        // The envelopes alone may already be too far apart.
        if (envelope_gap_squared(a, b) > radius * radius) return false;
        if (surely_within(a, b, radius)) return true;
        const GEOSGeometry* ga = impl_->footprint(a);
        const GEOSGeometry* gb = impl_->footprint(b);
        if (ga && gb) {
            // Stops as soon as it finds two points close enough.
            char within = GEOSDistanceWithin_r(impl_->ctx, ga, gb, radius);
            if (within != 2) return within == 1;
        }
        return between(a, b) <= radius;
    }
    return points_within(a.x, a.y, b.x, b.y, radius);
}

} // namespace estate::hubs
