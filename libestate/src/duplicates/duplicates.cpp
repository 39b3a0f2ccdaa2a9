#include "estate/duplicates/duplicates.hpp"

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/officers/officers.hpp"
#include "estate/util/time.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>

namespace estate::duplicates {
namespace {

// The distances the evidence uses, in metres.
constexpr double same_name_m = 50, similar_name_m = 100;
constexpr double similar_tokens = 0.6; // Jaccard similarity of two names' words

struct Record {
    std::int64_t id, owner_id, batch;
    std::string owner, ref, name, uprn, postcode, series, use;
    std::set<std::string> tokens;
    std::optional<double> x, y;
    int completeness;
};

// A name's words, lower case, without the words that carry no meaning.
std::set<std::string> tokens_of(const std::string& name) {
    static const std::set<std::string> filler = {"the", "of", "and", "at", "in", "on", "for", "a", "to", "with"};
    std::set<std::string> out;
    std::string w;
    for (size_t i = 0; i <= name.size(); ++i) {
        const unsigned char c = i < name.size() ? static_cast<unsigned char>(name[i]) : ' ';
        if (std::isalnum(c)) {
            w += static_cast<char>(std::tolower(c));
        } else if (!w.empty()) {
            if (!filler.count(w)) out.insert(w);
            w.clear();
        }
    }
    return out;
}

bool subset(const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

double jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
    if (a.empty() || b.empty()) return 0;
    size_t common = 0;
    for (const auto& t : a) common += b.count(t);
    return double(common) / double(a.size() + b.size() - common);
}

std::vector<Record> load(db::Connection& c) {
    std::vector<Record> out;
    auto st = c.prepare(
        "SELECT p.id, p.owner_id, o.name, p.ref, ifnull(p.name, ''), ifnull(p.uprn, ''), ifnull(p.postcode, ''), "
        "X(p.geom), Y(p.geom), p.batch_id, (p.uprn IS NOT NULL) + (p.address IS NOT NULL) + (p.postcode IS NOT NULL) + "
        "(p.tenure IS NOT NULL) + (p.gia_m2 IS NOT NULL) + (p.market_value IS NOT NULL) + (p.running_cost IS NOT "
        "NULL) + (p.use <> 'unknown') + (p.geom IS NOT NULL) + (p.footprint IS NOT NULL) + (p.rag_status <> "
        "'unassessed'), ifnull(p.series, 'batch ' || p.batch_id), p.use "
        "FROM properties p JOIN owners o ON o.id = p.owner_id WHERE p.retired_at IS NULL ORDER BY p.id");
    while (st.step()) {
        Record r{st.int64(0),  st.int64(1),
                 st.int64(9),  st.text(2),
                 st.text(3),   st.text(4),
                 st.text(5),   st.text(6),
                 st.text(11),  st.text(12),
                 {},           std::nullopt,
                 std::nullopt, static_cast<int>(st.int64(10))};
        r.tokens = tokens_of(r.name);
        if (!st.is_null(7)) {
            r.x = st.real(7);
            r.y = st.real(8);
        }
        out.push_back(std::move(r));
    }
    return out;
}

struct Pair {
    size_t a, b;
    std::string evidence;
};

// Whether two names are those of one building: one's words all in the other's (two
// words at least), or similar enough.
bool similar_names(const Record& a, const Record& b, double at_least) {
    if (a.tokens.empty() || b.tokens.empty()) return false;
    const bool contained =
        (a.tokens.size() >= 2 && subset(a.tokens, b.tokens)) || (b.tokens.size() >= 2 && subset(b.tokens, a.tokens));
    return contained || jaccard(a.tokens, b.tokens) >= at_least;
}

// A name that describes land beside, or the site of, something ("Fields adj Barton
// Clough Primary School", "Hale Library Site"): its words name the neighbour.
bool describes_land(const Record& r) {
    for (const char* w : {"land", "site", "adj", "adjacent", "adjoining", "rear", "fronting", "former", "fields"})
        if (r.tokens.count(w)) return true;
    return false;
}

// The evidence that records a and b are one building, or "".
std::string evidence(const Record& a, const Record& b, double d) {
    // Rows of one file (one series) are separate entries by the source's own design:
    // two buildings of one hospital, a park's clubhouse and its toilets under one UPRN.
    if (a.series == b.series) return "";
    // Two different UPRNs are two addressable units, whatever their names.
    if (!a.uprn.empty() && !b.uprn.empty() && a.uprn != b.uprn) return "";
    const bool same_owner = a.owner_id == b.owner_id;
    if (a.tokens.empty() || b.tokens.empty()) return "";
    if (same_owner && d <= same_name_m && a.tokens == b.tokens) return "same_name";
    if (describes_land(a) || describes_land(b)) return "";
    // One owner's two files giving one full postcode to records 50 m apart: one address
    // ("Sale Library" in the libraries layer, "Sale Waterside" in the asset list).
    // (Not two known, different uses at one postcode: a children's centre beside an
    // industrial estate, a community centre on a school's site.)
    const bool known = a.use != "unknown" && a.use != "other" && b.use != "unknown" && b.use != "other";
    if (same_owner && d <= same_name_m && a.postcode.size() >= 6 && a.postcode == b.postcode &&
        !(known && a.use != b.use))
        return "same_postcode";
    const bool contained =
        (a.tokens.size() >= 2 && subset(a.tokens, b.tokens)) || (b.tokens.size() >= 2 && subset(b.tokens, a.tokens));
    const double similarity = jaccard(a.tokens, b.tokens);
    if (d <= similar_name_m && (contained || similarity >= similar_tokens)) return "name_within";
    return "";
}

std::vector<Pair> pairs_of(const std::vector<Record>& rs) {
    std::vector<Pair> out;
    // Same UPRN, same owner: wherever they are.
    std::unordered_map<std::string, std::vector<size_t>> by_uprn;
    for (size_t i = 0; i < rs.size(); ++i)
        if (!rs[i].uprn.empty()) by_uprn[rs[i].uprn].push_back(i);
    for (const auto& [uprn, is] : by_uprn)
        for (size_t i = 0; i < is.size(); ++i)
            for (size_t j = i + 1; j < is.size(); ++j) {
                const Record &a = rs[is[i]], &b = rs[is[j]];
                if (a.owner_id != b.owner_id || a.series == b.series) continue;
                const bool near = a.x && b.x && std::hypot(*a.x - *b.x, *a.y - *b.y) <= same_name_m;
                if (near || similar_names(a, b, 0.5)) out.push_back({is[i], is[j], "same_uprn"});
            }
    // A record with no location (a national list gives postcodes only) and one of the
    // same owner with the same full postcode and a similar name: the place cannot be
    // compared, the address can.
    std::map<std::pair<std::int64_t, std::string>, std::vector<size_t>> by_postcode;
    for (size_t i = 0; i < rs.size(); ++i)
        if (rs[i].postcode.size() >= 6 && rs[i].postcode.find(' ') != std::string::npos)
            by_postcode[{rs[i].owner_id, rs[i].postcode}].push_back(i);
    for (const auto& [key, is] : by_postcode)
        for (size_t i = 0; i < is.size(); ++i)
            for (size_t j = i + 1; j < is.size(); ++j) {
                const Record &a = rs[is[i]], &b = rs[is[j]];
                if ((a.x && b.x) || a.series == b.series) continue; // located pairs: by distance below
                if (!a.uprn.empty() && !b.uprn.empty() && a.uprn != b.uprn) continue;
                if (describes_land(a) || describes_land(b) || !similar_names(a, b, similar_tokens)) continue;
                out.push_back({is[i], is[j], "same_postcode_unlocated"});
            }
    // Names near each other: a grid of cells as wide as the longest distance.
    std::map<std::pair<long, long>, std::vector<size_t>> cells;
    auto cell = [](double v) { return static_cast<long>(std::floor(v / similar_name_m)); };
    for (size_t i = 0; i < rs.size(); ++i)
        if (rs[i].x) cells[{cell(*rs[i].x), cell(*rs[i].y)}].push_back(i);
    for (const auto& [key, members] : cells)
        for (size_t i : members)
            for (long dx = -1; dx <= 1; ++dx)
                for (long dy = -1; dy <= 1; ++dy) {
                    auto other = cells.find({key.first + dx, key.second + dy});
                    if (other == cells.end()) continue;
                    for (size_t j : other->second) {
                        if (j <= i) continue;
                        const double d = std::hypot(*rs[i].x - *rs[j].x, *rs[i].y - *rs[j].y);
                        if (d > similar_name_m) continue;
                        auto e = evidence(rs[i], rs[j], d);
                        if (!e.empty()) out.push_back({i, j, e});
                    }
                }
    return out;
}

std::string members_key(std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    std::string key;
    for (auto id : ids) key += (key.empty() ? "" : ",") + std::to_string(id);
    return key;
}

// A savepoint rather than a transaction: find() runs inside an import's transaction too.
class Savepoint {
public:
    explicit Savepoint(db::Connection& c) : c_(c) { c_.exec("SAVEPOINT duplicates"); }
    ~Savepoint() {
        if (open_) {
            try {
                c_.exec("ROLLBACK TO duplicates");
                c_.exec("RELEASE duplicates");
            } catch (...) {
                // the connection is going anyway; the outer transaction rolls back
            }
        }
    }
    void release() {
        c_.exec("RELEASE duplicates");
        open_ = false;
    }

private:
    db::Connection& c_;
    bool open_ = true;
};

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t p = s.find(',', start);
        if (p == std::string::npos) p = s.size();
        if (p > start) out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
    return out;
}

} // namespace

std::vector<Group> find(db::Register& reg) {
    auto& c = reg.connection();
    const auto rs = load(c);
    const auto pairs = pairs_of(rs);
    // Groups: records joined by any evidence (union-find).
    std::vector<size_t> parent(rs.size());
    std::iota(parent.begin(), parent.end(), 0);
    std::function<size_t(size_t)> root = [&](size_t i) { return parent[i] == i ? i : parent[i] = root(parent[i]); };
    for (const auto& p : pairs) parent[root(p.a)] = root(p.b);
    std::map<size_t, std::vector<size_t>> groups;
    std::map<size_t, std::set<std::string>> evidence_of;
    for (const auto& p : pairs) evidence_of[root(p.a)].insert(p.evidence);
    for (size_t i = 0; i < rs.size(); ++i)
        if (evidence_of.count(root(i))) groups[root(i)].push_back(i); // records with evidence, by group

    Savepoint tx(c);
    std::map<std::string, std::pair<std::int64_t, std::string>> existing; // key -> id, status
    {
        auto st = c.prepare("SELECT members_key, id, status FROM duplicate_groups");
        while (st.step()) existing[st.text(0)] = {st.int64(1), st.text(2)};
    }
    std::set<std::string> found_keys;
    auto insert = c.prepare("INSERT INTO duplicate_groups(members_key, evidence, status, counted_once, main_id) "
                            "VALUES (?, ?, 'proposed', ?, ?)");
    auto refresh = c.prepare("UPDATE duplicate_groups SET evidence = ?, counted_once = ?, main_id = ? WHERE id = ?");
    auto add_member = c.prepare("INSERT INTO duplicate_members(group_id, property_id) VALUES (?, ?)");
    for (const auto& [r, members] : groups) {
        std::vector<std::int64_t> ids;
        bool one_owner = true;
        size_t main = members.front();
        for (size_t i : members) {
            ids.push_back(rs[i].id);
            one_owner &= rs[i].owner_id == rs[members.front()].owner_id;
            if (rs[i].completeness > rs[main].completeness) main = i;
        }
        const std::string key = members_key(ids);
        found_keys.insert(key);
        std::string ev;
        for (const auto& e : evidence_of[r]) ev += (ev.empty() ? "" : ",") + e;
        auto it = existing.find(key);
        if (it != existing.end()) {
            if (it->second.second == "proposed")
                refresh.bind(1, ev).bind(2, one_owner ? 1 : 0).bind(3, rs[main].id).bind(4, it->second.first).run();
            continue; // confirmed and rejected groups stay as decided
        }
        insert.bind(1, key).bind(2, ev).bind(3, one_owner ? 1 : 0).bind(4, rs[main].id).run();
        const std::int64_t gid = c.last_insert_id();
        for (auto id : ids) add_member.bind(1, gid).bind(2, id).run();
    }
    // Proposals no longer found (a record changed, retired, corrected) go.
    auto drop = c.prepare("DELETE FROM duplicate_groups WHERE id = ?");
    for (const auto& [key, v] : existing)
        if (v.second == "proposed" && !found_keys.count(key)) drop.bind(1, v.first).run();
    tx.release();
    return stored(reg);
}

std::vector<Group> stored(db::Register& reg, bool all) {
    auto& c = reg.connection();
    std::vector<Group> out;
    auto st = c.prepare(std::string("SELECT id, status, counted_once, evidence, main_id, decided_by, decided_at FROM "
                                    "duplicate_groups") +
                        (all ? "" : " WHERE status <> 'rejected'") + " ORDER BY id");
    auto members = c.prepare("SELECT p.id, o.name, p.ref, ifnull(p.name, ''), X(p.geom), Y(p.geom) FROM "
                             "duplicate_members m JOIN properties p ON p.id = m.property_id JOIN owners o ON o.id = "
                             "p.owner_id WHERE m.group_id = ? ORDER BY p.id");
    while (st.step()) {
        Group g;
        g.id = st.int64(0);
        g.status = st.text(1);
        g.counted_once = st.int64(2) != 0 && g.status != "rejected";
        g.evidence = split(st.text(3));
        const std::int64_t main_id = st.int64(4);
        if (!st.is_null(5)) g.decided_by = st.text(5);
        if (!st.is_null(6)) g.decided_at = st.text(6);
        members.bind(1, g.id);
        // Each member's location (NaN when unlocated), to give its distance from the main record.
        const double nan = std::nan("");
        double main_x = nan, main_y = nan;
        std::vector<std::pair<double, double>> at;
        while (members.step()) {
            Member m{members.int64(0), members.text(1), members.text(2),
                     members.text(3),  std::nullopt,    members.int64(0) == main_id};
            at.emplace_back(members.is_null(4) ? nan : members.real(4), members.is_null(5) ? nan : members.real(5));
            if (m.main) std::tie(main_x, main_y) = at.back();
            g.members.push_back(std::move(m));
        }
        members.reset();
        for (size_t i = 0; i < g.members.size(); ++i) {
            const double d = std::hypot(at[i].first - main_x, at[i].second - main_y);
            if (std::isfinite(d)) g.members[i].distance_m = d;
        }
        std::stable_sort(g.members.begin(), g.members.end(),
                         [](const Member& a, const Member& b) { return a.main > b.main; });
        out.push_back(std::move(g));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Group& a, const Group& b) { return a.members.size() > b.members.size(); });
    return out;
}

std::int64_t look_like_existing(db::Register& reg, std::int64_t batch) {
    auto& c = reg.connection();
    const std::string b = std::to_string(batch);
    if (!c.scalar_int("SELECT 1 FROM properties WHERE batch_id <> " + b + " LIMIT 1")) return 0; // a first load
    find(reg);
    return c
        .scalar_int("SELECT count(DISTINCT m.property_id) FROM duplicate_members m JOIN duplicate_groups g ON "
                    "g.id = m.group_id JOIN properties p ON p.id = m.property_id WHERE g.status <> 'rejected' "
                    "AND p.batch_id = " +
                    b +
                    " AND EXISTS (SELECT 1 FROM duplicate_members n JOIN properties q "
                    "ON q.id = n.property_id WHERE n.group_id = g.id AND q.batch_id <> " +
                    b + ")")
        .value_or(0);
}

std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> counted_once(db::Register& reg) {
    std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> out;
    auto st = reg.connection().prepare(
        "SELECT g.main_id, m.property_id FROM duplicate_groups g JOIN duplicate_members m ON m.group_id = g.id "
        "WHERE g.counted_once = 1 AND g.status <> 'rejected' AND m.property_id <> g.main_id ORDER BY g.main_id, "
        "m.property_id");
    while (st.step()) {
        if (out.empty() || out.back().first != st.int64(0)) out.push_back({st.int64(0), {}});
        out.back().second.push_back(st.int64(1));
    }
    return out;
}

void decide(db::Register& reg, std::int64_t group, bool confirm, const std::string& by) {
    auto& c = reg.connection();
    db::Transaction tx(c);
    if (!c.scalar_int("SELECT 1 FROM duplicate_groups WHERE id = " + std::to_string(group)))
        throw not_found_error("no duplicate group " + std::to_string(group) + "; 'estate duplicates' lists them");
    auto owners = c.prepare("SELECT DISTINCT o.name, p.ref FROM duplicate_members m JOIN properties p ON p.id = "
                            "m.property_id JOIN owners o ON o.id = p.owner_id WHERE m.group_id = ?");
    owners.bind(1, group);
    while (owners.step()) officers::check_officer_scope(reg, by, owners.text(0), owners.text(1));
    owners.reset();
    // A confirmed group is one building whoever holds its records: counted once.
    c.prepare("UPDATE duplicate_groups SET status = ?, counted_once = CASE WHEN ? THEN 1 ELSE 0 END, decided_by = ?, "
              "decided_at = ? WHERE id = ?")
        .bind(1, confirm ? "confirmed" : "rejected")
        .bind(2, confirm ? 1 : 0)
        .bind(3, by)
        .bind(4, util::utc_now_iso())
        .bind(5, group)
        .run();
    tx.commit();
}

} // namespace estate::duplicates
