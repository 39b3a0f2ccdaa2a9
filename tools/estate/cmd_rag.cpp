// estate rag set|bulk|history|summary|suggest|apply-rules|rules and estate set: tagging
// the RAG disposal status and correcting a property's facts.

#include "command.hpp"

#include "estate/util/format.hpp"

#include "estate/model/normalise.hpp"
#include "estate/rag/corrections.hpp"
#include "estate/rag/rules.hpp"
#include "estate/rag/status.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/json.hpp"

#include <cstdio>
#include <iostream>

namespace estate::cli {
namespace {

class RagSet : public Command {
public:
    std::string name() const override { return "rag set"; }
    std::string synopsis() const override {
        return "estate rag set REGISTER PROPERTY red|amber|green|unassessed --reason TEXT --by NAME "
               "[--expect-version N]";
    }
    std::string description() const override {
        return "Tags one property's RAG disposal status (red = disposal unlikely, amber = possible,\n"
               "green = an opportunity). PROPERTY is an id, UPRN or owner's reference; when it\n"
               "matches several properties they are listed. The officer (--by) must be registered\n"
               "('estate officers add') and act for the property's owner, unless partnership-wide.\n"
               "--expect-version N refuses the change if someone tagged the property since you saw\n"
               "version N. Every change is kept in the history ('estate rag history').";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "property", po::value<std::string>()->required(), "id, UPRN or owner's reference")(
            "status", po::value<std::string>()->required(), "red, amber, green or unassessed")(
            "reason", po::value<std::string>()->default_value(""), "why (required unless unassessed)")(
            "by", po::value<std::string>()->required(), "the officer making the change")(
            "expect-version", po::value<std::int64_t>(),
            "the version you saw ('estate show')")("json", "print the result as JSON on stdout");
        p.add("register", 1).add("property", 1).add("status", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        rag::TagRequest rq;
        rq.property = vm["property"].as<std::string>();
        rq.status = vm["status"].as<std::string>();
        rq.reason = vm["reason"].as<std::string>();
        rq.by = vm["by"].as<std::string>();
        if (vm.count("expect-version")) rq.expect_version = vm["expect-version"].as<std::int64_t>();
        auto r = rag::set_status(reg, rq);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout);
            w.begin_object()
                .field("id", r.property_id)
                .field("owner", r.owner)
                .field("ref", r.ref)
                .field("old_status", r.old_status)
                .field("new_status", r.new_status)
                .field("version", r.version)
                .field("changed", r.changed);
            w.key("also_tagged").begin_array();
            for (const auto& o : r.also_tagged) w.value(o);
            w.end_array().key("not_reached").begin_array();
            for (const auto& o : r.not_reached) w.value(o);
            w.end_array().end_object();
            std::cout << "\n";
        }
        std::cerr << r.owner << " " << r.ref << " (" << r.name << "): "
                  << (r.old_status != r.new_status ? r.old_status + " -> " + r.new_status
                                                   : "already " + r.new_status + (r.changed ? "" : ", unchanged"))
                  << ", version " << r.version << "\n";
        for (const auto& o : r.also_tagged) std::cerr << "  and " << o << ", a record of the same building\n";
        for (const auto& o : r.not_reached)
            std::cerr << "  not " << o << ", a record of the same building: another agency's, for its officers to "
                      << "tag (the analyses count the building at its latest tag)\n";
        return exit_ok;
    }
};

class RagBulk : public Command {
public:
    std::string name() const override { return "rag bulk"; }
    std::string synopsis() const override { return "estate rag bulk REGISTER FILE --by NAME [--json]"; }
    std::string description() const override {
        return "Many tags at once from a spreadsheet export (CSV, XLSX, ...) with columns property\n"
               "(id, UPRN or reference), status, reason and optionally version (the version each\n"
               "property was at when the sheet was made). All or nothing: if any row cannot be\n"
               "applied, none is, and every bad row is listed with its row number.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(),
                        "the register file")("file", po::value<std::string>()->required(), "the sheet of tags")(
            "by", po::value<std::string>()->required(),
            "the officer making the changes")("json", "print the result as JSON on stdout");
        p.add("register", 1).add("file", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        auto r = rag::set_statuses(reg, vm["file"].as<std::string>(), vm["by"].as<std::string>());
        if (vm.count("json")) {
            util::JsonWriter w(std::cout);
            w.begin_object().field("changed", r.changed).field("unchanged", r.unchanged).end_object();
            std::cout << "\n";
        }
        std::cerr << "Tagged " << r.changed << " properties (" << r.unchanged << " already so)\n";
        return exit_ok;
    }
};

class RagHistory : public Command {
public:
    std::string name() const override { return "rag history"; }
    std::string synopsis() const override { return "estate rag history REGISTER [PROPERTY] [--csv|--json]"; }
    std::string description() const override {
        return "Every RAG change, oldest first: who, when, from what to what, why, and where it was\n"
               "made: person (the command line), web (an officer logged in to estate serve) or rule.\n"
               "Changes made outside estate (QGIS, sqlite3) appear too, as person, by 'unidentified\n"
               "direct edit' when the client did not say who.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "property", po::value<std::string>(),
            "only this property (id, UPRN or reference)")("json", "print JSON on stdout")("csv", "print CSV on stdout");
        p.add("register", 1).add("property", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        std::optional<std::string> key;
        if (vm.count("property")) key = vm["property"].as<std::string>();
        auto rows = rag::history(reg, key);
        std::vector<std::string> header = {"changed_at", "property_id", "owner",      "ref",    "name",   "old_status",
                                           "new_status", "reason",      "changed_by", "source", "version"};
        auto fields = [](const rag::HistoryEntry& h) {
            return std::vector<std::string>{h.changed_at,
                                            std::to_string(h.property_id),
                                            h.owner,
                                            h.ref,
                                            h.name,
                                            h.old_status,
                                            h.new_status,
                                            h.reason,
                                            h.changed_by,
                                            h.source,
                                            std::to_string(h.version)};
        };
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_array();
            for (const auto& h : rows) {
                auto f = fields(h);
                w.begin_object();
                for (size_t i = 0; i < header.size(); ++i) {
                    if (header[i] == "property_id" || header[i] == "version")
                        w.field(header[i], static_cast<std::int64_t>(std::stoll(f[i])));
                    else
                        w.field(header[i], f[i]);
                }
                w.end_object();
            }
            w.end_array();
            std::cout << "\n";
        } else if (vm.count("csv")) {
            util::write_csv_row(std::cout, header);
            for (const auto& h : rows) util::write_csv_row(std::cout, fields(h));
        } else {
            std::vector<std::vector<std::string>> table;
            for (const auto& h : rows)
                table.push_back(
                    {h.changed_at, h.owner, h.ref, h.old_status + " -> " + h.new_status, h.changed_by, h.reason});
            print_table(std::cout, {"when", "owner", "ref", "change", "by", "reason"}, table);
        }
        std::cerr << rows.size() << " changes\n";
        return exit_ok;
    }
};

class RagSummary : public Command {
public:
    std::string name() const override { return "rag summary"; }
    std::string synopsis() const override { return "estate rag summary REGISTER [--csv|--json]"; }
    std::string description() const override { return "Properties, floor area and value by owner and RAG status."; }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(),
                        "the register file")("json", "print JSON on stdout")("csv", "print CSV on stdout");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        auto rows = rag::summary(reg);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_array();
            for (const auto& r : rows) {
                w.begin_object().field("owner", r.owner).field("status", r.status).field("properties", r.properties);
                write_recorded(w, "gia_m2", r.gia_m2);
                write_recorded(w, "market_value", r.market_value);
                w.end_object();
            }
            w.end_array();
            std::cout << "\n";
            return exit_ok;
        }
        if (vm.count("csv")) {
            util::write_csv_row(std::cout, {"owner", "status", "properties", "gia_m2", "gia_m2_recorded",
                                            "market_value", "market_value_recorded"});
            for (const auto& r : rows) {
                std::vector<std::string> cells = {r.owner, r.status, std::to_string(r.properties)};
                for (const auto* sum : {&r.gia_m2, &r.market_value})
                    for (auto& c : recorded_cells(*sum)) cells.push_back(std::move(c));
                util::write_csv_row(std::cout, cells);
            }
        } else {
            std::vector<std::vector<std::string>> table;
            for (const auto& r : rows)
                table.push_back({r.owner, r.status, std::to_string(r.properties),
                                 util::recorded_text(r.gia_m2, r.properties),
                                 util::recorded_text(r.market_value, r.properties)});
            print_table(std::cout, {"owner", "status", "properties", "GIA m2", "value £"}, table);
        }
        return exit_ok;
    }
};

class Set : public Command {
public:
    std::string name() const override { return "set"; }
    std::string synopsis() const override {
        return "estate set REGISTER PROPERTY FIELD VALUE [FIELD VALUE]... --reason TEXT --by NAME [--json]";
    }
    std::string description() const override {
        return "Corrects a property's facts: its use (a use code: office, library, ..., unknown), and\n"
               "its floor area (gia_m2), market value and running cost (figures as people write\n"
               "them: 1200, £1.2m). PROPERTY is an id, UPRN or owner's reference. The officer (--by)\n"
               "acts for the owner, or is partnership-wide, as for RAG tags; every change is kept\n"
               "with the reason (table property_corrections), and imports keep it over the file's.\n"
               "Example: estate set county.sqlite TMBC0101 use office gia_m2 1200 --reason \"Survey\" --by \"Ann "
               "Smith\"";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "property", po::value<std::string>()->required(), "id, UPRN or owner's reference")(
            "set", po::value<std::vector<std::string>>()->required(), "FIELD VALUE pairs")(
            "reason", po::value<std::string>()->default_value(""), "why the new figures are right (required)")(
            "by", po::value<std::string>()->required(),
            "the officer making the change")("json", "print the result as JSON on stdout");
        p.add("register", 1).add("property", 1).add("set", -1);
    }
    int run(const po::variables_map& vm) override {
        const auto pairs = vm["set"].as<std::vector<std::string>>();
        if (pairs.size() % 2 != 0) throw usage_error("give FIELD VALUE pairs: '" + pairs.back() + "' has no value");
        rag::CorrectionRequest rq;
        rq.property = vm["property"].as<std::string>();
        for (size_t i = 0; i < pairs.size(); i += 2) rq.corrections.push_back({pairs[i], pairs[i + 1]});
        rq.reason = vm["reason"].as<std::string>();
        if (model::trim(rq.reason).empty()) throw usage_error("a correction needs --reason TEXT");
        rq.by = vm["by"].as<std::string>();
        auto reg = db::Register::open(vm["register"].as<std::string>());
        auto r = rag::correct(reg, rq);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout);
            w.begin_object().field("id", r.property_id).field("owner", r.owner).field("ref", r.ref);
            w.key("changed").begin_object();
            for (const auto& [field, change] : r.changed) w.field(field, change);
            w.end_object().end_object();
            std::cout << "\n";
        }
        for (const auto& [field, change] : r.changed)
            std::cerr << r.owner << " " << r.ref << " (" << r.name << "): " << field << " " << change << "\n";
        return exit_ok;
    }
};

std::vector<rag::Rule> rules_of(const po::variables_map& vm) {
    return vm.count("rules") ? rag::read_rules(vm["rules"].as<std::string>()) : rag::default_rules();
}

const char* action_name(rag::Suggestion::Action a) {
    switch (a) {
    case rag::Suggestion::Action::apply:
        return "apply";
    case rag::Suggestion::Action::no_change:
        return "no change";
    case rag::Suggestion::Action::conflict:
        return "conflict: a person's tag differs";
    }
    return "";
}

void print_suggestions(const std::vector<rag::Suggestion>& list, bool json, bool csv) {
    std::vector<std::string> header = {"id",        "owner", "ref",    "name",  "current",
                                       "suggested", "rule",  "reason", "action"};
    auto row = [](const rag::Suggestion& s) {
        return std::vector<std::string>{
            std::to_string(s.property.id), s.property.owner, s.property.ref, s.property.name.value_or(""),
            s.property.rag_status,         s.status,         s.rule,         s.reason,
            action_name(s.action)};
    };
    if (json) {
        util::JsonWriter w(std::cout, true);
        w.begin_array();
        for (const auto& s : list) {
            auto r = row(s);
            w.begin_object().field("id", s.property.id);
            for (size_t i = 1; i < header.size(); ++i) w.field(header[i], r[i]);
            w.end_object();
        }
        w.end_array();
        std::cout << "\n";
    } else if (csv) {
        util::write_csv_row(std::cout, header);
        for (const auto& s : list) util::write_csv_row(std::cout, row(s));
    } else {
        std::vector<std::vector<std::string>> table;
        for (const auto& s : list) {
            auto r = row(s);
            table.push_back({r[1], r[2], r[3], r[4] + " -> " + r[5], r[6], r[8]});
        }
        print_table(std::cout, {"owner", "ref", "name", "status", "rule", "action"}, table);
    }
}

class RagSuggest : public Command {
public:
    std::string name() const override { return "rag suggest"; }
    std::string synopsis() const override { return "estate rag suggest REGISTER [--rules FILE] [--csv|--json]"; }
    std::string description() const override {
        return "Shows what the rules would tag and why, changing nothing: for each property a rule\n"
               "matches, the rule, the suggested status and reason, and what apply-rules would do\n"
               "(apply; no change; conflict when a person's tag differs). Without --rules, the\n"
               "default rules (docs/rag.md; print them with 'estate rag rules').";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "rules", po::value<std::string>(),
            "a rules file instead of the default rules")("json", "print JSON on stdout")("csv", "print CSV on stdout");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        auto list = rag::suggest(reg, rules_of(vm));
        print_suggestions(list, vm.count("json") > 0, vm.count("csv") > 0);
        std::cerr << list.size() << " properties matched a rule\n";
        return exit_ok;
    }
};

class RagApplyRules : public Command {
public:
    std::string name() const override { return "rag apply-rules"; }
    std::string synopsis() const override {
        return "estate rag apply-rules REGISTER --by NAME [--rules FILE] [--json]";
    }
    std::string description() const override {
        return "Applies the rules to unassessed properties and to those a rule tagged before, in one\n"
               "transaction, on behalf of the officer --by and within their scope: their agency's\n"
               "properties, or every agency's for a partnership-wide officer. A person's tag is never\n"
               "overwritten: where a rule disagrees it is listed as a conflict for a person to settle.\n"
               "The history records the rule's name and the officer who ran it.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "by", po::value<std::string>()->required(), "the officer the rules run for (estate officers list)")(
            "rules", po::value<std::string>(),
            "a rules file instead of the default rules")("json", "print the result as JSON on stdout");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        auto r = rag::apply_rules(reg, rules_of(vm), vm["by"].as<std::string>());
        if (vm.count("json")) {
            util::JsonWriter w(std::cout);
            w.begin_object()
                .field("applied", r.applied)
                .field("unchanged", r.unchanged)
                .field("out_of_scope", r.out_of_scope);
            w.key("conflicts").begin_array();
            for (const auto& c : r.conflicts)
                w.begin_object()
                    .field("id", c.property.id)
                    .field("owner", c.property.owner)
                    .field("ref", c.property.ref)
                    .field("tagged", c.property.rag_status)
                    .field("rule", c.rule)
                    .field("suggested", c.status)
                    .end_object();
            w.end_array().end_object();
            std::cout << "\n";
        }
        std::cerr << "Rules applied to " << r.applied << " properties; " << r.unchanged << " already as the rules say; "
                  << r.conflicts.size() << " conflicts with a person's tag (left as the person set them)"
                  << (r.out_of_scope
                          ? "; " + std::to_string(r.out_of_scope) + " other agencies' properties left alone (" +
                                vm["by"].as<std::string>() + " acts for one agency)"
                          : std::string())
                  << "\n";
        if (!vm.count("json") && !r.conflicts.empty()) print_suggestions(r.conflicts, false, false);
        return exit_ok;
    }
};

class RagRules : public Command {
public:
    std::string name() const override { return "rag rules"; }
    std::string synopsis() const override { return "estate rag rules"; }
    std::string description() const override {
        return "Prints the default rules file, with why each rule is there: a starting point for your own.";
    }
    void options(po::options_description&, po::positional_options_description&) override {}
    int run(const po::variables_map&) override {
        std::cout << rag::default_rules_text();
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_rag_suggest() {
    return std::make_unique<RagSuggest>();
}
std::unique_ptr<Command> make_rag_apply_rules() {
    return std::make_unique<RagApplyRules>();
}
std::unique_ptr<Command> make_rag_rules() {
    return std::make_unique<RagRules>();
}

std::unique_ptr<Command> make_rag_set() {
    return std::make_unique<RagSet>();
}
std::unique_ptr<Command> make_rag_bulk() {
    return std::make_unique<RagBulk>();
}
std::unique_ptr<Command> make_rag_history() {
    return std::make_unique<RagHistory>();
}
std::unique_ptr<Command> make_rag_summary() {
    return std::make_unique<RagSummary>();
}
std::unique_ptr<Command> make_set() {
    return std::make_unique<Set>();
}
} // namespace estate::cli
