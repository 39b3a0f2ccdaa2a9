#include "estate/receipts/serialise.hpp"

#include "estate/util/csv.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <utility>

namespace estate::receipts {
namespace {

void write_totals(util::JsonWriter& w, const Totals& t) {
    w.field("properties", t.properties)
        .field("gross", t.gross)
        .field("sales_costs", t.sales_costs)
        .field("transitional_costs", t.transitional_costs)
        .field("double_running", t.double_running)
        .field("extension_costs", t.extension_costs)
        .field("programme_costs", t.programme_costs)
        .field("deferred", t.deferred)
        .field("net", t.net)
        .field("net_pv", t.net_pv)
        .field("savings", t.savings)
        .field("savings_pv", t.savings_pv);
}

void write_range(util::JsonWriter& w, const char* key, const Range& r) {
    w.key(key).begin_object().field("p10", r.p10).field("p50", r.p50).field("p90", r.p90).end_object();
}

} // namespace

void write_estimate_json(std::ostream& out, const Estimate& e, const std::string& register_path) {
    const auto& s = e.scenario;
    util::JsonWriter w(out, true);
    w.begin_object()
        .key("scenario")
        .begin_object()
        .field("name", s.name)
        .field("version", s.version)
        .field("origin", s.origin)
        .field("sha256", s.sha256)
        .end_object();
    w.field("register", register_path);
    if (e.hub_run)
        w.field("hub_run", *e.hub_run);
    else
        w.key("hub_run").null();
    w.field("runs", e.runs)
        .field("seed", static_cast<std::int64_t>(e.seed))
        .field("start_year", s.start_year)
        .field("years", s.years)
        .field("discount_rate", s.discount_rate);
    w.key("total").begin_object();
    write_totals(w, e.total);
    w.field("savings_per_year_at_end", e.savings_per_year_at_end)
        .field("beyond_horizon", e.beyond_horizon)
        .field("extensions_unknown", e.extensions_unknown)
        .end_object();
    if (e.runs > 0) {
        w.key("range").begin_object();
        write_range(w, "net", e.net);
        write_range(w, "net_pv", e.net_pv);
        w.end_object();
    }
    w.key("by_year").begin_array();
    for (size_t i = 0; i < e.years.size(); ++i) {
        w.begin_object().field("year", e.years[i]);
        write_totals(w, e.by_year[i]);
        if (e.runs > 0) write_range(w, "net_range", e.net_by_year[i]);
        w.end_object();
    }
    w.end_array();
    for (const auto& [key, groups] : {std::pair{"by_owner", &e.by_owner}, std::pair{"by_status", &e.by_status}}) {
        w.key(key).begin_array();
        for (const auto& [name, t] : *groups) {
            w.begin_object().field("key", name);
            write_totals(w, t);
            w.end_object();
        }
        w.end_array();
    }
    w.key("sensitivity").begin_array();
    for (const auto& r : e.sensitivity)
        w.begin_object()
            .field("assumption", r.assumption)
            .field("low", r.low_setting)
            .field("high", r.high_setting)
            .field("net_pv_low", r.net_pv_low)
            .field("net_pv_high", r.net_pv_high)
            .field("swing", r.swing())
            .end_object();
    w.end_array();
    const auto& q = e.quality;
    w.key("data_quality")
        .begin_object()
        .field("counted", q.counted)
        .field("values_estimated", q.values_estimated)
        .field("no_value_basis", q.no_value_basis)
        .field("not_sellable", q.not_sellable)
        .field("tenure_unknown", q.tenure_unknown)
        .field("transitional_estimated", q.transitional_estimated)
        .field("running_costs_recorded", q.running_costs_recorded)
        .field("running_costs_assumed", q.running_costs_assumed)
        .field("double_running_unknown", q.double_running_unknown)
        .field("implausible_ignored", q.implausible_ignored)
        .field("out_of_range", q.out_of_range)
        .field("site_figures", q.site_figures)
        .field("confirmed_by_officers", q.confirmed)
        .field("unlocated", q.unlocated)
        .end_object();
    w.key("properties").begin_array();
    for (const auto& p : e.properties)
        w.begin_object()
            .field("id", p.id)
            .field("owner", p.owner)
            .field("ref", p.ref)
            .field("name", p.name)
            .field("status", p.status)
            .field("kind", p.kind)
            .field("probability", p.probability)
            .field("sellable", p.sellable)
            .field("value", p.value)
            .field("value_estimated", p.value_estimated)
            .field("value_basis", p.value_basis)
            .field("release_year", p.release_year)
            .field("gross", p.gross)
            .field("sales_costs", p.sales_costs)
            .field("transitional_costs", p.transitional_costs)
            .field("double_running", p.double_running)
            .field("net", p.net)
            .field("net_pv", p.net_pv)
            .field("saving_per_year", p.saving_per_year)
            .field("value_gap", p.value_gap)
            .field("figures_set_aside", p.figures_set_aside)
            .end_object();
    w.end_array().end_object();
    out << "\n";
}

void write_estimate_csv(std::ostream& out, const Estimate& e) {
    util::write_csv_row(out,
                        {"table", "key", "properties", "gross", "sales_costs", "transitional_costs", "double_running",
                         "extension_costs", "programme_costs", "net", "net_pv", "savings", "savings_pv", "deferred"});
    auto row = [&out](const std::string& table, const std::string& key, const Totals& t) {
        util::write_csv_row(out, {table, key, std::to_string(t.properties), util::fixed(t.gross, 2),
                                  util::fixed(t.sales_costs, 2), util::fixed(t.transitional_costs, 2),
                                  util::fixed(t.double_running, 2), util::fixed(t.extension_costs, 2),
                                  util::fixed(t.programme_costs, 2), util::fixed(t.net, 2), util::fixed(t.net_pv, 2),
                                  util::fixed(t.savings, 2), util::fixed(t.savings_pv, 2), util::fixed(t.deferred, 2)});
    };
    for (size_t i = 0; i < e.years.size(); ++i) row("year", std::to_string(e.years[i]), e.by_year[i]);
    for (const auto& [k, t] : e.by_owner) row("owner", k, t);
    for (const auto& [k, t] : e.by_status) row("status", k, t);
    row("total", "", e.total);
}

} // namespace estate::receipts
