#pragma once
// Private: the register's schema as a list of migrations. Migration i brings a
// register from schema version i to i+1; a new register is every migration from 0.

#include <functional>
#include <string>
#include <vector>

namespace estate::db {
class Connection;

using Migration = std::function<void(Connection&)>;
/// migrations()[i] upgrades version i to i+1.
const std::vector<Migration>& migrations();

/// The triggers that keep the RAG history (schema 8): each CREATE ... IF NOT EXISTS,
/// so that running it again puts back only what is missing.
std::string history_guards_sql();
/// The SQL expression of a history row's seal (schema 11): the MD5 of @p previous_seal
/// (an SQL expression; NULL for the first row) chained with the fields of the row
/// named @p row. One definition for the triggers that write it, the migration that
/// sealed the rows before it, and the check that recomputes it (rag::audit_history).
std::string history_seal_sql(const std::string& previous_seal, const std::string& row);
/// Their names.
const std::vector<const char*>& history_guard_triggers();
/// The version recorded in the file (0 for a file that is not yet a register).
int read_schema_version(Connection& conn);

} // namespace estate::db
