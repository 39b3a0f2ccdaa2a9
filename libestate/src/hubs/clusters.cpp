#include "estate/hubs/clusters.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
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
    struct Cell {
        std::int64_t cx, cy;
        std::uint32_t begin, end;
    };
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::uint32_t>> by_cell(n);
    for (size_t i = 0; i < n; ++i)
        by_cell[i] = {{cell_of(sites[i].min_x, cell), cell_of(sites[i].min_y, cell)}, static_cast<std::uint32_t>(i)};
    std::sort(by_cell.begin(), by_cell.end());
    std::vector<Cell> cells;
    std::unordered_map<std::uint64_t, std::uint32_t> cell_index;
    cell_index.reserve(n);
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && by_cell[e].first == by_cell[k].first) ++e;
        cell_index.emplace(cell_key(by_cell[k].first.first, by_cell[k].first.second),
                           static_cast<std::uint32_t>(cells.size()));
        cells.push_back({by_cell[k].first.first, by_cell[k].first.second, static_cast<std::uint32_t>(k),
                         static_cast<std::uint32_t>(e)});
        k = e;
    }

    // Work cell by cell: each pair of neighbouring cells is visited once (the
    // neighbourhood is symmetric, so only cells after this one in (cx, cy) order and
    // the cell itself), which keeps the hash look-ups to a few per occupied cell.
    const std::int64_t reach_x = static_cast<std::int64_t>(std::ceil((radius + widest) / cell));
    const std::int64_t reach_y = static_cast<std::int64_t>(std::ceil((radius + tallest) / cell));
    UnionFind uf(n);
    Distance distance;
    auto link = [&](size_t i, size_t j) {
        if (uf.find(i) != uf.find(j) && distance.within(sites[i], sites[j], radius)) uf.unite(i, j);
    };
    for (const Cell& a : cells) {
        for (std::uint32_t p = a.begin; p < a.end; ++p)
            for (std::uint32_t q = p + 1; q < a.end; ++q) link(by_cell[p].second, by_cell[q].second);
        for (std::int64_t dx = 0; dx <= reach_x; ++dx) {
            for (std::int64_t dy = -reach_y; dy <= reach_y; ++dy) {
                if (dx == 0 && dy <= 0) continue; // itself, or visited from the other side
                auto it = cell_index.find(cell_key(a.cx + dx, a.cy + dy));
                if (it == cell_index.end()) continue;
                const Cell& b = cells[it->second];
                for (std::uint32_t p = a.begin; p < a.end; ++p)
                    for (std::uint32_t q = b.begin; q < b.end; ++q) link(by_cell[p].second, by_cell[q].second);
            }
        }
    }
    constexpr size_t none = static_cast<size_t>(-1);
    std::vector<size_t> cluster_of_root(n, none);
    std::vector<std::vector<size_t>> clusters;
    for (size_t i = 0; i < n; ++i) {
        size_t& c = cluster_of_root[uf.find(i)];
        if (c == none) {
            c = clusters.size();
            clusters.emplace_back();
        }
        clusters[c].push_back(i);
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
            double dx = std::max({0.0, a.min_x - b.max_x, b.min_x - a.max_x});
            double dy = std::max({0.0, a.min_y - b.max_y, b.min_y - a.max_y});
            if (std::sqrt(dx * dx + dy * dy) > best.back().distance) continue;
        }
        double d = distance.between(a, b);
        if (best.size() < count || d < best.back().distance) {
            Neighbour n{j, d};
            best.insert(std::upper_bound(best.begin(), best.end(), n,
                                         [](const Neighbour& x, const Neighbour& y) { return x.distance < y.distance; }),
                        n);
            if (best.size() > count) best.pop_back();
        }
    }
    return result;
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
