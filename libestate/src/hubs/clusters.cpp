#include "estate/hubs/clusters.hpp"

#include "estate/runs/store.hpp"
#include "run_parameters.hpp"
#include "site_grid.hpp"
#include "util/union_find.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/error.hpp"
#include "estate/util/json.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <sstream>

namespace estate::hubs {

void check_radius(double radius) {
    if (std::isfinite(radius) && radius >= 0 && radius <= max_radius_m) return;
    char given[32];
    std::snprintf(given, sizeof given, "%g", radius);
    throw usage_error("radius", "the radius must be a distance in metres from 0 to " +
                                    std::to_string(static_cast<long>(max_radius_m)) + ", not " +
                                    (std::isnan(radius) ? std::string("'not a number'") : std::string(given)));
}

std::vector<std::uint32_t> cluster_labels(const std::vector<Site>& sites, double radius, const Progress& progress) {
    check_radius(radius);
    const size_t n = sites.size();
    // Cells a little smaller than radius / sqrt(2) (the margin absorbs rounding): any
    // two locations in one cell are then within the radius of each other, so a cell of
    // plain locations is one group at once, and two such cells are joined by the first
    // linked pair found; in dense town centres that skips nearly all pair tests. (The
    // cells cannot be under 1 m, so for radii under 1.5 m every pair is tested.)
    const double small_cell = radius / std::sqrt(2.0) * (1 - 1e-9);
    const bool whole_cells = small_cell >= 1.0;
    const SiteGrid grid(sites, whole_cells ? small_cell : radius);
    const auto& cells = grid.cells();
    const auto& order = grid.order();
    const std::int64_t reach_x = grid.reach_x(radius), reach_y = grid.reach_y(radius);
    // The sites' locations copied in grid order, so that neighbouring cells are near in
    // memory; the union-find works on these positions too.
    struct Packed {
        double x, y;
        bool footprint;
    };
    std::vector<Packed> packed(n);
    for (size_t p = 0; p < n; ++p) {
        const Site& s = sites[order[p]];
        packed[p] = {s.x, s.y, !s.footprint.empty()};
    }
    std::vector<bool> locations_only(cells.size()); // no footprint in the cell
    for (size_t c = 0; c < cells.size(); ++c)
        locations_only[c] = whole_cells && std::none_of(packed.begin() + cells[c].begin, packed.begin() + cells[c].end,
                                                        [](const Packed& p) { return p.footprint; });
    util::UnionFind uf(n);
    Distance distance;
    auto link = [&](std::uint32_t p, std::uint32_t q) {
        const Packed &a = packed[p], &b = packed[q];
        if (!a.footprint || !b.footprint) { // location to location: cheaper than a find
            if (points_within(a.x, a.y, b.x, b.y, radius)) uf.unite(p, q);
        } else if (uf.find(p) != uf.find(q) && distance.within(sites[order[p]], sites[order[q]], radius)) {
            uf.unite(p, q);
        }
    };
    auto link_cells = [&](size_t ai, size_t bi) {
        const auto &a = cells[ai], &b = cells[bi];
        if (locations_only[ai] && locations_only[bi]) {
            if (uf.find(a.begin) == uf.find(b.begin)) return;
            for (std::uint32_t p = a.begin; p < a.end; ++p)
                for (std::uint32_t q = b.begin; q < b.end; ++q)
                    if (points_within(packed[p].x, packed[p].y, packed[q].x, packed[q].y, radius)) {
                        uf.unite(p, q);
                        return;
                    }
            return;
        }
        for (std::uint32_t p = a.begin; p < a.end; ++p)
            for (std::uint32_t q = b.begin; q < b.end; ++q) link(p, q);
    };
    // Each pair of neighbouring cells is visited once: the neighbourhood is symmetric,
    // so only the cell itself and the cells after it in (cx, cy) order. Cells are
    // visited in that order, so for each column offset dx the first neighbour cell
    // only moves forward: one pointer per offset replaces any hash look-up.
    std::vector<size_t> next(static_cast<size_t>(reach_x) + 1, 0);
    for (size_t ai = 0; ai < cells.size(); ++ai) {
        const auto& a = cells[ai];
        if (progress && (ai % 16384 == 0 || ai + 1 == cells.size()))
            progress("grid cells searched", static_cast<std::int64_t>(ai + 1), static_cast<std::int64_t>(cells.size()));
        if (locations_only[ai]) {
            for (std::uint32_t p = a.begin + 1; p < a.end; ++p) uf.unite(a.begin, p);
        } else {
            for (std::uint32_t p = a.begin; p < a.end; ++p)
                for (std::uint32_t q = p + 1; q < a.end; ++q) link(p, q);
        }
        for (std::int64_t dx = 0; dx <= reach_x; ++dx) {
            const std::int64_t cx = a.cx + dx, cy_first = dx == 0 ? a.cy + 1 : a.cy - reach_y;
            size_t& k = next[static_cast<size_t>(dx)];
            while (k < cells.size() && std::pair(cells[k].cx, cells[k].cy) < std::pair(cx, cy_first)) ++k;
            for (size_t b = k; b < cells.size() && cells[b].cx == cx && cells[b].cy <= a.cy + reach_y; ++b)
                link_cells(ai, b);
        }
    }
    constexpr std::uint32_t none = static_cast<std::uint32_t>(-1);
    std::vector<std::uint32_t> position(n), label_of_root(n, none), labels(n);
    for (size_t p = 0; p < n; ++p) position[order[p]] = static_cast<std::uint32_t>(p);
    std::uint32_t count = 0;
    for (size_t i = 0; i < n; ++i) {
        std::uint32_t& l = label_of_root[uf.find(position[i])];
        if (l == none) l = count++;
        labels[i] = l;
    }
    return labels;
}

std::vector<std::vector<size_t>> cluster_partition(const std::vector<Site>& sites, double radius) {
    std::vector<std::vector<size_t>> clusters;
    auto labels = cluster_labels(sites, radius);
    for (size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] == clusters.size()) clusters.emplace_back();
        clusters[labels[i]].push_back(i);
    }
    return clusters;
}

NearestResult nearest_other_agencies(db::Register& reg, const std::string& property, size_t count) {
    const db::PropertyRecord target = db::find_one_property(reg, property);
    NearestResult result;
    result.sites = load_sites(reg, {});
    const auto& sites = result.sites.sites;
    auto it = std::lower_bound(sites.begin(), sites.end(), target.id,
                               [](const Site& s, std::int64_t id) { return s.id < id; });
    if (it == sites.end() || it->id != target.id)
        throw usage_error(target.owner + " " + target.ref +
                          " has no location, so nothing can be near it; add coordinates or a full postcode");
    result.origin = static_cast<size_t>(it - sites.begin());
    const Site& a = *it;
    Distance distance;
    // Keep the best `count`; an envelope gap at least as large as the worst kept
    // distance rules a candidate out without computing the exact distance.
    std::vector<Neighbour>& best = result.nearest;
    for (size_t j = 0; j < sites.size(); ++j) {
        const Site& b = sites[j];
        if (b.owner_id == a.owner_id) continue;
        if (best.size() == count) {
            if (std::sqrt(envelope_gap_squared(a, b)) > best.back().distance) continue;
        }
        double d = distance.between(a, b);
        if (best.size() < count || d < best.back().distance) {
            Neighbour n{j, d};
            best.insert(
                std::upper_bound(best.begin(), best.end(), n,
                                 [](const Neighbour& x, const Neighbour& y) { return x.distance < y.distance; }),
                n);
            if (best.size() > count) best.pop_back();
        }
    }
    return result;
}

ClusterRun find_clusters(db::Register& reg, const ClusterOptions& options, const Progress& progress) {
    if (options.min_agencies < 1)
        throw usage_error("min-agencies", "the least number of agencies in a cluster must be at least 1");
    check_radius(options.radius);
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    ClusterRun run;
    run.options = options;
    auto t0 = clock::now();
    run.sites = load_sites(reg, options.filter);
    run.seconds_load = since(t0);
    const auto& sites = run.sites.sites;
    t0 = clock::now();
    const auto labels = cluster_labels(sites, options.radius, progress);
    run.seconds_cluster = since(t0);
    t0 = clock::now();
    // Members of each cluster of two or more, in site order.
    std::vector<std::uint32_t> size(sites.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1, 0);
    for (auto l : labels) ++size[l];
    std::vector<std::vector<size_t>> partition(size.size());
    for (size_t i = 0; i < labels.size(); ++i)
        if (size[labels[i]] >= 2) partition[labels[i]].push_back(i);
    for (auto& members : partition) {
        if (members.empty()) continue;
        std::set<std::int64_t> owners;
        for (size_t m : members) owners.insert(sites[m].owner_id);
        Cluster c{std::move(members), static_cast<std::int64_t>(owners.size())};
        if (c.agencies >= options.min_agencies) run.clusters.push_back(std::move(c));
    }
    std::stable_sort(run.clusters.begin(), run.clusters.end(), [](const Cluster& a, const Cluster& b) {
        if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
        return a.agencies > b.agencies;
    });

    // The run is kept so that a board paper can cite it.
    std::ostringstream params;
    util::JsonWriter w(params);
    w.begin_object();
    write_site_parameters(w, options.radius, options.min_agencies, options.filter);
    w.end_object();
    std::vector<runs::RunGroup> groups;
    std::vector<runs::RunMember> members;
    for (size_t g = 0; g < run.clusters.size(); ++g) {
        runs::RunGroup& group = groups.emplace_back();
        group.agencies = run.clusters[g].agencies;
        group.members = static_cast<std::int64_t>(run.clusters[g].members.size());
        for (size_t m : run.clusters[g].members) members.push_back({static_cast<std::int64_t>(g + 1), sites[m].id});
    }
    run.run_id = runs::store_run(reg,
                                 {"clusters", params.str(), static_cast<std::int64_t>(sites.size()),
                                  run.sites.unlocated_left_out, static_cast<std::int64_t>(run.clusters.size())},
                                 groups, members);
    run.seconds_store = since(t0);
    return run;
}

} // namespace estate::hubs
