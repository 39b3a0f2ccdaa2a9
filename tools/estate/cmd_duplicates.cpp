// estate duplicates, estate duplicates confirm|reject: one building in several records.

#include "command.hpp"

#include "estate/db/register.hpp"
#include "estate/duplicates/duplicates.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <cstdio>
#include <iostream>

namespace estate::cli {
namespace {

std::string metres(const std::optional<double>& d) {
    if (!d) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", *d);
    return buf;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

class Duplicates : public Command {
public:
    std::string name() const override { return "duplicates"; }
    std::string synopsis() const override { return "estate duplicates REGISTER [--all] [--json|--csv]"; }
    std::string description() const override {
        return "Finds records that are probably one building (the council's list and the libraries\n"
               "layer both holding Altrincham Library) and lists each group with its evidence:\n"
               "same_uprn (same UPRN and owner), same_name (same owner, same name within 50 m),\n"
               "same_postcode (same owner and full postcode within 50 m, not two different known uses),\n"
               "name_within (one name's words all in the other's, or similar names, within 100 m).\n"
               "Two records with different UPRNs are never grouped. An officer confirms or rejects\n"
               "each group ('estate duplicates confirm|reject'); hubs and receipts count a confirmed\n"
               "group, and an unconfirmed group of one owner's records, as one building: its most\n"
               "complete record (listed first). Clusters keep every record. --all adds rejected groups.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "all", "rejected groups too")("json", "JSON on stdout")("csv", "CSV on stdout, one line per record");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        duplicates::find(reg);
        const auto groups = duplicates::stored(reg, vm.count("all") > 0);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_object().key("groups").begin_array();
            for (const auto& g : groups) {
                w.begin_object().field("id", g.id).field("status", g.status).field("counted_once", g.counted_once);
                w.key("evidence").begin_array();
                for (const auto& e : g.evidence) w.value(e);
                w.end_array().key("members").begin_array();
                for (const auto& m : g.members) {
                    w.begin_object()
                        .field("id", m.id)
                        .field("owner", m.owner)
                        .field("ref", m.ref)
                        .field("name", m.name);
                    w.key("distance");
                    if (m.distance_m)
                        w.value(*m.distance_m);
                    else
                        w.null();
                    w.field("main", m.main).end_object();
                }
                w.end_array().end_object();
            }
            w.end_array().end_object();
            std::cout << "\n";
            return exit_ok;
        }
        if (vm.count("csv")) {
            util::write_csv_row(std::cout, {"group", "status", "counted_once", "evidence", "id", "owner", "ref", "name",
                                            "distance_m", "main"});
            for (const auto& g : groups)
                for (const auto& m : g.members)
                    util::write_csv_row(std::cout, {std::to_string(g.id), g.status, g.counted_once ? "yes" : "no",
                                                    joined(g.evidence), std::to_string(m.id), m.owner, m.ref, m.name,
                                                    metres(m.distance_m), m.main ? "yes" : "no"});
            return exit_ok;
        }
        for (const auto& g : groups) {
            std::cout << "Group " << g.id << " (" << g.status << (g.counted_once ? ", counted once" : "")
                      << "; evidence: " << joined(g.evidence) << ")\n";
            std::vector<std::vector<std::string>> rows;
            for (const auto& m : g.members)
                rows.push_back(
                    {m.main ? "main" : "", std::to_string(m.id), m.owner, m.ref, m.name, metres(m.distance_m)});
            print_table(std::cout, {"", "id", "owner", "ref", "name", "metres"}, rows);
            std::cout << "\n";
        }
        std::cerr << groups.size() << " groups of records that look like one building"
                  << (groups.empty() ? ""
                                     : "; confirm or reject each with 'estate duplicates confirm|reject "
                                       "REGISTER GROUP --by NAME'")
                  << "\n";
        return exit_ok;
    }
};

class Decide : public Command {
public:
    explicit Decide(bool confirm) : confirm_(confirm) {}
    std::string name() const override { return confirm_ ? "duplicates confirm" : "duplicates reject"; }
    std::string synopsis() const override { return "estate " + name() + " REGISTER GROUP --by NAME"; }
    std::string description() const override {
        return confirm_ ? "Confirms that a group's records are one building: hubs and receipts count it once,\n"
                          "as its main record. The officer acts for every owner in the group, or is\n"
                          "partnership-wide. Kept with who and when."
                        : "Rejects a group: its records are different buildings, and the group is never\n"
                          "proposed again. The officer acts for every owner in the group, or is\n"
                          "partnership-wide. Kept with who and when.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "group", po::value<std::int64_t>()->required(), "the group's number ('estate duplicates')")(
            "by", po::value<std::string>()->required(), "the officer deciding");
        p.add("register", 1).add("group", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        const auto group = vm["group"].as<std::int64_t>();
        duplicates::decide(reg, group, confirm_, vm["by"].as<std::string>());
        std::cerr << "Group " << group << (confirm_ ? " confirmed: one building" : " rejected: different buildings")
                  << "\n";
        return exit_ok;
    }

private:
    bool confirm_;
};

} // namespace

std::unique_ptr<Command> make_duplicates() {
    return std::make_unique<Duplicates>();
}
std::unique_ptr<Command> make_duplicates_confirm() {
    return std::make_unique<Decide>(true);
}
std::unique_ptr<Command> make_duplicates_reject() {
    return std::make_unique<Decide>(false);
}

} // namespace estate::cli
