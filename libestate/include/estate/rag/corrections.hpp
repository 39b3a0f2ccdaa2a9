#pragma once
/// @file
/// Officers correcting a property's facts: its use (when the file said nothing or a
/// guess was wrong), floor area, market value and running cost, which are what hubs and
/// receipts need most. The same scope as RAG tags (an officer of the owner, or
/// partnership-wide), a required reason, and an append-only history
/// (`property_corrections`). Imports keep an officer's figures over their file's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace estate::db {
class Register;
}

namespace estate::rag {

/// One fact to set: field (use, gia_m2, market_value, running_cost) and its value as text.
struct Correction {
    std::string field;
    std::string value;
};

struct CorrectionRequest {
    std::string property; ///< id, UPRN or owner's reference
    std::vector<Correction> corrections;
    std::string reason;
    std::string by;
};

struct CorrectionResult {
    std::int64_t property_id = 0;
    std::string owner, ref, name;
    std::vector<std::pair<std::string, std::string>> changed; ///< field, "old -> new"
};

/// Applies every correction in one transaction, or none. Throws usage_error (unknown
/// field, a use that is not a code, a figure that is not a non-negative number, no
/// reason), permission_error (outside the officer's scope).
CorrectionResult correct(db::Register& reg, const CorrectionRequest& request);

} // namespace estate::rag
