#pragma once
/// @file
/// Reading the register: counts for `estate info`, filtered lists for
/// `estate list`, one property for `estate show`.

#include "estate/db/register.hpp"
#include "estate/model/property.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace estate::db {

/// A count by one key (owner, sector, use, ...), with floor area and value totals of
/// the properties that record them.
struct CountRow {
    std::string key;
    std::int64_t properties = 0;
    util::RecordedSum gia_m2, market_value;
};

struct RegisterInfo {
    std::string path;
    int schema_version = 0;
    std::optional<std::string> area, partnership;                ///< Register::description
    std::int64_t statuses_by_officer = 0, statuses_by_rules = 0; ///< status_sources()
    /// When the history's triggers were found removed and put back (changes made while
    /// they were missing have no history); none when never.
    std::optional<std::string> history_guards_restored;
    std::int64_t properties = 0;
    std::int64_t owners = 0;
    std::int64_t batches = 0;
    std::int64_t rejected_rows = 0;
    /// Properties no longer listed by a complete return of their series (not in `properties`).
    std::int64_t retired = 0;
    /// Properties whose latest import left a warning on them, and the warnings by reason.
    std::int64_t properties_with_warnings = 0;
    std::vector<std::pair<std::string, std::int64_t>> warnings_by_reason;
    /// Owners whose name looks like a code ("E07000235", "47UD", a URI): to be named.
    std::vector<std::string> owners_named_by_code;
    std::vector<CountRow> by_owner, by_sector, by_use, by_holding_type, by_location_quality, by_tenure;
    /// Located properties by how their coordinates reached the grid ("(not stated)":
    /// none was needed: grid coordinates, a grid reference or a postcode).
    std::vector<CountRow> by_location_transform;
};
RegisterInfo register_info(Register& reg);

/// Throws usage_error before anything is written when @p output would replace the
/// register, its -wal/-journal/-shm, one of @p inputs or a file the register imported
/// (util::refuse_overwriting with the register's import batches).
void refuse_overwriting(Register& reg, const std::string& output, const std::string& option,
                        const std::vector<std::string>& inputs = {});

/// Who set the statuses of the current properties: an officer, or the rules (suggested,
/// not yet confirmed). Unassessed ones count in neither.
struct StatusSources {
    std::int64_t by_officer = 0, by_rules = 0;
};
StatusSources status_sources(Register& reg);

/// SQL condition on a properties row aliased @p p: true unless it is a record of a
/// building counted once under another record (a confirmed duplicate group, or a
/// proposed one of one owner: estate/duplicates). Hubs and receipts count buildings.
std::string counted_building_condition(const std::string& p = "p");
/// The other current records of the building the record @p id belongs to (a duplicate
/// group counted once, as above), in id order; none when it stands alone.
std::vector<std::int64_t> same_building_records(Register& reg, std::int64_t id);

/// Names with their place (model::name_with_place), as every list a person reads shows
/// them: the place from the property's own address and postcode, else from the nearest
/// property within 2 km that has an address or postcode ("Fire station" in a layer with
/// no addresses becomes "Fire station, Altrincham (WA14)").
class PlaceNamer {
public:
    explicit PlaceNamer(Register& reg);
    ~PlaceNamer();
    PlaceNamer(const PlaceNamer&) = delete;
    PlaceNamer& operator=(const PlaceNamer&) = delete;
    std::string label(const std::string& name, const std::string& address, const std::string& postcode,
                      std::optional<model::GridPoint> location);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The names of properties @p ids (in that order) as one list a person reads: each
/// with its place (PlaceNamer), and where two still share a name, the address or
/// reference added (model::distinguish). An id not in the register gets "".
std::vector<std::string> labels_for_list(Register& reg, const std::vector<std::int64_t>& ids);

/// Filters of `estate list`; empty ones do not filter. Text matching is
/// case-insensitive; `text` searches name, address, postcode, ref and UPRN.
struct ListFilter {
    std::optional<std::string> owner, sector, use, tenure, holding_type, location_quality, rag_status, text;
    std::optional<std::string> use_source; ///< source, name (the review list of guesses), officer
    std::optional<std::int64_t> limit;
    bool include_retired = false;  ///< also properties a complete return no longer lists
    bool one_per_building = false; ///< leave out records counted once under another (duplicates)
    bool no_market_value = false;  ///< only properties whose market value is not recorded
    /// In the register's own order (by id) instead of by owner and reference: with a
    /// limit, the first rows of a large selection then come at once (nothing to sort).
    bool register_order = false;
    std::optional<std::int64_t> after_id; ///< only ids above this (paging in the register's order)
    /// Located within min easting, min northing, max easting, max northing (through the
    /// spatial index).
    std::optional<std::array<double, 4>> bbox;
};

/// One property as listed and shown.
struct PropertyRecord : model::PropertyFacts {
    std::int64_t id = 0;
    std::string owner, sector, ref;
    std::optional<double> easting, northing;
    bool has_footprint = false;
    std::optional<std::string> source_attributes; ///< JSON
    std::int64_t batch_id = 0;
    std::string batch_source;
    std::string rag_status = "unassessed";
    std::optional<std::string> rag_reason, rag_set_by, rag_set_at, rag_source;
    std::int64_t version = 1;
    std::optional<std::string> retired_at; ///< when a complete return of its series left it out
};
std::vector<PropertyRecord> list_properties(Register& reg, const ListFilter& filter);

/// The same, one at a time (for exports of any size); with its footprint as WKB
/// (empty when it has none) when @p with_footprint.
void for_each_property(Register& reg, const ListFilter& filter, bool with_footprint,
                       const std::function<void(const PropertyRecord&, const std::vector<unsigned char>&)>& visit);

/// The properties whose id, UPRN or owner's reference is @p key (several when a
/// UPRN or reference is shared).
std::vector<PropertyRecord> find_properties(Register& reg, const std::string& key);

/// The one property @p key names; a usage_error when none does (saying how to
/// find it) or several do (listing them with their ids).
PropertyRecord find_one_property(Register& reg, const std::string& key);

/// The property with the register's id @p id; not_found_error when there is none.
PropertyRecord property_with_id(Register& reg, std::int64_t id);

/// A field's value: none (NULL), a whole number, a real number or text.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;
enum class FieldKind { integer, real, text };

/// One field of a property as shown and exported: the single list of them, used by
/// `estate show`/`list` and by every export format.
struct PropertyField {
    const char* name;       ///< the register's name
    const char* short_name; ///< at most 10 characters, for Shapefiles
    FieldKind kind;
    const char* meaning;                                ///< for the docs and the field map written beside exports
    FieldValue (*get)(const PropertyRecord&) = nullptr; ///< for the fields that are not facts
    const model::FactColumn* fact = nullptr;            ///< for the facts (model::fact_columns())
    FieldValue value(const PropertyRecord& r) const;
};
const std::vector<PropertyField>& property_fields();

/// A value as text: "" for NULL, numbers in full precision.
std::string field_text(const FieldValue& v);

/// The fields of a record as JSON keys and values (null when not recorded), in display
/// order, into the object @p w has open: `estate show --json`, `list --json`, the web API.
void write_record_fields(util::JsonWriter& w, const PropertyRecord& r);

/// The column names and values of a record, in display order, as text ("" = NULL).
/// One of those fields' text ("" when not recorded); none when there is no such field.
std::optional<std::string> record_field(const PropertyRecord& r, std::string_view name);
std::vector<std::pair<std::string, std::string>> record_fields(const PropertyRecord& r);

} // namespace estate::db
