#pragma once
/// @file
/// Clusters and hub runs as JSON and CSV: what `estate clusters` and `estate hubs` print
/// with --json and --csv, written here so that every interface (the command line, the
/// web app) writes the same keys and columns. Unknown figures are JSON null and empty
/// CSV cells, never 0. docs/cli.md lists the keys.

#include "estate/hubs/clusters.hpp"
#include "estate/hubs/hubs.hpp"

#include <cstdint>
#include <map>
#include <ostream>
#include <vector>

namespace estate::hubs {

/// Records counted once under another (estate duplicates): other record id -> main id.
using SameBuilding = std::map<std::int64_t, std::int64_t>;
SameBuilding same_building_map(db::Register& reg);

/// @p details: of every listed member (load_details).
void write_clusters_json(std::ostream& out, const ClusterRun& run, const std::vector<SiteDetails>& details,
                         const SameBuilding& same_building_as);
/// One line per member: run, cluster, agencies, id, owner, ref, name, easting, northing.
void write_clusters_csv(std::ostream& out, const ClusterRun& run, const std::vector<SiteDetails>& details);

/// The indexes of the hubs to list: the first @p top of each kind (proposed, then not
/// worth it), in the run's order.
std::vector<size_t> first_of_each_kind(const HubRun& run, size_t top);

/// The proposed hubs' count, yearly running costs saved and net benefit, summed.
struct ProposedTotals {
    std::int64_t hubs = 0;
    double running_cost_saved = 0, net_benefit = 0;
};
ProposedTotals proposed_totals(const HubRun& run);

/// The run's parameters and totals, then each listed hub with its host and members.
void write_hubs_json(std::ostream& out, const HubRun& run, const std::vector<size_t>& listed);
/// One line per property of each listed hub (host first, then members).
void write_hubs_csv(std::ostream& out, const HubRun& run, const std::vector<size_t>& listed);

} // namespace estate::hubs
