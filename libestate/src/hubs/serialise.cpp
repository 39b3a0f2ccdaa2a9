#include "estate/hubs/serialise.hpp"

#include "estate/duplicates/duplicates.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace estate::hubs {

SameBuilding same_building_map(db::Register& reg) {
    SameBuilding out;
    for (const auto& [main_id, others] : duplicates::counted_once(reg))
        for (auto id : others) out[id] = main_id;
    return out;
}

void write_clusters_json(std::ostream& out, const ClusterRun& run, const std::vector<SiteDetails>& details,
                         const SameBuilding& same_building_as) {
    const auto& o = run.options;
    const auto& sites = run.sites.sites;
    util::JsonWriter w(out, true);
    w.begin_object()
        .field("run", run.run_id)
        .field("radius_m", o.radius)
        .field("min_agencies", o.min_agencies)
        .field("exclude_red", o.filter.exclude_red)
        .field("properties_considered", static_cast<std::int64_t>(sites.size()))
        .field("unlocated_left_out", run.sites.unlocated_left_out)
        .field("filtered_out", run.sites.filtered_out);
    w.key("seconds")
        .begin_object()
        .field("load", run.seconds_load)
        .field("cluster", run.seconds_cluster)
        .field("store", run.seconds_store)
        .end_object();
    w.key("clusters").begin_array();
    for (size_t g = 0; g < run.clusters.size(); ++g) {
        const auto& c = run.clusters[g];
        w.begin_object().field("cluster", static_cast<std::int64_t>(g + 1)).field("agencies", c.agencies);
        w.key("members").begin_array();
        for (size_t m : c.members) {
            const auto& s = sites[m];
            const auto& d = detail_of(details, s.id);
            w.begin_object()
                .field("id", s.id)
                .field("owner", d.owner)
                .field("ref", d.ref)
                .field("name", d.name)
                .field("easting", s.x)
                .field("northing", s.y);
            w.key("same_building_as");
            if (auto it = same_building_as.find(s.id); it != same_building_as.end())
                w.value(it->second);
            else
                w.null();
            w.end_object();
        }
        w.end_array().end_object();
    }
    w.end_array().end_object();
    out << "\n";
}

void write_clusters_csv(std::ostream& out, const ClusterRun& run, const std::vector<SiteDetails>& details) {
    const auto& sites = run.sites.sites;
    util::write_csv_row(out, {"run", "cluster", "agencies", "id", "owner", "ref", "name", "easting", "northing"});
    for (size_t g = 0; g < run.clusters.size(); ++g)
        for (size_t m : run.clusters[g].members) {
            const auto& s = sites[m];
            const auto& d = detail_of(details, s.id);
            util::write_csv_row(out, {std::to_string(run.run_id), std::to_string(g + 1),
                                      std::to_string(run.clusters[g].agencies), std::to_string(s.id), d.owner, d.ref,
                                      d.name, util::fixed(s.x, 3), util::fixed(s.y, 3)});
        }
}

std::vector<size_t> first_of_each_kind(const HubRun& run, size_t top) {
    std::vector<size_t> listed;
    size_t proposed = 0, apart = 0;
    for (size_t g = 0; g < run.hubs.size(); ++g)
        if ((run.hubs[g].proposed ? proposed : apart)++ < top) listed.push_back(g);
    return listed;
}

ProposedTotals proposed_totals(const HubRun& run) {
    ProposedTotals t;
    for (const auto& h : run.hubs)
        if (h.proposed) {
            ++t.hubs;
            t.running_cost_saved += h.running_cost_saved;
            t.net_benefit += h.net_benefit;
        }
    return t;
}

void write_hubs_json(std::ostream& out, const HubRun& run, const std::vector<size_t>& listed) {
    const auto& o = run.options;
    const auto& sites = run.sites.sites;
    const auto& buildings = run.sites.facts;
    const auto totals = proposed_totals(run);
    util::JsonWriter w(out, true);
    w.begin_object()
        .field("run", run.run_id)
        .field("rank", o.rank == Rank::net_benefit ? "net" : "agencies")
        .field("order", rank_words(o.rank))
        .field("scenario", o.scenario.citation())
        .field("radius_m", o.radius)
        .field("min_agencies", o.min_agencies)
        .field("exclude_red", o.filter.exclude_red)
        .field("space_factor", o.scenario.space_factor)
        .field("default_utilisation", o.scenario.default_utilisation)
        .field("properties_considered", static_cast<std::int64_t>(sites.size()))
        .field("unlocated_left_out", run.sites.unlocated_left_out)
        .field("filtered_out", run.sites.filtered_out)
        .field("hubs_found", static_cast<std::int64_t>(run.hubs.size()))
        .field("hubs_proposed", totals.hubs)
        .field("hubs_not_worth_it", static_cast<std::int64_t>(run.hubs.size()) - totals.hubs)
        .field("running_cost_saved", totals.running_cost_saved)
        .field("net_benefit", totals.net_benefit);
    w.key("seconds")
        .begin_object()
        .field("load", run.seconds_load)
        .field("propose", run.seconds_propose)
        .field("store", run.seconds_store)
        .end_object();
    w.key("hubs").begin_array();
    for (size_t g : listed) {
        const auto& h = run.hubs[g];
        const auto& hs = sites[h.host];
        const auto& hd = detail_of(run.details, hs.id);
        const bool any_cost = h.running_costs_unknown < static_cast<std::int64_t>(h.members.size());
        const bool any_value = h.sellable_members > h.values_unknown;
        w.begin_object()
            .field("hub", static_cast<std::int64_t>(g + 1))
            .field("proposed", h.proposed)
            .field("verdict", hub_verdict(h))
            .field("fit", code_of(h.fit))
            .field("agencies", h.agencies)
            .field("need_m2", h.need_m2)
            .field("need_assumed", h.need_assumed)
            .field("shortfall_m2", h.shortfall_m2)
            .field("net_benefit", h.net_benefit)
            .field("moving_costs", h.moving_costs)
            .field("extension_cost", h.extension_cost)
            .field("running_cost_saved", any_cost ? h.running_cost_saved : std::nan(""))
            .field("running_cost_recorded", h.running_costs_recorded ? h.running_cost_recorded : std::nan(""))
            .field("running_costs_recorded", h.running_costs_recorded)
            .field("running_costs_assumed", h.running_costs_assumed)
            .field("running_costs_unknown", h.running_costs_unknown)
            .field("value_released", any_value ? h.value_released : std::nan(""))
            .field("sellable_members", h.sellable_members)
            .field("values_recorded", h.values_recorded)
            .field("values_estimated", h.values_estimated)
            .field("values_unknown", h.values_unknown);
        w.key("host")
            .begin_object()
            .field("id", hs.id)
            .field("owner", hd.owner)
            .field("ref", hd.ref)
            .field("name", hd.name)
            .field("label", hd.label)
            .field("easting", hs.x)
            .field("northing", hs.y)
            .field("suitability", h.host_suitability)
            .field("spare_m2", h.host_spare_m2)
            .field("tenure", buildings[h.host].tenure)
            .end_object();
        w.key("members").begin_array();
        for (const auto& m : h.members) {
            const auto& s = sites[m.site];
            const auto& d = detail_of(run.details, s.id);
            w.begin_object()
                .field("id", s.id)
                .field("owner", d.owner)
                .field("ref", d.ref)
                .field("name", d.name)
                .field("label", d.label)
                .field("distance_m", m.distance)
                .field("floor_area_m2", m.floor_area.value)
                .field("floor_area_basis", m.floor_area.basis_code())
                .field("need_m2", m.need_m2)
                .field("running_cost", m.running_cost.value)
                .field("running_cost_basis", m.running_cost.basis_code())
                .field("sellable", m.release.sellable)
                .field("market_value", buildings[m.site].figure_or_nan(facts::Field::market_value))
                .field("value", m.release.value)
                .field("value_basis", m.release.value_basis)
                .field("net_present_value", m.release.net_pv())
                .end_object();
        }
        w.end_array();
        w.key("left_out").begin_array();
        for (const auto& l : h.left_out) {
            const auto& s = sites[l.site];
            const auto& d = detail_of(run.details, s.id);
            w.begin_object()
                .field("id", s.id)
                .field("owner", d.owner)
                .field("ref", d.ref)
                .field("name", d.name)
                .field("why", l.why)
                .end_object();
        }
        w.end_array();
        w.field("explanation", run.explanations[g]).end_object();
    }
    w.end_array().end_object();
    out << "\n";
}

void write_hubs_csv(std::ostream& out, const HubRun& run, const std::vector<size_t>& listed) {
    const auto& o = run.options;
    const auto& sites = run.sites.sites;
    const auto& buildings = run.sites.facts;
    const std::string order = rank_words(o.rank);
    util::write_csv_row(out, {"run",
                              "hub",
                              "proposed",
                              "verdict",
                              "role",
                              "id",
                              "owner",
                              "ref",
                              "name",
                              "label",
                              "distance_m",
                              "floor_area_m2",
                              "floor_area_basis",
                              "need_m2",
                              "market_value",
                              "running_cost",
                              "running_cost_basis",
                              "sellable",
                              "agencies",
                              "fit",
                              "net_benefit",
                              "rank"});
    for (size_t g : listed) {
        const auto& h = run.hubs[g];
        auto row = [&](size_t site, const char* role, double dist, const money::Figure& area, double need,
                       const money::Figure& cost, bool sellable) {
            const auto& d = detail_of(run.details, sites[site].id);
            util::write_csv_row(out, {std::to_string(run.run_id),
                                      std::to_string(g + 1),
                                      h.proposed ? "yes" : "no",
                                      hub_verdict(h),
                                      role,
                                      std::to_string(d.id),
                                      d.owner,
                                      d.ref,
                                      d.name,
                                      d.label,
                                      util::fixed(dist, 3),
                                      util::fixed(area.value, 3),
                                      area.basis_code(),
                                      util::fixed(need, 3),
                                      util::fixed(buildings[site].figure_or_nan(facts::Field::market_value), 2),
                                      util::fixed(cost.value, 2),
                                      cost.basis_code(),
                                      sellable ? "yes" : "no",
                                      std::to_string(h.agencies),
                                      code_of(h.fit),
                                      util::fixed(h.net_benefit, 2),
                                      order});
        };
        money::Figure host_area, host_cost; // the host's own figures are not part of the sums
        if (!std::isnan(buildings[h.host].figure_or_nan(facts::Field::floor_area)))
            host_area = {buildings[h.host].figure_or_nan(facts::Field::floor_area), money::Figure::Basis::recorded, ""};
        if (!std::isnan(buildings[h.host].figure_or_nan(facts::Field::running_cost)))
            host_cost = {buildings[h.host].figure_or_nan(facts::Field::running_cost), money::Figure::Basis::recorded,
                         ""};
        const auto& sellable = o.scenario.sellable_tenures;
        row(h.host, "host", 0, host_area, std::nan(""), host_cost,
            std::find(sellable.begin(), sellable.end(), buildings[h.host].tenure) != sellable.end());
        for (const auto& m : h.members)
            row(m.site, "member", m.distance, m.floor_area, m.need_m2, m.running_cost, m.release.sellable);
    }
}

} // namespace estate::hubs
