#include "estate/rag/status.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/io/source.hpp"
#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"
#include "estate/util/time.hpp"

#include <cctype>

namespace estate::rag {
namespace {

/// One record's status as it stands.
struct Current {
    std::string status, reason, retired_at;
    std::int64_t version = 0;
};

Current current_of(db::Connection& c, std::int64_t id) {
    auto st = c.prepare("SELECT rag_status, ifnull(rag_reason, ''), version, ifnull(retired_at, '') FROM properties "
                        "WHERE id = ?");
    st.bind(1, id);
    st.step();
    return {st.text(0), st.text(1), st.text(3), st.int64(2)};
}

/// Writes one record's status at @p version; returns its new version. The history row
/// is written by the register's trigger (db/schema.cpp), which this checks.
std::int64_t write_tag(db::Connection& c, std::int64_t id, std::int64_t version, const std::string& what,
                       const TagRequest& rq, const std::string& reason) {
    // Advancing the version in the same UPDATE is how the history trigger knows the
    // change is claimed by a named officer.
    auto update = c.prepare("UPDATE properties SET rag_status = ?, rag_reason = ?, rag_set_by = ?, "
                            "rag_set_at = ?, rag_source = ?, version = version + 1 "
                            "WHERE id = ? AND version = ?");
    update.bind(1, rq.status);
    if (reason.empty())
        update.bind_null(2);
    else
        update.bind(2, reason);
    update.bind(3, rq.by).bind(4, util::utc_now_iso()).bind(5, rq.source).bind(6, id).bind(7, version);
    update.step(); // throws with the database's own message (e.g. a missing reason)
    if (c.changes() == 0) throw conflict_error(what + " changed while it was being tagged; try again");
    update.reset();
    const std::int64_t now = version + 1;
    // Every change leaves one history row, written by the register's triggers: if none
    // was (they were removed while this register was open), nothing is saved.
    auto written = c.prepare("SELECT count(*) FROM rag_history WHERE property_id = ? AND version = ?");
    written.bind(1, id).bind(2, now);
    if (!written.step() || written.int64(0) != 1)
        throw error("no history row was written for " + what +
                    ": the register's history triggers have been removed (someone with write access to the file "
                    "dropped them); nothing was saved. Run the command again: opening the register for writing puts "
                    "them back");
    return now;
}

// One tag, inside the caller's transaction: the record asked for, then the building's
// other records (a duplicate group counted once) that the officer may tag, so that a
// building has one status whichever of its records is tagged.
TagResult tag_in_transaction(db::Register& reg, const TagRequest& rq) {
    model::check_tag(rq.status, rq.reason);
    auto& c = reg.connection();
    auto p = rq.property_id ? db::property_with_id(reg, *rq.property_id) : db::find_one_property(reg, rq.property);
    officers::check_officer_scope(reg, rq.by, p.owner, p.ref);
    const std::string what = p.owner + " " + p.ref;
    const Current now = current_of(c, p.id);
    if (!now.retired_at.empty())
        throw conflict_error(what + " was retired on " + now.retired_at +
                             " (a complete return of its series no longer lists it): it is not tagged. If it is "
                             "still held, import a return that lists it and it is reinstated");
    TagResult result{p.id, p.owner, p.ref, p.name.value_or(""), now.status, rq.status, now.version, false, {}, {}};
    if (rq.expect_version && *rq.expect_version != result.version)
        throw conflict_error(what + " is at version " + std::to_string(result.version) + ", not " +
                             std::to_string(*rq.expect_version) +
                             ": someone changed it since you looked ('estate rag history' shows who); "
                             "check the change, then tag again at version " +
                             std::to_string(result.version));
    if (now.status != rq.status || now.reason != rq.reason) {
        result.version = write_tag(c, p.id, now.version, what, rq, rq.reason);
        result.changed = true;
    }
    // Each other record's history says which record the tag was given on.
    const std::string sibling_reason =
        rq.reason + (rq.reason.empty() ? "" : " ") + "(tagged with the same building's record " + what + ")";
    for (std::int64_t id : db::same_building_records(reg, p.id)) {
        const auto other = db::property_with_id(reg, id);
        const std::string other_what = other.owner + " " + other.ref;
        try {
            officers::check_officer_scope(reg, rq.by, other.owner, other.ref);
        } catch (const officers::permission_error&) {
            result.not_reached.push_back(other_what); // another agency's: their officers tag it
            continue;
        }
        const Current o = current_of(c, id);
        if (o.status == rq.status && (o.reason == sibling_reason || o.reason == rq.reason)) continue;
        write_tag(c, id, o.version, other_what, rq, sibling_reason);
        result.also_tagged.push_back(other_what);
        result.changed = true;
    }
    return result;
}

} // namespace

TagResult set_status(db::Register& reg, const TagRequest& rq) {
    // BEGIN IMMEDIATE: the check of the version and the write happen under one
    // write lock, so two officers' updates are serialised and neither is lost.
    db::Transaction tx(reg.connection());
    TagResult result = tag_in_transaction(reg, rq);
    tx.commit();
    return result;
}

namespace {
// One tag of a bulk change, counted; a refusal is counted and thrown on to the caller,
// which reports every one before writing none.
void apply_one(db::Register& reg, const TagRequest& rq, BulkResult& result) {
    try {
        auto r = tag_in_transaction(reg, rq);
        ++(r.changed ? result.changed : result.unchanged);
    } catch (...) {
        ++result.refused;
        throw;
    }
}
} // namespace

BulkResult set_statuses(db::Register& reg, const std::string& path, const std::string& by) {
    io::SourceReader reader(path);
    const auto& headers = reader.headers();
    auto column = [&](std::initializer_list<const char*> keys) { return model::find_header(headers, keys); };
    const int property = column({"property", "id", "ref", "assetcode", "uprn", "reference"});
    const int status = column({"status", "ragstatus", "rag"});
    const int reason = column({"reason", "ragreason"});
    const int version = column({"expectversion", "version"});
    if (property < 0 || status < 0)
        throw file_error(path + " needs a 'property' column (id, UPRN or reference) and a 'status' "
                                "column; 'reason' and 'version' are read when present");
    db::Transaction tx(reg.connection());
    BulkResult result;
    std::string problems;
    io::SourceRow row;
    while (reader.next(row)) {
        auto cell = [&](int i) { return i < 0 ? std::string() : model::trim(row.values[static_cast<size_t>(i)]); };
        TagRequest rq;
        rq.property = cell(property);
        rq.status = cell(status);
        rq.reason = cell(reason);
        rq.by = by;
        for (auto& ch : rq.status) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        try {
            if (!cell(version).empty()) {
                char* end = nullptr;
                const std::string v = cell(version);
                const long long n = std::strtoll(v.c_str(), &end, 10);
                if (end != v.c_str() + v.size())
                    throw usage_error("version '" + v + "' is not a whole number (the version 'estate show' gave)");
                rq.expect_version = n;
            }
            apply_one(reg, rq, result);
        } catch (const std::exception& e) {
            // Every bad row is reported, then nothing is written.
            problems += "\n  row " + std::to_string(row.number) + " (" + rq.property + "): " + e.what();
        }
    }
    if (result.refused > 0)
        throw file_error(path + ": " + std::to_string(result.refused) +
                         " rows cannot be applied, so none was (correct them and run again):" + problems);
    tx.commit();
    return result;
}

BulkResult set_statuses(db::Register& reg, const std::vector<TagRequest>& requests) {
    db::Transaction tx(reg.connection());
    BulkResult result;
    std::string problems;
    bool outside_scope = false, all_stale = true;
    for (const auto& rq : requests) {
        try {
            apply_one(reg, rq, result);
        } catch (const conflict_error& e) {
            problems += "\n  " + rq.property + ": " + e.what();
        } catch (const officers::permission_error& e) {
            outside_scope = true;
            all_stale = false;
            problems += "\n  " + rq.property + ": " + e.what();
        } catch (const std::exception& e) {
            all_stale = false;
            problems += "\n  " + rq.property + ": " + e.what();
        }
    }
    if (result.refused > 0) {
        const std::string message = std::to_string(result.refused) + " of " + std::to_string(requests.size()) +
                                    " tags cannot be applied, so none was:" + problems;
        if (outside_scope) throw officers::permission_error(message);
        if (all_stale) throw conflict_error(message);
        throw usage_error(message);
    }
    tx.commit();
    return result;
}

namespace {
std::vector<HistoryEntry> history_where(db::Register& reg, std::optional<std::int64_t> id) {
    std::string sql = "SELECT h.id, h.property_id, h.version, o.name, p.ref, ifnull(p.name, ''), h.old_status, "
                      "h.new_status, ifnull(h.reason, ''), h.changed_by, h.source, h.changed_at FROM rag_history h "
                      // A property deleted by hand keeps its history.
                      "LEFT JOIN properties p ON p.id = h.property_id LEFT JOIN owners o ON o.id = p.owner_id";
    if (id) sql += " WHERE h.property_id = ?";
    sql += " ORDER BY h.id";
    auto st = reg.connection().prepare(sql);
    if (id) st.bind(1, *id);
    std::vector<HistoryEntry> out;
    while (st.step())
        out.push_back({st.int64(0), st.int64(1), st.int64(2),
                       st.is_null(3) ? "(deleted from the register)" : st.text(3), st.text(4), st.text(5), st.text(6),
                       st.text(7), st.text(8), st.text(9), st.text(10), st.text(11)});
    return out;
}
} // namespace

std::vector<HistoryEntry> history(db::Register& reg, const std::optional<std::string>& property) {
    return history_where(reg, property ? std::optional(db::find_one_property(reg, *property).id) : std::nullopt);
}

std::vector<HistoryEntry> history_of_id(db::Register& reg, std::int64_t property_id) {
    return history_where(reg, property_id);
}

std::vector<SummaryRow> summary(db::Register& reg) {
    auto st = reg.connection().prepare(
        "SELECT o.name, p.rag_status, count(*), total(p.gia_m2), count(p.gia_m2), total(p.market_value), "
        "count(p.market_value) FROM properties p "
        "JOIN owners o ON o.id = p.owner_id WHERE p.retired_at IS NULL GROUP BY o.name, p.rag_status "
        "ORDER BY o.name, CASE p.rag_status WHEN 'red' THEN 1 WHEN 'amber' THEN 2 WHEN 'green' THEN 3 ELSE 4 END");
    std::vector<SummaryRow> out;
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.int64(2), {st.real(3), st.int64(4)}, {st.real(5), st.int64(6)}});
    return out;
}

} // namespace estate::rag
