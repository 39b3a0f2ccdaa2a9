// estate verify: is the register's RAG history whole? (libestate/rag/audit)

#include "command.hpp"

#include "estate/rag/audit.hpp"
#include "estate/util/json.hpp"

#include <iostream>

namespace estate::cli {
namespace {

class Verify : public Command {
public:
    std::string name() const override { return "verify"; }
    std::string synopsis() const override { return "estate verify REGISTER [--json]"; }
    std::string description() const override {
        return "Checks the RAG history for signs that the register was written around it: a status\n"
               "that is not what its last history row says (changed with the triggers switched off),\n"
               "a history row that breaks the sealed chain or is dated before the one written before\n"
               "it (added, changed or removed by hand), a row naming someone who was not an officer\n"
               "then, and a row from the web app that no login of its officer covers. Lists each with\n"
               "the property and the values that disagree. Exit 0 when the history is whole, 1 when\n"
               "something was found (docs/rag.md says what this can and cannot catch).";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")("json",
                                                                                               "print JSON on stdout");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        const std::string path = vm["register"].as<std::string>();
        auto reg = db::Register::open(path, true);
        const auto audit = rag::audit_history(reg);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_object()
                .field("register", path)
                .field("history_rows", audit.history_rows)
                .field("properties_checked", audit.properties_checked)
                .field("unidentified_edits", audit.unidentified_edits)
                .field("clean", audit.clean());
            w.key("findings").begin_array();
            for (const auto& f : audit.findings)
                w.begin_object()
                    .field("kind", f.kind)
                    .field("property_id", f.property_id)
                    .field("history_id", f.history_id)
                    .field("property", f.property)
                    .field("detail", f.detail)
                    .end_object();
            w.end_array().end_object();
            std::cout << "\n";
        } else {
            std::cout << rag::describe(audit, path) << "\n";
            if (audit.unidentified_edits)
                std::cout << audit.unidentified_edits << " changes were made outside estate (QGIS, a shell) and are "
                          << "recorded as 'unidentified direct edit'\n";
            for (const auto& f : audit.findings) std::cout << f.kind << ": " << f.property << ": " << f.detail << "\n";
        }
        return audit.clean() ? exit_ok : exit_failure;
    }
};

} // namespace

std::unique_ptr<Command> make_verify() {
    return std::make_unique<Verify>();
}

} // namespace estate::cli
