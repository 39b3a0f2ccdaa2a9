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
    if (!find.step()) throw not_found_error("no owner '" + from + "' in " + reg.path() + "; 'estate info' lists the owners");
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

} // namespace estate::db
