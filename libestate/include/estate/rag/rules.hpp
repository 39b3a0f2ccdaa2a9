#pragma once
/// @file
/// Rules that suggest a RAG status: a condition on a property's fields, a status
/// and a reason (format and the default rules in libestate/rules/default.ini,
/// explained in docs/rag.md). Rules suggest; a person's tag always stands.

#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace estate::rag {

/// One clause of a rule's condition.
struct Clause {
    enum class Op { equals, not_equals, in, greater, less, empty, set };
    std::string field;
    Op op;
    std::vector<std::string> values; ///< one for =, != ; several for in; the number for > <
    double number = 0;
};

struct Rule {
    std::string name;
    std::vector<Clause> when; ///< all must hold
    std::string status;
    std::string reason;
};

/// The built-in default rules, and their file's text (with why each is there).
std::vector<Rule> default_rules();
std::string default_rules_text();
/// Rules from a file. Throws config_error naming the file, line and what is wrong.
std::vector<Rule> read_rules(const std::string& path);
std::vector<Rule> parse_rules(const std::string& text, const std::string& origin);

/// True when every clause of @p rule holds for @p property.
bool matches(const Rule& rule, const db::PropertyRecord& property);

/// What the rules say about one property and what applying them would do.
struct Suggestion {
    db::PropertyRecord property;
    std::string rule, status, reason;
    enum class Action { apply, no_change, conflict } action;
};
/// The first matching rule for every property that one matches.
std::vector<Suggestion> suggest(db::Register& reg, const std::vector<Rule>& rules);
/// The same, one at a time as the register is read (nothing held: a county of a
/// million properties).
void for_each_suggestion(db::Register& reg, const std::vector<Rule>& rules,
                         const std::function<void(const Suggestion&)>& visit);

struct ApplyResult {
    std::int64_t applied = 0, unchanged = 0;
    std::int64_t out_of_scope = 0;     ///< suggestions for other agencies' properties, left alone
    std::vector<Suggestion> conflicts; ///< a person's tag that a rule disagrees with
};
/// Applies the suggestions to unassessed properties and to those a rule set
/// before, in one transaction; never over a person's tag. The rules run on behalf of
/// officer @p by, within their scope (their agency's properties, or every agency's
/// for a partnership-wide officer); the history names the rule and the officer.
ApplyResult apply_rules(db::Register& reg, const std::vector<Rule>& rules, const std::string& by);

} // namespace estate::rag
