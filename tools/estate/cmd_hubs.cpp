// estate clusters, hubs and nearest: where agencies' properties lie close together.

#include "command.hpp"

#include "estate/duplicates/duplicates.hpp"

#include "estate/error.hpp"
#include "estate/hubs/clusters.hpp"
#include "estate/hubs/hubs.hpp"
#include "estate/hubs/runs.hpp"
#include "estate/model/normalise.hpp"
#include "estate/receipts/receipts.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

namespace estate::cli {
namespace {


// The options clusters and hubs share: which properties take part, and how near.
void add_analysis_options(po::options_description& o, po::positional_options_description& p,
                          const char* radius_help, const char* agencies_help) {
    o.add_options()
        ("register", po::value<std::string>()->required(), "the register file")
        ("radius", po::value<double>()->required(), radius_help)
        ("min-agencies", po::value<std::int64_t>()->default_value(2), agencies_help)
        ("exclude-red", "leave out properties tagged red")
        ("owners", po::value<std::string>(), "only these owners, comma-separated")
        ("points-only", "compare locations only, ignoring building footprints");
    add_progress_options(o);
    p.add("register", 1);
}

// Progress on stderr for the long steps, when wanted (on a terminal, or --progress):
// one line, redrawn, for each thing counted; finish() ends the last one.
class ProgressLine {
public:
    ProgressLine(const po::variables_map& vm, std::string command) : on_(show_progress(vm)), command_(std::move(command)) {}
    ~ProgressLine() { finish(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    hubs::Progress callback() {
        if (!on_) return {};
        return [this](const std::string& what, std::int64_t done, std::int64_t total) {
            if (what != step_) finish();
            step_ = what;
            std::cerr << "\r" << command_ << ": " << util::thousands(static_cast<double>(done));
            if (total > 0) std::cerr << " of " << util::thousands(static_cast<double>(total));
            std::cerr << " " << what << std::flush;
        };
    }
    void finish() {
        if (!step_.empty()) std::cerr << "\n";
        step_.clear();
    }

private:
    bool on_;
    std::string command_, step_;
};

double read_radius(const po::variables_map& vm) {
    const double r = vm["radius"].as<double>();
    if (!(r >= 0)) throw usage_error("--radius must be a distance in metres, 0 or more");
    return r;
}

hubs::SiteFilter read_filter(const po::variables_map& vm) {
    hubs::SiteFilter f;
    f.exclude_red = vm.count("exclude-red") > 0;
    if (vm.count("owners")) f.owners = model::split_trimmed(vm["owners"].as<std::string>(), ',');
    f.points_only = vm.count("points-only") > 0;
    return f;
}

std::string metres(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A figure for a CSV cell at full precision, never in scientific notation: metres to
// the millimetre (decimals 3), pounds to the penny (2); empty when not recorded.
std::string fixed(double v, int decimals) {
    if (std::isnan(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

class Clusters : public Command {
public:
    std::string name() const override { return "clusters"; }
    std::string synopsis() const override {
        return "estate clusters REGISTER --radius METRES [--min-agencies K] [--exclude-red] [--owners A,B,...] "
               "[--json|--csv]";
    }
    std::string description() const override {
        return "Co-location clusters: properties within --radius metres of each other (footprint to\n"
               "footprint where both have one, else point to point; a distance equal to the radius\n"
               "counts) are linked, and linked properties grouped transitively: the partition of\n"
               "PostGIS's ST_ClusterDBSCAN(eps := radius, minpoints := 1). A cluster is listed when it\n"
               "holds at least K distinct owners (default 2; K = 1 lists every cluster of two or more).\n"
               "Unlocated properties take no part; the output says how many. Each run is kept in the\n"
               "register with its parameters; its number is printed so a paper can cite it.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        add_analysis_options(o, p, "link distance in metres", "distinct owners a cluster needs");
        o.add_options()("json", "print JSON on stdout")("csv", "print CSV on stdout (one line per member)");
    }
    int run(const po::variables_map& vm) override {
        hubs::ClusterOptions o;
        o.radius = read_radius(vm);
        o.min_agencies = vm["min-agencies"].as<std::int64_t>();
        o.filter = read_filter(vm);
        auto reg = db::Register::open(vm["register"].as<std::string>());
        ProgressLine progress(vm, "clusters");
        auto run = hubs::find_clusters(reg, o, progress.callback());
        progress.finish();
        const auto& sites = run.sites.sites;
        // Names and references for the listed members only.
        std::vector<std::int64_t> listed;
        for (const auto& c : run.clusters)
            for (size_t m : c.members) listed.push_back(sites[m].id);
        auto details = hubs::load_details(reg, listed);
        auto detail = [&](std::int64_t id) -> const hubs::SiteDetails& { return hubs::detail_of(details, id); };
        // Clusters keep every record (they are geometry); a building several files list is
        // named once, its other records beside it (estate duplicates).
        std::map<std::int64_t, std::int64_t> same_building_as; // other record -> main record
        for (const auto& [main_id, others] : duplicates::counted_once(reg))
            for (auto id : others) same_building_as[id] = main_id;
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_object().field("run", run.run_id).field("radius_m", o.radius)
                .field("min_agencies", o.min_agencies).field("exclude_red", o.filter.exclude_red)
                .field("properties_considered", static_cast<std::int64_t>(sites.size()))
                .field("unlocated_left_out", run.sites.unlocated_left_out)
                .field("filtered_out", run.sites.filtered_out);
            w.key("seconds").begin_object().field("load", run.seconds_load).field("cluster", run.seconds_cluster)
                .field("store", run.seconds_store).end_object();
            w.key("clusters").begin_array();
            for (size_t g = 0; g < run.clusters.size(); ++g) {
                const auto& c = run.clusters[g];
                w.begin_object().field("cluster", static_cast<std::int64_t>(g + 1)).field("agencies", c.agencies);
                w.key("members").begin_array();
                for (size_t m : c.members) {
                    const auto& s = sites[m];
                    const auto& d = detail(s.id);
                    w.begin_object().field("id", s.id).field("owner", d.owner).field("ref", d.ref)
                        .field("name", d.name).field("easting", s.x).field("northing", s.y);
                    w.key("same_building_as");
                    if (auto it = same_building_as.find(s.id); it != same_building_as.end()) w.value(it->second);
                    else w.null();
                    w.end_object();
                }
                w.end_array().end_object();
            }
            w.end_array().end_object();
            std::cout << "\n";
        } else if (vm.count("csv")) {
            util::write_csv_row(std::cout, {"run", "cluster", "agencies", "id", "owner", "ref", "name", "easting",
                                            "northing"});
            for (size_t g = 0; g < run.clusters.size(); ++g)
                for (size_t m : run.clusters[g].members) {
                    const auto& s = sites[m];
                    const auto& d = detail(s.id);
                    util::write_csv_row(std::cout, {std::to_string(run.run_id), std::to_string(g + 1),
                                                    std::to_string(run.clusters[g].agencies), std::to_string(s.id),
                                                    d.owner, d.ref, d.name, fixed(s.x, 3), fixed(s.y, 3)});
                }
        } else {
            for (size_t g = 0; g < run.clusters.size(); ++g) {
                const auto& c = run.clusters[g];
                std::map<std::int64_t, std::string> also; // main record -> its other records' references
                size_t buildings = 0;
                for (size_t m : c.members) {
                    auto it = same_building_as.find(sites[m].id);
                    if (it == same_building_as.end()) ++buildings;
                    else also[it->second] += (also[it->second].empty() ? "" : ", ") + detail(sites[m].id).ref;
                }
                std::cout << "Cluster " << g + 1 << ": " << buildings << " buildings of " << c.agencies << " agencies";
                if (buildings != c.members.size()) std::cout << " (" << c.members.size() << " records)";
                std::cout << "\n";
                std::vector<std::vector<std::string>> table;
                for (size_t m : c.members) {
                    if (same_building_as.count(sites[m].id)) continue; // named with its main record
                    const auto& d = detail(sites[m].id);
                    auto more = also.find(d.id);
                    table.push_back({"  " + std::to_string(d.id), d.owner, d.ref,
                                     d.name + (more == also.end() ? "" : " (also listed as " + more->second + ")")});
                }
                print_table(std::cout, {"  id", "owner", "ref", "name"}, table);
                std::cout << "\n";
            }
        }
        std::cerr << "Run " << run.run_id << ": " << run.clusters.size() << " clusters of at least "
                  << o.min_agencies << (o.min_agencies == 1 ? " agency" : " agencies") << " within " << metres(o.radius)
                  << " m, from " << sites.size() << " located properties (" << run.sites.unlocated_left_out
                  << " unlocated left out" << (run.sites.filtered_out ? ", " + std::to_string(run.sites.filtered_out) +
                                                                            " excluded by the filters" : "")
                  << ")\n";
        return exit_ok;
    }
};

class Hubs : public Command {
public:
    std::string name() const override { return "hubs"; }
    std::string synopsis() const override {
        return "estate hubs REGISTER --radius METRES [--rank net|agencies] [--scenario FILE] [--min-agencies K] "
               "[--exclude-red] [--owners A,B,...] [--space-factor F] [--default-utilisation U] [--top N] "
               "[--json|--csv]";
    }
    std::string description() const override {
        return "Hub proposals: a host building plus other agencies' buildings that each lie within\n"
               "--radius metres of it (the clusters' distance rule) and whose services could move in,\n"
               "so that they could be released. Each property joins one hub at most; each hub brings\n"
               "at least K agencies together (default 2).\n"
               "Money: each member is priced as `estate receipts` prices a release (same scenario,\n"
               "--scenario FILE): receipts from sales less sales, moving and fit-out costs, plus the\n"
               "running costs saved, in present value over the scenario's horizon; a host too small\n"
               "adds the cost of extending it. Figures not recorded are assumed from the register's\n"
               "median for the use, or the scenario's typical figures, and every one is named.\n"
               "Order (--rank): net benefit (default), then agencies, then a host that fits, then the\n"
               "most suitable host (freehold, not red, better condition); or `--rank agencies`: most\n"
               "agencies first, then fit, suitability, net benefit. Hubs with a net benefit below 0\n"
               "are listed apart, \"not worth it on these figures\", not proposed.\n"
               "Space: moving services need F x their floor area (--space-factor, default the\n"
               "scenario's 0.8); a host offers its floor area less what it uses (all when vacant; its\n"
               "utilisation where recorded, else --default-utilisation, default 0.75). A host's fit is\n"
               "fits, too small (by how much), or unknown (its floor area not recorded).\n"
               "Services of offices, libraries, clinics, community centres and police stations can\n"
               "move (--member-uses); those and hospitals and fire stations can host (--host-uses).\n"
               "Red properties can host but never move; green ones move but never host; land,\n"
               "vacant buildings and properties of unknown use take no part. Each run is kept in the\n"
               "register.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        add_analysis_options(o, p, "greatest distance from a member to its host, metres",
                             "distinct owners a hub needs, host's included");
        o.add_options()
            ("rank", po::value<std::string>()->default_value("net"), "net (net benefit) or agencies")
            ("scenario", po::value<std::string>(), "the scenario file for money and typical figures "
             "(default: the built-in one; `estate receipts --print-scenario`)")
            ("space-factor", po::value<double>(), "floor area needed per m2 moved in (default: the scenario's)")
            ("default-utilisation", po::value<double>(),
             "share of a host's floor area in use where not recorded (default: the scenario's)")
            ("member-uses", po::value<std::string>(), "uses whose services can move into a hub, comma-separated "
             "(default office,library,clinic,community_centre,police_station)")
            ("host-uses", po::value<std::string>(), "uses that can host a hub (default the member uses and "
             "hospital,fire_station)")
            ("top", po::value<std::size_t>(), "list only the first N hubs of each kind (all are stored)")
            ("json", "print JSON on stdout")("csv", "print CSV on stdout (one line per property)");
    }
    int run(const po::variables_map& vm) override {
        hubs::HubOptions o;
        o.radius = read_radius(vm);
        o.min_agencies = vm["min-agencies"].as<std::int64_t>();
        o.filter = read_filter(vm);
        o.rank = hubs::parse_rank(vm["rank"].as<std::string>());
        if (vm.count("scenario")) o.scenario = receipts::read_scenario(vm["scenario"].as<std::string>());
        if (vm.count("space-factor")) o.scenario.space_factor = vm["space-factor"].as<double>();
        if (vm.count("default-utilisation")) o.scenario.default_utilisation = vm["default-utilisation"].as<double>();
        if (vm.count("member-uses")) o.member_uses = model::split_trimmed(vm["member-uses"].as<std::string>(), ',');
        if (vm.count("host-uses")) o.host_uses = model::split_trimmed(vm["host-uses"].as<std::string>(), ',');
        auto reg = db::Register::open(vm["register"].as<std::string>());
        ProgressLine progress(vm, "hubs");
        auto run = hubs::find_hubs(reg, o, progress.callback());
        progress.finish();
        const auto& sites = run.sites.sites;
        const auto& facts = run.sites.facts;
        auto detail = [&](std::int64_t id) -> const hubs::SiteDetails& { return hubs::detail_of(run.details, id); };
        // The first N of each kind: proposed, then not worth it.
        const size_t top = vm.count("top") ? vm["top"].as<std::size_t>() : run.hubs.size();
        std::vector<size_t> listed;
        size_t proposed_listed = 0, apart_listed = 0;
        for (size_t g = 0; g < run.hubs.size(); ++g)
            if ((run.hubs[g].proposed ? proposed_listed : apart_listed)++ < top) listed.push_back(g);
        double saved = 0, net = 0;
        std::int64_t proposed = 0;
        for (const auto& h : run.hubs)
            if (h.proposed) {
                ++proposed;
                saved += h.running_cost_saved;
                net += h.net_benefit;
            }
        const std::string order = hubs::rank_words(o.rank);
        auto fit_word = [](hubs::Fit f) {
            return f == hubs::Fit::fits ? "fits" : f == hubs::Fit::too_small ? "too_small" : "unknown";
        };
        auto basis_word = [](const receipts::Figure& f) {
            using B = receipts::Figure::Basis;
            return f.basis == B::recorded ? "recorded" : f.basis == B::register_median ? "register_median"
                   : f.basis == B::typical ? "typical" : "unknown";
        };
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_object().field("run", run.run_id).field("rank", o.rank == hubs::Rank::net_benefit ? "net" : "agencies")
                .field("order", order).field("scenario", o.scenario.citation()).field("radius_m", o.radius)
                .field("min_agencies", o.min_agencies).field("exclude_red", o.filter.exclude_red)
                .field("space_factor", o.scenario.space_factor)
                .field("default_utilisation", o.scenario.default_utilisation)
                .field("properties_considered", static_cast<std::int64_t>(sites.size()))
                .field("unlocated_left_out", run.sites.unlocated_left_out)
                .field("filtered_out", run.sites.filtered_out)
                .field("hubs_found", static_cast<std::int64_t>(run.hubs.size()))
                .field("hubs_proposed", proposed)
                .field("hubs_not_worth_it", static_cast<std::int64_t>(run.hubs.size()) - proposed)
                .field("running_cost_saved", saved).field("net_benefit", net);
            w.key("seconds").begin_object().field("load", run.seconds_load).field("propose", run.seconds_propose)
                .field("store", run.seconds_store).end_object();
            w.key("hubs").begin_array();
            for (size_t g : listed) {
                const auto& h = run.hubs[g];
                const auto& hs = sites[h.host];
                const auto& hd = detail(hs.id);
                const bool any_cost = h.running_costs_unknown < static_cast<std::int64_t>(h.members.size());
                const bool any_value = h.sellable_members > h.values_unknown;
                w.begin_object().field("hub", static_cast<std::int64_t>(g + 1)).field("proposed", h.proposed)
                    .field("verdict", hubs::hub_verdict(h)).field("fit", fit_word(h.fit)).field("agencies", h.agencies)
                    .field("need_m2", h.need_m2).field("need_assumed", h.need_assumed)
                    .field("shortfall_m2", h.shortfall_m2).field("net_benefit", h.net_benefit)
                    .field("moving_costs", h.moving_costs).field("extension_cost", h.extension_cost)
                    .field("running_cost_saved", any_cost ? h.running_cost_saved : std::nan(""))
                    .field("running_cost_recorded", h.running_costs_recorded ? h.running_cost_recorded : std::nan(""))
                    .field("running_costs_recorded", h.running_costs_recorded)
                    .field("running_costs_assumed", h.running_costs_assumed)
                    .field("running_costs_unknown", h.running_costs_unknown)
                    .field("value_released", any_value ? h.value_released : std::nan(""))
                    .field("sellable_members", h.sellable_members).field("values_recorded", h.values_recorded)
                    .field("values_estimated", h.values_estimated).field("values_unknown", h.values_unknown);
                w.key("host").begin_object().field("id", hs.id).field("owner", hd.owner).field("ref", hd.ref)
                    .field("name", hd.name).field("label", hd.label).field("easting", hs.x).field("northing", hs.y)
                    .field("suitability", h.host_suitability).field("spare_m2", h.host_spare_m2)
                    .field("tenure", facts[h.host].tenure).end_object();
                w.key("members").begin_array();
                for (const auto& m : h.members) {
                    const auto& s = sites[m.site];
                    const auto& d = detail(s.id);
                    w.begin_object().field("id", s.id).field("owner", d.owner).field("ref", d.ref)
                        .field("name", d.name).field("label", d.label).field("distance_m", m.distance)
                        .field("floor_area_m2", m.floor_area.value).field("floor_area_basis", basis_word(m.floor_area))
                        .field("need_m2", m.need_m2)
                        .field("running_cost", m.running_cost.value)
                        .field("running_cost_basis", basis_word(m.running_cost))
                        .field("sellable", m.release.sellable).field("market_value", facts[m.site].market_value)
                        .field("value", m.release.value).field("value_basis", m.release.value_basis)
                        .field("net_present_value", m.release.net_pv()).end_object();
                }
                w.end_array();
                w.field("explanation", run.explanations[g]).end_object();
            }
            w.end_array().end_object();
            std::cout << "\n";
        } else if (vm.count("csv")) {
            util::write_csv_row(std::cout, {"run", "hub", "proposed", "verdict", "role", "id", "owner", "ref", "name",
                                            "label", "distance_m", "floor_area_m2", "floor_area_basis", "need_m2",
                                            "market_value", "running_cost", "running_cost_basis", "sellable",
                                            "agencies", "fit", "net_benefit", "rank"});
            for (size_t g : listed) {
                const auto& h = run.hubs[g];
                auto row = [&](size_t site, const char* role, double dist, const receipts::Figure& area, double need,
                               const receipts::Figure& cost, bool sellable) {
                    const auto& d = detail(sites[site].id);
                    util::write_csv_row(std::cout, {std::to_string(run.run_id), std::to_string(g + 1),
                                                    h.proposed ? "yes" : "no", hubs::hub_verdict(h), role,
                                                    std::to_string(d.id), d.owner, d.ref, d.name, d.label,
                                                    fixed(dist, 3), fixed(area.value, 3), basis_word(area),
                                                    fixed(need, 3), fixed(facts[site].market_value, 2),
                                                    fixed(cost.value, 2), basis_word(cost), sellable ? "yes" : "no",
                                                    std::to_string(h.agencies), fit_word(h.fit),
                                                    fixed(h.net_benefit, 2), order});
                };
                receipts::Figure host_area, host_cost; // the host's own figures are not part of the sums
                if (!std::isnan(facts[h.host].gia_m2)) host_area = {facts[h.host].gia_m2, receipts::Figure::Basis::recorded, ""};
                if (!std::isnan(facts[h.host].running_cost))
                    host_cost = {facts[h.host].running_cost, receipts::Figure::Basis::recorded, ""};
                row(h.host, "host", 0, host_area, std::nan(""), host_cost,
                    std::find(o.scenario.sellable_tenures.begin(), o.scenario.sellable_tenures.end(),
                              facts[h.host].tenure) != o.scenario.sellable_tenures.end());
                for (const auto& m : h.members)
                    row(m.site, "member", m.distance, m.floor_area, m.need_m2, m.running_cost, m.release.sellable);
            }
        } else {
            bool apart_heading = false;
            std::cout << "Hubs " << order << " (" << o.scenario.citation() << ")\n\n";
            for (size_t g : listed) {
                const auto& h = run.hubs[g];
                if (!h.proposed && !apart_heading) {
                    std::cout << "Not worth it on these figures (net benefit below 0), listed apart:\n\n";
                    apart_heading = true;
                }
                const auto& hd = detail(sites[h.host].id);
                std::cout << "Hub " << g + 1 << ": " << h.agencies << " agencies around " << hd.label << " ("
                          << hd.owner << ") - " << hubs::hub_verdict(h) << "; net benefit "
                          << util::pounds(h.net_benefit) << "\n";
                std::vector<std::vector<std::string>> table;
                table.push_back({"  host", std::to_string(hd.id), hd.owner, hd.ref, hd.label, "0"});
                for (const auto& m : h.members) {
                    const auto& d = detail(sites[m.site].id);
                    char dist[32];
                    std::snprintf(dist, sizeof dist, "%.0f", m.distance);
                    table.push_back({"  member", std::to_string(d.id), d.owner, d.ref, d.label, dist});
                }
                print_table(std::cout, {"  role", "id", "owner", "ref", "name", "metres"}, table);
                print_wrapped(std::cout, run.explanations[g], "  ", 88);
                std::cout << "\n";
            }
        }
        std::cerr << "Run " << run.run_id << ": " << proposed << " hubs proposed and "
                  << run.hubs.size() - static_cast<size_t>(proposed) << " not worth it on these figures, "
                  << order << ", of at least " << o.min_agencies << " agencies within " << metres(o.radius)
                  << " m of their hosts, from " << sites.size() << " located properties ("
                  << run.sites.unlocated_left_out << " unlocated left out"
                  << (run.sites.filtered_out ? ", " + std::to_string(run.sites.filtered_out) + " excluded by the filters"
                                             : "")
                  << "); the proposed hubs' net benefit is " << util::pounds(net) << " (" << o.scenario.citation()
                  << "), saving about " << util::pounds(saved) << " a year"
                  << (listed.size() < run.hubs.size() ? "; listed the first " + std::to_string(top) + " of each kind" : "")
                  << "\n";
        return exit_ok;
    }
};

class Runs : public Command {
public:
    std::string name() const override { return "runs"; }
    std::string synopsis() const override { return "estate runs REGISTER [--json]"; }
    std::string description() const override {
        return "The clusters and hubs runs stored in the register, oldest first: number, kind, when,\n"
               "parameters and what each found. A board paper cites a run by its number; `estate export\n"
               "--hub-run N` and `estate report --hub-run N` use one.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "json", "print JSON on stdout");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        const auto runs = hubs::list_runs(reg);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_array();
            for (const auto& r : runs) {
                w.begin_object().field("run", r.id).field("kind", r.kind).field("created_at", r.created_at);
                w.key("parameters").raw_value(r.parameters); // stored as a JSON object
                w.field("properties_considered", r.sites_considered).field("unlocated_left_out", r.unlocated_left_out)
                    .field("found", r.groups_listed).end_object();
            }
            w.end_array();
            std::cout << "\n";
            return exit_ok;
        }
        // One line each, parameters in full (a table would cut them).
        for (const auto& r : runs)
            std::cout << "Run " << r.id << ": " << r.kind << ", " << r.created_at << ", " << r.groups_listed
                      << " found among " << r.sites_considered << " located properties; " << r.parameters << "\n";
        std::cerr << runs.size() << " runs\n";
        return exit_ok;
    }
};

class Nearest : public Command {
public:
    std::string name() const override { return "nearest"; }
    std::string synopsis() const override { return "estate nearest REGISTER PROPERTY [--count N] [--json]"; }
    std::string description() const override {
        return "The nearest buildings of other agencies to one property (id, UPRN or reference), with\n"
               "the distance in metres by the same rule as clusters (footprint to footprint where both\n"
               "have one, else point to point): for an officer weighing a tag.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()
            ("register", po::value<std::string>()->required(), "the register file")
            ("property", po::value<std::string>()->required(), "id, UPRN or owner's reference")
            ("count", po::value<std::size_t>()->default_value(1), "how many to list")
            ("json", "print JSON on stdout");
        p.add("register", 1).add("property", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        const std::size_t count = vm["count"].as<std::size_t>();
        if (count == 0) throw usage_error("--count must be at least 1");
        auto r = hubs::nearest_other_agencies(reg, vm["property"].as<std::string>(), count);
        const auto& sites = r.sites.sites;
        std::vector<std::int64_t> ids = {sites[r.origin].id};
        for (const auto& n : r.nearest) ids.push_back(sites[n.site].id);
        auto details = hubs::load_details(reg, ids);
        auto detail = [&](std::int64_t id) -> const hubs::SiteDetails& { return hubs::detail_of(details, id); };
        const auto& origin = detail(sites[r.origin].id);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_object().field("id", origin.id).field("owner", origin.owner).field("ref", origin.ref)
                .field("name", origin.name).key("nearest").begin_array();
            for (const auto& n : r.nearest) {
                const auto& d = detail(sites[n.site].id);
                w.begin_object().field("id", d.id).field("owner", d.owner).field("ref", d.ref).field("name", d.name)
                    .field("distance_m", n.distance).end_object();
            }
            w.end_array().end_object();
            std::cout << "\n";
            return exit_ok;
        }
        std::cout << "Nearest other agencies' properties to " << origin.owner << " " << origin.ref << " ("
                  << origin.name << "):\n";
        std::vector<std::vector<std::string>> table;
        for (const auto& n : r.nearest) {
            const auto& d = detail(sites[n.site].id);
            char metres_text[32];
            std::snprintf(metres_text, sizeof metres_text, "%.0f", n.distance);
            table.push_back({metres_text, d.owner, d.ref, d.name});
        }
        print_table(std::cout, {"metres", "owner", "ref", "name"}, table);
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_runs() { return std::make_unique<Runs>(); }

std::unique_ptr<Command> make_nearest() { return std::make_unique<Nearest>(); }

std::unique_ptr<Command> make_clusters() { return std::make_unique<Clusters>(); }

std::unique_ptr<Command> make_hubs() { return std::make_unique<Hubs>(); }

} // namespace estate::cli
