#include "analysis_runs.hpp"

#include "estate/error.hpp"
#include "estate/hubs/runs.hpp"

#include "db/sqlite.hpp"
#include "estate/util/time.hpp"

namespace estate::hubs {

void write_site_parameters(util::JsonWriter& w, double radius, std::int64_t min_agencies, const SiteFilter& filter) {
    w.field("radius_m", radius).field("min_agencies", min_agencies);
    w.field("exclude_red", filter.exclude_red).field("points_only", filter.points_only);
    w.key("owners").begin_array();
    for (const auto& o : filter.owners) w.value(o);
    w.end_array();
}

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
        "value_released, running_cost_saved, score, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto real_or_null = [](db::Statement& st, int i, double v) {
        if (std::isnan(v)) st.bind_null(i);
        else st.bind(i, v);
    };
    for (size_t g = 0; g < groups.size(); ++g) {
        const RunGroup& group = groups[g];
        insert_group.bind(1, run_id).bind(2, static_cast<std::int64_t>(g + 1)).bind(3, group.agencies);
        insert_group.bind(4, group.members);
        if (group.host_fits < 0) insert_group.bind_null(5);
        else insert_group.bind(5, group.host_fits);
        real_or_null(insert_group, 6, group.need_m2);
        real_or_null(insert_group, 7, group.host_spare_m2);
        real_or_null(insert_group, 8, group.value_released);
        real_or_null(insert_group, 9, group.running_cost_saved);
        real_or_null(insert_group, 10, group.score);
        if (group.explanation.empty()) insert_group.bind_null(11);
        else insert_group.bind(11, group.explanation);
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
    auto st = reg.connection().prepare("SELECT id, kind, created_at, parameters, sites_considered, unlocated_left_out, "
                                       "groups_listed FROM analysis_runs ORDER BY id");
    std::vector<RunSummary> out;
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.int64(5), st.int64(6)});
    return out;
}

std::optional<std::int64_t> hub_run(db::Register& reg, std::optional<std::int64_t> asked) {
    auto& c = reg.connection();
    if (!asked) return c.scalar_int("SELECT max(id) FROM analysis_runs WHERE kind = 'hubs'");
    auto kind = c.prepare("SELECT kind FROM analysis_runs WHERE id = ?");
    kind.bind(1, *asked);
    if (!kind.step())
        throw usage_error("there is no run " + std::to_string(*asked) + " in " + reg.path() +
                          "; `estate runs` lists the runs it holds");
    if (kind.text(0) != "hubs")
        throw usage_error("run " + std::to_string(*asked) + " in " + reg.path() + " is a " + kind.text(0) +
                          " run; a hubs run (from `estate hubs`) is needed");
    return asked;
}

} // namespace estate::hubs
