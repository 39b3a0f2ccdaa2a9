#include "estate/rag/corrections.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"
#include "estate/rag/status.hpp"
#include "estate/util/format.hpp"
#include "estate/util/time.hpp"

#include <cstdio>

namespace estate::rag {
namespace {

// The fields an officer may correct, and the register's spelling of each.
std::string field_name(const std::string& given) {
    if (given == "use") return "use";
    if (given == "gia" || given == "gia_m2" || given == "floor_area") return "gia_m2";
    if (given == "value" || given == "market_value") return "market_value";
    if (given == "running_cost" || given == "cost") return "running_cost";
    std::string fields;
    for (const auto& f : model::correctable_fields()) fields += (fields.empty() ? "" : ", ") + f;
    throw usage_error("'" + given + "' cannot be set: the fields are " + fields);
}

std::string as_text(const std::optional<double>& v) {
    return v ? util::number_text(*v) : "not recorded";
}

} // namespace

CorrectionResult correct(db::Register& reg, const CorrectionRequest& rq) {
    if (model::trim(rq.reason).empty())
        throw usage_error("reason", "a correction needs a reason: why the figure is right");
    if (rq.corrections.empty()) throw usage_error("nothing to set: give FIELD VALUE pairs (use office gia_m2 1200)");
    auto& c = reg.connection();
    db::Transaction tx(c);
    const auto p = db::find_one_property(reg, rq.property);
    officers::check_officer_scope(reg, rq.by, p.owner, p.ref);
    CorrectionResult result{p.id, p.owner, p.ref, p.name.value_or(""), {}};
    const std::string now = util::utc_now_iso();
    auto record = c.prepare("INSERT INTO property_corrections(property_id, field, old_value, new_value, reason, "
                            "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& [given, value] : rq.corrections) {
        const std::string field = field_name(given);
        std::string old_value, new_value;
        if (field == "use") {
            if (!model::uses().contains(value))
                throw usage_error("use '" + value + "' is not one of: " + model::uses().codes_joined());
            old_value = p.use + (p.use_source ? " (" + *p.use_source + ")" : "");
            new_value = value;
            c.prepare("UPDATE properties SET use = ?, use_source = 'officer' WHERE id = ?")
                .bind(1, value)
                .bind(2, p.id)
                .run();
        } else {
            auto n = model::parse_amount(value, field);
            if (n.problem) throw usage_error(n.problem->message);
            if (!n.value) throw usage_error(field + " '" + value + "': give a figure");
            old_value = as_text(field == "gia_m2"         ? p.gia_m2
                                : field == "market_value" ? p.market_value
                                                          : p.running_cost);
            new_value = as_text(n.value);
            c.prepare("UPDATE properties SET " + field + " = ? WHERE id = ?").bind(1, *n.value).bind(2, p.id).run();
        }
        record.bind(1, p.id).bind(2, field).bind(3, old_value).bind(4, new_value).bind(5, rq.reason);
        record.bind(6, rq.by).bind(7, now).run();
        result.changed.emplace_back(field, old_value + " -> " + new_value);
    }
    tx.commit();
    return result;
}

} // namespace estate::rag
