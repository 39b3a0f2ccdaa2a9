#pragma once
/// @file
/// The RAG disposal status: red = disposal unlikely, amber = possible, green = an
/// opportunity, unassessed = not yet looked at. Estates officers tag their own
/// agency's properties with a reason; the database itself keeps the append-only
/// history (see db/schema.cpp), so this module only has to ask it properly.

#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/officers/officers.hpp"
#include "estate/util/format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace estate::rag {

/// Someone changed the property since the version the officer saw.
class conflict_error : public error {
public:
    using error::error;
};

struct TagRequest {
    std::string property; ///< id, UPRN or owner's reference
    std::string status;
    std::string reason;
    std::string by;                             ///< a registered officer
    std::optional<std::int64_t> expect_version; ///< the version the officer saw
    /// The register's id of the property, when the caller has it (the web app): then
    /// @p property is not looked up.
    std::optional<std::int64_t> property_id;
    /// Where the change was made, as the history records it: "person" (the command
    /// line) or "web" (estate serve, for the officer logged in).
    std::string source = "person";
};

struct TagResult {
    std::int64_t property_id = 0;
    std::string owner, ref, name;
    std::string old_status, new_status;
    std::int64_t version = 0; ///< after the change
    bool changed = false;     ///< false when status and reason were already so (on every record)
    /// The building's other records (a duplicate group counted once) tagged with it, and
    /// those left as they were because they are another agency's ("owner ref" each).
    std::vector<std::string> also_tagged, not_reached;
};

/// Sets one building's status in one transaction: the property asked for and the other
/// records of its building the officer may tag (each history row says which record the
/// tag was given on). Throws usage_error (bad
/// status, unknown or ambiguous property: the candidates are listed),
/// officers::permission_error, conflict_error (stale --expect-version).
TagResult set_status(db::Register& reg, const TagRequest& request);

struct BulkResult {
    std::int64_t changed = 0, unchanged = 0, refused = 0;
};
/// Many tags at once from a spreadsheet export (CSV, XLSX, ...: columns property,
/// status, reason, optional version), all by officer @p by, all or nothing: when
/// any row cannot be applied, none is, and the error lists every bad row by number.
BulkResult set_statuses(db::Register& reg, const std::string& path, const std::string& by);
/// The same for tags already in hand (the web app's selection), all or nothing: when
/// any cannot be applied, none is, and the usage_error (a conflict_error when every
/// refusal is a stale version) names each by its property.
BulkResult set_statuses(db::Register& reg, const std::vector<TagRequest>& requests);

struct HistoryEntry {
    std::int64_t id = 0, property_id = 0, version = 0;
    std::string owner, ref, name, old_status, new_status, reason, changed_by, source, changed_at;
};
/// The history, oldest first; of one property when @p property is given.
std::vector<HistoryEntry> history(db::Register& reg, const std::optional<std::string>& property);
/// The history of the property with the register's id @p property_id, oldest first.
std::vector<HistoryEntry> history_of_id(db::Register& reg, std::int64_t property_id);

struct SummaryRow {
    std::string owner, status;
    std::int64_t properties = 0;
    util::RecordedSum gia_m2, market_value; ///< of the properties that record them
};
/// Count, floor area and value by owner x status.
std::vector<SummaryRow> summary(db::Register& reg);

} // namespace estate::rag
