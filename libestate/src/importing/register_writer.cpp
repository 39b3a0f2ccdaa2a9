#include "importing/register_writer.hpp"

#include "estate/error.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/model/property.hpp"
#include "estate/util/time.hpp"

#include <algorithm>
#include <cstdio>
#include <future>
#include <iterator>
#include <string_view>
#include <vector>

namespace estate::importing {
namespace {

// One stored field of a property as the writer sees it: a text, a number, a flag,
// or nothing (NULL).
struct FieldView {
    enum Kind { null, text, real, flag } kind = null;
    std::string_view t;
    double d = 0;
    bool b = false;
    bool null_if_empty = false; ///< stored as NULL when the text is empty
};

FieldView view(const std::optional<std::string>& v) {
    return v ? FieldView{FieldView::text, *v, 0, false} : FieldView{};
}
FieldView view(const std::string& v) {
    return {FieldView::text, v, 0, false};
}
FieldView view(const std::optional<double>& v) {
    return v ? FieldView{FieldView::real, {}, *v, false} : FieldView{};
}

FieldView view(bool v) {
    return FieldView{FieldView::flag, {}, 0, v};
}

// The stored fields of a property, in the order they are written, compared on update
// and hashed: its facts (model::fact_columns(), the one list of them), then the source's
// other columns as JSON. (Owner and reference identify the row; location and footprint
// are written after these as geometry.)
struct StoredField {
    const char* column;
    const model::FactColumn* fact; ///< none: the source's other columns (source_attributes)
};
const std::vector<StoredField>& stored_fields() {
    static const std::vector<StoredField> fields = [] {
        std::vector<StoredField> out;
        for (const auto& c : model::fact_columns()) out.push_back({c.name, &c});
        out.push_back({"source_attributes", nullptr});
        return out;
    }();
    return fields;
}

FieldView field_view(const StoredField& f, const model::Property& p, const std::string& attributes_json) {
    if (!f.fact) return FieldView{FieldView::text, attributes_json, 0, false, true};
    return std::visit([&p](auto member) { return view(p.*member); }, f.fact->member);
}

std::string joined_columns() {
    std::string out;
    for (const auto& f : stored_fields()) out += std::string(out.empty() ? "" : ", ") + f.column;
    return out;
}

// Columns written for a property, in bind order (after owner_id and ref). The geometry
// comes ready as SpatiaLite BLOBs (geo::spatialite_blob, byte for byte SpatiaLite's own:
// building them with SpatiaLite's SQL functions cost the writing thread a tenth of its time).
std::string property_columns() {
    return joined_columns() + ", batch_id, content_hash, geom, footprint";
}
// Parameters bind_property() fills: the fields, batch, hash, point, footprint.
int property_parameter_count() {
    return static_cast<int>(stored_fields().size()) + 4;
}
std::string property_values() {
    std::string out;
    for (int i = 0; i < property_parameter_count(); ++i) out += std::string(i ? ", " : "") + "?";
    return out;
}

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// A field as text, the way SQLite reads the stored value back as text.
std::string text_of(const FieldView& v) {
    switch (v.kind) {
    case FieldView::text:
        return std::string(v.t);
    case FieldView::real:
        return num(v.d);
    case FieldView::flag:
        return v.b ? "1" : "0";
    case FieldView::null:
        break;
    }
    return "";
}

// Binds without copying (the property outlives the statement's run).
void bind_property(db::Statement& st, int first, const model::Property& p, const GeometryBlobs& blobs,
                   std::int64_t batch, const std::string& attrs, const std::string& hash) {
    int i = first;
    for (const auto& f : stored_fields()) {
        const FieldView v = field_view(f, p, attrs);
        switch (v.kind) {
        case FieldView::text:
            if (v.null_if_empty && v.t.empty())
                st.bind_null(i);
            else
                st.bind_static(i, v.t);
            break;
        case FieldView::real:
            st.bind(i, v.d);
            break;
        case FieldView::flag:
            st.bind(i, v.b ? 1 : 0);
            break;
        case FieldView::null:
            st.bind_null(i);
            break;
        }
        ++i;
    }
    st.bind(i++, batch);
    st.bind_static(i++, std::string_view(hash));
    if (blobs.point.empty())
        st.bind_null(i++);
    else
        st.bind_static_blob(i++, blobs.point);
    if (blobs.footprint.empty())
        st.bind_null(i);
    else
        st.bind_static_blob(i, blobs.footprint);
}

} // namespace

void geometry_blobs(const model::Property& p, GeometryBlobs& out) {
    if (p.location)
        geo::spatialite_point_blob(p.location->easting, p.location->northing, 27700, out.point);
    else
        out.point.clear();
    out.footprint.clear();
    // Footprints come from GEOS as 2-D MultiPolygons; anything else is a bug, not data to lose.
    if (!p.footprint_wkb.empty() && !geo::spatialite_blob(p.footprint_wkb, 27700, out.footprint, &out.footprint_box))
        throw error("footprint of " + p.owner + " " + p.ref + " could not be encoded for SpatiaLite");
}

void content_hash(const model::Property& p, const std::string& attributes_json, std::string& out) {
    // FNV-1a over every stored field in binary form (formatting numbers as text
    // here cost more than the rest of the import's per-row work).
    std::uint64_t h = 1469598103934665603ULL;
    auto bytes = [&h](const void* data, size_t n) {
        auto* b = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < n; ++i) {
            h ^= b[i];
            h *= 1099511628211ULL;
        }
        h ^= 0x1f; // field separator: "ab","c" differs from "a","bc"
        h *= 1099511628211ULL;
    };
    auto present = [&](bool is) {
        unsigned char flag = is ? 1 : 0;
        bytes(&flag, 1);
    };
    for (const auto& f : stored_fields()) {
        const FieldView v = field_view(f, p, attributes_json);
        switch (v.kind) {
        case FieldView::null:
            present(false);
            break;
        case FieldView::text:
            present(true);
            bytes(v.t.data(), v.t.size());
            break;
        case FieldView::real:
            present(true);
            bytes(&v.d, sizeof(double));
            break;
        case FieldView::flag: {
            unsigned char b = v.b ? 1 : 0;
            bytes(&b, 1);
            break;
        }
        }
    }
    for (double c : {p.location ? p.location->easting : 0.0, p.location ? p.location->northing : 0.0}) {
        present(p.location.has_value());
        if (p.location) bytes(&c, sizeof(double));
    }
    bytes(p.footprint_wkb.data(), p.footprint_wkb.size());
    static const char digits[] = "0123456789abcdef";
    out.resize(16);
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = digits[h & 15];
}

RegisterWriter::RegisterWriter(db::Connection& conn)
    : conn_(conn),
      // Rows are checked by model::check_facts() until restore_index_triggers(). (The
      // pragma expires prepared statements: they are prepared again without the checks.)
      sql_checks_(conn, "ignore_check_constraints", "1", "0"),
      find_owner_(conn, "SELECT id FROM owners WHERE name = ?"),
      find_merged_owner_(conn, "SELECT a.owner_id, o.name FROM owner_aliases a JOIN owners o ON o.id = a.owner_id "
                               "WHERE a.alias = ?"),
      insert_owner_(conn, "INSERT INTO owners(name, sector) VALUES (?, ?)"),
      find_property_(conn, "SELECT id, content_hash, retired_at IS NOT NULL, series FROM properties WHERE "
                           "owner_id = ? AND ref = ?"),
      insert_property_(conn, "INSERT INTO properties(owner_id, ref, series, " + property_columns() +
                                 ") VALUES (?, ?, ?, " + property_values() + ")"),
      update_property_(conn,
                       "UPDATE properties SET (" + property_columns() + ") = (" + property_values() + ") WHERE id = ?"),
      old_values_(conn, "SELECT " + joined_columns() + " FROM properties WHERE id = ?"),
      insert_update_(conn, "INSERT INTO property_updates(batch_id, property_id, fields) VALUES (?, ?, ?)"),
      insert_reject_(conn, "INSERT INTO rejected_rows(batch_id, source_row, reason, field, message, "
                           "original) VALUES (?, ?, ?, ?, ?, ?)"),
      insert_warning_(conn, "INSERT INTO property_warnings(property_id, batch_id, source_row, reason, field, value, "
                            "message) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      clear_warnings_(conn, "DELETE FROM property_warnings WHERE property_id = ?"),
      find_alias_(conn,
                  "SELECT a.property_id, p.content_hash, p.retired_at IS NOT NULL, p.series FROM "
                  "property_aliases a JOIN properties p ON p.id = a.property_id WHERE a.owner_id = ? AND a.ref = ?"),
      find_by_uprn_(conn, "SELECT id FROM properties WHERE owner_id = ?1 AND uprn = ?2 AND retired_at IS NULL AND "
                          "(series = ?3 OR series IS NULL) LIMIT 3"),
      reinstate_(conn, "UPDATE properties SET retired_at = NULL, retired_batch = NULL WHERE id = ?"),
      set_series_(conn, "UPDATE properties SET series = ? WHERE id = ?"),
      find_location_(conn, "SELECT X(geom), Y(geom), location_quality, location_transform FROM properties WHERE "
                           "geom IS NOT NULL AND id = coalesce((SELECT id FROM properties WHERE owner_id = ?1 AND "
                           "ref = ?2), (SELECT property_id FROM property_aliases WHERE owner_id = ?1 AND ref = ?2))") {
    auto st = conn_.prepare("SELECT id FROM owners o WHERE EXISTS (SELECT 1 FROM properties WHERE owner_id = o.id)");
    while (st.step()) owners_with_rows_.insert(st.int64(0));
}

std::int64_t RegisterWriter::begin_batch(const std::string& source, const std::string& layer,
                                         const std::string& profile, const std::string& owner_override) {
    auto st = conn_.prepare("INSERT INTO import_batches(source_path, source_layer, source_sha256, "
                            "source_bytes, profile, owner_override, started_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)");
    // The checksum is filled in by finish_batch(): it is computed while rows are read.
    st.bind(1, source).bind(2, layer).bind(3, "").bind(4, std::int64_t{0});
    st.bind(5, profile);
    if (owner_override.empty())
        st.bind_null(6);
    else
        st.bind(6, owner_override);
    st.bind(7, util::utc_now_iso()).run();
    return conn_.last_insert_id();
}

std::int64_t RegisterWriter::owner_id(const std::string& name, const std::string& sector) {
    auto it = owners_.find(name);
    if (it != owners_.end()) return it->second;
    find_owner_.bind(1, name);
    std::int64_t id;
    if (find_owner_.step()) {
        id = find_owner_.int64(0);
        find_owner_.reset();
    } else if (find_owner_.reset(), find_merged_owner_.bind(1, name), find_merged_owner_.step()) {
        // A name merged into another owner (estate owners merge): its rows land there.
        id = find_merged_owner_.int64(0);
        merged_names_.emplace_back(name, find_merged_owner_.text(1));
        find_merged_owner_.reset();
    } else {
        find_merged_owner_.reset();
        insert_owner_.bind(1, name).bind(2, sector).run();
        id = conn_.last_insert_id();
        created_owners_.push_back(name);
    }
    owners_.emplace(name, id);
    return id;
}

RegisterWriter::Outcome RegisterWriter::write(const model::Property& p, const std::string& hash,
                                              const GeometryBlobs& blobs, std::int64_t owner, std::int64_t batch,
                                              const std::string& attrs, const std::string& series) {
    // An owner with no properties before this import cannot have this one: skip the
    // look-ups (the reader thread has already refused duplicate references).
    bool exists = false, retired = false;
    std::int64_t id = 0;
    std::string old_hash, old_series;
    if (owners_with_rows_.count(owner) > 0) {
        for (db::Statement* find : {&find_property_, &find_alias_}) {
            find->bind(1, owner).bind(2, p.ref);
            exists = find->step();
            if (exists) {
                id = find->int64(0);
                old_hash = find->text(1);
                retired = find->int64(2) != 0;
                old_series = find->is_null(3) ? "" : find->text(3);
            }
            find->reset();
            if (exists) break;
        }
    }
    model::check_facts(p);
    if (!exists) {
        insert_property_.bind(1, owner)
            .bind_static(2, std::string_view(p.ref))
            .bind_static(3, std::string_view(series));
        bind_property(insert_property_, 4, p, blobs, batch, attrs, hash);
        insert_property_.run();
        last_id_ = conn_.last_insert_id();
        remember_boxes(last_id_, p, blobs);
        seen_.push_back(last_id_);
        // A new reference for a UPRN the owner already holds once: perhaps renumbered
        // (decided after the last row, when it is known whether the old one was listed too).
        if (p.uprn && owners_with_rows_.count(owner) > 0) {
            find_by_uprn_.bind(1, owner).bind(2, *p.uprn).bind(3, series);
            std::vector<std::int64_t> matches;
            while (find_by_uprn_.step()) {
                const std::int64_t m = find_by_uprn_.int64(0);
                if (m != last_id_) matches.push_back(m);
            }
            find_by_uprn_.reset();
            if (matches.size() == 1)
                renumbering_.push_back({last_id_, matches[0], owner});
            else if (matches.size() > 1)
                ambiguous_.push_back({p.ref, *p.uprn, static_cast<std::int64_t>(matches.size())});
        }
        return Outcome::inserted;
    }
    last_id_ = id;
    seen_.push_back(id);
    if (retired) {
        reinstate_.bind(1, id).run();
        ++reinstated_;
    }
    if (old_series != series) set_series_.bind(1, series).bind(2, id).run();
    if (old_hash == hash) return Outcome::unchanged;

    // Record which fields this batch changed, so an officer can see what moved.
    std::string changed;
    old_values_.bind(1, id);
    if (old_values_.step()) {
        int i = 0;
        for (const auto& f : stored_fields()) {
            if (old_values_.as_text(i) != text_of(field_view(f, p, attrs)))
                changed += (changed.empty() ? "" : ",") + std::string(f.column);
            ++i;
        }
    }
    old_values_.reset();
    if (changed.empty()) changed = "location";
    bind_property(update_property_, 1, p, blobs, batch, attrs, hash);
    update_property_.bind(property_parameter_count() + 1, id);
    update_property_.run();
    remember_boxes(id, p, blobs);
    insert_update_.bind(1, batch).bind(2, id).bind(3, changed).run();
    return Outcome::updated;
}

std::optional<RegisterWriter::KeptLocation> RegisterWriter::existing_location(std::int64_t owner,
                                                                              const std::string& ref) {
    if (owners_with_rows_.count(owner) == 0) return std::nullopt;
    find_location_.bind(1, owner).bind(2, ref);
    std::optional<KeptLocation> kept;
    if (find_location_.step())
        kept = KeptLocation{
            {find_location_.real(0), find_location_.real(1)}, find_location_.text(2), find_location_.opt_text(3)};
    find_location_.reset();
    return kept;
}

std::int64_t RegisterWriter::finish_renumbering(std::int64_t batch) {
    if (renumbering_.empty()) return 0;
    std::sort(seen_.begin(), seen_.end());
    auto listed = [this](std::int64_t id) { return std::binary_search(seen_.begin(), seen_.end(), id); };
    // The property the file still lists under its old reference was not renumbered: the
    // new row is another property at the same UPRN. And one old property takes one new row.
    std::vector<std::int64_t> taken;
    std::int64_t done = 0;
    const std::string columns = property_columns() + ", series";
    auto ref_of = conn_.prepare("SELECT ref FROM properties WHERE id = ?");
    auto text_at = [&ref_of](std::int64_t id) {
        ref_of.bind(1, id);
        ref_of.step();
        std::string r = ref_of.text(0);
        ref_of.reset();
        return r;
    };
    auto move_warnings = conn_.prepare("UPDATE property_warnings SET property_id = ?1 WHERE property_id = ?2");
    auto drop_warnings = conn_.prepare("DELETE FROM property_warnings WHERE property_id = ?");
    auto take = conn_.prepare("UPDATE properties SET (" + columns + ") = (SELECT " + columns +
                              " FROM properties WHERE id = ?2) WHERE id = ?1");
    auto drop = conn_.prepare("DELETE FROM properties WHERE id = ?");
    auto rename = conn_.prepare("UPDATE properties SET ref = ? WHERE id = ?");
    auto alias = conn_.prepare("INSERT OR REPLACE INTO property_aliases(owner_id, ref, property_id, batch_id) "
                               "VALUES (?, ?, ?, ?)");
    for (const auto& r : renumbering_) {
        if (listed(r.old_id) || std::find(taken.begin(), taken.end(), r.old_id) != taken.end()) continue;
        taken.push_back(r.old_id);
        const std::string new_ref = text_at(r.new_id), old_ref = text_at(r.old_id);
        drop_warnings.bind(1, r.old_id).run();
        move_warnings.bind(1, r.old_id).bind(2, r.new_id).run();
        take.bind(1, r.old_id).bind(2, r.new_id).run();
        drop.bind(1, r.new_id).run();
        rename.bind(1, new_ref).bind(2, r.old_id).run();
        alias.bind(1, r.owner).bind(2, old_ref).bind(3, r.old_id).bind(4, batch).run();
        insert_update_.bind(1, batch).bind(2, r.old_id).bind(3, "ref").run();
        // Its index entries are the old property's now; it counts as listed.
        for (auto* boxes : {&batch_points_, &batch_footprints_})
            for (auto& e : *boxes)
                if (e.id == r.new_id) e.id = r.old_id;
        seen_.insert(std::upper_bound(seen_.begin(), seen_.end(), r.old_id), r.old_id);
        ++done;
    }
    return done;
}

void RegisterWriter::keep_corrections(std::int64_t batch) {
    if (!conn_.scalar_int("SELECT 1 FROM property_corrections LIMIT 1")) return;
    const std::string b = std::to_string(batch);
    const std::string latest = "(SELECT new_value FROM property_corrections k WHERE k.property_id = properties.id AND "
                               "k.field = '";
    const std::string newest = "' ORDER BY k.id DESC LIMIT 1)";
    auto corrected = [&](const std::string& field) {
        return " WHERE batch_id = " + b + " AND id IN (SELECT property_id FROM property_corrections WHERE field = '" +
               field + "')";
    };
    for (const auto& field : model::correctable_fields())
        conn_.exec(field == "use" ? "UPDATE properties SET use = " + latest + "use" + newest +
                                        ", use_source = 'officer'" + corrected("use")
                                  : "UPDATE properties SET " + field + " = CAST(" + latest + field + newest +
                                        " AS REAL)" + corrected(field));
}

void RegisterWriter::fill_listed_now() {
    conn_.exec("CREATE TEMP TABLE IF NOT EXISTS listed_now (id INTEGER PRIMARY KEY)");
    conn_.exec("DELETE FROM temp.listed_now");
    auto add = conn_.prepare("INSERT OR IGNORE INTO temp.listed_now(id) VALUES (?)");
    for (std::int64_t id : seen_) add.bind(1, id).run();
}

RegisterWriter::Unlisted RegisterWriter::unlisted(const std::vector<std::string>& series, size_t shown) {
    fill_listed_now();
    Unlisted u;
    auto current = conn_.prepare("SELECT count(*) FROM properties WHERE series = ? AND retired_at IS NULL");
    auto unlisted = conn_.prepare("SELECT ref, coalesce(name, address, '') FROM properties WHERE series = ? AND "
                                  "retired_at IS NULL AND id NOT IN (SELECT id FROM temp.listed_now) ORDER BY ref");
    for (const auto& s : series) {
        current.bind(1, s);
        if (current.step()) u.current += current.int64(0);
        current.reset();
        unlisted.bind(1, s);
        while (unlisted.step()) {
            if (u.first.size() < shown) {
                std::string name = unlisted.text(1);
                u.first.push_back(unlisted.text(0) + (name.empty() ? "" : " - " + name));
            }
            ++u.count;
        }
        unlisted.reset();
    }
    conn_.exec("DROP TABLE temp.listed_now");
    return u;
}

std::int64_t RegisterWriter::retire_unlisted(std::int64_t batch, const std::vector<std::string>& series) {
    fill_listed_now();
    auto retire = conn_.prepare("UPDATE properties SET retired_at = ?, retired_batch = ? WHERE series = ? AND "
                                "retired_at IS NULL AND id NOT IN (SELECT id FROM temp.listed_now)");
    const std::string now = util::utc_now_iso();
    std::int64_t retired = 0;
    for (const auto& s : series) {
        retire.bind(1, now).bind(2, batch).bind(3, s).run();
        retired += conn_.changes();
    }
    conn_.exec("DROP TABLE temp.listed_now");
    return retired;
}

void RegisterWriter::reject(std::int64_t batch, std::int64_t row, const std::string& reason, const std::string& field,
                            const std::string& message, const std::string& original_json) {
    insert_reject_.bind(1, batch).bind(2, row).bind(3, reason);
    if (field.empty())
        insert_reject_.bind_null(4);
    else
        insert_reject_.bind(4, field);
    insert_reject_.bind(5, message).bind(6, original_json).run();
}

void RegisterWriter::warn(std::int64_t batch, std::int64_t property, std::int64_t row, const model::Problem& problem) {
    insert_warning_.bind(1, property).bind(2, batch).bind(3, row).bind(4, problem.reason);
    if (problem.field.empty())
        insert_warning_.bind_null(5);
    else
        insert_warning_.bind(5, problem.field);
    if (problem.value.empty())
        insert_warning_.bind_null(6);
    else
        insert_warning_.bind(6, problem.value);
    insert_warning_.bind(7, problem.message).run();
}

void RegisterWriter::clear_warnings(std::int64_t property) {
    clear_warnings_.bind(1, property).run();
}

void RegisterWriter::suspend_index_triggers() {
    // Also the RAG-reason guard on INSERT: an import never sets a RAG status, so its
    // WHEN clause is false for every row the import writes, but a trigger's mere
    // presence makes SQLite run each INSERT as a statement sub-transaction (a
    // savepoint and a bit vector the size of the database per row: a quarter of the
    // writing thread's time).
    auto st = conn_.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                            "tbl_name = 'properties' AND (name LIKE 'gii\\_%' ESCAPE '\\' OR "
                            "name LIKE 'giu\\_%' ESCAPE '\\' OR name LIKE 'tmi\\_%' ESCAPE '\\' OR "
                            "name LIKE 'tmu\\_%' ESCAPE '\\' OR name LIKE 'ggi\\_%' ESCAPE '\\' OR "
                            "name LIKE 'ggu\\_%' ESCAPE '\\' OR name = 'rag_reason_required_insert')");
    std::vector<std::string> names;
    while (st.step()) {
        names.push_back(st.text(0));
        suspended_triggers_.push_back(st.text(1));
    }
    for (const auto& n : names) conn_.exec("DROP TRIGGER \"" + n + "\"");
    // Into an empty register, the secondary indexes (UPRN, batch, RAG status) are built
    // once at the end from sorted data rather than row by row: three fewer B-tree
    // inserts per row. Inside the import's transaction, as the triggers: a rollback
    // restores them.
    first_load_ = !conn_.scalar_int("SELECT 1 FROM properties LIMIT 1");
    if (first_load_) {
        auto idx = conn_.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'properties' "
                                 "AND sql IS NOT NULL"); // not the UNIQUE (owner, ref) one: it guards the rows
        std::vector<std::string> index_names;
        while (idx.step()) {
            index_names.push_back(idx.text(0));
            suspended_indexes_.push_back(idx.text(1));
        }
        for (const auto& n : index_names) conn_.exec("DROP INDEX \"" + n + "\"");
    }
    indexed_points_ = conn_.scalar_int("SELECT count(*) FROM idx_properties_geom_rowid").value_or(0);
    indexed_footprints_ = conn_.scalar_int("SELECT count(*) FROM idx_properties_footprint_rowid").value_or(0);
}

void RegisterWriter::remember_boxes(std::int64_t id, const model::Property& p, const GeometryBlobs& blobs) {
    if (p.location)
        batch_points_.push_back(
            {id, p.location->easting, p.location->easting, p.location->northing, p.location->northing});
    if (!blobs.footprint.empty()) {
        const auto& box = blobs.footprint_box;
        batch_footprints_.push_back({id, box.min_x, box.max_x, box.min_y, box.max_y});
    }
}

void RegisterWriter::restore_index_triggers(std::int64_t batch) {
    sql_checks_.restore(); // the batch row's own check (rows read = stored + rejected) included
    const std::string b = std::to_string(batch);
    // Spatial indexes built anew are packed on helper threads (pure computation)
    // while this thread builds the secondary indexes, then written here.
    struct Packing {
        std::string rtree;
        std::future<db::PackedRtree> tree;
    };
    std::vector<Packing> packing;
    for (const char* column : {"geom", "footprint"}) {
        const std::string col = column;
        const std::string idx = "idx_properties_" + col;
        const bool points = col == "geom";
        std::vector<db::RtreeEntry>& written = points ? batch_points_ : batch_footprints_;
        const std::int64_t indexed = points ? indexed_points_ : indexed_footprints_;
        if (indexed == 0 || static_cast<std::int64_t>(written.size()) >= indexed) {
            // A first load (the batch is the whole index), or most of the index is new:
            // build the whole tree packed, in one pass.
            std::vector<db::RtreeEntry> entries;
            if (indexed == 0) {
                entries.swap(written);
            } else {
                entries.reserve(static_cast<size_t>(indexed) + written.size());
                auto st = conn_.prepare("SELECT id, MbrMinX(" + col + "), MbrMaxX(" + col + "), MbrMinY(" + col +
                                        "), MbrMaxY(" + col + ") FROM properties WHERE " + col + " IS NOT NULL");
                while (st.step()) entries.push_back({st.int64(0), st.real(1), st.real(2), st.real(3), st.real(4)});
            }
            const int node_size = db::rtree_node_size(conn_, idx);
            packing.push_back({idx, std::async(std::launch::async, [entries = std::move(entries), node_size]() mutable {
                                   return db::pack_rtree(entries, node_size);
                               })});
        } else {
            // A few rows changed in a large register: replace their entries only
            // (all the batch's rows: an update may have removed a geometry).
            conn_.exec("DELETE FROM \"" + idx + "\" WHERE pkid IN (SELECT id FROM properties WHERE batch_id = " + b +
                       ")");
            auto insert =
                conn_.prepare("INSERT INTO \"" + idx + "\" (pkid, xmin, xmax, ymin, ymax) VALUES (?, ?, ?, ?, ?)");
            for (const auto& e : written)
                insert.bind(1, e.id).bind(2, e.min_x).bind(3, e.max_x).bind(4, e.min_y).bind(5, e.max_y).run();
        }
        written.clear();
    }
    for (const auto& sql : suspended_indexes_) conn_.exec(sql);
    suspended_indexes_.clear();
    for (auto& p : packing) db::write_rtree(conn_, p.rtree, p.tree.get());
    for (const auto& sql : suspended_triggers_) conn_.exec(sql);
    suspended_triggers_.clear();
    conn_.exec("UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
               "last_update = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE Lower(f_table_name) = 'properties'");
}

void RegisterWriter::finish_batch(std::int64_t batch, const std::string& sha256, std::uint64_t bytes, const Counts& c) {
    auto st = conn_.prepare("UPDATE import_batches SET finished_at = ?, rows_read = ?, inserted = ?, "
                            "updated = ?, unchanged = ?, rejected = ?, postcode_located = ?, "
                            "unlocated = ?, footprints_repaired = ?, source_sha256 = ?, source_bytes = ?, "
                            "stored_with_warnings = ?, warnings = ?, series = ?, complete = ?, retired = ?, "
                            "reinstated = ?, re_referenced = ? WHERE id = ?");
    st.bind(1, util::utc_now_iso()).bind(2, c.read).bind(3, c.inserted).bind(4, c.updated);
    st.bind(5, c.unchanged).bind(6, c.rejected).bind(7, c.postcode_located).bind(8, c.unlocated);
    st.bind(9, c.repaired).bind(10, sha256).bind(11, static_cast<std::int64_t>(bytes));
    st.bind(12, c.stored_with_warnings).bind(13, c.warnings).bind(14, c.series).bind(15, c.complete ? 1 : 0);
    st.bind(16, c.retired).bind(17, c.reinstated).bind(18, c.re_referenced).bind(19, batch).run();
}

} // namespace estate::importing
