#pragma once
/// @file
/// The register's owners (agencies) as such: naming one properly when its file gave
/// only a code ("E07000238", "47UG").

#include <cstdint>
#include <string>
#include <vector>

namespace estate::db {
class Register;

/// Renames owner @p from to @p to, keeping its properties, their RAG status and
/// history, its officers and sector. Throws usage_error when @p from is not an owner
/// or @p to already is one (two owners are not merged by a rename). Returns how many
/// properties the owner holds.
std::int64_t rename_owner(Register& reg, const std::string& from, const std::string& to);

/// What merging two owners did.
struct OwnerMerge {
    std::int64_t properties = 0; ///< moved from one owner to the other
    std::int64_t officers = 0;   ///< officers who acted for the owner merged away
    /// References both owners used: the moved property's is now "REF (FROM)", its old
    /// one kept as an alias of it.
    std::vector<std::string> renamed_refs;
};

/// Merges owner @p from into owner @p into (one body under two names): its properties,
/// their RAG status and history, its officers and its renumbering aliases move; @p from
/// is kept as an alias of @p into (owner_aliases, with @p by and the time), so later
/// imports of files that name it land on @p into. One transaction. Throws usage_error
/// when either is not an owner, or they are the same.
OwnerMerge merge_owners(Register& reg, const std::string& from, const std::string& into, const std::string& by);

/// Two owners that are probably one body: the names differ only by the words
/// model::owner_key() drops.
struct SimilarOwners {
    std::string name, existing;
};
/// For each of @p names (owners just made by an import), the register's other owners
/// with the same key.
std::vector<SimilarOwners> similar_owners(Register& reg, const std::vector<std::string>& names);

} // namespace estate::db
