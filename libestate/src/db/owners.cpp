#include "estate/db/owners.hpp"

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/model/normalise.hpp"

namespace estate::db {

std::int64_t rename_owner(Register& reg, const std::string& from, const std::string& to) {
    Connection& c = reg.connection();
    const std::string name = model::trim(to);
    if (name.empty()) throw usage_error("the new owner name is empty");
    Transaction tx(c);
    auto find = c.prepare("SELECT id FROM owners WHERE name = ?");
    find.bind(1, from);
    if (!find.step())
        throw not_found_error("no owner '" + from + "' in " + reg.path() + "; 'estate info' lists the owners");
    const std::int64_t id = find.int64(0);
    find.reset();
    find.bind(1, name);
    if (find.step() && find.int64(0) != id)
        throw usage_error("an owner '" + name + "' is already in " + reg.path() +
                          "; a rename does not merge two owners (import the file again with --owner '" + name +
                          "' instead)");
    find.reset();
    c.prepare("UPDATE owners SET name = ? WHERE id = ?").bind(1, name).bind(2, id).run();
    auto count = c.prepare("SELECT count(*) FROM properties WHERE owner_id = ?");
    count.bind(1, id);
    count.step();
    const std::int64_t properties = count.int64(0);
    count.reset();
    tx.commit();
    return properties;
}

namespace {
std::int64_t owner_named(Connection& c, const Register& reg, const std::string& name) {
    auto find = c.prepare("SELECT id FROM owners WHERE name = ?");
    find.bind(1, name);
    if (!find.step())
        throw usage_error("no owner '" + name + "' in " + reg.path() + "; 'estate info' lists the owners");
    return find.int64(0);
}
} // namespace

OwnerMerge merge_owners(Register& reg, const std::string& from, const std::string& into, const std::string& by) {
    Connection& c = reg.connection();
    if (model::trim(by).empty()) throw usage_error("by", "say who merges the owners (their name is recorded)");
    Transaction tx(c);
    const std::int64_t from_id = owner_named(c, reg, from), into_id = owner_named(c, reg, into);
    if (from_id == into_id) throw usage_error("'" + from + "' and '" + into + "' are the same owner");
    const std::string from_name = *c.scalar_text("SELECT name FROM owners WHERE id = " + std::to_string(from_id));
    OwnerMerge m;
    // A reference both use: the moved property's gets the old owner's name beside it,
    // and keeps its own as an alias only where the owner merged into has none.
    auto clash = c.prepare("SELECT a.id, a.ref FROM properties a JOIN properties b ON b.ref = a.ref AND "
                           "b.owner_id = ?2 WHERE a.owner_id = ?1 ORDER BY a.ref");
    clash.bind(1, from_id).bind(2, into_id);
    auto rename = c.prepare("UPDATE properties SET ref = ? WHERE id = ?");
    std::vector<std::pair<std::int64_t, std::string>> clashes;
    while (clash.step()) clashes.emplace_back(clash.int64(0), clash.text(1));
    clash.reset();
    for (const auto& [id, ref] : clashes) {
        std::string renamed = ref + " (" + from_name + ")";
        rename.bind(1, renamed).bind(2, id).run();
        m.renamed_refs.push_back(ref + " -> " + renamed);
    }
    auto run = [&](const char* sql) {
        c.prepare(sql).bind(1, into_id).bind(2, from_id).run();
        return static_cast<std::int64_t>(c.changes());
    };
    m.properties = run("UPDATE properties SET owner_id = ?1 WHERE owner_id = ?2");
    m.officers = run("UPDATE officers SET owner_id = ?1 WHERE owner_id = ?2");
    // Renumbering aliases move unless the owner merged into uses the reference itself.
    run("UPDATE OR IGNORE property_aliases SET owner_id = ?1 WHERE owner_id = ?2");
    run("DELETE FROM property_aliases WHERE owner_id = ?2 AND ?1 IS NOT NULL");
    run("UPDATE owner_aliases SET owner_id = ?1 WHERE owner_id = ?2");
    c.prepare("INSERT OR REPLACE INTO owner_aliases(alias, owner_id, merged_at, merged_by, properties) "
              "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?)")
        .bind(1, from_name)
        .bind(2, into_id)
        .bind(3, model::trim(by))
        .bind(4, m.properties)
        .run();
    c.prepare("DELETE FROM owners WHERE id = ?").bind(1, from_id).run();
    tx.commit();
    return m;
}

std::vector<SimilarOwners> similar_owners(Register& reg, const std::vector<std::string>& names) {
    std::vector<SimilarOwners> out;
    if (names.empty()) return out;
    std::vector<std::pair<std::string, std::string>> keyed; // (key, name) of every owner
    auto st = reg.connection().prepare("SELECT name FROM owners ORDER BY name");
    while (st.step()) {
        std::string name = st.text(0);
        keyed.emplace_back(model::owner_key(name), name);
    }
    for (const auto& name : names) {
        const std::string key = model::owner_key(name);
        if (key.empty()) continue;
        for (const auto& [k, existing] : keyed)
            if (k == key && existing != name) out.push_back({name, existing});
    }
    return out;
}

} // namespace estate::db
