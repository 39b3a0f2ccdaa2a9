#include "estate/report/history.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/util/time.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace estate::report {
namespace {

const char* basis_of(const receipts::PropertyEstimate& p) {
    return !p.sellable ? "not_sellable" : !p.value ? "none" : p.value_estimated ? "estimated" : "recorded";
}

} // namespace

Headline headline_of(db::Register& reg, const receipts::Estimate& e) {
    Headline h;
    h.made_at = util::utc_now_iso();
    h.scenario = e.scenario.citation();
    h.scenario_sha256 = e.scenario.sha256;
    h.hub_run = e.hub_run;
    h.runs = e.runs;
    h.seed = e.seed;
    h.counted = e.quality.counted;
    // The data quality table's own figures: one count, said twice.
    h.values_estimated = e.quality.values_estimated;
    h.values_none = e.quality.no_value_basis;
    h.values_recorded = e.quality.counted - e.quality.not_sellable - h.values_estimated - h.values_none;
    const auto sources = db::status_sources(reg);
    h.by_officer = sources.by_officer;
    h.by_rules = sources.by_rules;
    h.net_pv = e.total.net_pv;
    if (e.runs > 0) {
        h.p10 = e.net_pv.p10;
        h.p90 = e.net_pv.p90;
    }
    return h;
}

std::optional<Change> change_since_last(db::Register& reg, const receipts::Estimate& e, const Headline& now) {
    auto& c = reg.connection();
    auto st =
        c.prepare("SELECT id, made_at, scenario, scenario_sha256, hub_run, runs, seed, counted, net_pv, net_pv_p10, "
                  "net_pv_p90, values_recorded, values_estimated, values_none, by_officer, by_rules FROM "
                  "estimates WHERE EXISTS (SELECT 1 FROM estimate_properties WHERE estimate_id = estimates.id) "
                  "OR counted = 0 ORDER BY id DESC LIMIT 1");
    if (!st.step()) return std::nullopt;
    Change ch;
    const std::int64_t id = st.int64(0);
    Headline& p = ch.previous;
    p.made_at = st.text(1);
    p.scenario = st.text(2);
    p.scenario_sha256 = st.text(3);
    p.hub_run = st.opt_int64(4);
    p.runs = static_cast<int>(st.int64(5));
    p.seed = static_cast<std::uint64_t>(st.int64(6));
    p.counted = st.int64(7);
    p.net_pv = st.real(8);
    p.p10 = st.opt_real(9);
    p.p90 = st.opt_real(10);
    p.values_recorded = st.int64(11);
    p.values_estimated = st.int64(12);
    p.values_none = st.int64(13);
    p.by_officer = st.int64(14);
    p.by_rules = st.int64(15);
    ch.net_pv = now.net_pv - p.net_pv;

    struct Then {
        std::string status, basis;
        double net_pv;
    };
    std::unordered_map<std::int64_t, Then> then;
    auto props =
        c.prepare("SELECT property_id, status, value_basis, net_pv FROM estimate_properties WHERE estimate_id = ?");
    props.bind(1, id);
    while (props.step()) then[props.int64(0)] = {props.text(1), props.text(2), props.real(3)};
    // Where each property that left the estimate went: retired (a disposal completed,
    // or no longer in its owner's return), or a status that no longer counts.
    std::map<std::string, Change::Cause> by;
    auto add = [&](const std::string& what, double v) {
        auto& cause = by[what];
        cause.what = what;
        ++cause.properties;
        cause.net_pv += v;
    };
    const bool same_scenario = p.scenario_sha256 == now.scenario_sha256;
    for (const auto& q : e.properties) {
        auto it = then.find(q.id);
        if (it == then.end()) {
            add("newly counted: statuses set or changed to green or amber, or new in the register", q.net_pv);
            continue;
        }
        const double d = q.net_pv - it->second.net_pv;
        if (it->second.status != q.status)
            add("statuses changed", d);
        else if (it->second.basis != basis_of(q))
            add("values recorded or estimated since", d);
        else if (d != 0)
            add(same_scenario ? "timing and the market (the same scenario)" : "the scenario changed", d);
        then.erase(it);
    }
    if (!then.empty()) {
        auto retired = c.prepare("SELECT retired_at IS NOT NULL FROM properties WHERE id = ?");
        for (const auto& [pid, t] : then) {
            retired.bind(1, pid);
            const bool gone = !retired.step() || retired.int64(0) != 0;
            retired.reset();
            add(gone ? "left the register (disposals completed, or no longer in an owner's return)"
                     : "no longer counted: statuses changed to red or unassessed",
                -t.net_pv);
        }
    }
    // Programme and hub-extension costs belong to no property.
    double by_property = 0;
    for (const auto& [k, cause] : by) by_property += cause.net_pv;
    const double rest = ch.net_pv - by_property;
    for (auto& [k, cause] : by) ch.causes.push_back(cause);
    if (std::abs(rest) >= 0.5) ch.causes.push_back({"programme and extension costs", 0, rest});
    std::sort(ch.causes.begin(), ch.causes.end(),
              [](const Change::Cause& a, const Change::Cause& b) { return std::abs(a.net_pv) > std::abs(b.net_pv); });
    return ch;
}

void record_estimate(db::Register& reg, const receipts::Estimate& e, const Headline& now) {
    auto& c = reg.connection();
    db::Transaction tx(c);
    auto st =
        c.prepare("INSERT INTO estimates(made_at, scenario, scenario_sha256, hub_run, runs, seed, counted, net_pv, "
                  "net_pv_p10, net_pv_p90, values_recorded, values_estimated, values_none, by_officer, by_rules) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, now.made_at)
        .bind(2, now.scenario)
        .bind(3, now.scenario_sha256)
        .bind(4, now.hub_run)
        .bind(5, now.runs)
        .bind(6, static_cast<std::int64_t>(now.seed))
        .bind(7, now.counted)
        .bind(8, now.net_pv)
        .bind(9, now.p10)
        .bind(10, now.p90)
        .bind(11, now.values_recorded)
        .bind(12, now.values_estimated)
        .bind(13, now.values_none)
        .bind(14, now.by_officer)
        .bind(15, now.by_rules);
    st.run();
    const std::int64_t id = c.last_insert_id();
    auto prop = c.prepare("INSERT INTO estimate_properties(estimate_id, property_id, status, value_basis, net_pv) "
                          "VALUES (?, ?, ?, ?, ?)");
    for (const auto& p : e.properties)
        prop.bind(1, id)
            .bind(2, p.id)
            .bind_static(3, std::string_view(p.status))
            .bind(4, basis_of(p))
            .bind(5, p.net_pv)
            .run();
    c.exec(
        "DELETE FROM estimate_properties WHERE estimate_id NOT IN (SELECT id FROM estimates ORDER BY id DESC LIMIT 5)");
    tx.commit();
}

} // namespace estate::report
