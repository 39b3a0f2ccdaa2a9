#pragma once
/// @file
/// The register's owners (agencies) as such: naming one properly when its file gave
/// only a code ("E07000238", "47UG").

#include <cstdint>
#include <string>

namespace estate::db {
class Register;

/// Renames owner @p from to @p to, keeping its properties, their RAG status and
/// history, its officers and sector. Throws usage_error when @p from is not an owner
/// or @p to already is one (two owners are not merged by a rename). Returns how many
/// properties the owner holds.
std::int64_t rename_owner(Register& reg, const std::string& from, const std::string& to);

} // namespace estate::db
