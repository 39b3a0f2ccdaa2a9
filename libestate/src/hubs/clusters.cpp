#include "estate/hubs/clusters.hpp"

#include "db/sqlite.hpp"
#include "estate/error.hpp"
#include "estate/util/json.hpp"
#include "estate/util/time.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>
#include <unordered_map>

namespace estate::hubs {
namespace {

class UnionFind {
public:
    explicit UnionFind(size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0); }
    size_t find(size_t a) {
        while (parent_[a] != a) {
            parent_[a] = parent_[parent_[a]];
            a = parent_[a];
        }
        return a;
    }
    void unite(size_t a, size_t b) {
        a = find(a);
        b = find(b);
        if (a == b) return;
        if (size_[a] < size_[b]) std::swap(a, b);
        parent_[b] = a;
        size_[a] += size_[b];
    }

private:
    std::vector<size_t> parent_, size_;
};

std::int64_t cell_of(double v, double cell) { return static_cast<std::int64_t>(std::floor(v / cell)); }
std::uint64_t cell_key(std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx) << 32) ^ static_cast<std::uint32_t>(cy);
}

} // namespace

std::vector<std::vector<size_t>> cluster_partition(const std::vector<Site>& sites, double radius) {
    if (radius < 0) throw usage_error("the radius cannot be negative");
    const size_t n = sites.size();
    // A uniform grid of radius-sized cells, each site filed under the cell of its
    // envelope's lower-left corner; a site's partners can only be filed in the cells
    // its envelope, grown by the radius and the widest envelope, touches.
    const double cell = std::max(radius, 1.0);
    double widest = 0, tallest = 0;
    for (const auto& s : sites) {
        widest = std::max(widest, s.max_x - s.min_x);
        tallest = std::max(tallest, s.max_y - s.min_y);
    }
    // Sites sorted by cell; each occupied cell maps to its run in that order.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_cell(n);
    for (size_t i = 0; i < n; ++i)
        by_cell[i] = {cell_key(cell_of(sites[i].min_x, cell), cell_of(sites[i].min_y, cell)),
                      static_cast<std::uint32_t>(i)};
    std::sort(by_cell.begin(), by_cell.end());
    std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> cells; // key -> [begin, end)
    cells.reserve(n);
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && by_cell[e].first == by_cell[k].first) ++e;
        cells.emplace(by_cell[k].first, std::make_pair(static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(e)));
        k = e;
    }

    UnionFind uf(n);
    Distance distance;
    for (size_t i = 0; i < n; ++i) {
        const Site& a = sites[i];
        const std::int64_t x0 = cell_of(a.min_x - radius - widest, cell), x1 = cell_of(a.max_x + radius, cell);
        const std::int64_t y0 = cell_of(a.min_y - radius - tallest, cell), y1 = cell_of(a.max_y + radius, cell);
        for (std::int64_t cx = x0; cx <= x1; ++cx) {
            for (std::int64_t cy = y0; cy <= y1; ++cy) {
                auto it = cells.find(cell_key(cx, cy));
                if (it == cells.end()) continue;
                for (std::uint32_t k = it->second.first; k < it->second.second; ++k) {
                    const size_t j = by_cell[k].second;
                    if (j <= i) continue; // each pair once
                    if (uf.find(i) == uf.find(j)) continue;
                    if (distance.within(a, sites[j], radius)) uf.unite(i, j);
                }
            }
        }
    }
    std::unordered_map<size_t, size_t> cluster_of_root;
    std::vector<std::vector<size_t>> clusters;
    for (size_t i = 0; i < n; ++i) {
        auto [it, fresh] = cluster_of_root.emplace(uf.find(i), clusters.size());
        if (fresh) clusters.emplace_back();
        clusters[it->second].push_back(i);
    }
    return clusters;
}

ClusterRun find_clusters(db::Register& reg, const ClusterOptions& options) {
    if (options.min_agencies < 1) throw usage_error("--min-agencies must be at least 1");
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    ClusterRun run;
    run.options = options;
    auto t0 = clock::now();
    run.sites = load_sites(reg, options.filter);
    run.seconds_load = since(t0);
    const auto& sites = run.sites.sites;
    t0 = clock::now();
    auto partition = cluster_partition(sites, options.radius);
    run.seconds_cluster = since(t0);
    t0 = clock::now();
    for (auto& members : partition) {
        if (members.size() < 2) continue;
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
    w.begin_object().field("radius_m", options.radius).field("min_agencies", options.min_agencies);
    w.field("exclude_red", options.filter.exclude_red).field("points_only", options.filter.points_only);
    w.key("owners").begin_array();
    for (const auto& o : options.filter.owners) w.value(o);
    w.end_array().end_object();
    auto& conn = reg.connection();
    db::Transaction tx(conn);
    auto insert_run = conn.prepare("INSERT INTO analysis_runs(kind, parameters, created_at, sites_considered, "
                                   "unlocated_left_out, groups_listed) VALUES ('clusters', ?, ?, ?, ?, ?)");
    insert_run.bind(1, params.str()).bind(2, util::utc_now_iso());
    insert_run.bind(3, static_cast<std::int64_t>(sites.size())).bind(4, run.sites.unlocated_left_out);
    insert_run.bind(5, static_cast<std::int64_t>(run.clusters.size())).run();
    run.run_id = conn.last_insert_id();
    auto insert_member = conn.prepare("INSERT INTO analysis_members(run_id, group_no, property_id, role) "
                                      "VALUES (?, ?, ?, 'member')");
    for (size_t g = 0; g < run.clusters.size(); ++g)
        for (size_t m : run.clusters[g].members)
            insert_member.bind(1, run.run_id).bind(2, static_cast<std::int64_t>(g + 1)).bind(3, sites[m].id).run();
    tx.commit();
    run.seconds_store = since(t0);
    return run;
}

} // namespace estate::hubs
