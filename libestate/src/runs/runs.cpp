#include "estate/runs/runs.hpp"
#include "estate/runs/store.hpp"

#include "estate/error.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/util/time.hpp"

#include <algorithm>
#include <map>

namespace estate::runs {

std::int64_t store_run(db::Register& reg, const RunRecord& run, const std::vector<RunGroup>& groups,
                       const std::vector<RunMember>& members) {
    auto& conn = reg.connection();
    db::Transaction tx(conn);
    auto insert_run = conn.prepare("INSERT INTO analysis_runs(kind, parameters, created_at, sites_considered, "
                                   "unlocated_left_out, groups_listed) VALUES (?, ?, ?, ?, ?, ?)");
    insert_run.bind(1, run.kind).bind(2, run.parameters).bind(3, util::utc_now_iso());
    insert_run.bind(4, run.sites_considered).bind(5, run.unlocated_left_out).bind(6, run.groups_listed).run();
    const std::int64_t run_id = conn.last_insert_id();
    auto insert_group = conn.prepare(
        "INSERT INTO analysis_groups(run_id, group_no, agencies, members, host_fits, need_m2, host_spare_m2, "
        "value_released, running_cost_saved, score, explanation, fit, shortfall_m2, running_cost_recorded, "
        "running_costs_recorded, moving_costs, extension_cost, net_benefit, proposed, verdict) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto real_or_null = [](db::Statement& st, int i, double v) {
        if (std::isnan(v))
            st.bind_null(i);
        else
            st.bind(i, v);
    };
    auto text_or_null = [](db::Statement& st, int i, std::string_view v) { // v outlives the insert
        if (v.empty())
            st.bind_null(i);
        else
            st.bind_static(i, v);
    };
    auto int_or_null = [](db::Statement& st, int i, std::int64_t v) { // negative: does not apply
        if (v < 0)
            st.bind_null(i);
        else
            st.bind(i, v);
    };
    for (size_t g = 0; g < groups.size(); ++g) {
        const RunGroup& group = groups[g];
        insert_group.bind(1, run_id).bind(2, static_cast<std::int64_t>(g + 1)).bind(3, group.agencies);
        insert_group.bind(4, group.members);
        int_or_null(insert_group, 5, group.host_fits);
        real_or_null(insert_group, 6, group.need_m2);
        real_or_null(insert_group, 7, group.host_spare_m2);
        real_or_null(insert_group, 8, group.value_released);
        real_or_null(insert_group, 9, group.running_cost_saved);
        real_or_null(insert_group, 10, group.net_benefit); // score: what orders the hubs
        text_or_null(insert_group, 11, group.explanation);
        text_or_null(insert_group, 12, group.fit);
        real_or_null(insert_group, 13, group.shortfall_m2);
        real_or_null(insert_group, 14, group.running_cost_recorded);
        int_or_null(insert_group, 15, group.running_costs_recorded);
        real_or_null(insert_group, 16, group.moving_costs);
        real_or_null(insert_group, 17, group.extension_cost);
        real_or_null(insert_group, 18, group.net_benefit);
        int_or_null(insert_group, 19, group.proposed);
        text_or_null(insert_group, 20, group.verdict);
        insert_group.run();
    }
    auto insert_member = conn.prepare("INSERT INTO analysis_members(run_id, group_no, property_id, role, distance_m) "
                                      "VALUES (?, ?, ?, ?, ?)");
    for (const auto& m : members) {
        insert_member.bind(1, run_id).bind(2, m.group_no).bind(3, m.property_id);
        insert_member.bind_static(4, std::string_view(m.host ? "host" : "member"));
        real_or_null(insert_member, 5, m.distance_m);
        insert_member.run();
    }
    tx.commit();
    return run_id;
}

std::vector<RunSummary> list_runs(db::Register& reg) {
    auto st = reg.connection().prepare(
        "SELECT id, kind, created_at, parameters, sites_considered, unlocated_left_out, "
        "groups_listed, ifnull(json_extract(parameters, '$.rank'), 'net') FROM analysis_runs ORDER BY id");
    std::vector<RunSummary> out;
    while (st.step())
        out.push_back(
            {st.int64(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.int64(5), st.int64(6), st.text(7)});
    return out;
}

std::optional<RunSummary> find_run(db::Register& reg, std::int64_t id) {
    for (auto& r : list_runs(reg))
        if (r.id == id) return std::move(r);
    return std::nullopt;
}

std::optional<std::int64_t> hub_run(db::Register& reg, std::optional<std::int64_t> asked) {
    auto& c = reg.connection();
    if (!asked) return c.scalar_int("SELECT max(id) FROM analysis_runs WHERE kind = 'hubs'");
    auto kind = c.prepare("SELECT kind FROM analysis_runs WHERE id = ?");
    kind.bind(1, *asked);
    if (!kind.step())
        throw not_found_error("there is no run " + std::to_string(*asked) + " in " + reg.path() +
                              "; `estate runs` lists the runs it holds");
    if (kind.text(0) != "hubs")
        throw usage_error("run " + std::to_string(*asked) + " in " + reg.path() + " is a " + kind.text(0) +
                          " run; a hubs run (from `estate hubs`) is needed");
    return asked;
}

std::vector<StoredHub> read_stored_hubs(db::Register& reg, std::int64_t run, bool with_footprints) {
    auto& c = reg.connection();
    std::vector<StoredHub> hubs;
    std::map<std::int64_t, size_t> at; // group_no -> index in hubs
    auto groups = c.prepare("SELECT group_no, agencies, members, host_fits, need_m2, host_spare_m2, value_released, "
                            "running_cost_saved, explanation, fit, shortfall_m2, running_cost_recorded, "
                            "running_costs_recorded, moving_costs, extension_cost, net_benefit, proposed, verdict "
                            "FROM analysis_groups WHERE run_id = ? ORDER BY group_no");
    groups.bind(1, run);
    while (groups.step()) {
        StoredHub h;
        h.group_no = groups.int64(0);
        h.agencies = groups.int64(1);
        h.member_count = groups.int64(2);
        if (!groups.is_null(3)) h.host_fits = groups.int64(3) != 0;
        h.need_m2 = groups.opt_real(4);
        h.host_spare_m2 = groups.opt_real(5);
        h.value_released = groups.opt_real(6);
        h.running_cost_saved = groups.opt_real(7);
        if (!groups.is_null(8)) h.explanation = groups.text(8);
        // A run stored before schema 6 knew only fits or not.
        h.fit = !groups.is_null(9) ? groups.text(9) : !h.host_fits ? "unknown" : *h.host_fits ? "fits" : "too_small";
        h.shortfall_m2 = groups.opt_real(10);
        h.running_cost_recorded = groups.opt_real(11);
        if (!groups.is_null(12)) h.running_costs_recorded = groups.int64(12);
        h.moving_costs = groups.opt_real(13);
        h.extension_cost = groups.opt_real(14);
        h.net_benefit = groups.opt_real(15);
        h.proposed = groups.is_null(16) || groups.int64(16) != 0;
        h.verdict = !groups.is_null(17) ? groups.text(17)
                    : h.fit == "fits"   ? "host can house them"
                                        : "no single host; new build or extension needed";
        at.emplace(h.group_no, hubs.size());
        hubs.push_back(std::move(h));
    }
    auto members =
        c.prepare("SELECT m.group_no, p.id, m.role = 'host', ifnull(m.distance_m, 0), ifnull(p.name, p.ref), o.name, "
                  "X(p.geom), Y(p.geom), CASE WHEN ? THEN AsBinary(p.footprint) END, ifnull(p.address, ''), "
                  "ifnull(p.postcode, '') FROM analysis_members m "
                  "JOIN properties p ON p.id = m.property_id JOIN owners o ON o.id = p.owner_id "
                  "WHERE m.run_id = ? ORDER BY m.group_no, m.role = 'host' DESC, m.distance_m, p.id");
    members.bind(1, with_footprints ? 1 : 0).bind(2, run);
    db::PlaceNamer places(reg);
    while (members.step()) {
        auto it = at.find(members.int64(0));
        if (it == at.end()) continue;
        StoredHubMember m;
        m.property_id = members.int64(1);
        m.host = members.int64(2) != 0;
        m.distance_m = members.real(3);
        m.owner = members.text(5);
        if (!members.is_null(6) && !members.is_null(7)) m.location = model::GridPoint{members.real(6), members.real(7)};
        m.name = places.label(members.text(4), members.text(9), members.text(10), m.location);
        if (!members.is_null(8)) m.footprint_wkb = members.blob(8);
        hubs[it->second].members.push_back(std::move(m));
    }
    hubs.erase(std::remove_if(hubs.begin(), hubs.end(),
                              [](const StoredHub& h) { return h.members.empty() || !h.members.front().host; }),
               hubs.end());
    return hubs;
}

std::set<std::int64_t> proposed_members(db::Register& reg, std::int64_t run) {
    hub_run(reg, run); // a usage_error unless it is one
    std::set<std::int64_t> out;
    auto st = reg.connection().prepare(
        "SELECT m.property_id FROM analysis_members m JOIN analysis_groups g ON g.run_id = m.run_id AND "
        "g.group_no = m.group_no WHERE m.run_id = ? AND m.role = 'member' AND ifnull(g.proposed, 1) = 1");
    st.bind(1, run);
    while (st.step()) out.insert(st.int64(0));
    return out;
}

ProposedExtensions proposed_extensions(db::Register& reg, std::int64_t run) {
    ProposedExtensions out;
    auto st = reg.connection().prepare("SELECT total(extension_cost), total(fit = 'unknown') FROM analysis_groups "
                                       "WHERE run_id = ? AND ifnull(proposed, 1) = 1");
    st.bind(1, run);
    if (st.step()) {
        out.cost = st.real(0);
        out.fit_unknown = static_cast<std::int64_t>(st.real(1));
    }
    return out;
}

} // namespace estate::runs
