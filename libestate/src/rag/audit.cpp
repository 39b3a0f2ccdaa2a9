#include "estate/rag/audit.hpp"

#include "db/schema.hpp"
#include "db/sqlite.hpp"
#include "estate/util/format.hpp"
#include "estate/util/time.hpp"

#include <map>

namespace estate::rag {
namespace {

// "Trafford Council TMBC0001" for a finding, or "#12 (no longer in the register)".
std::string property_label(const db::Statement& st, int owner_col, int ref_col, std::int64_t id) {
    if (st.is_null(ref_col)) return "#" + std::to_string(id) + " (no longer in the register)";
    return st.text(owner_col) + " " + st.text(ref_col);
}

// Rows whose seal is not the chain's, or that are dated before the row written before them.
void check_chain(db::Connection& c, HistoryAudit& audit) {
    const std::string expected = db::history_seal_sql("lag(h.seal) OVER (ORDER BY h.id)", "h");
    auto st = c.prepare("SELECT h.id, h.property_id, o.name, p.ref, h.seal IS NOT " + expected +
                        ", h.changed_at < lag(h.changed_at) OVER (ORDER BY h.id), h.changed_at, "
                        "lag(h.changed_at) OVER (ORDER BY h.id) FROM rag_history h "
                        "LEFT JOIN properties p ON p.id = h.property_id LEFT JOIN owners o ON o.id = p.owner_id "
                        "ORDER BY h.id");
    while (st.step()) {
        ++audit.history_rows;
        const std::int64_t id = st.int64(0), property = st.int64(1);
        if (st.int64(4))
            audit.findings.push_back({"broken_chain", property, id, property_label(st, 2, 3, property),
                                      "history row " + std::to_string(id) +
                                          " is not sealed as the history's triggers seal it: it, or a row "
                                          "before it, was written, changed or removed by hand"});
        if (!st.is_null(5) && st.int64(5))
            audit.findings.push_back({"back_dated", property, id, property_label(st, 2, 3, property),
                                      "history row " + std::to_string(id) + " is dated " + st.text(6) +
                                          ", before the row written before it (" + st.text(7) + ")"});
    }
}

// Properties whose status, reason, who, when or version is not what their last
// history row says: changed with the history's triggers switched off.
void check_statuses(db::Connection& c, HistoryAudit& audit) {
    auto st = c.prepare(
        "SELECT p.id, o.name, p.ref, p.rag_status, ifnull(p.rag_reason, ''), ifnull(p.rag_set_by, ''), "
        "h.id, h.new_status, ifnull(h.reason, ''), h.changed_by, p.version, h.version FROM properties p "
        "JOIN owners o ON o.id = p.owner_id "
        "LEFT JOIN rag_history h ON h.id = (SELECT max(id) FROM rag_history WHERE property_id = p.id) "
        "WHERE CASE WHEN h.id IS NULL THEN p.rag_status <> 'unassessed' OR p.rag_reason IS NOT NULL "
        "ELSE h.new_status IS NOT p.rag_status OR h.reason IS NOT p.rag_reason OR h.changed_by IS NOT p.rag_set_by "
        "  OR h.source IS NOT p.rag_source OR h.changed_at IS NOT p.rag_set_at OR h.version IS NOT p.version END");
    while (st.step()) {
        const std::int64_t id = st.int64(0);
        std::string detail = "the register says " + st.text(3) + " (\"" + st.text(4) + "\", by " +
                             (st.text(5).empty() ? "nobody" : st.text(5)) + ", version " + st.text(10) + ")";
        detail += st.is_null(6) ? " but the history has no row for it"
                                : " but its last history row says " + st.text(7) + " (\"" + st.text(8) + "\", by " +
                                      st.text(9) + ", version " + st.text(11) + ")";
        audit.findings.push_back({"status_without_history", id, std::nullopt, st.text(1) + " " + st.text(2),
                                  detail + ": it was changed around the history (triggers switched off)"});
    }
    audit.properties_checked = c.scalar_int("SELECT count(*) FROM properties").value_or(0);
}

// Rows whose officer was no officer when they were written, and rows from the web app
// outside any login of their officer (from when the register began recording them).
void check_writers(db::Connection& c, HistoryAudit& audit) {
    // A rule's row names the officer who ran it: "rule: NAME, run by OFFICER".
    const std::string officer = "CASE WHEN h.source = 'rule' AND instr(h.changed_by, ', run by ') > 0 "
                                "THEN substr(h.changed_by, instr(h.changed_by, ', run by ') + 9) ELSE h.changed_by END";
    auto st = c.prepare(
        "SELECT h.id, h.property_id, o.name, p.ref, h.changed_by, h.source, h.changed_at, "
        "  NOT EXISTS (SELECT 1 FROM officers f WHERE f.name = " +
        officer +
        "    AND f.created_at <= h.changed_at AND (f.removed_at IS NULL OR f.removed_at >= h.changed_at)), "
        "  h.source = 'web' AND h.changed_at >= ifnull((SELECT value FROM register_meta "
        "    WHERE key = 'web_sessions_recorded_since'), '9999') AND NOT EXISTS (SELECT 1 FROM web_sessions s "
        "    WHERE s.officer = h.changed_by AND s.opened_at <= h.changed_at "
        "      AND h.changed_at <= ifnull(s.closed_at, s.expires_at)) "
        "FROM rag_history h LEFT JOIN properties p ON p.id = h.property_id LEFT JOIN owners o ON o.id = p.owner_id "
        "WHERE h.changed_by <> 'unidentified direct edit' ORDER BY h.id");
    while (st.step()) {
        const std::int64_t id = st.int64(0), property = st.int64(1);
        if (st.int64(7))
            audit.findings.push_back({"unknown_officer", property, id, property_label(st, 2, 3, property),
                                      "history row " + std::to_string(id) + " names '" + st.text(4) +
                                          "', who was not an officer of the register on " + st.text(6)});
        if (st.int64(8))
            audit.findings.push_back({"web_without_session", property, id, property_label(st, 2, 3, property),
                                      "history row " + std::to_string(id) + " says the web app, under '" + st.text(4) +
                                          "', but no login of theirs covers " + st.text(6)});
    }
    audit.unidentified_edits =
        c.scalar_int("SELECT count(*) FROM rag_history WHERE changed_by = 'unidentified direct edit'").value_or(0);
}

} // namespace

HistoryAudit audit_history(db::Register& reg) {
    auto& c = reg.connection();
    HistoryAudit audit;
    c.exec("BEGIN"); // one snapshot for the three passes
    try {
        check_chain(c, audit);
        check_statuses(c, audit);
        check_writers(c, audit);
    } catch (...) {
        c.exec("ROLLBACK");
        throw;
    }
    c.exec("COMMIT");
    return audit;
}

std::string describe(const HistoryAudit& audit, const std::string& register_path) {
    if (audit.clean())
        return "History: " + util::thousands(static_cast<double>(audit.history_rows)) +
               " rows in an unbroken chain, every status matching its last row, every writer an officer";
    std::map<std::string, int> by_kind;
    for (const auto& f : audit.findings) ++by_kind[f.kind];
    std::string kinds;
    for (const auto& [kind, n] : by_kind) kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    return "HISTORY TAMPERED WITH: " + std::to_string(audit.findings.size()) + " findings (" + kinds +
           "): the register was written around its history; 'estate verify " + register_path + "' lists them";
}

std::int64_t record_web_session(db::Register& reg, const std::string& officer, std::chrono::seconds lifetime) {
    auto& c = reg.connection();
    c.prepare("INSERT INTO web_sessions(officer, opened_at, expires_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', "
              "'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?))")
        .bind(1, officer)
        .bind(2, "+" + std::to_string(lifetime.count()) + " seconds")
        .run();
    return c.last_insert_id();
}

void close_web_session(db::Register& reg, std::int64_t id) {
    reg.connection()
        .prepare("UPDATE web_sessions SET closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND "
                 "closed_at IS NULL")
        .bind(1, id)
        .run();
}

} // namespace estate::rag
