#pragma once
// Private: the register's schema as a list of migrations. Migration i brings a
// register from schema version i to i+1; a new register is every migration from 0.

#include <functional>
#include <vector>

namespace estate::db {
class Connection;

using Migration = std::function<void(Connection&)>;
/// migrations()[i] upgrades version i to i+1.
const std::vector<Migration>& migrations();
/// The version recorded in the file (0 for a file that is not yet a register).
int read_schema_version(Connection& conn);

} // namespace estate::db
