#include "site_figures.hpp"

#include "db/sqlite.hpp"
#include "estate/model/normalise.hpp"
#include "util/union_find.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace estate::facts::detail {
namespace {

/// Buildings this near (metres) stand on one site.
constexpr double same_site_m = 5;
/// A figure on this many buildings of one site is the site's.
constexpr std::size_t site_buildings = 3;

/// One current record as the site rule needs it: lean (a county holds a million).
struct Entry {
    std::int64_t building = 0;          ///< its building's main record
    std::array<double, 3> figure{};     ///< floor area, land area, market value; 0 when none
    std::size_t stem = 0, district = 0; ///< hashes; 0 when there is none
    bool named_as_site = false;         ///< its name is its stem: the site itself
    bool located = false;
    double x = 0, y = 0;
};

// The postcode district's hash ("M21" of "M21 9TA", and of "M21" alone); 0 when none.
std::size_t district_hash(std::string_view postcode) {
    char key[16];
    size_t n = 0;
    for (char c : postcode)
        if (!std::isspace(static_cast<unsigned char>(c)) && n < sizeof key)
            key[n++] = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (n >= 5) n -= 3; // the inward code goes
    return n == 0 ? 0 : std::hash<std::string_view>()(std::string_view(key, n)) | 1;
}

/// name_stem, into @p out (no allocation once it has grown).
void name_stem_into(std::string_view name, std::string& out) {
    size_t end = name.find_first_of(",(:;");
    end = std::min(end, name.find(" - "));
    name = name.substr(0, std::min(end, name.size()));
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
    out.assign(name);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::int64_t cell_of(double x, double y) {
    return (static_cast<std::int64_t>(std::floor(x / same_site_m)) << 32) ^
           (static_cast<std::int64_t>(std::floor(y / same_site_m)) & 0xFFFFFFFF);
}

bool same_site(const Entry& a, const Entry& b) {
    if (a.stem && a.stem == b.stem && (!a.district || !b.district || a.district == b.district)) return true;
    const double dx = a.x - b.x, dy = a.y - b.y;
    return a.located && b.located && dx * dx + dy * dy <= same_site_m * same_site_m;
}

/// The buildings of @p group (entries with one value of one field) that share a site:
/// one name's stem in one postcode district (or where one has no postcode), or within
/// a few metres. False when no two do (most groups: a common figure in many places).
bool unite_sites(const std::vector<Entry>& entries, const std::vector<std::uint32_t>& group, util::UnionFind& sets) {
    bool any = false;
    if (group.size() <= 16) { // each pair: quicker than indexing a few
        for (std::uint32_t i = 0; i < group.size(); ++i)
            for (std::uint32_t j = i + 1; j < group.size(); ++j)
                if (same_site(entries[group[i]], entries[group[j]])) {
                    sets.unite(i, j);
                    any = true;
                }
        return any;
    }
    std::unordered_map<std::size_t, std::vector<std::uint32_t>> by_stem;
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> by_cell;
    for (std::uint32_t i = 0; i < group.size(); ++i) {
        const Entry& e = entries[group[i]];
        if (e.stem) by_stem[e.stem].push_back(i);
        if (e.located) by_cell[cell_of(e.x, e.y)].push_back(i);
    }
    auto try_pair = [&](std::uint32_t i, std::uint32_t j) {
        if (same_site(entries[group[i]], entries[group[j]])) {
            sets.unite(i, j);
            any = true;
        }
    };
    for (const auto& [stem, members] : by_stem)
        for (size_t a = 0; a < members.size(); ++a)
            for (size_t b = a + 1; b < members.size(); ++b) try_pair(members[a], members[b]);
    for (std::uint32_t i = 0; i < group.size(); ++i) {
        const Entry& e = entries[group[i]];
        if (!e.located) continue;
        const double cx = std::floor(e.x / same_site_m), cy = std::floor(e.y / same_site_m);
        for (double dx = -1; dx <= 1; ++dx)
            for (double dy = -1; dy <= 1; ++dy) {
                auto it = by_cell.find(cell_of((cx + dx) * same_site_m, (cy + dy) * same_site_m));
                if (it == by_cell.end()) continue;
                for (std::uint32_t j : it->second)
                    if (j > i) try_pair(i, j);
            }
    }
    return any;
}

/// Whether any two of @p group could share a site: a stem in common, or two locations
/// within a few metres. Most groups are a common figure in many places: this answers
/// them without building a union-find (a million figures, tens of thousands of groups).
bool any_pair_may_share(const std::vector<Entry>& entries, const std::vector<std::uint32_t>& group) {
    static thread_local std::vector<std::size_t> stems;
    static thread_local std::vector<std::pair<double, double>> points;
    stems.clear();
    points.clear();
    for (std::uint32_t i : group) {
        if (entries[i].stem) stems.push_back(entries[i].stem);
        if (entries[i].located) points.emplace_back(entries[i].x, entries[i].y);
    }
    std::sort(stems.begin(), stems.end());
    if (std::adjacent_find(stems.begin(), stems.end()) != stems.end()) return true;
    std::sort(points.begin(), points.end());
    for (size_t i = 0; i < points.size(); ++i)
        for (size_t j = i + 1; j < points.size() && points[j].first - points[i].first <= same_site_m; ++j)
            if (std::fabs(points[j].second - points[i].second) <= same_site_m) return true;
    return false;
}

/// Marks the sites among @p group (entries with one value, each building once).
void mark_sites(const std::vector<Entry>& entries, const std::vector<std::uint32_t>& group, SiteRoles& roles) {
    if (group.size() < site_buildings || !any_pair_may_share(entries, group)) return;
    util::UnionFind sets(group.size());
    if (!unite_sites(entries, group, sets)) return;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> sites;
    for (std::uint32_t i = 0; i < group.size(); ++i) sites[sets.find(i)].push_back(i);
    for (const auto& [root, members] : sites) {
        if (members.size() < site_buildings) continue;
        // The site's main building: the one named as the site itself, else the first listed.
        std::uint32_t main = members.front();
        for (std::uint32_t m : members)
            if (entries[group[m]].named_as_site ||
                (!entries[group[main]].named_as_site && entries[group[m]].building < entries[group[main]].building))
                main = m;
        for (std::uint32_t m : members) roles[entries[group[m]].building] = m == main;
    }
}

} // namespace

std::string name_stem(const std::string& name) {
    std::string out;
    name_stem_into(name, out);
    return out;
}

std::array<SiteRoles, 3> find_site_figures(db::Register& reg,
                                           const std::unordered_map<std::int64_t, std::int64_t>& main_of) {
    std::vector<Entry> entries;
    auto st = reg.connection().prepare(
        "SELECT id, gia_m2, land_area_ha, market_value, ifnull(postcode, ''), ifnull(name, ''), X(geom), Y(geom) "
        "FROM properties WHERE retired_at IS NULL AND (gia_m2 > 0 OR land_area_ha > 0 OR market_value > 0)");
    const std::hash<std::string_view> hash;
    std::string stem; // reused: a million rows
    while (st.step()) {
        Entry e;
        const std::int64_t id = st.int64(0);
        auto it = main_of.find(id);
        e.building = it == main_of.end() ? id : it->second;
        for (int f = 0; f < 3; ++f) e.figure[static_cast<size_t>(f)] = st.is_null(1 + f) ? 0 : st.real(1 + f);
        e.district = district_hash(st.view(4));
        const std::string_view name = st.view(5);
        name_stem_into(name, stem);
        if (stem.size() >= 3) e.stem = hash(stem) | 1;
        e.named_as_site = !stem.empty() && stem.size() == model::trim_view(name).size();
        e.located = !st.is_null(6);
        if (e.located) {
            e.x = st.real(6);
            e.y = st.real(7);
        }
        entries.push_back(e);
    }
    std::array<SiteRoles, 3> roles;
    // Each field's figures by value, contiguous (a million of them sort quickly); within
    // a value each building once (its records in two files carry the same figure).
    struct Key {
        double value;
        std::int64_t building;
        std::uint32_t entry;
    };
    std::vector<Key> keys;
    std::vector<std::uint32_t> group;
    for (size_t f = 0; f < 3; ++f) {
        keys.clear();
        for (std::uint32_t i = 0; i < entries.size(); ++i)
            if (entries[i].figure[f] > 0) keys.push_back({entries[i].figure[f], entries[i].building, i});
        std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
            return a.value < b.value || (a.value == b.value && a.building < b.building);
        });
        for (size_t i = 0; i < keys.size();) {
            size_t j = i + 1;
            while (j < keys.size() && keys[j].value == keys[i].value) ++j;
            if (j - i >= site_buildings) {
                group.clear();
                for (size_t k = i; k < j; ++k)
                    if (k == i || keys[k].building != keys[k - 1].building) group.push_back(keys[k].entry);
                mark_sites(entries, group, roles[f]);
            }
            i = j;
        }
    }
    return roles;
}

} // namespace estate::facts::detail
