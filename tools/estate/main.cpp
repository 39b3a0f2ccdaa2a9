// estate: the command-line program. Dispatches to one command; maps exceptions to
// the documented exit codes (0 ok, 1 failure, 2 usage error).

#include "command.hpp"

#include "estate/error.hpp"
#include "estate/version.hpp"

#include <iostream>
#include <string>
#include <vector>

using namespace estate::cli;

namespace {

void print_overview(std::ostream& out) {
    out << "Usage: estate COMMAND [OPTIONS]\n\n"
           "One register of every public building in a county, whoever owns it.\n\n"
           "Commands:\n";
    for (const auto& c : all_commands()) out << "  " << c->synopsis() << "\n";
    out << "\nYour own file, the first time (no profile needed):\n"
           "  estate import REGISTER FILE --dry-run      the columns it would use and why, the counts; writes nothing\n"
           "  estate profile guess FILE > mine.ini       the same as a profile to edit (then --profile mine.ini)\n"
           "  estate postcodes load REGISTER ONSPD.csv   once: rows with only a postcode are placed, every import\n"
           "  estate owners merge REGISTER FROM INTO --by NAME   one body under two names, as the summary suggests\n"
           "\nRun 'estate COMMAND --help' (or 'estate help COMMAND') for a command's options.\n"
           "Exit codes: 0 success, 1 the work failed (a missing or bad file, nothing of that name, a database error),\n"
           "            2 the command line was wrong (unknown option, missing argument).\n";
}

} // namespace

int dispatch(int argc, char** argv);

int main(int argc, char** argv) {
    // Nothing here writes through C's stdio, so std::cout can keep its own buffer: a
    // JSON of a million properties is written in large blocks, not call by call.
    std::ios::sync_with_stdio(false);
    // "estate help rag set" is "estate rag set --help".
    if (argc >= 3 && std::string(argv[1]) == "help") {
        std::vector<char*> args(argv, argv + argc);
        args.erase(args.begin() + 1);
        static char help[] = "--help";
        args.push_back(help);
        return dispatch(static_cast<int>(args.size()), args.data());
    }
    return dispatch(argc, argv);
}

int dispatch(int argc, char** argv) {
    if (argc < 2) {
        print_overview(std::cerr);
        return exit_usage;
    }
    std::string name = argv[1];
    if (name == "-h" || name == "--help" || name == "help") {
        print_overview(std::cout);
        return exit_ok;
    }
    if (name == "--version") {
        std::cout << "estate " << estate::version() << "\n";
        return exit_ok;
    }
    // Two-word commands ("rag set") take the next argument as part of the name.
    int skip = 1;
    if (argc >= 3) {
        for (const auto& cmd : all_commands())
            if (cmd->name() == name + " " + argv[2]) {
                name += std::string(" ") + argv[2];
                skip = 2;
            }
    }
    for (auto& cmd : all_commands()) {
        if (cmd->name() != name) continue;
        po::options_description opts("Options");
        po::positional_options_description pos;
        opts.add_options()("help,h", "show this help");
        cmd->options(opts, pos);
        po::variables_map vm;
        try {
            po::store(po::command_line_parser(argc - skip, argv + skip).options(opts).positional(pos).run(), vm);
            if (vm.count("help")) {
                std::cout << "Usage: " << cmd->synopsis() << "\n\n"
                          << cmd->description() << "\n\n"
                          << opts << "\nExit codes: 0 success, 1 failure, 2 usage error.\n";
                return exit_ok;
            }
            po::notify(vm);
        } catch (const po::error& e) {
            std::cerr << "estate " << name << ": " << e.what() << "\nUsage: " << cmd->synopsis() << "\nRun 'estate "
                      << name << " --help' for details.\n";
            return exit_usage;
        }
        try {
            return cmd->run(vm);
        } catch (const estate::usage_error& e) {
            std::cerr << "estate " << name << ": " << (e.option().empty() ? "" : "--" + e.option() + ": ") << e.what()
                      << "\n";
            return exit_usage;
        } catch (const std::exception& e) {
            std::cerr << "estate " << name << ": error: " << e.what() << "\n";
            return exit_failure;
        }
    }
    std::string group;
    for (const auto& c : all_commands())
        if (c->name().rfind(name + " ", 0) == 0) group += "  " + c->synopsis() + "\n";
    if (!group.empty()) {
        std::cerr << "estate " << name << ": say which:\n" << group;
        return exit_usage;
    }
    std::cerr << "estate: unknown command '" << name << "'\n\n";
    print_overview(std::cerr);
    return exit_usage;
}
