#pragma once
/// @file
/// The located properties that take part in co-location analysis, read from the
/// register once into memory, with the one distance rule both clusters and hubs use:
/// footprint to footprint where both have a footprint, else point to point.

#include "estate/db/register.hpp"
#include "estate/facts/facts.hpp"
#include "estate/model/property.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace estate::hubs {

/// One located property, as lean as the geometry work needs (a million of them
/// are held at once); names and other details are read for the few that are listed.
struct Site {
    std::int64_t id = 0;
    std::int64_t owner_id = 0;
    double x = 0, y = 0;                               ///< location, EPSG:27700
    double min_x = 0, max_x = 0, min_y = 0, max_y = 0; ///< envelope of location and footprint
    std::vector<unsigned char> footprint;              ///< WKB, or empty
};

/// What people read about a listed property.
struct SiteDetails {
    std::int64_t id = 0;
    std::string owner, ref, name;
    std::string label;   ///< the name with its place (db::PlaceNamer): what lists show
    std::string address; ///< "" when not recorded
};

/// Which properties take part.
struct SiteFilter {
    bool exclude_red = false;
    std::vector<std::string> owners; ///< empty = all owners
    bool points_only = false;        ///< ignore footprints: location to location only
    /// Each building once: records counted under another (duplicates) left out. Hubs
    /// count buildings; clusters keep every record (they are geometry).
    bool one_per_building = false;
};

struct SiteSet {
    std::vector<Site> sites;             ///< ordered by id
    std::int64_t unlocated_left_out = 0; ///< properties with no location (never in analysis)
    std::int64_t filtered_out = 0;       ///< located ones the filter excluded
    /// Parallel to sites, when asked for: the one reading of each building's facts.
    std::vector<facts::Building> facts;
    /// With facts: what the reading found of every building of the register (located or
    /// not, whatever the filter): the floor areas by use for the benchmarks, the figures
    /// set aside.
    facts::Reading reading;
};

/// Reads the located properties that pass @p filter, ordered by id; with their facts,
/// checked against @p plausible, when given (then each building once).
SiteSet load_sites(db::Register& reg, const SiteFilter& filter, const facts::Plausibility* plausible = nullptr);

/// The details of the properties @p ids (any order), in id order.
std::vector<SiteDetails> load_details(db::Register& reg, std::vector<std::int64_t> ids);

/// The entry for @p id in what load_details returned (which must hold it).
const SiteDetails& detail_of(const std::vector<SiteDetails>& details, std::int64_t id);

/// The squared distance between the envelopes of @p a and @p b (0 when they touch):
/// no two points of the sites can be nearer, so a pair farther than a radius is out.
inline double envelope_gap_squared(const Site& a, const Site& b) {
    const double dx = std::max({0.0, a.min_x - b.max_x, b.min_x - a.max_x});
    const double dy = std::max({0.0, a.min_y - b.max_y, b.min_y - a.max_y});
    return dx * dx + dy * dy;
}

/// The distance rule between two locations: sqrt(dx^2 + dy^2) <= radius, as PostGIS
/// computes it, so that pairs exactly at the radius fall on the same side in both.
inline bool points_within(double ax, double ay, double bx, double by, double radius) {
    const double dx = ax - bx, dy = ay - by;
    return std::sqrt(dx * dx + dy * dy) <= radius;
}

/// The distance rule, with a GEOS context per object (not thread-safe).
class Distance {
public:
    Distance();
    ~Distance();
    Distance(const Distance&) = delete;
    Distance& operator=(const Distance&) = delete;
    /// True when @p a and @p b lie within @p radius metres (a distance equal to the
    /// radius counts): footprint to footprint when both have one, else point to point.
    bool within(const Site& a, const Site& b, double radius);
    /// The distance in metres under the same rule.
    double between(const Site& a, const Site& b);
    /// True when @p a and @p b are certainly within @p radius without GEOS: two
    /// footprints are never farther apart than two locations each inside its own
    /// footprint (as a centroid or an address point usually is). False: not known.
    static bool surely_within(const Site& a, const Site& b, double radius);
    /// Drops the footprints parsed so far (they are kept for reuse) when there are more
    /// than @p count, to bound memory; not while a From is alive.
    void forget_footprints_beyond(std::size_t count);

    /// The same rule from one site to many: its footprint prepared once (a GEOS
    /// prepared geometry indexes its edges), for a host weighed against its candidates.
    class From {
    public:
        From(Distance& d, const Site& a);
        ~From();
        From(const From&) = delete;
        From& operator=(const From&) = delete;
        bool within(const Site& b, double radius);
        double to(const Site& b);

    private:
        Distance& d_;
        const Site& a_;
        const void* prepared_ = nullptr; ///< GEOSPreparedGeometry of a's footprint, when it has one
    };

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace estate::hubs
