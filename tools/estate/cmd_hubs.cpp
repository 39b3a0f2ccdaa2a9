// estate clusters, hubs and nearest: where agencies' properties lie close together.

#include "command.hpp"

#include "estate/duplicates/duplicates.hpp"

#include "estate/error.hpp"
#include "estate/hubs/clusters.hpp"
#include "estate/hubs/hubs.hpp"
#include "estate/hubs/serialise.hpp"
#include "estate/model/normalise.hpp"
#include "estate/money/scenario.hpp"
#include "estate/runs/runs.hpp"
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
void add_analysis_options(po::options_description& o, po::positional_options_description& p, const char* radius_help,
                          const char* agencies_help) {
    o.add_options()("register", po::value<std::string>()->required(),
                    "the register file")("radius", po::value<double>()->required(),
                                         radius_help)("min-agencies", po::value<std::int64_t>()->default_value(2),
                                                      agencies_help)("exclude-red", "leave out properties tagged red")(
        "owners", po::value<std::string>(),
        "only these owners, comma-separated")("points-only", "compare locations only, ignoring building footprints");
    add_progress_options(o);
    p.add("register", 1);
}

// Checked before the register is opened, by the library's one check (finite, 0 to 100 km).
double read_radius(const po::variables_map& vm) {
    const double r = vm["radius"].as<double>();
    hubs::check_radius(r);
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
        auto run = hubs::find_clusters(reg, o, progress.steps());
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
        const auto same_building_as = hubs::same_building_map(reg);
        if (vm.count("json")) {
            hubs::write_clusters_json(std::cout, run, details, same_building_as);
        } else if (vm.count("csv")) {
            hubs::write_clusters_csv(std::cout, run, details);
        } else {
            for (size_t g = 0; g < run.clusters.size(); ++g) {
                const auto& c = run.clusters[g];
                std::map<std::int64_t, std::string> also; // main record -> its other records' references
                size_t buildings = 0;
                for (size_t m : c.members) {
                    auto it = same_building_as.find(sites[m].id);
                    if (it == same_building_as.end())
                        ++buildings;
                    else
                        also[it->second] += (also[it->second].empty() ? "" : ", ") + detail(sites[m].id).ref;
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
        std::cerr << "Run " << run.run_id << ": " << run.clusters.size() << " clusters of at least " << o.min_agencies
                  << (o.min_agencies == 1 ? " agency" : " agencies") << " within " << metres(o.radius) << " m, from "
                  << sites.size() << " located properties (" << run.sites.unlocated_left_out << " unlocated left out"
                  << (run.sites.filtered_out
                          ? ", " + std::to_string(run.sites.filtered_out) + " excluded by the filters"
                          : "")
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
        o.add_options()("rank", po::value<std::string>()->default_value("net"), "net (net benefit) or agencies")(
            "scenario", po::value<std::string>(),
            "the scenario file for money and typical figures "
            "(default: the built-in one; `estate receipts --print-scenario`)")(
            "space-factor", po::value<double>(), "floor area needed per m2 moved in (default: the scenario's)")(
            "default-utilisation", po::value<double>(),
            "share of a host's floor area in use where not recorded (default: the scenario's)")(
            "member-uses", po::value<std::string>(),
            "uses whose services can move into a hub, comma-separated "
            "(default office,library,clinic,community_centre,police_station)")(
            "host-uses", po::value<std::string>(),
            "uses that can host a hub (default the member uses and "
            "hospital,fire_station)")("top", po::value<std::size_t>(),
                                      "list only the first N hubs of each kind (all are stored)")(
            "json", "print JSON on stdout")("csv", "print CSV on stdout (one line per property)");
    }
    int run(const po::variables_map& vm) override {
        hubs::HubOptions o;
        o.radius = read_radius(vm);
        o.min_agencies = vm["min-agencies"].as<std::int64_t>();
        o.filter = read_filter(vm);
        o.rank = hubs::parse_rank(vm["rank"].as<std::string>());
        if (vm.count("scenario")) o.scenario = money::read_scenario(vm["scenario"].as<std::string>());
        if (vm.count("space-factor")) o.scenario.space_factor = vm["space-factor"].as<double>();
        if (vm.count("default-utilisation")) o.scenario.default_utilisation = vm["default-utilisation"].as<double>();
        if (vm.count("member-uses")) o.member_uses = model::split_trimmed(vm["member-uses"].as<std::string>(), ',');
        if (vm.count("host-uses")) o.host_uses = model::split_trimmed(vm["host-uses"].as<std::string>(), ',');
        auto reg = db::Register::open(vm["register"].as<std::string>());
        ProgressLine progress(vm, "hubs");
        auto run = hubs::find_hubs(reg, o, progress.steps());
        progress.finish();
        const auto& sites = run.sites.sites;
        auto detail = [&](std::int64_t id) -> const hubs::SiteDetails& { return hubs::detail_of(run.details, id); };
        const size_t top = vm.count("top") ? vm["top"].as<std::size_t>() : run.hubs.size();
        const auto listed = hubs::first_of_each_kind(run, top);
        const auto totals = hubs::proposed_totals(run);
        const double saved = totals.running_cost_saved, net = totals.net_benefit;
        const std::int64_t proposed = totals.hubs;
        const std::string order = hubs::rank_words(o.rank);
        if (vm.count("json")) {
            hubs::write_hubs_json(std::cout, run, listed);
        } else if (vm.count("csv")) {
            hubs::write_hubs_csv(std::cout, run, listed);
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
                  << run.hubs.size() - static_cast<size_t>(proposed) << " not worth it on these figures, " << order
                  << ", of at least " << o.min_agencies << " agencies within " << metres(o.radius)
                  << " m of their hosts, from " << sites.size() << " located properties ("
                  << run.sites.unlocated_left_out << " unlocated left out"
                  << (run.sites.filtered_out
                          ? ", " + std::to_string(run.sites.filtered_out) + " excluded by the filters"
                          : "")
                  << "); the proposed hubs' net benefit is " << util::pounds(net) << " (" << o.scenario.citation()
                  << "), saving about " << util::pounds(saved) << " a year"
                  << (listed.size() < run.hubs.size() ? "; listed the first " + std::to_string(top) + " of each kind"
                                                      : "")
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
        o.add_options()("register", po::value<std::string>()->required(), "the register file")("json",
                                                                                               "print JSON on stdout");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        const auto stored = runs::list_runs(reg);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_array();
            for (const auto& r : stored) {
                w.begin_object().field("run", r.id).field("kind", r.kind).field("created_at", r.created_at);
                w.key("parameters").raw_value(r.parameters); // stored as a JSON object
                w.field("properties_considered", r.sites_considered)
                    .field("unlocated_left_out", r.unlocated_left_out)
                    .field("found", r.groups_listed)
                    .end_object();
            }
            w.end_array();
            std::cout << "\n";
            return exit_ok;
        }
        // One line each, parameters in full (a table would cut them).
        for (const auto& r : stored)
            std::cout << "Run " << r.id << ": " << r.kind << ", " << r.created_at << ", " << r.groups_listed
                      << " found among " << r.sites_considered << " located properties; " << r.parameters << "\n";
        std::cerr << stored.size() << " runs\n";
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
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "property", po::value<std::string>()->required(), "id, UPRN or owner's reference")(
            "count", po::value<std::size_t>()->default_value(1), "how many to list")("json", "print JSON on stdout");
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
            w.begin_object()
                .field("id", origin.id)
                .field("owner", origin.owner)
                .field("ref", origin.ref)
                .field("name", origin.name)
                .key("nearest")
                .begin_array();
            for (const auto& n : r.nearest) {
                const auto& d = detail(sites[n.site].id);
                w.begin_object()
                    .field("id", d.id)
                    .field("owner", d.owner)
                    .field("ref", d.ref)
                    .field("name", d.name)
                    .field("distance_m", n.distance)
                    .end_object();
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

std::unique_ptr<Command> make_runs() {
    return std::make_unique<Runs>();
}

std::unique_ptr<Command> make_nearest() {
    return std::make_unique<Nearest>();
}

std::unique_ptr<Command> make_clusters() {
    return std::make_unique<Clusters>();
}

std::unique_ptr<Command> make_hubs() {
    return std::make_unique<Hubs>();
}

} // namespace estate::cli
