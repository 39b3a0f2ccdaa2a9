#pragma once
/// @file
/// The located properties that take part in co-location analysis, read from the
/// register once into memory, with the one distance rule both clusters and hubs use:
/// footprint to footprint where both have a footprint, else point to point.

#include "estate/db/register.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace estate::hubs {

/// One located property.
struct Site {
    std::int64_t id = 0;
    std::int64_t owner_id = 0;
    std::string owner, ref, name, use, tenure, rag_status;
    std::optional<std::string> condition;
    double x = 0, y = 0;                    ///< location, EPSG:27700
    double min_x = 0, max_x = 0, min_y = 0, max_y = 0; ///< envelope of location and footprint
    std::vector<unsigned char> footprint;   ///< WKB, or empty
    std::optional<double> gia_m2, market_value, running_cost;
};

/// Which properties take part.
struct SiteFilter {
    bool exclude_red = false;
    std::vector<std::string> owners; ///< empty = all owners
};

struct SiteSet {
    std::vector<Site> sites;
    std::int64_t unlocated_left_out = 0; ///< properties with no location (never in analysis)
    std::int64_t filtered_out = 0;       ///< located ones the filter excluded
};

/// Reads the located properties that pass @p filter, ordered by id.
SiteSet load_sites(db::Register& reg, const SiteFilter& filter);

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

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace estate::hubs
