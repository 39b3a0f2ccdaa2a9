// estate clusters: where agencies' properties lie close together.

#include "command.hpp"

#include "estate/error.hpp"
#include "estate/hubs/clusters.hpp"
#include "estate/model/normalise.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/json.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace estate::cli {
namespace {


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
        o.add_options()
            ("register", po::value<std::string>()->required(), "the register file")
            ("radius", po::value<double>()->required(), "link distance in metres")
            ("min-agencies", po::value<std::int64_t>()->default_value(2), "distinct owners a cluster needs")
            ("exclude-red", "leave out properties tagged red")
            ("owners", po::value<std::string>(), "only these owners, comma-separated")
            ("points-only", "compare locations only, ignoring building footprints")
            ("json", "print JSON on stdout")("csv", "print CSV on stdout (one line per member)");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        hubs::ClusterOptions o;
        o.radius = vm["radius"].as<double>();
        if (!(o.radius >= 0)) throw usage_error("--radius must be a distance in metres, 0 or more");
        o.min_agencies = vm["min-agencies"].as<std::int64_t>();
        o.filter.exclude_red = vm.count("exclude-red") > 0;
        if (vm.count("owners")) o.filter.owners = model::split_trimmed(vm["owners"].as<std::string>(), ',');
        o.filter.points_only = vm.count("points-only") > 0;
        auto reg = db::Register::open(vm["register"].as<std::string>());
        auto run = hubs::find_clusters(reg, o);
        const auto& sites = run.sites.sites;
        // Names and references for the listed members only.
        std::vector<std::int64_t> listed;
        for (const auto& c : run.clusters)
            for (size_t m : c.members) listed.push_back(sites[m].id);
        auto details = hubs::load_details(reg, listed);
        auto detail = [&](std::int64_t id) -> const hubs::SiteDetails& {
            return *std::lower_bound(details.begin(), details.end(), id,
                                     [](const hubs::SiteDetails& d, std::int64_t v) { return d.id < v; });
        };
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
                        .field("name", d.name).field("easting", s.x).field("northing", s.y).end_object();
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
                                                    d.owner, d.ref, d.name, metres(s.x), metres(s.y)});
                }
        } else {
            for (size_t g = 0; g < run.clusters.size(); ++g) {
                const auto& c = run.clusters[g];
                std::cout << "Cluster " << g + 1 << ": " << c.members.size() << " properties of " << c.agencies
                          << " agencies\n";
                std::vector<std::vector<std::string>> table;
                for (size_t m : c.members) {
                    const auto& d = detail(sites[m].id);
                    table.push_back({"  " + std::to_string(d.id), d.owner, d.ref, d.name});
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
        auto detail = [&](std::int64_t id) -> const hubs::SiteDetails& {
            return *std::lower_bound(details.begin(), details.end(), id,
                                     [](const hubs::SiteDetails& d, std::int64_t v) { return d.id < v; });
        };
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

std::unique_ptr<Command> make_nearest() { return std::make_unique<Nearest>(); }

std::unique_ptr<Command> make_clusters() { return std::make_unique<Clusters>(); }

} // namespace estate::cli
