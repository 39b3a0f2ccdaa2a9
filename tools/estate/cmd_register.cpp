// estate init, estate migrate, estate owners rename: creating a register, bringing an
// old one up to date, naming its owners.

#include "command.hpp"

#include "estate/db/owners.hpp"
#include "estate/db/register.hpp"

#include <iostream>

namespace estate::cli {
namespace {

class Init : public Command {
public:
    std::string name() const override { return "init"; }
    std::string synopsis() const override { return "estate init REGISTER.sqlite [--area NAME] [--partnership NAME]"; }
    std::string description() const override {
        return "Creates an empty register: a SpatiaLite file in British National Grid\n"
               "(EPSG:27700) that QGIS, ogrinfo and spatialite open directly. --area names the\n"
               "county or borough it covers and --partnership who keeps it: board papers are\n"
               "titled with them (a manifest's area and partnership keys set them too).";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file to create")(
            "area", po::value<std::string>(), "the county or borough, e.g. Trafford")(
            "partnership", po::value<std::string>(), "who keeps the register, e.g. One Trafford Partnership");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto path = vm["register"].as<std::string>();
        auto reg = db::Register::create(path);
        for (const char* key : {"area", "partnership"})
            if (vm.count(key)) reg.describe(key, vm[key].as<std::string>());
        std::cerr << "Created register " << path << " (schema version " << reg.schema_version() << ")\n";
        return exit_ok;
    }
};

class Migrate : public Command {
public:
    std::string name() const override { return "migrate"; }
    std::string synopsis() const override { return "estate migrate REGISTER.sqlite"; }
    std::string description() const override {
        return "Upgrades a register made by an older estate to this version's schema, in one\n"
               "transaction (all or nothing). Back the file up first.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto path = vm["register"].as<std::string>();
        int from = db::migrate(path);
        if (from == db::current_schema_version)
            std::cerr << path << " is already at schema version " << from << "\n";
        else
            std::cerr << "Migrated " << path << " from schema version " << from << " to " << db::current_schema_version
                      << "\n";
        return exit_ok;
    }
};

class OwnersRename : public Command {
public:
    std::string name() const override { return "owners rename"; }
    std::string synopsis() const override { return "estate owners rename REGISTER OLD NEW"; }
    std::string description() const override {
        return "Renames an owner, keeping its properties, their RAG status and history, and its\n"
               "officers: for an owner a file named only by a code ('E07000238', '47UG', a URI),\n"
               "which the import summary and 'estate info' point out. Later imports of that\n"
               "agency's files then need --owner NEW (or owner = NEW in a manifest).";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(),
                        "the register file")("old", po::value<std::string>()->required(), "the owner's name now")(
            "new", po::value<std::string>()->required(), "its proper name");
        p.add("register", 1).add("old", 1).add("new", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        const auto n = db::rename_owner(reg, vm["old"].as<std::string>(), vm["new"].as<std::string>());
        std::cerr << "Owner '" << vm["old"].as<std::string>() << "' is now '" << vm["new"].as<std::string>() << "' ("
                  << n << " properties); import its files with --owner '" << vm["new"].as<std::string>() << "'\n";
        return exit_ok;
    }
};

class OwnersMerge : public Command {
public:
    std::string name() const override { return "owners merge"; }
    std::string synopsis() const override { return "estate owners merge REGISTER FROM INTO --by NAME"; }
    std::string description() const override {
        return "Merges two owners that are one body under two names ('Bath and North East\n"
               "Somerset' from a national file, '... Council' from its own layer), as the import\n"
               "summary suggests: FROM's properties, their RAG status and history, and its officers\n"
               "move to INTO; FROM is kept as an alias, so later files that name it land on INTO.\n"
               "Recorded with --by and the time. Then 'estate duplicates' finds the buildings the\n"
               "two names both listed.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "from", po::value<std::string>()->required(),
            "the owner's other name (merged away)")("into", po::value<std::string>()->required(), "the owner to keep")(
            "by", po::value<std::string>()->required(), "who merges them (recorded)");
        p.add("register", 1).add("from", 1).add("into", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        const auto from = vm["from"].as<std::string>(), into = vm["into"].as<std::string>();
        const auto m = db::merge_owners(reg, from, into, vm["by"].as<std::string>());
        std::cerr << "Owner '" << from << "' merged into '" << into << "': " << m.properties << " properties and "
                  << m.officers << " officers moved; later files naming '" << from << "' land on '" << into << "'\n";
        for (const auto& r : m.renamed_refs)
            std::cerr << "  reference used by both owners, the moved property's renamed: " << r << "\n";
        std::cerr << "Buildings both names listed: estate duplicates " << vm["register"].as<std::string>() << "\n";
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_owners_merge() {
    return std::make_unique<OwnersMerge>();
}
std::unique_ptr<Command> make_init() {
    return std::make_unique<Init>();
}
std::unique_ptr<Command> make_owners_rename() {
    return std::make_unique<OwnersRename>();
}
std::unique_ptr<Command> make_migrate() {
    return std::make_unique<Migrate>();
}

} // namespace estate::cli
