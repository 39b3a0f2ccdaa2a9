#include "estate/db/queries.hpp"
#include "estate/model/place.hpp"
#include "estate/util/format.hpp"
#include "estate/util/paths.hpp"

#include "db/sqlite.hpp"
#include "estate/error.hpp"
#include "estate/model/property.hpp"

#include "estate/model/normalise.hpp"
#include <cstdio>

#include <functional>
#include <type_traits>
#include <variant>

namespace estate::db {
namespace {

// The record's columns: who and which, its facts (model::fact_columns(), in their
// order), where, and its status. read_record() reads them in this order.
const std::string& record_select() {
    static const std::string sql = [] {
        std::string facts;
        for (const auto& c : model::fact_columns()) facts += std::string("p.") + c.name + ", ";
        return "SELECT p.id, o.name, o.sector, p.ref, " + facts +
               "X(p.geom), Y(p.geom), p.footprint IS NOT NULL, p.source_attributes, p.batch_id, b.source_path, "
               "p.rag_status, p.rag_reason, p.rag_set_by, p.rag_set_at, p.rag_source, p.version, p.retired_at\n"
               "FROM properties p JOIN owners o ON o.id = p.owner_id JOIN import_batches b ON b.id = p.batch_id\n";
    }();
    return sql;
}

void read_fact(Statement& st, int c, model::PropertyFacts& r, const model::FactColumn::Text& m) {
    r.*m = st.opt_text(c);
}
void read_fact(Statement& st, int c, model::PropertyFacts& r, const model::FactColumn::Code& m) {
    r.*m = st.text(c);
}
void read_fact(Statement& st, int c, model::PropertyFacts& r, const model::FactColumn::Number& m) {
    r.*m = st.opt_real(c);
}
void read_fact(Statement& st, int c, model::PropertyFacts& r, const model::FactColumn::Flag& m) {
    r.*m = !st.is_null(c) && st.int64(c) != 0;
}

PropertyRecord read_record(Statement& st) {
    PropertyRecord r;
    int c = 0;
    r.id = st.int64(c++);
    r.owner = st.text(c++);
    r.sector = st.text(c++);
    r.ref = st.text(c++);
    for (const auto& fact : model::fact_columns()) {
        std::visit([&](const auto& member) { read_fact(st, c, r, member); }, fact.member);
        ++c;
    }
    r.easting = st.opt_real(c++);
    r.northing = st.opt_real(c++);
    r.has_footprint = st.int64(c++) != 0;
    r.source_attributes = st.opt_text(c++);
    r.batch_id = st.int64(c++);
    r.batch_source = st.text(c++);
    r.rag_status = st.text(c++);
    r.rag_reason = st.opt_text(c++);
    r.rag_set_by = st.opt_text(c++);
    r.rag_set_at = st.opt_text(c++);
    r.rag_source = st.opt_text(c++);
    r.version = st.int64(c++);
    r.retired_at = st.opt_text(c++);
    return r;
}

std::vector<CountRow> counts(Connection& conn, const std::string& key_sql, const std::string& from) {
    std::vector<CountRow> out;
    auto st = conn.prepare("SELECT " + key_sql +
                           " AS k, count(*), total(p.gia_m2), count(p.gia_m2), "
                           "total(p.market_value), count(p.market_value) " +
                           from + " GROUP BY k ORDER BY count(*) DESC, k");
    while (st.step())
        out.push_back({st.is_null(0) ? "(not stated)" : st.text(0),
                       st.int64(1),
                       {st.real(2), st.int64(3)},
                       {st.real(4), st.int64(5)}});
    return out;
}

std::string fmt(const std::optional<double>& v) {
    return v ? util::number_text(*v) : std::string();
}

} // namespace

StatusSources status_sources(Register& reg) {
    auto st = reg.connection().prepare("SELECT ifnull(sum(" + model::status_set_by_person_sql() +
                                       "), 0), ifnull(sum(rag_source = 'rule'), 0) "
                                       "FROM properties WHERE retired_at IS NULL AND rag_status <> 'unassessed'");
    st.step();
    return {st.int64(0), st.int64(1)};
}

void refuse_overwriting(Register& reg, const std::string& output, const std::string& option,
                        const std::vector<std::string>& inputs) {
    std::vector<util::ImportedFile> imported;
    auto st = reg.connection().prepare("SELECT DISTINCT source_path, source_sha256, source_bytes FROM import_batches");
    while (st.step()) imported.push_back({st.text(0), st.text(1), static_cast<std::uint64_t>(st.int64(2))});
    util::refuse_overwriting(output, reg.path(), inputs, option, imported);
}

RegisterInfo register_info(Register& reg) {
    Connection& c = reg.connection();
    RegisterInfo info;
    info.path = reg.path();
    info.schema_version = reg.schema_version();
    info.area = reg.description("area");
    info.partnership = reg.description("partnership");
    const auto sources = status_sources(reg);
    info.statuses_by_officer = sources.by_officer;
    info.statuses_by_rules = sources.by_rules;
    info.history_guards_restored =
        c.scalar_text("SELECT value FROM register_meta WHERE key = 'history_guards_restored'");
    info.properties = c.scalar_int("SELECT count(*) FROM properties WHERE retired_at IS NULL").value_or(0);
    info.retired = c.scalar_int("SELECT count(*) FROM properties WHERE retired_at IS NOT NULL").value_or(0);
    info.owners = c.scalar_int("SELECT count(*) FROM owners").value_or(0);
    info.batches = c.scalar_int("SELECT count(*) FROM import_batches").value_or(0);
    info.rejected_rows = c.scalar_int("SELECT count(*) FROM rejected_rows").value_or(0);
    info.properties_with_warnings =
        c.scalar_int("SELECT count(DISTINCT property_id) FROM property_warnings").value_or(0);
    auto reasons =
        c.prepare("SELECT reason, count(*) FROM property_warnings GROUP BY reason ORDER BY count(*) DESC, reason");
    while (reasons.step()) info.warnings_by_reason.emplace_back(reasons.text(0), reasons.int64(1));
    auto owners = c.prepare("SELECT name FROM owners ORDER BY name");
    while (owners.step())
        if (model::looks_like_code(owners.text(0))) info.owners_named_by_code.push_back(owners.text(0));
    // The current estate: retired properties are counted apart.
    const std::string from = "FROM properties p JOIN owners o ON o.id = p.owner_id WHERE p.retired_at IS NULL";
    info.by_owner = counts(c, "o.name", from);
    info.by_sector = counts(c, "o.sector", from);
    info.by_use = counts(c, "p.use", from);
    info.by_holding_type = counts(c, "p.holding_type", from);
    info.by_tenure = counts(c, "p.tenure", from);
    info.by_location_quality = counts(c, "p.location_quality", from);
    info.by_location_transform = counts(c, "p.location_transform", from + " AND p.geom IS NOT NULL");
    for (auto& row : info.by_location_transform)
        if (row.key == "(not stated)") row.key = "none needed"; // grid coordinates, a grid reference, a postcode
    return info;
}

std::string counted_building_condition(const std::string& p) {
    return p + ".id NOT IN (SELECT m.property_id FROM duplicate_members m JOIN duplicate_groups g ON g.id = "
               "m.group_id WHERE g.counted_once = 1 AND g.status <> 'rejected' AND m.property_id <> g.main_id)";
}

std::vector<std::int64_t> same_building_records(Register& reg, std::int64_t id) {
    auto st = reg.connection().prepare(
        "SELECT m2.property_id FROM duplicate_members m1 JOIN duplicate_groups g ON g.id = m1.group_id "
        "JOIN duplicate_members m2 ON m2.group_id = g.id JOIN properties p ON p.id = m2.property_id "
        "WHERE m1.property_id = ?1 AND m2.property_id <> ?1 AND g.counted_once = 1 AND g.status <> 'rejected' "
        "AND p.retired_at IS NULL ORDER BY m2.property_id");
    st.bind(1, id);
    std::vector<std::int64_t> out;
    while (st.step()) out.push_back(st.int64(0));
    return out;
}

struct PlaceNamer::Impl {
    Statement nearest;
};

PlaceNamer::PlaceNamer(Register& reg)
    : impl_(std::make_unique<Impl>(Impl{reg.connection().prepare(
          "SELECT ifnull(p.address, ''), ifnull(p.postcode, '') FROM idx_properties_geom i "
          "JOIN properties p ON p.id = i.pkid WHERE i.xmin <= ?1 + 2000 AND i.xmax >= ?1 - 2000 "
          "AND i.ymin <= ?2 + 2000 AND i.ymax >= ?2 - 2000 AND (p.address IS NOT NULL OR p.postcode IS NOT NULL) "
          "AND p.retired_at IS NULL ORDER BY (X(p.geom) - ?1) * (X(p.geom) - ?1) + (Y(p.geom) - ?2) * (Y(p.geom) - ?2) "
          "LIMIT 1")})) {}

PlaceNamer::~PlaceNamer() = default;

std::string PlaceNamer::label(const std::string& name, const std::string& address, const std::string& postcode,
                              std::optional<model::GridPoint> location) {
    model::Place place = model::place_of(address, postcode);
    if (place.empty() && location) {
        auto& st = impl_->nearest;
        st.bind(1, location->easting).bind(2, location->northing);
        if (st.step()) place = model::place_of(st.text(0), st.text(1));
        st.reset();
    }
    return model::name_with_place(name, address, place);
}

std::vector<std::string> labels_for_list(Register& reg, const std::vector<std::int64_t>& ids) {
    auto st = reg.connection().prepare("SELECT ifnull(name, ref), ifnull(address, ''), ifnull(postcode, ''), ref, "
                                       "X(geom), Y(geom) FROM properties WHERE id = ?");
    PlaceNamer places(reg);
    std::vector<std::string> labels, addresses, refs;
    for (std::int64_t id : ids) {
        st.bind(1, id);
        if (st.step()) {
            std::optional<model::GridPoint> at;
            if (!st.is_null(4)) at = model::GridPoint{st.real(4), st.real(5)};
            labels.push_back(places.label(st.text(0), st.text(1), st.text(2), at));
            addresses.push_back(st.text(1));
            refs.push_back(st.text(3));
        } else {
            labels.emplace_back();
            addresses.emplace_back();
            refs.emplace_back();
        }
        st.reset();
    }
    return model::distinguish(labels, addresses, refs);
}

void for_each_property(Register& reg, const ListFilter& f, bool with_footprint,
                       const std::function<void(const PropertyRecord&, const std::vector<unsigned char>&)>& visit) {
    std::string sql = record_select();
    if (with_footprint) sql.replace(sql.find("\nFROM"), 0, ", AsBinary(p.footprint)");
    sql += f.include_retired ? " WHERE 1" : " WHERE p.retired_at IS NULL";
    if (f.one_per_building) sql += " AND " + counted_building_condition();
    if (f.no_market_value) sql += " AND p.market_value IS NULL";
    if (f.after_id) sql += " AND p.id > " + std::to_string(*f.after_id);
    std::vector<std::string> args;
    auto add = [&](const std::optional<std::string>& v, const std::string& cond) {
        if (!v) return;
        sql += " AND " + cond;
        args.push_back(*v);
    };
    add(f.owner, "o.name = ? COLLATE NOCASE");
    add(f.sector, "o.sector = ?");
    add(f.use, "p.use = ?");
    add(f.tenure, "p.tenure = ?");
    add(f.holding_type, "p.holding_type = ?");
    add(f.use_source, "p.use_source = ?");
    add(f.location_quality, "p.location_quality = ?");
    add(f.rag_status, "p.rag_status = ?");
    if (f.bbox) {
        // A few properties in the box: their ids from the spatial index first. Most of a
        // large register (a county-wide view, with a limit): each row's entry looked up
        // instead, so that the first rows come without gathering a million ids.
        char box[160]; // numbers the caller parsed, written back as SQL numbers
        std::snprintf(box, sizeof box, "xmin <= %.17g AND xmax >= %.17g AND ymin <= %.17g AND ymax >= %.17g",
                      (*f.bbox)[2], (*f.bbox)[0], (*f.bbox)[3], (*f.bbox)[1]);
        constexpr std::int64_t many = 10000;
        const bool wide =
            f.limit && reg.connection()
                               .scalar_int("SELECT count(*) FROM (SELECT 1 FROM idx_properties_geom WHERE " +
                                           std::string(box) + " LIMIT " + std::to_string(many) + ")")
                               .value_or(0) >= many;
        sql +=
            wide ? " AND EXISTS (SELECT 1 FROM idx_properties_geom r WHERE r.pkid = p.id AND " + std::string(box) + ")"
                 : " AND p.id IN (SELECT pkid FROM idx_properties_geom WHERE " + std::string(box) + ")";
    }
    if (f.text) {
        sql += " AND (p.name LIKE ?1t ESCAPE '\\' OR p.address LIKE ?1t ESCAPE '\\' OR p.postcode LIKE ?1t ESCAPE "
               "'\\' OR p.ref LIKE ?1t ESCAPE '\\' OR p.uprn LIKE ?1t ESCAPE '\\')";
    }
    sql += f.register_order ? " ORDER BY p.id" : " ORDER BY o.name, p.ref";
    if (f.limit) sql += " LIMIT " + std::to_string(*f.limit);
    // One named parameter for the five LIKEs.
    std::string text_param;
    if (f.text) {
        size_t pos;
        while ((pos = sql.find("?1t")) != std::string::npos) sql.replace(pos, 3, ":text");
        // The words searched for, as they are: a % or _ in them matches itself.
        text_param = "%";
        for (char ch : *f.text) {
            if (ch == '%' || ch == '_' || ch == '\\') text_param += '\\';
            text_param += ch;
        }
        text_param += "%";
    }
    auto st = reg.connection().prepare(sql);
    int i = 1;
    for (const auto& a : args) st.bind(i++, a);
    if (f.text) st.bind(i, text_param);
    const std::vector<unsigned char> none;
    const int footprint_column = st.column_count() - 1; // after the record's columns
    while (st.step()) {
        if (with_footprint && !st.is_null(footprint_column))
            visit(read_record(st), st.blob(footprint_column));
        else
            visit(read_record(st), none);
    }
}

std::vector<PropertyRecord> list_properties(Register& reg, const ListFilter& f) {
    std::vector<PropertyRecord> out;
    for_each_property(reg, f, false,
                      [&](const PropertyRecord& r, const std::vector<unsigned char>&) { out.push_back(r); });
    return out;
}

std::vector<PropertyRecord> find_properties(Register& reg, const std::string& key) {
    std::string sql = record_select() + " WHERE p.ref = ?1 OR p.uprn = ?3 OR (p.id = ?2 AND ?2 IS NOT NULL)"
                                        // a reference the property had before it was renumbered
                                        " OR p.id IN (SELECT property_id FROM property_aliases WHERE ref = ?1)"
                                        " ORDER BY p.id";
    auto st = reg.connection().prepare(sql);
    st.bind(1, key);
    // A UPRN is found however it is written: "000012345" is UPRN 12345.
    auto uprn = model::normalise_uprn(key);
    st.bind(3, uprn.value.value_or(key));
    char* end = nullptr;
    long long id = std::strtoll(key.c_str(), &end, 10);
    if (!key.empty() && *end == 0)
        st.bind(2, static_cast<std::int64_t>(id));
    else
        st.bind_null(2);
    std::vector<PropertyRecord> out;
    while (st.step()) out.push_back(read_record(st));
    return out;
}

PropertyRecord property_with_id(Register& reg, std::int64_t id) {
    auto st = reg.connection().prepare(record_select() + " WHERE p.id = ?");
    st.bind(1, id);
    if (!st.step()) throw not_found_error("no property has id " + std::to_string(id));
    return read_record(st);
}

PropertyRecord find_one_property(Register& reg, const std::string& key) {
    auto found = find_properties(reg, key);
    if (found.empty())
        throw not_found_error("no property has id, UPRN or reference '" + key +
                              "'; 'estate list --search' finds properties by name");
    if (found.size() > 1) {
        std::string list;
        for (const auto& r : found)
            list += "\n  id " + std::to_string(r.id) + ": " + r.owner + " " + r.ref + " " + r.name.value_or("");
        throw usage_error("'" + key + "' matches " + std::to_string(found.size()) +
                          " properties; give the id of one of them:" + list);
    }
    return found.front();
}

namespace {

template <class T>
FieldValue opt(const std::optional<T>& v) {
    if (!v) return std::monostate{};
    return *v;
}
FieldValue text_or_null(const std::string& v) {
    if (v.empty()) return std::monostate{};
    return v;
}

} // namespace

FieldValue PropertyField::value(const PropertyRecord& r) const {
    if (!fact) return get(r);
    return std::visit(
        [&r](const auto& member) -> FieldValue {
            const auto& v = r.*member;
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>)
                return std::int64_t{v ? 1 : 0};
            else if constexpr (std::is_same_v<T, std::string>)
                return v;
            else
                return opt(v);
        },
        fact->member);
}

const std::vector<PropertyField>& property_fields() {
    using K = FieldKind;
    using R = const PropertyRecord&;
    static const std::vector<PropertyField> fields = [] {
        std::vector<PropertyField> out = {
            {"id", "id", K::integer, "the register's number for the property", [](R r) -> FieldValue { return r.id; }},
            {"owner", "owner", K::text, "the organisation that holds it", [](R r) -> FieldValue { return r.owner; }},
            {"sector", "sector", K::text, "the owner's sector", [](R r) -> FieldValue { return r.sector; }},
            {"ref", "ref", K::text, "the owner's own reference", [](R r) -> FieldValue { return r.ref; }},
        };
        for (const auto& c : model::fact_columns()) {
            if (!c.exported) continue;
            const K kind = std::holds_alternative<model::FactColumn::Number>(c.member) ? K::real
                           : std::holds_alternative<model::FactColumn::Flag>(c.member) ? K::integer
                                                                                       : K::text;
            out.push_back({c.name, c.short_name, kind, c.meaning, nullptr, &c});
        }
        const std::vector<PropertyField> rest = {
            {"easting", "easting", K::real, "British National Grid easting, metres (EPSG:27700)",
             [](R r) { return opt(r.easting); }},
            {"northing", "northing", K::real, "British National Grid northing, metres (EPSG:27700)",
             [](R r) { return opt(r.northing); }},
            {"footprint", "footprint", K::text,
             "yes when a building footprint is held; yes (repaired) when it was mended on import",
             [](R r) -> FieldValue {
                 return r.has_footprint ? FieldValue(r.footprint_repaired ? "yes (repaired)" : "yes") : FieldValue();
             }},
            {"source_attributes", "source_att", K::text, "the source's columns with no field of their own (JSON)",
             [](R r) { return opt(r.source_attributes); }},
            {"rag_status", "rag_status", K::text, "red, amber, green or unassessed",
             [](R r) -> FieldValue { return r.rag_status; }},
            {"rag_reason", "rag_reason", K::text, "why the status was given", [](R r) { return opt(r.rag_reason); }},
            {"rag_set_by", "rag_set_by", K::text, "who set the status", [](R r) { return opt(r.rag_set_by); }},
            {"rag_set_at", "rag_set_at", K::text, "when the status was set (ISO 8601, UTC)",
             [](R r) { return opt(r.rag_set_at); }},
            {"rag_source", "rag_source", K::text, "person, web (estate serve) or rule",
             [](R r) { return opt(r.rag_source); }},
            {"version", "version", K::integer, "edit counter of the status",
             [](R r) -> FieldValue { return r.version; }},
            {"batch", "batch", K::integer, "the import batch that last set the property",
             [](R r) -> FieldValue { return r.batch_id; }},
            {"batch_source", "batch_src", K::text, "the file of that batch",
             [](R r) { return text_or_null(r.batch_source); }},
            {"retired_at", "retired", K::text,
             "when a complete return of its series stopped listing it (empty: current)",
             [](R r) { return opt(r.retired_at); }},
        };
        out.insert(out.end(), rest.begin(), rest.end());
        return out;
    }();
    return fields;
}

std::string field_text(const FieldValue& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto d = std::get_if<double>(&v)) return fmt(*d);
    if (auto t = std::get_if<std::string>(&v)) return *t;
    return "";
}

void write_record_fields(util::JsonWriter& w, const PropertyRecord& r) {
    for (const auto& f : property_fields()) {
        const FieldValue v = f.value(r);
        w.key(f.name);
        if (auto i = std::get_if<std::int64_t>(&v))
            w.value(*i);
        else if (auto d = std::get_if<double>(&v))
            w.value(*d);
        else if (auto t = std::get_if<std::string>(&v))
            w.value(*t);
        else
            w.null();
    }
}

std::optional<std::string> record_field(const PropertyRecord& r, std::string_view name) {
    for (const auto& f : property_fields())
        if (f.name == name) return field_text(f.value(r));
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> record_fields(const PropertyRecord& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : property_fields()) out.emplace_back(f.name, field_text(f.value(r)));
    return out;
}

} // namespace estate::db
