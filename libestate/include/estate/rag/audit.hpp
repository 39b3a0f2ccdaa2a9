#pragma once
/// @file
/// Tamper evidence for the RAG history. SQLite cannot stop whoever can write the file
/// (a trigger can be switched off, a row inserted by hand), so the register makes such
/// writes *visible*: each history row is sealed in a chain by the triggers (schema 11),
/// and audit_history() finds every status that differs from its last history row, every
/// row that breaks the chain or goes back in time, and every row whose officer or
/// source could not have written it. What this cannot catch is in docs/rag.md.

#include "estate/db/register.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace estate::rag {

struct AuditFinding {
    /// status_without_history: the property's status, reason or who/when differs from
    ///   its last history row (changed with the triggers off, or a row removed);
    /// broken_chain: the row's seal is not the chain's (a row edited, inserted or
    ///   removed by hand before it);
    /// back_dated: the row is dated before the row written before it;
    /// unknown_officer: no such officer (or not one yet, or removed) when it was written;
    /// web_without_session: says "web" but no login of that officer covers it.
    std::string kind;
    std::optional<std::int64_t> property_id, history_id;
    std::string property; ///< the owner and reference, when the property is there
    std::string detail;   ///< in words, with the values that disagree
};

struct HistoryAudit {
    std::int64_t history_rows = 0;
    std::int64_t properties_checked = 0;
    std::int64_t unidentified_edits = 0; ///< rows of changes made outside estate (QGIS, a shell): honest, not faults
    std::vector<AuditFinding> findings;
    bool clean() const { return findings.empty(); }
};

/// Checks the whole history (one pass over it and over the properties).
HistoryAudit audit_history(db::Register& reg);

/// One sentence on the audit for a summary: "History: 1,234 rows in an unbroken chain,
/// every status matching its last row." or what is wrong and what to run.
std::string describe(const HistoryAudit& audit, const std::string& register_path);

/// Records a login to the web app; returns the session's number in the register.
std::int64_t record_web_session(db::Register& reg, const std::string& officer, std::chrono::seconds lifetime);
/// Records a logout (or an end of the session by the server).
void close_web_session(db::Register& reg, std::int64_t id);

} // namespace estate::rag
