#include "site_figures.hpp"

#include "db/sqlite.hpp"
#include "util/union_find.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

namespace estate::facts::detail {
namespace {

/// Buildings this near (metres) stand on one site.
constexpr double same_site_m = 5;
/// A figure on this many buildings of one site is the site's.
constexpr std::size_t site_buildings = 3;

struct Entry {
    std::int64_t building = 0;
    std::string postcode, district, stem, name;
    bool located = false;
    double x = 0, y = 0;
};

std::string postcode_key(std::string_view pc) {
    std::string out;
    for (char c : pc)
        if (!std::isspace(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// The postcode district ("M21" of "M21 9TA", and of "M21" alone).
std::string district_of(const std::string& key) {
    return key.size() >= 5 ? key.substr(0, key.size() - 3) : key;
}

/// The buildings of @p entries (one value of one field) that share a site, as sets.
void unite_sites(const std::vector<Entry>& entries, util::UnionFind& sets) {
    std::unordered_map<std::string, std::uint32_t> by_postcode;
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_stem;
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> by_cell;
    auto cell = [](double x, double y) {
        return (static_cast<std::int64_t>(std::floor(x / same_site_m)) << 32) ^
               (static_cast<std::int64_t>(std::floor(y / same_site_m)) & 0xFFFFFFFF);
    };
    for (std::uint32_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        if (e.postcode.size() >= 5) { // a full postcode
            auto [it, fresh] = by_postcode.emplace(e.postcode, i);
            if (!fresh) sets.unite(it->second, i);
        }
        if (e.stem.size() >= 3) by_stem[e.stem].push_back(i);
        if (e.located) by_cell[cell(e.x, e.y)].push_back(i);
    }
    // One name's stem in one postcode district (or where one of them has no postcode).
    for (const auto& [stem, members] : by_stem)
        for (size_t a = 0; a < members.size(); ++a)
            for (size_t b = a + 1; b < members.size(); ++b) {
                const Entry &ea = entries[members[a]], &eb = entries[members[b]];
                if (ea.district.empty() || eb.district.empty() || ea.district == eb.district)
                    sets.unite(members[a], members[b]);
            }
    // Within a few metres: the entry's own cell and the eight around it.
    for (std::uint32_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        if (!e.located) continue;
        const auto cx = std::floor(e.x / same_site_m), cy = std::floor(e.y / same_site_m);
        for (double dx = -1; dx <= 1; ++dx)
            for (double dy = -1; dy <= 1; ++dy) {
                auto it = by_cell.find(cell((cx + dx) * same_site_m, (cy + dy) * same_site_m));
                if (it == by_cell.end()) continue;
                for (std::uint32_t j : it->second)
                    if (j > i && std::hypot(entries[j].x - e.x, entries[j].y - e.y) <= same_site_m) sets.unite(i, j);
            }
    }
}

/// The site's main building: the one named as the site itself, else the first listed.
std::uint32_t main_of_site(const std::vector<Entry>& entries, const std::vector<std::uint32_t>& members) {
    for (std::uint32_t m : members)
        if (!entries[m].stem.empty() && entries[m].name == entries[m].stem) return m;
    return *std::min_element(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) {
        return entries[a].building < entries[b].building;
    });
}

void mark_sites(std::vector<Entry>& entries, SiteRoles& roles) {
    // Each building once (its records in two files carry the same figure).
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.building < b.building; });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const Entry& a, const Entry& b) { return a.building == b.building; }),
                  entries.end());
    if (entries.size() < site_buildings) return;
    util::UnionFind sets(entries.size());
    unite_sites(entries, sets);
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> sites;
    for (std::uint32_t i = 0; i < entries.size(); ++i) sites[sets.find(i)].push_back(i);
    for (const auto& [root, members] : sites) {
        if (members.size() < site_buildings) continue;
        const std::uint32_t main = main_of_site(entries, members);
        for (std::uint32_t m : members) roles[entries[m].building] = m == main;
    }
}

} // namespace

std::string name_stem(const std::string& name) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t end = lower.find_first_of(",(:;");
    end = std::min(end, lower.find(" - "));
    std::string stem = lower.substr(0, end);
    while (!stem.empty() && std::isspace(static_cast<unsigned char>(stem.back()))) stem.pop_back();
    return stem;
}

SiteRoles find_site_figures(db::Register& reg, Field field,
                            const std::unordered_map<std::int64_t, std::int64_t>& main_of) {
    const std::string col = column_of(field);
    // Only values written on at least three current records can be a site's.
    auto st = reg.connection().prepare(
        "SELECT id, " + col + ", ifnull(postcode, ''), ifnull(name, ''), X(geom), Y(geom) FROM properties " +
        "WHERE retired_at IS NULL AND " + col + " IN (SELECT " + col +
        " FROM properties WHERE retired_at IS NULL AND " + col + " > 0 GROUP BY " + col +
        " HAVING count(*) >= " + std::to_string(site_buildings) + ") ORDER BY " + col + ", id");
    SiteRoles roles;
    std::vector<Entry> entries;
    double value = std::nan("");
    while (st.step()) {
        if (st.real(1) != value) {
            mark_sites(entries, roles);
            entries.clear();
            value = st.real(1);
        }
        Entry e;
        const std::int64_t id = st.int64(0);
        auto it = main_of.find(id);
        e.building = it == main_of.end() ? id : it->second;
        e.postcode = postcode_key(st.view(2));
        e.district = district_of(e.postcode);
        e.name = st.text(3);
        for (auto& c : e.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        e.stem = name_stem(e.name);
        e.located = !st.is_null(4);
        if (e.located) {
            e.x = st.real(4);
            e.y = st.real(5);
        }
        entries.push_back(std::move(e));
    }
    mark_sites(entries, roles);
    return roles;
}

} // namespace estate::facts::detail
