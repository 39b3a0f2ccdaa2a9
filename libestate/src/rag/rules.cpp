#include "estate/rag/rules.hpp"

#include <algorithm>

#include "db/sqlite.hpp"
#include "estate/error.hpp"
#include "estate/io/ini.hpp"
#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"
#include "estate/rag/status.hpp"
#include "estate/util/time.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

namespace estate::embedded {
// Generated from libestate/rules/*.ini.
extern const std::vector<std::pair<const char*, const char*>>& builtin_rule_texts();
} // namespace estate::embedded

namespace estate::rag {
namespace {

Clause parse_clause(const std::string& text, const std::string& where) {
    auto fail = [&](const std::string& why) -> Clause {
        throw config_error(where + ": condition '" + text + "' " + why +
                           " (write FIELD = V, FIELD != V, FIELD in A, B, FIELD > N, FIELD < N, "
                           "FIELD is empty, FIELD is set)");
    };
    std::string t = model::trim(text);
    size_t space = t.find(' ');
    if (space == std::string::npos) return fail("has no operator");
    Clause c;
    c.field = t.substr(0, space);
    std::string rest = model::trim(t.substr(space + 1));
    auto starts = [&](const char* op) { return rest.rfind(op, 0) == 0; };
    auto value_after = [&](size_t n) { return model::trim(rest.substr(n)); };
    if (rest == "is empty") {
        c.op = Clause::Op::empty;
    } else if (rest == "is set") {
        c.op = Clause::Op::set;
    } else if (starts("!=")) {
        c.op = Clause::Op::not_equals;
        c.values = {value_after(2)};
    } else if (starts("=")) {
        c.op = Clause::Op::equals;
        c.values = {value_after(1)};
    } else if (starts("in ")) {
        c.op = Clause::Op::in;
        c.values = model::split_trimmed(value_after(3), ',');
    } else if (starts(">") || starts("<")) {
        c.op = starts(">") ? Clause::Op::greater : Clause::Op::less;
        std::string n = value_after(1);
        char* end = nullptr;
        c.number = std::strtod(n.c_str(), &end);
        if (n.empty() || *end) return fail("compares with '" + n + "', which is not a number");
    } else {
        return fail("has an unknown operator");
    }
    if ((c.op == Clause::Op::equals || c.op == Clause::Op::not_equals || c.op == Clause::Op::in) &&
        (c.values.empty() || c.values.front().empty()))
        return fail("has no value");
    return c;
}

// The text of a property's field as a rule sees it ("" = empty).
std::string field_value(const db::PropertyRecord& p, const std::string& field) {
    if (field == "running_cost_per_m2") {
        if (!p.running_cost || !p.gia_m2 || *p.gia_m2 <= 0) return "";
        return std::to_string(*p.running_cost / *p.gia_m2);
    }
    if (auto v = db::record_field(p, field)) return *v;
    throw config_error("rule condition names the field '" + field +
                       "', which a property does not have ('estate list --csv' shows the fields)");
}

} // namespace

std::vector<Rule> parse_rules(const std::string& text, const std::string& origin) {
    auto ini = io::parse_ini(text, origin);
    std::vector<Rule> rules;
    for (const auto& section : ini.sections) {
        if (section.name.empty() && section.entries.empty()) continue;
        std::string where = origin + " line " + std::to_string(section.line);
        if (section.name.rfind("rule ", 0) != 0)
            throw config_error(where + ": section [" + section.name + "] should be [rule NAME]");
        Rule r;
        r.name = model::trim(section.name.substr(5));
        for (const auto& e : section.entries) {
            std::string at = origin + " line " + std::to_string(e.line);
            if (e.key == "when") {
                for (const auto& clause : model::split_trimmed(e.value, ';'))
                    r.when.push_back(parse_clause(clause, at));
            } else if (e.key == "status") {
                if (model::rag_of(e.value).value_or(model::Rag::unassessed) == model::Rag::unassessed)
                    throw config_error(at + ": status '" + e.value + "' should be red, amber or green");
                r.status = e.value;
            } else if (e.key == "reason") {
                r.reason = e.value;
            } else {
                throw config_error(at + ": unknown key '" + e.key + "' (when, status, reason)");
            }
        }
        if (r.when.empty() || r.status.empty() || r.reason.empty())
            throw config_error(where + ": rule '" + r.name + "' needs when, status and reason");
        rules.push_back(r);
    }
    return rules;
}

std::string default_rules_text() {
    for (const auto& [name, text] : embedded::builtin_rule_texts())
        if (std::string(name) == "default") return text;
    return {};
}

std::vector<Rule> default_rules() {
    return parse_rules(default_rules_text(), "built-in default rules");
}

std::vector<Rule> read_rules(const std::string& path) {
    return parse_rules(io::read_text_file(path, "rules file"), path);
}

bool matches(const Rule& rule, const db::PropertyRecord& p) {
    for (const auto& c : rule.when) {
        std::string v = field_value(p, c.field);
        bool ok = false;
        switch (c.op) {
        case Clause::Op::equals:
            ok = !v.empty() && v == c.values.front();
            break;
        case Clause::Op::not_equals:
            ok = v != c.values.front();
            break;
        case Clause::Op::in:
            for (const auto& x : c.values) ok |= !v.empty() && v == x;
            break;
        case Clause::Op::greater:
        case Clause::Op::less: {
            if (v.empty()) break;
            double n = std::strtod(v.c_str(), nullptr);
            ok = c.op == Clause::Op::greater ? n > c.number : n < c.number;
            break;
        }
        case Clause::Op::empty:
            ok = v.empty();
            break;
        case Clause::Op::set:
            ok = !v.empty();
            break;
        }
        if (!ok) return false;
    }
    return true;
}

void for_each_suggestion(db::Register& reg, const std::vector<Rule>& rules,
                         const std::function<void(const Suggestion&)>& visit) {
    // Whether each rule looks at the use (a guessed use is said so), worked out once.
    std::vector<bool> on_use;
    for (const auto& rule : rules)
        on_use.push_back(
            std::any_of(rule.when.begin(), rule.when.end(), [](const Clause& c) { return c.field == "use"; }));
    db::ListFilter in_register_order; // no sort of the whole register
    in_register_order.register_order = true;
    db::for_each_property(
        reg, in_register_order, false, [&](const db::PropertyRecord& p, const std::vector<unsigned char>&) {
            for (size_t i = 0; i < rules.size(); ++i) {
                const Rule& rule = rules[i];
                if (!matches(rule, p)) continue;
                Suggestion s{p, rule.name, rule.status, rule.reason, Suggestion::Action::apply};
                // A board must tell a guess from a fact: a rule that matched on a use guessed
                // from the name says so.
                if (on_use[i] && p.use_source.value_or("") == "name") s.reason += " (use guessed from the name)";
                const bool by_person = model::status_set_by_person(
                    p.rag_status, p.rag_source ? std::optional<std::string_view>(*p.rag_source) : std::nullopt);
                if (p.rag_status == rule.status && p.rag_reason.value_or("") == s.reason)
                    s.action = Suggestion::Action::no_change;
                else if (by_person)
                    s.action =
                        p.rag_status == rule.status ? Suggestion::Action::no_change : Suggestion::Action::conflict;
                visit(s);
                break;
            }
        });
}

std::vector<Suggestion> suggest(db::Register& reg, const std::vector<Rule>& rules) {
    std::vector<Suggestion> out;
    for_each_suggestion(reg, rules, [&out](const Suggestion& s) { out.push_back(s); });
    // Listed by owner and reference, as `estate list` lists them.
    std::stable_sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
        return std::tie(a.property.owner, a.property.ref) < std::tie(b.property.owner, b.property.ref);
    });
    return out;
}

ApplyResult apply_rules(db::Register& reg, const std::vector<Rule>& rules, const std::string& by) {
    auto& c = reg.connection();
    // Tens of thousands of rows change in one transaction: pages kept in memory until the
    // commit are written once, not spilled and written again (a county of a million: a
    // third of the time).
    c.exec("PRAGMA cache_size = -131072"); // 128 MiB
    db::Transaction tx(c);
    const officers::Officer officer = officers::officer_named(reg, by);
    ApplyResult result;
    // The changes are gathered while the register is read (a few numbers each, however
    // large the register), then written.
    struct Change {
        std::int64_t id, version;
        std::uint32_t rule;
        bool guessed_use;
    };
    std::vector<Change> changes;
    std::map<std::string, std::uint32_t> rule_index;
    for (std::uint32_t i = 0; i < rules.size(); ++i) rule_index.emplace(rules[i].name, i);
    for_each_suggestion(reg, rules, [&](const Suggestion& s) {
        if (!officer.partnership_wide && s.property.owner != officer.agency) {
            result.out_of_scope += s.action == Suggestion::Action::no_change ? 0 : 1;
            return;
        }
        switch (s.action) {
        case Suggestion::Action::no_change:
            ++result.unchanged;
            break;
        case Suggestion::Action::conflict:
            result.conflicts.push_back(s);
            break;
        case Suggestion::Action::apply:
            changes.push_back({s.property.id, s.property.version, rule_index.at(s.rule),
                               s.reason != rules[rule_index.at(s.rule)].reason});
            break;
        }
    });
    // Written in one statement from a table of the changes: claimed with the version
    // protocol, so the history (the register's triggers) says which rule did it.
    c.exec("CREATE TEMP TABLE IF NOT EXISTS rule_changes(id INTEGER PRIMARY KEY, version INTEGER, status TEXT, "
           "reason TEXT, set_by TEXT); DELETE FROM temp.rule_changes");
    auto change_row = c.prepare("INSERT INTO temp.rule_changes VALUES (?, ?, ?, ?, ?)");
    std::vector<std::string> set_by;
    for (const auto& rule : rules) set_by.push_back("rule: " + rule.name + ", run by " + by);
    for (const Change& change : changes) {
        const Rule& rule = rules[change.rule];
        const std::string reason = change.guessed_use ? rule.reason + " (use guessed from the name)" : rule.reason;
        change_row.bind(1, change.id).bind(2, change.version).bind(3, rule.status).bind(4, reason);
        change_row.bind(5, set_by[change.rule]).run();
    }
    c.prepare("UPDATE properties SET rag_status = k.status, rag_reason = k.reason, rag_set_by = k.set_by, "
              "rag_set_at = ?, rag_source = 'rule', version = properties.version + 1 FROM temp.rule_changes k "
              "WHERE properties.id = k.id AND properties.version = k.version")
        .bind(1, util::utc_now_iso())
        .run();
    result.applied = c.changes();
    c.exec("DELETE FROM temp.rule_changes");
    tx.commit();
    return result;
}

} // namespace estate::rag
