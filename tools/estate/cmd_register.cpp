// estate init, estate migrate: creating a register and bringing an old one up to date.

#include "command.hpp"

#include "estate/db/register.hpp"

#include <iostream>

namespace estate::cli {
namespace {

class Init : public Command {
public:
    std::string name() const override { return "init"; }
    std::string synopsis() const override { return "estate init REGISTER.sqlite"; }
    std::string description() const override {
        return "Creates an empty register: a SpatiaLite file in British National Grid\n"
               "(EPSG:27700) that QGIS, ogrinfo and spatialite open directly.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file to create");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto path = vm["register"].as<std::string>();
        auto reg = db::Register::create(path);
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
            std::cerr << "Migrated " << path << " from schema version " << from << " to "
                      << db::current_schema_version << "\n";
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_init() { return std::make_unique<Init>(); }
std::unique_ptr<Command> make_migrate() { return std::make_unique<Migrate>(); }

} // namespace estate::cli
