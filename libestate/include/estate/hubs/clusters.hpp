#pragma once
/// @file
/// Co-location clusters: properties linked when within the radius of each other,
/// grouped transitively — the partition PostGIS's ST_ClusterDBSCAN(geom, eps :=
/// radius, minpoints := 1) gives on the same geometries.

#include "estate/hubs/sites.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace estate::hubs {

/// Told now and then how much of a long step is done: (what is counted, done, total;
/// total 0 when not known beforehand).
using Progress = std::function<void(const std::string&, std::int64_t, std::int64_t)>;

/// The largest radius that means anything for co-location (metres): services a walk or a
/// short drive apart. A radius must be a finite distance from 0 to this.
constexpr double max_radius_m = 100000;
/// Throws usage_error (option "radius") unless @p radius is a finite distance in metres
/// from 0 to max_radius_m: infinity and NaN are refused, naming the setting.
void check_radius(double radius);

/// The cluster of each of @p sites (labels 0, 1, ... numbered in order of first
/// appearance; singletons have labels of their own). A uniform grid: near-linear.
/// @p progress, when given, hears how many grid cells of how many are searched.
std::vector<std::uint32_t> cluster_labels(const std::vector<Site>& sites, double radius, const Progress& progress = {});

/// Every cluster of @p sites as indices into it (singletons included), each sorted,
/// clusters ordered by their first index. Uses a uniform grid: near-linear.
std::vector<std::vector<size_t>> cluster_partition(const std::vector<Site>& sites, double radius);

struct Cluster {
    std::vector<size_t> members; ///< indices into the site set
    std::int64_t agencies = 0;   ///< distinct owners
};

struct ClusterOptions {
    double radius = 250;
    std::int64_t min_agencies = 2; ///< 1 = every cluster of two or more properties
    SiteFilter filter;
};

struct ClusterRun {
    std::int64_t run_id = 0; ///< stored in the register
    ClusterOptions options;
    SiteSet sites;
    std::vector<Cluster> clusters; ///< the listed ones, largest first
    /// Wall-clock seconds: reading the sites, clustering them, storing the run.
    double seconds_load = 0, seconds_cluster = 0, seconds_store = 0;
};

/// The nearest properties of other agencies to one property.
struct Neighbour {
    size_t site;     ///< index into the site set
    double distance; ///< metres, by the distance rule
};
struct NearestResult {
    SiteSet sites;
    size_t origin = 0;              ///< index of the property asked about
    std::vector<Neighbour> nearest; ///< closest first
};
/// The @p count nearest properties of owners other than @p property's owner.
/// Throws usage_error when the property is unknown, ambiguous or unlocated.
NearestResult nearest_other_agencies(db::Register& reg, const std::string& property, size_t count);

/// Clusters the register's located properties and stores the run (parameters and
/// members) so a board paper can cite it.
ClusterRun find_clusters(db::Register& reg, const ClusterOptions& options, const Progress& progress = {});

} // namespace estate::hubs
