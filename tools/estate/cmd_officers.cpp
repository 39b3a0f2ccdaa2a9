// estate officers add|password|remove|list: who acts for which agency, and their
// passwords for the web app.

#include "command.hpp"

#include "estate/officers/officers.hpp"
#include "estate/officers/passwords.hpp"
#include "estate/util/json.hpp"

#include <iostream>

#include <termios.h>
#include <unistd.h>

namespace estate::cli {
namespace {

// A password from standard input: on a terminal asked for twice with echo off, else
// the first line (a script's pipe, or `--password-stdin` as docker login has it).
std::string read_password(const std::string& name) {
    auto line = [] {
        std::string s;
        std::getline(std::cin, s);
        if (!s.empty() && s.back() == '\r') s.pop_back();
        return s;
    };
    if (!::isatty(STDIN_FILENO)) return line();
    termios saved{};
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << "Password for " << name << " (at least " << officers::min_password_length << " characters): ";
    const std::string first = line();
    std::cerr << "\nAgain: ";
    const std::string second = line();
    std::cerr << "\n";
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (first != second) throw usage_error("password", "the two passwords differ; nothing was changed");
    return first;
}

class OfficersAdd : public Command {
public:
    std::string name() const override { return "officers add"; }
    std::string synopsis() const override {
        return "estate officers add REGISTER NAME --agency OWNER [--partnership-wide] [--by NAME] [--password-stdin]";
    }
    std::string description() const override {
        return "Registers an estates officer acting for an agency (an owner in the register).\n"
               "An officer tags only their agency's properties; --partnership-wide lets them tag\n"
               "every agency's (for the partnership's programme team). Adding a name again updates it.\n"
               "--password-stdin reads a password for the web app (estate serve) from standard input\n"
               "(asked for twice on a terminal); it is stored only as an Argon2id hash.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "name", po::value<std::string>()->required(), "the officer's name as they will give it to --by")(
            "agency", po::value<std::string>()->required(),
            "the owner they act for")("partnership-wide", "may tag every agency's properties")(
            "by", po::value<std::string>(),
            "the partnership-wide officer adding or changing them (not needed for "
            "a register's first officer)")("password-stdin", "read a password for the web app from standard input");
        p.add("register", 1).add("name", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        std::optional<std::string> by;
        if (vm.count("by")) by = vm["by"].as<std::string>();
        const std::string name = vm["name"].as<std::string>();
        // Read first: a password refused leaves no officer without one.
        std::optional<std::string> password;
        if (vm.count("password-stdin")) {
            password = read_password(name);
            officers::check_new_password(*password);
        }
        officers::add_officer(reg, {name, vm["agency"].as<std::string>(), vm.count("partnership-wide") > 0}, by);
        if (password) officers::set_password(reg, name, *password, by);
        std::cerr << "Officer " << vm["name"].as<std::string>() << " acts for " << vm["agency"].as<std::string>()
                  << (vm.count("partnership-wide") ? " (partnership-wide)" : "") << "\n";
        return exit_ok;
    }
};

class OfficersPassword : public Command {
public:
    std::string name() const override { return "officers password"; }
    std::string synopsis() const override { return "estate officers password REGISTER NAME [--by NAME]"; }
    std::string description() const override {
        return "Sets or replaces an officer's password for the web app (estate serve), read from\n"
               "standard input (asked for twice on a terminal) and stored only as an Argon2id hash.\n"
               "Changing an officer needs a partnership-wide officer (--by), except for a\n"
               "register's only officer setting their own.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "name", po::value<std::string>()->required(), "the officer")("by", po::value<std::string>(),
                                                                         "the partnership-wide officer changing it");
        p.add("register", 1).add("name", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        std::optional<std::string> by;
        if (vm.count("by")) by = vm["by"].as<std::string>();
        const std::string name = vm["name"].as<std::string>();
        officers::set_password(reg, name, read_password(name), by);
        std::cerr << "Password set for " << name << "\n";
        return exit_ok;
    }
};

class OfficersRemove : public Command {
public:
    std::string name() const override { return "officers remove"; }
    std::string synopsis() const override { return "estate officers remove REGISTER NAME --by NAME"; }
    std::string description() const override {
        return "Removes an officer who has left or changed role: they can no longer tag, correct\n"
               "facts or log in to the web app, and a session they have open in it ends at its next\n"
               "request. Their name stays in the history. Needs a partnership-wide officer (--by);\n"
               "'estate officers add' reinstates them.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(),
                        "the register file")("name", po::value<std::string>()->required(), "the officer to remove")(
            "by", po::value<std::string>()->required(), "the partnership-wide officer removing them");
        p.add("register", 1).add("name", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        const std::string name = vm["name"].as<std::string>();
        officers::remove_officer(reg, name, vm["by"].as<std::string>());
        std::cerr << "Removed " << name << " (their history stays)\n";
        return exit_ok;
    }
};

class OfficersList : public Command {
public:
    std::string name() const override { return "officers list"; }
    std::string synopsis() const override { return "estate officers list REGISTER"; }
    std::string description() const override { return "Lists the registered officers and their agencies."; }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        std::vector<std::vector<std::string>> table;
        for (const auto& o : officers::list_officers(reg))
            table.push_back({o.name, o.agency, o.partnership_wide ? "yes" : "no", o.can_log_in ? "yes" : "no"});
        print_table(std::cout, {"officer", "agency", "partnership-wide", "web login"}, table);
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_officers_add() {
    return std::make_unique<OfficersAdd>();
}
std::unique_ptr<Command> make_officers_remove() {
    return std::make_unique<OfficersRemove>();
}
std::unique_ptr<Command> make_officers_list() {
    return std::make_unique<OfficersList>();
}
std::unique_ptr<Command> make_officers_password() {
    return std::make_unique<OfficersPassword>();
}

} // namespace estate::cli
