#include "estate/importing/importer.hpp"
#include "estate/db/queries.hpp"

#include "db/sqlite.hpp"
#include "estate/db/owners.hpp"
#include "estate/db/postcode_lookup.hpp"
#include "estate/db/register.hpp"
#include "estate/duplicates/duplicates.hpp"
#include "estate/error.hpp"
#include "estate/geo/crs.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/geo/ostn15.hpp"
#include "estate/io/postcodes.hpp"
#include "estate/io/profile.hpp"
#include "estate/io/source.hpp"
#include "estate/model/normalise.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/json.hpp"
#include "estate/util/paths.hpp"
#include "importing/column_inference.hpp"
#include "importing/register_writer.hpp"
#include "importing/row_mapper.hpp"
#include "importing/seen_refs.hpp"
#include "util/bounded_queue.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <pthread.h>
#include <sys/resource.h>

namespace estate::importing {
namespace {

// What was found wrong with one source row: warnings on a row that is stored
// anyway, or the reason it is not a property at all.
struct RowIssues {
    std::vector<model::Problem> warnings;
    std::optional<model::Problem> rejection;
    void clear() {
        warnings.clear();
        rejection.reset();
    }
    void warn(const std::optional<model::Problem>& p, std::string_view value = {}) {
        if (!p) return;
        warnings.push_back(*p);
        if (warnings.back().value.empty()) warnings.back().value.assign(value);
    }
    void reject(std::string reason, std::string field, std::string message) {
        rejection = model::Problem{std::move(reason), std::move(field), std::move(message), {}};
    }
};

// A byte no text means to hold: C0 controls other than tab and line ends, and DEL.
bool is_control(char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

// Control characters in a row's values (a NUL byte from a broken export, a form feed):
// each becomes a space, so the rest of the value and of the row is read as usual, and a
// warning names the column and shows the value with the bytes written as \xNN.
void clear_control_characters(std::vector<std::string>& values, const std::vector<std::string>& headers,
                              RowIssues& issues) {
    for (size_t i = 0; i < values.size(); ++i) {
        std::string& v = values[i];
        if (std::none_of(v.begin(), v.end(), is_control)) continue;
        std::string shown;
        for (char& ch : v) {
            if (is_control(ch)) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(ch));
                shown += hex;
                ch = ' ';
            } else {
                shown += ch;
            }
        }
        const std::string column = i < headers.size() ? headers[i] : "column " + std::to_string(i + 1);
        issues.warn(model::Problem{"control_characters", column,
                                   "column '" + column +
                                       "' held control characters (shown as \\xNN): each read as "
                                       "a space, the rest kept",
                                   shown});
    }
}

// Sets an optional text field in place, so a recycled row reuses its memory.
void set_text(std::optional<std::string>& field, std::string_view value) {
    if (value.empty())
        field.reset();
    else if (field)
        field->assign(value);
    else
        field.emplace(value);
}
void set_text(std::optional<std::string>& field, const std::string& value) {
    set_text(field, std::string_view(value));
}
void set_text(std::optional<std::string>& field, const std::optional<std::string>& value) {
    set_text(field, value ? std::string_view(*value) : std::string_view());
}

// The same, the text cleaned on the way (model::clean_text: line breaks, spaces).
void set_clean_text(std::optional<std::string>& field, std::string_view value) {
    if (model::trim_view(value).empty()) {
        field.reset();
        return;
    }
    if (!field) field.emplace();
    model::clean_text_into(value, *field);
}

// Coded columns (tenure, use, sector, ...) hold few distinct values: each is
// normalised once per import and looked up after that. Bounded, in case a column
// turns out to be free text.
template <class Result>
class Memo {
public:
    template <class Compute>
    const Result& get(const std::string& key, Compute compute) {
        auto it = cache_.find(key);
        if (it != cache_.end()) return it->second;
        if (cache_.size() >= 4096) return scratch_ = compute();
        return cache_.emplace(key, compute()).first->second;
    }

private:
    std::unordered_map<std::string, Result> cache_;
    Result scratch_;
};

// Caches one PROJ transformation per source CRS seen in the file; nullptr (also
// cached) for a CRS PROJ cannot transform from, such as "EPSG:999999".
class Transformers {
public:
    const geo::ToGrid* get(const std::string& crs) {
        auto it = cache_.find(crs);
        if (it == cache_.end()) {
            std::unique_ptr<geo::ToGrid> t;
            try {
                t = std::make_unique<geo::ToGrid>(crs);
            } catch (const crs_error&) {
            }
            it = cache_.emplace(crs, std::move(t)).first;
        }
        return it->second.get();
    }

private:
    std::unordered_map<std::string, std::unique_ptr<geo::ToGrid>> cache_;
};

// Lower-case and trimmed: how a [values FIELD] key and a column's words are compared.
std::string value_key(std::string_view s) {
    std::string k = model::trim(s);
    for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return k;
}

// Whether a row is a property at all: a blank line, the header repeated, a totals or
// a notes row is not. (Rows with any location or reference are always properties.)
std::optional<std::string> not_a_property(const std::vector<std::string>& values,
                                          const std::vector<std::string>& headers, const MappedRow& m,
                                          bool has_geometry) {
    // Most rows are told at their first filled cell; the rest of the row is counted
    // only for the few that need it.
    size_t first = 0;
    while (first < values.size() && model::trim_view(values[first]).empty()) ++first;
    if (first == values.size()) return has_geometry ? std::nullopt : std::optional<std::string>("a blank row");
    auto filled = [&values, first] {
        size_t n = 0;
        for (size_t i = first; i < values.size(); ++i) n += !model::trim_view(values[i]).empty();
        return n;
    };
    // The header again (files joined together): most cells are their column's name.
    if (model::same_header_key(values[first], headers[first])) {
        size_t same = 0;
        for (size_t i = 0; i < values.size(); ++i)
            same += !model::trim_view(values[i]).empty() && model::same_header_key(values[i], headers[i]);
        if (same >= 2 && 2 * same >= filled()) return "the header row repeated";
    }
    const auto& f = m.fields;
    if (has_geometry || !f[f_uprn].empty() || !f[f_postcode].empty() || !f[f_x].empty() || !f[f_y].empty() ||
        !f[f_grid_ref].empty() || !f[f_footprint_wkt].empty())
        return std::nullopt;
    const std::string lead = value_key(values[first]);
    for (const char* word : {"total", "grand total", "sub-total", "subtotal", "sum", "totals"}) {
        const size_t n = std::strlen(word);
        if (lead.compare(0, n, word) != 0 || (lead.size() > n && std::isalpha(static_cast<unsigned char>(lead[n]))))
            continue;
        bool figures_only = true;
        for (size_t i = first + 1; i < values.size() && figures_only; ++i)
            figures_only = model::trim_view(values[i]).empty() || model::parse_amount(values[i], "").value;
        if (figures_only) return "a totals row";
    }
    if (filled() == 1) {
        size_t words = 1;
        for (char c : lead) words += c == ' ';
        for (const char* prefix :
             {"note", "source", "*", "\xC2\xA9", "(c)", "contains ", "data ", "last updated", "updated ", "published "})
            if (lead.rfind(prefix, 0) == 0) return "a note";
        if (words >= 6) return "a note";
    }
    return std::nullopt;
}

// Turns a mapped row into a located Property with its warnings, or says why the row
// is not a property.
class PropertyBuilder {
public:
    /// @p geometry_from_text: the layer's geometry is made from a WKT column (a CSV).
    /// @p postcodes: the register's lookup with the import's own file added (or none).
    PropertyBuilder(const io::Profile& profile, const RowMapper& mapper, const std::optional<std::string>& layer_crs,
                    const ImportOptions& options, const io::PostcodeIndex* postcodes, bool decimal_comma,
                    bool geometry_from_text)
        : profile_(profile), mapper_(mapper), layer_crs_(layer_crs), options_(options), postcodes_(postcodes),
          decimal_comma_(decimal_comma), geometry_from_text_(geometry_from_text) {}

    // Fills @p p in place (a recycled row keeps its strings' memory); false when the
    // row is not a property (r.rejection says why).
    bool build(const MappedRow& m, const io::SourceRow& row, const std::vector<std::string>& headers,
               model::Property& p, std::string& sector, RowIssues& r) {
        const auto& f = m.fields;
        if (!row.malformed.empty()) {
            r.reject("malformed_record", "",
                     "row " + std::to_string(row.number) + " (line " + std::to_string(row.line) +
                         ") cannot be read as one record: " + row.malformed +
                         "; nothing stored from it, its line is kept as it stands (the first column of the issues "
                         "file), and the rows after it are read as usual: mend the line and import the file again");
            return false;
        }
        if (auto why = not_a_property(row.values, headers, m, !row.geometry_wkb.empty())) {
            r.reject("not_a_property", "",
                     "row " + std::to_string(row.number) + " is " + *why + ", not a property; nothing stored");
            return false;
        }
        r.warn(m.conflict);
        owner(f, row, p, r);
        // "N/A", "0", "TBC": no reference at all, not one shared by every such row.
        if (model::is_placeholder_identifier(f[f_ref]))
            p.ref.clear();
        else
            p.ref.assign(model::trim_view(f[f_ref]));
        const auto& sec = sectors_.get(coded("sector", f[f_sector]),
                                       [&] { return model::normalise_sector(coded("sector", f[f_sector])); });
        r.warn(sec.problem, f[f_sector]);
        if (sec.value)
            sector.assign(*sec.value);
        else
            sector.assign(guessed_sectors_.get(p.owner, [&] { return model::guess_sector(p.owner); }));

        auto uprn = model::normalise_uprn(f[f_uprn]);
        r.warn(uprn.problem, f[f_uprn]);
        set_text(p.uprn, uprn.value);
        set_clean_text(p.name, f[f_name]);
        set_clean_text(p.address, f[f_address]);
        auto pc = model::normalise_postcode(f[f_postcode]);
        r.warn(pc.problem, f[f_postcode]);
        if (!pc.value && f[f_postcode].empty() && p.address) {
            // No postcode column (or none in this row): the end of the address often has one.
            if (auto found = model::postcode_at_end(*p.address)) {
                pc.value = found;
                pc.full = true;
            }
        }
        set_text(p.postcode, pc.value);

        const std::string& ht_text = f[f_holding_type];
        const auto& ht =
            holding_types_.get(ht_text, [&] { return model::normalise_holding_type(coded("holding_type", ht_text)); });
        unrecognised(ht.problem, "holding_type", ht_text, r);
        set_text(p.holding_type, ht.value);
        set_clean_text(p.holding_type_detail, ht_text);

        tenure_key_.assign(f[f_tenure]).append(1, '\x1f').append(f[f_tenure_detail]);
        const auto& ten = tenures_.get(tenure_key_, [&] {
            const std::string& mapped = coded("tenure", f[f_tenure]);
            return mapped != f[f_tenure] ? model::Checked{mapped, std::nullopt}
                                         : model::normalise_tenure(f[f_tenure], f[f_tenure_detail]);
        });
        unrecognised(ten.problem, "tenure", f[f_tenure], r);
        set_text(p.tenure, ten.value);
        // The source's own words stay: the detail column, or the unrecognised tenure.
        set_text(p.tenure_detail, f[f_tenure_detail].empty() && ten.problem ? f[f_tenure] : f[f_tenure_detail]);

        assign_use(f, ht.problem.has_value(), p, r);
        amount(f, f_gia_m2, "gia_m2", p.gia_m2, r);
        amount(f, f_land_area_ha, "land_area_ha", p.land_area_ha, r);
        amount(f, f_market_value, "market_value", p.market_value, r);
        amount(f, f_running_cost, "running_cost", p.running_cost, r);
        set_text(p.occupancy, occupancies_.get(f[f_occupancy], [&] {
            const std::string& mapped = coded("occupancy", f[f_occupancy]);
            return mapped != f[f_occupancy] ? std::optional<std::string>(mapped)
                                            : model::occupancy_from_text(f[f_occupancy]);
        }));
        auto util = model::parse_fraction(f[f_utilisation], "utilisation");
        r.warn(util.problem, f[f_utilisation]);
        p.utilisation = util.value;
        const auto& cond = conditions_.get(
            f[f_condition], [&] { return model::normalise_condition(coded("condition", f[f_condition])); });
        unrecognised(cond.problem, "condition", f[f_condition], r);
        set_text(p.condition, cond.value);
        set_text(p.energy_rating, f[f_energy_rating]);
        auto date = model::normalise_date(f[f_effective_date]);
        r.warn(date.problem, f[f_effective_date]);
        set_text(p.effective_date, date.value);
        p.extra = m.extra;

        p.location.reset();
        p.location_transform.reset();
        p.location_quality.assign("unlocated");
        p.footprint_wkb.clear();
        p.footprint_repaired = false;
        locate(f, row, pc.full, p, r);

        if (p.ref.empty()) {
            if (!p.uprn && !p.name && !p.address && !p.postcode && !p.location && f[f_x].empty() &&
                f[f_grid_ref].empty() && f[f_footprint_wkt].empty() && row.geometry_wkb.empty()) {
                r.reject("no_identity", "ref",
                         "no reference, UPRN, name, address, postcode or location: nothing says which property "
                         "this row is; nothing stored");
                return false;
            }
            made_up_ref(p);
            // A file with no reference column at all is said once, in the summary.
            if (mapper_.can_fill(f_ref))
                r.warn(model::Problem{"missing_ref",
                                      "ref",
                                      "no owner's reference (asset code) in this row: stored under '" + p.ref +
                                          "', made from the row's UPRN, name, address and location, which finds "
                                          "it again only while those stay the same; fill in its reference",
                                      {}});
        }
        return true;
    }

    // A reference for a row that has none: the same row gives the same reference on
    // every import (so a re-import finds it), two different rows different ones.
    void made_up_ref(model::Property& p) {
        std::uint64_t h = 1469598103934665603ULL;
        auto mix = [&h](std::string_view s) {
            for (unsigned char c : s) {
                h ^= c;
                h *= 1099511628211ULL;
            }
            h ^= 0x1f;
            h *= 1099511628211ULL;
        };
        mix(p.uprn.value_or(""));
        mix(p.name.value_or(""));
        mix(p.address.value_or(""));
        mix(p.postcode.value_or(""));
        // The row's own coordinates only: a place a postcode lookup gave comes and goes
        // with the lookup, and the row must be found again either way.
        if (p.location && p.location_quality == "source") {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.1f %.1f", p.location->easting, p.location->northing);
            mix(buf);
        }
        char ref[32];
        std::snprintf(ref, sizeof ref, "auto-%012llx", static_cast<unsigned long long>(h & 0xFFFFFFFFFFFFULL));
        p.ref.assign(ref);
    }

    std::int64_t repaired = 0;
    std::int64_t owners_named_from_column = 0;
    std::map<std::string, std::string> owner_code_names; // a code in the owner column -> the name beside it
    std::set<std::string> owner_codes;                   // owner "names" that are codes, with no name column
    // Per field, the source's words the register could not code, and how often.
    std::map<std::string, std::map<std::string, std::int64_t>> unrecognised_words;

private:
    // The use, from the data first: the file's use-like column; else a service category
    // a council put in its Holding Type column ("Car Parks"); else a guess from the name
    // (marked as one); else unknown. use_source says which.
    void assign_use(const std::vector<std::string>& f, bool holding_type_unrecognised, model::Property& p,
                    RowIssues& r) {
        const std::string& words = f[f_use];
        set_text(p.use_detail, words);
        p.use_source.reset();
        const auto& use = uses_.get(words, [&] {
            const std::string& mapped = coded("use", words);
            return mapped != words ? std::optional<std::string>(mapped) : model::classify_use(words);
        });
        const bool words_unknown = use && *use == "other" && value_key(words) != "other";
        if (words_unknown)
            unrecognised(model::Problem{"unknown_use",
                                        "use",
                                        "use '" + words +
                                            "' is not recognised; stored as 'other' with the words in "
                                            "use_detail (map them with a [values use] section of a profile)",
                                        {}},
                         "use", words, r);
        if (use && !words_unknown) {
            p.use.assign(*use);
            set_text(p.use_source, std::string_view("source"));
            return;
        }
        if (!use && holding_type_unrecognised) {
            const std::string& category = f[f_holding_type];
            const auto& from_category = uses_.get(category, [&] { return model::classify_use(category); });
            if (from_category && *from_category != "other") {
                p.use.assign(*from_category);
                set_text(p.use_source, std::string_view("source"));
                return;
            }
        }
        if (profile_.use_from_name && p.name) {
            const auto& guess = name_uses_.get(*p.name, [&] { return model::guess_use_from_name(*p.name); });
            if (guess) {
                p.use.assign(*guess);
                set_text(p.use_source, std::string_view("name"));
                return;
            }
        }
        // Words the register does not know are still what the source said; nothing at all is unknown.
        p.use.assign(words_unknown ? "other" : "unknown");
        if (words_unknown) set_text(p.use_source, std::string_view("source"));
    }

    // The profile's [values FIELD] code for @p text, else @p text itself.
    const std::string& coded(const char* field, const std::string& text) {
        if (profile_.values.empty() || text.empty()) return text;
        auto section = profile_.values.find(field);
        if (section == profile_.values.end() || text.empty()) return text;
        auto it = section->second.find(value_key(text));
        return it == section->second.end() ? text : it->second;
    }

    void unrecognised(const std::optional<model::Problem>& problem, const char* field, const std::string& text,
                      RowIssues& r) {
        if (!problem) return;
        r.warn(problem, text);
        ++unrecognised_words[field][model::clean_text(text)];
    }

    void owner(const std::vector<std::string>& f, const io::SourceRow& row, model::Property& p, RowIssues& r) {
        p.owner.assign(model::trim_view(f[f_owner]));
        if (!p.owner.empty() && model::looks_like_code(p.owner)) {
            // "E07000235" in the owner column: the name is often in another column.
            for (int c : mapper_.owner_name_columns()) {
                std::string_view v = model::trim_view(row.values[static_cast<size_t>(c)]);
                if (!v.empty() && !model::looks_like_code(v)) {
                    if (owner_code_names.size() < 1000) owner_code_names.emplace(p.owner, v);
                    p.owner.assign(v);
                    ++owners_named_from_column;
                    return;
                }
            }
            owner_codes.insert(p.owner);
        }
        if (p.owner.empty()) {
            p.owner.assign("Owner not recorded");
            r.warn(model::Problem{"missing_owner",
                                  "owner",
                                  "no owner in this row: stored under 'Owner not recorded'; name the file's owner "
                                  "when importing it, or fill the owner column",
                                  {}});
        }
    }

    void amount(const std::vector<std::string>& f, Field field, const char* name, std::optional<double>& out,
                RowIssues& r) {
        auto n = model::parse_amount(f[field], name, decimal_comma_);
        r.warn(n.problem, f[field]);
        out = n.value;
        if (out && !mapper_.unit(field).empty()) *out *= unit_factor(field, mapper_.unit(field));
    }

    // To the register's unit (m² for floor areas, hectares for land) from a header's unit.
    static double unit_factor(Field field, const std::string& unit) {
        const double to_m2 = unit == "sq ft"   ? 0.09290304
                             : unit == "acres" ? 4046.8564224
                             : unit == "ha"    ? 10000.0
                                               : 1.0;
        return field == f_land_area_ha ? to_m2 / 10000.0 : to_m2;
    }

    // The CRS of this row's x/y or footprint WKT: the row's CRS column, the
    // profile's default, the layer's, or a guess from the numbers' size.
    std::optional<std::string> row_crs(const std::vector<std::string>& f, double x, double y, RowIssues& r) {
        if (!f[f_crs].empty()) {
            // Most files name one CRS on every row: resolve each spelling once.
            const auto& crs = crs_names_.get(f[f_crs], [&] { return geo::resolve_crs_name(f[f_crs]); });
            if (!crs)
                r.warn(model::Problem{"unknown_crs", "crs",
                                      "coordinate reference system '" + f[f_crs] +
                                          "' is not recognised, so the coordinates are not used; write WGS84, "
                                          "OSGB36, ETRS89 or an EPSG code",
                                      f[f_crs]});
            return crs;
        }
        // Columns of degrees are degrees, whatever the layer's geometry is in (a
        // GeoPackage in Web Mercator that also lists longitude and latitude).
        const std::string by_size = geo::crs_from_magnitude(x, y);
        if (layer_crs_ && by_size != "EPSG:4326") return layer_crs_;
        return by_size;
    }

    // A coordinate as people write it: "384512.00", "384 512", "394812,35" (in a file
    // separated by semicolons).
    bool parse_coordinate(const std::string& s, double& v) {
        if (s.empty()) return false;
        // Plain decimals (nearly all) at once; spaces and decimal commas made plain first.
        auto [stop, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc{} && stop == s.data() + s.size()) return std::isfinite(v);
        number_.clear();
        for (unsigned char c : s) {
            if (c == ' ') continue;
            number_ += (c == ',' && decimal_comma_) ? '.' : static_cast<char>(c);
        }
        char* end = nullptr;
        v = std::strtod(number_.c_str(), &end);
        return !number_.empty() && end == number_.c_str() + number_.size() && std::isfinite(v);
    }

    // The transformation from @p crs, or a warning on the row when PROJ has none.
    const geo::ToGrid* transformer(const std::string& crs, RowIssues& r) {
        const geo::ToGrid* t = transformers_.get(crs);
        if (!t)
            r.warn(model::Problem{"unknown_crs", "crs",
                                  "PROJ knows no coordinate reference system '" + crs +
                                      "', so the coordinates are not used; write WGS84, OSGB36, ETRS89 or an EPSG "
                                      "code that exists",
                                  crs});
        return t;
    }

    static bool geographic(const std::string& crs) {
        return crs == "EPSG:4326" || crs == "OGC:CRS84" || crs == "EPSG:4258";
    }

    // The location @p pt if it can be used; otherwise a warning and false.
    template <class Describe>
    bool usable(const model::GridPoint& pt, const Describe& what, RowIssues& r, std::string_view value) {
        if (auto problem = location_problem(pt, what)) {
            r.warn(problem, value);
            return false;
        }
        return true;
    }

    void take_location(const model::GridPoint& pt, model::Property& p,
                       geo::Transformation how = geo::Transformation::none) {
        p.location = pt;
        p.location_quality.assign("source");
        set_text(p.location_transform, std::string_view(geo::transformation_name(how)));
    }

    void locate(const std::vector<std::string>& f, const io::SourceRow& row, bool full_postcode, model::Property& p,
                RowIssues& r) {
        // 1. An OS grid reference, in its own column or in the x column.
        const std::string xs = model::trim(f[f_x]), ys = model::trim(f[f_y]);
        std::string_view grid_ref = f[f_grid_ref];
        if (grid_ref.empty() && ys.empty() && !xs.empty() && std::isalpha(static_cast<unsigned char>(xs[0])))
            grid_ref = xs;
        if (!grid_ref.empty()) {
            auto pt = geo::parse_grid_reference(grid_ref);
            if (!pt)
                r.warn(model::Problem{"bad_grid_reference", "grid_ref",
                                      "'" + std::string(grid_ref) +
                                          "' is not an OS grid reference (two letters and an even number of "
                                          "digits, e.g. SO 8451 7623); not used",
                                      std::string(grid_ref)});
            else if (usable(
                         *pt, [&] { return "grid reference " + std::string(grid_ref); }, r, grid_ref))
                take_location(*pt, p);
        }
        // 2. Coordinates in columns.
        std::optional<std::string> crs;
        if (!p.location && (!xs.empty() || !ys.empty()) && grid_ref != xs) locate_xy(f, xs, ys, crs, p, r);
        // 3. A geometry: the layer's own, or one written as (E)WKT in a column. A CSV's
        // WKT column is both (GDAL makes the layer's geometry of it): read once, as text.
        const std::string& wkt = f[f_footprint_wkt];
        if (!wkt.empty() && (row.geometry_wkb.empty() || geometry_from_text_))
            locate_wkt(f, wkt, p, r);
        else if (!row.geometry_wkb.empty())
            locate_geometry(f, row.geometry_wkb, std::nullopt, p, r);
        if (!row.unreadable_geometry.empty())
            r.warn(model::Problem{"unreadable_geometry", "geometry",
                                  "the file gives a geometry GDAL cannot read (a coordinate that is not a number, "
                                  "or a type GeoJSON does not have); not used: correct it in the source",
                                  row.unreadable_geometry});
        // 4. The postcode's centroid.
        if (!p.location && full_postcode && postcodes_ && p.postcode) {
            if (auto pt = postcodes_->find(*p.postcode)) {
                if (usable(
                        *pt, [&] { return "the centroid of postcode " + *p.postcode; }, r, *p.postcode)) {
                    p.location = pt;
                    p.location_quality.assign("postcode");
                }
            }
        }
        if (!p.location) p.location_quality.assign("unlocated");
    }

    // The CRS of a geometry: an EWKT's SRID, the row's CRS column (or the profile's
    // crs), the layer's, or, as for x/y, the size of its first coordinate.
    std::optional<std::string> geometry_crs(const std::vector<std::string>& f,
                                            const std::optional<std::pair<double, double>>& first, RowIssues& r) {
        if (!f[f_crs].empty()) return row_crs(f, 0, 0, r).value_or(""); // the row's (or profile's) CRS
        if (layer_crs_) return *layer_crs_;
        return first ? geo::crs_from_magnitude(first->first, first->second) : std::string("EPSG:4326");
    }

    // A point or polygonal geometry (WKB) in @p crs (nullopt: found by geometry_crs).
    void locate_geometry(const std::vector<std::string>& f, const std::vector<unsigned char>& wkb,
                         std::optional<std::string> crs, model::Property& p, RowIssues& r) {
        if (!crs) crs = geometry_crs(f, geo::first_coordinate(wkb), r);
        if (crs->empty()) return; // an unknown CRS name: warned about on the row
        const geo::ToGrid* to_grid = transformer(*crs, r);
        if (!to_grid) return;
        const auto kind = geo::wkb_kind(wkb);
        if (kind == geo::GeometryKind::point && !p.location) {
            auto src = engine_.point_of_wkb(wkb.data(), wkb.size());
            geo::Transformation how{};
            auto pt = src ? to_grid->transform(src->easting, src->northing, &how) : std::nullopt;
            if (!pt)
                r.warn(model::Problem{"bad_coordinates",
                                      "geometry",
                                      "the point cannot be transformed from " + *crs +
                                          " to British National Grid; not used",
                                      {}});
            else if (usable(*pt, [] { return std::string("the point geometry"); }, r, {}))
                take_location(*pt, p, how);
        } else if (kind == geo::GeometryKind::polygonal) {
            take_footprint(engine_.footprint_from_wkb(wkb.data(), wkb.size(), *to_grid, !p.location), *to_grid, p, r);
        } else if (kind == geo::GeometryKind::other) {
            r.warn(model::Problem{"unsupported_geometry",
                                  "geometry",
                                  "the geometry is neither a point nor a polygon (lines cannot be a property's "
                                  "location); not used",
                                  {}});
        }
    }

    // A geometry written as WKT or EWKT ("SRID=27700;POLYGON((...))").
    void locate_wkt(const std::vector<std::string>& f, const std::string& text, model::Property& p, RowIssues& r) {
        const geo::Ewkt e = geo::split_ewkt(text);
        const std::optional<std::string> crs =
            e.srid ? "EPSG:" + std::to_string(*e.srid) : geometry_crs(f, geo::first_coordinate_of_wkt(e.wkt), r);
        if (!crs || crs->empty()) return;
        const std::string_view head = model::trim_view(e.wkt).substr(0, 10);
        if (model::same_word(head.substr(0, 5), "point") || model::same_word(head, "multipoint")) {
            if (!engine_.wkb_of_wkt(e.wkt, wkt_wkb_)) {
                r.warn(model::Problem{"bad_footprint",
                                      "footprint_wkt",
                                      "the point '" + std::string(e.wkt.substr(0, 60)) +
                                          "' is not WKT GEOS can read; not used",
                                      {}});
                return;
            }
            locate_geometry(f, wkt_wkb_, crs, p, r);
            return;
        }
        if (const geo::ToGrid* to_grid = transformer(*crs, r))
            take_footprint(engine_.footprint_from_wkt(e.wkt, *to_grid, !p.location), *to_grid, p, r);
    }

    void locate_xy(const std::vector<std::string>& f, const std::string& xs, const std::string& ys,
                   std::optional<std::string>& crs, model::Property& p, RowIssues& r) {
        const std::string written = xs + ", " + ys;
        double x = 0, y = 0;
        if (!parse_coordinate(xs, x) || !parse_coordinate(ys, y)) {
            r.warn(model::Problem{"bad_coordinates", "x/y",
                                  "coordinates '" + xs + "', '" + ys +
                                      "' are not two numbers; not used (correct them or leave both empty)",
                                  written});
            return;
        }
        if (x == 0 && y == 0) return; // 0,0 is how many registers write "unknown"
        crs = row_crs(f, x, y, r);
        if (!crs) return;
        const geo::ToGrid* to_grid = transformer(*crs, r);
        if (!to_grid) return;
        geo::Transformation how{};
        auto pt = to_grid->transform(x, y, &how);
        if (pt && !location_problem(*pt, [] { return std::string(); })) {
            take_location(*pt, p, how);
            return;
        }
        // Latitude and longitude the wrong way round: certain when the swap lands in Great Britain.
        if (geographic(*crs)) {
            auto swapped = to_grid->transform(y, x, &how);
            if (swapped && !location_problem(*swapped, [] { return std::string(); })) {
                take_location(*swapped, p, how);
                r.warn(model::Problem{"swapped_coordinates", "x/y",
                                      "coordinates " + written +
                                          " have latitude and longitude the wrong way round; stored swapped (" + ys +
                                          ", " + xs + "): correct the source",
                                      written});
                return;
            }
        }
        if (!pt) {
            // Mostly eastings and northings labelled as longitude and latitude.
            const bool not_degrees = std::fabs(x) > 180 || std::fabs(y) > 90;
            r.warn(model::Problem{"bad_coordinates", "x/y",
                                  "coordinates " + written + " cannot be transformed from " + *crs +
                                      " to British National Grid; not used" +
                                      (not_degrees ? "; they are not longitude and latitude - if they are "
                                                     "eastings and northings, say so in the coordinate "
                                                     "system column (e.g. OSGB36)"
                                                   : ""),
                                  written});
            return;
        }
        usable(
            *pt, [&] { return written + " (" + *crs + ")"; }, r, written);
    }

    void take_footprint(geo::Footprint fp, const geo::ToGrid& to_grid, model::Property& p, RowIssues& r) {
        if (fp.problem) {
            r.warn(model::Problem{fp.problem_reason, "footprint", *fp.problem + "; the footprint is not stored", {}});
            return;
        }
        if (!p.location) {
            if (!usable(fp.point_on_surface, [] { return std::string("the footprint"); }, r, {})) return;
            // Its vertices went the way of the source's CRS: OSTN15 within its grid.
            geo::Transformation how = to_grid.usual();
            if (how == geo::Transformation::ostn15 &&
                !geo::ostn15::to_etrs89(fp.point_on_surface.easting, fp.point_on_surface.northing))
                how = geo::Transformation::helmert;
            take_location(fp.point_on_surface, p, how);
        }
        if (fp.hull_of_vertices)
            r.warn(model::Problem{"footprint_simplified",
                                  "footprint",
                                  "footprint has " + std::to_string(*fp.hull_of_vertices) +
                                      " vertices, more than the " + std::to_string(geo::max_footprint_vertices) +
                                      " a building's outline has: its convex hull is kept",
                                  {}});
        p.footprint_wkb = std::move(fp.wkb);
        p.footprint_repaired = fp.repaired;
        if (fp.repaired) ++repaired;
    }

    // Why @p pt cannot be a location (outside the grid or the boundary), or nothing.
    // @p what describes the location for the message; it is called only then.
    template <class Describe>
    std::optional<model::Problem> location_problem(const model::GridPoint& pt, const Describe& what) {
        auto where = [&] {
            char buf[64];
            std::snprintf(buf, sizeof buf, "E %.0f N %.0f", pt.easting, pt.northing);
            return std::string(buf);
        };
        if (!geo::inside_gb_grid(pt))
            return model::Problem{"outside_grid",
                                  "x/y",
                                  what() + " falls at " + where() +
                                      ", outside Great Britain's National Grid; the location is not used (check "
                                      "the coordinate system)",
                                  {}};
        if (options_.boundary && !options_.boundary->contains(pt))
            return model::Problem{"outside_boundary",
                                  "x/y",
                                  what() + " falls at " + where() + ", outside the boundary " +
                                      options_.boundary->source() +
                                      "; the location is not used (check the coordinates or the owner's area)",
                                  {}};
        return std::nullopt;
    }

    const io::Profile& profile_;
    const RowMapper& mapper_;
    std::optional<std::string> layer_crs_;
    const ImportOptions& options_;
    const io::PostcodeIndex* postcodes_;
    const bool decimal_comma_;
    const bool geometry_from_text_;
    std::vector<unsigned char> wkt_wkb_; // a WKT point as WKB, reused
    Transformers transformers_;
    geo::GeometryEngine engine_;
    Memo<model::Checked> sectors_, holding_types_, tenures_, conditions_;
    Memo<std::string> guessed_sectors_;
    Memo<std::optional<std::string>> uses_, name_uses_, occupancies_, crs_names_;
    std::string tenure_key_, number_;
};

std::string attributes_json(const std::vector<std::pair<std::string, std::string>>& extra) {
    if (extra.empty()) return {};
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_object();
    for (const auto& [k, v] : extra) w.field(k, v);
    w.end_object();
    return out.str();
}

std::string original_json(const std::vector<std::string>& headers, const std::vector<std::string>& values) {
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_object();
    std::set<std::string> seen;
    for (size_t i = 0; i < headers.size(); ++i) {
        std::string k = headers[i];
        for (int n = 2; !seen.insert(k).second; ++n) k = headers[i] + "#" + std::to_string(n);
        w.field(k, values[i]);
    }
    w.end_object();
    return out.str();
}

// One source row after the reader thread's work: a property ready to write, or
// the reasons it cannot be stored; its original values either way.
struct PreparedRow {
    std::int64_t row = 0;
    model::Property property;
    std::string sector;
    std::string attributes; // JSON of unmapped columns
    std::string hash;       // content_hash(property, attributes)
    GeometryBlobs blobs;    // its location and footprint, ready for SpatiaLite
    RowIssues issues;
    std::vector<std::string> values; // the row as read, for the data-issues report
};

// What tells this row's building from another row's with the same reference.
RowSignature signature_of(const model::Property& p) {
    RowSignature s;
    s.name = RowSignature::text_hash(p.name ? std::string_view(*p.name) : std::string_view());
    s.address = RowSignature::text_hash(p.address ? std::string_view(*p.address) : std::string_view());
    s.postcode = RowSignature::text_hash(p.postcode ? std::string_view(*p.postcode) : std::string_view());
    if (p.location) {
        s.easting = static_cast<float>(p.location->easting);
        s.northing = static_cast<float>(p.location->northing);
    }
    return s;
}

// Processor seconds the calling thread has used.
double thread_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string default_issues_path(const std::string& register_path, std::int64_t batch) {
    std::filesystem::path p(register_path);
    return (p.parent_path() / (p.stem().string() + ".batch" + std::to_string(batch) + ".issues.csv")).string();
}

// The commonest words first (ties in alphabetical order), at most @p n.
std::vector<std::pair<std::string, std::int64_t>> commonest(const std::map<std::string, std::int64_t>& counts,
                                                            size_t n) {
    std::vector<std::pair<std::string, std::int64_t>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (v.size() > n) v.resize(n);
    return v;
}

} // namespace

namespace {

// The source opened, its header row found among the words of @p chosen (or, when the
// format is to be recognised, of every built-in profile and of the inference's table).
std::unique_ptr<io::SourceReader> open_reader(const std::string& source, const std::optional<std::string>& layer,
                                              const std::optional<io::Profile>& chosen) {
    std::vector<const io::Profile*> known;
    if (chosen)
        known.push_back(&*chosen);
    else
        for (const auto& p : io::builtin_profiles()) known.push_back(&p);
    const bool infer = !chosen;
    return std::make_unique<io::SourceReader>(
        source, layer, true, [known, infer](const std::vector<std::string>& cells) {
            return std::max(io::known_header_cells(known, cells), infer ? inferred_header_cells(cells) : 0);
        });
}

// The rows the columns are inferred from: enough to tell a column of postcodes from one
// of towns, few enough to cost nothing.
std::vector<io::SourceRow> read_sample(io::SourceReader& reader) {
    constexpr size_t sample_rows = 1000;
    std::vector<io::SourceRow> rows;
    io::SourceRow row;
    while (rows.size() < sample_rows && reader.next(row)) rows.push_back(std::move(row));
    return rows;
}

// A UPRN as one number (digits x 16 + length, so "0123" and "123" stay apart): a
// million strings in a set cost the writing thread a second.
std::uint64_t uprn_key(const std::string& u) {
    std::uint64_t v = 0;
    for (char c : u) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v * 16 + u.size();
}

std::string uprn_text(std::uint64_t key) {
    std::string u(static_cast<size_t>(key % 16), '0');
    for (std::uint64_t v = key / 16, i = u.size(); i > 0 && v > 0; v /= 10) u[--i] = static_cast<char>('0' + v % 10);
    return u;
}

// One import, as a pipeline of named stages (run() calls them in order): open the
// source and choose its profile; read, check and write the rows (three threads); say
// what the reading saw; finish the series (renumbering, retiring); find the UPRNs
// shared between owners; write the data-issues report; commit.
class SourceImport {
public:
    SourceImport(db::Register& reg, const ImportOptions& options) : reg_(reg), options_(options) {}

    ImportSummary run() {
        open_source();
        // The checksum is read from the file on the second core while the rows are imported.
        std::future<io::FileDigest> digest_job = std::async(std::launch::async, [path = options_.source] {
            return std::filesystem::is_directory(path) ? io::FileDigest{"directory", 0} : io::digest_file(path);
        });
        db::Connection& conn = reg_.connection();
        // One transaction holds every page the import touches: give it room in memory
        // so SQLite does not spill half-built R*Tree pages to disk and read them back.
        conn.exec("PRAGMA cache_size = -262144"); // 256 MiB
        conn.exec("PRAGMA temp_store = MEMORY");  // the sorting of the indexes built at the end
        // In WAL mode every page is written twice: to the log, then into the file at the
        // checkpoint. When no one else has the register open, the import goes through a
        // rollback journal instead (just as safe against a kill: the journal rolls back
        // on the next open) and the register returns to WAL afterwards. When someone has
        // it open (QGIS, an export, a shell), SQLite refuses the switch: the import then
        // runs in WAL beside them, a little slower.
        // (Not for a dry run: the switch itself writes the file's header.)
        std::optional<db::ScopedPragma> journal;
        if (!options_.dry_run) journal.emplace(conn, "journal_mode", "delete", "wal", true);
        // Foreign keys are not looked up row by row: the writer takes the owner and batch
        // ids from rows it has just found or written in this transaction (two B-tree
        // look-ups a row, 4% of the writing thread; tests run foreign_key_check).
        db::ScopedPragma foreign_keys(conn, "foreign_keys", "0", "1");
        db::Transaction tx(conn);
        use_postcode_lookup();
        RegisterWriter writer(conn);
        writer.suspend_index_triggers();
        s_.batch_id = writer.begin_batch(std::filesystem::absolute(options_.source).string(), s_.layer, profile_.name,
                                         options_.owner.value_or(""));

        read_check_write(writer);
        summarise_reading();
        finish_series(writer);
        s_.seconds_rows = since(rows_started_); // the rows and what follows from them
        s_.cpu_write = thread_cpu_seconds() - cpu_before_rows_;

        const auto index_started = clock::now();
        writer.restore_index_triggers(s_.batch_id);
        s_.seconds_index = since(index_started);
        finish_batch(writer, digest_job.get());
        find_shared_uprns(writer.first_load());
        s_.owners_merged_names = writer.merged_names();
        learn_owner_codes();
        for (const auto& so : db::similar_owners(reg_, writer.created_owners()))
            s_.similar_owners.emplace_back(so.name, so.existing);
        // Records that look like buildings already in the register (from other files).
        s_.look_like_existing = duplicates::look_like_existing(reg_, s_.batch_id);
        s_.dry_run = options_.dry_run;
        if (options_.dry_run) return std::move(s_); // the transaction rolls back: nothing written
        // Before the commit: if the report cannot be written the import fails whole, so
        // no rejected row or warning goes unreported.
        write_issues_report();

        const auto commit_started = clock::now();
        tx.commit();
        s_.seconds_commit = since(commit_started);
        // Back to WAL now, so that a failure is reported rather than lost in a destructor.
        // (Register::open puts a register back in WAL too, should this ever not happen.)
        try {
            journal->restore();
        } catch (const database_error& e) {
            s_.notes.push_back(std::string("the import is stored, but the register could not return to WAL mode "
                                           "(it will when next opened): ") +
                               e.what());
        }
        return std::move(s_);
    }

private:
    using clock = std::chrono::steady_clock;
    static double since(clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); }

    // Rejected rows and rows stored with warnings go to the register at once and to
    // the data-issues CSV at the end.
    struct IssueLine {
        std::int64_t row;
        bool stored;
        std::vector<model::Problem> problems;
        std::vector<std::string> values;
    };

    // Stage 1, before anything is written: the source opened, its profile chosen (as
    // asked, or recognised from the headers) and able to fill a reference and an owner.
    void open_source() {
        // The report must not replace the register or the source.
        if (options_.issues_path) db::refuse_overwriting(reg_, *options_.issues_path, "issues", {options_.source});
        // The header row is the first that names columns the profile (or, when the
        // format is to be recognised, any built-in profile) knows.
        std::optional<io::Profile> chosen;
        if (options_.profile) chosen = io::load_profile(*options_.profile);
        reader_ = open_reader(options_.source, options_.layer, chosen);
        s_.source = options_.source;
        s_.layer = reader_->layer_name();
        headers_ = reader_->headers();
        // The first rows are read now (and imported first) so that the columns a profile
        // does not map can be told by what they hold.
        head_rows_ = read_sample(*reader_);
        if (head_rows_.empty())
            throw file_error(
                options_.source + (s_.layer.empty() ? "" : " (layer " + s_.layer + ")") +
                " holds no rows: nothing to import (check that this is the file, or the layer, you meant)");
        Mapping mapping = choose_mapping(headers_, head_rows_, chosen, options_.owner.has_value());
        profile_ = std::move(mapping.profile);
        s_.profile_explanation = mapping.explanation;
        s_.inferred_columns = std::move(mapping.columns);
        s_.mapping_notes = std::move(mapping.notes);
        s_.profile = profile_.name;
        mapper_.emplace(profile_, headers_, options_.owner);
        s_.no_reference_column = !mapper_->can_fill(f_ref);
        if (!mapper_->can_fill(f_owner))
            throw usage_error("owner", options_.source +
                                           ": no column of this file names the owner of its properties (" +
                                           s_.profile_explanation +
                                           "); name it: --owner 'Full Name' (or map an owner column in a profile)");
    }

    // The postcodes that place rows with no coordinates: the register's lookup, with the
    // file given for this import added to it (and kept there for the imports after).
    void use_postcode_lookup() {
        if (options_.postcodes && options_.postcodes->size()) {
            const auto kept = db::keep_postcodes(reg_, *options_.postcodes);
            s_.postcodes_added = kept.added + kept.replaced;
        }
        // Only a file with postcodes (or addresses that end in one) is placed by them: the
        // lookup (a whole country's, perhaps) is not read for any other.
        if (mapper_->can_fill(f_postcode) || mapper_->can_fill(f_address))
            s_.postcodes_in_register = db::read_postcodes(reg_, postcodes_);
        else
            s_.postcodes_in_register = db::postcode_count(reg_);
    }

    // Stage 2: three threads, each a stage of its own: a reading thread takes records
    // from GDAL; a checking thread maps, validates, locates and hashes them (GEOS,
    // PROJ); this thread owns the database and writes. Chunks of rows pass between them.
    void read_check_write(RegisterWriter& writer) {
        // Counting a CSV's rows means reading it twice: only worth it for a progress display.
        total_ = options_.progress ? reader_->count() : std::nullopt;
        // Only a register that already holds warnings can hold stale ones for a row read again.
        clear_old_warnings_ = reg_.connection().scalar_int("SELECT 1 FROM property_warnings LIMIT 1").has_value();
        using RawChunk = std::vector<io::SourceRow>;
        using PreparedChunk = std::vector<PreparedRow>;
        constexpr size_t chunk_rows = 512;
        util::BoundedQueue<RawChunk> raw(8);
        util::BoundedQueue<PreparedChunk> queue(8);
        // Used chunks go back the way they came: the reader refills a raw chunk's strings
        // in place, and prepared chunks are freed by the thread that allocated them. (Freeing
        // another thread's memory was a sixth of the writing thread's time.)
        util::BoundedQueue<RawChunk> raw_spare(16);
        util::BoundedQueue<PreparedChunk> prepared_spare(16);
        std::exception_ptr reading_error, checking_error;
        rows_started_ = clock::now();
        cpu_before_rows_ = thread_cpu_seconds();
        std::thread reading([&] {
            pthread_setname_np(pthread_self(), "estate-read"); // named for profilers (perf -s comm)
            try {
                auto fresh_chunk = [&] {
                    auto spare = raw_spare.try_pop();
                    return spare ? std::move(*spare) : RawChunk(chunk_rows);
                };
                RawChunk chunk = fresh_chunk();
                size_t n = 0, head = 0;
                // The rows read to infer the columns come first, then the rest of the file.
                auto next = [&](io::SourceRow& row) {
                    if (head < head_rows_.size()) {
                        std::swap(row, head_rows_[head++]);
                        return true;
                    }
                    return reader_->next(row);
                };
                while (next(chunk[n])) {
                    if (++n == chunk_rows) {
                        if (!raw.push(std::move(chunk))) return;
                        chunk = fresh_chunk();
                        n = 0;
                    }
                }
                chunk.resize(n);
                if (n) raw.push(std::move(chunk));
            } catch (...) {
                reading_error = std::current_exception();
            }
            raw.finish();
            s_.cpu_read = thread_cpu_seconds();
        });
        std::thread checking([&] {
            pthread_setname_np(pthread_self(), "estate-check");
            try {
                PropertyBuilder& builder = builder_.emplace(profile_, *mapper_, reader_->crs(), options_,
                                                            postcodes_.size() ? &postcodes_ : nullptr,
                                                            reader_->separator() == ';', reader_->driver() == "CSV");
                SeenRefs seen_refs; // a reference may appear once per owner and file
                MappedRow mapped;
                while (auto rows = raw.pop()) {
                    // A chunk back from the writer: its rows' strings and buffers are reused.
                    auto spare = prepared_spare.try_pop();
                    PreparedChunk chunk = spare ? std::move(*spare) : PreparedChunk();
                    chunk.resize(rows->size());
                    for (size_t i = 0; i < rows->size(); ++i)
                        check_row((*rows)[i], chunk[i], builder, seen_refs, mapped);
                    if (!queue.push(std::move(chunk))) break;
                    if (rows->size() == chunk_rows) raw_spare.try_push(*rows);
                }
            } catch (...) {
                checking_error = std::current_exception();
                raw.close(); // the reading thread stops too
            }
            queue.finish();
            s_.cpu_check = thread_cpu_seconds();
        });
        // Whatever happens here, the other threads are told to stop and are joined.
        struct JoinGuard {
            util::BoundedQueue<RawChunk>& raw;
            util::BoundedQueue<PreparedChunk>& queue;
            std::thread& reading;
            std::thread& checking;
            ~JoinGuard() {
                raw.close();
                queue.close();
                if (reading.joinable()) reading.join();
                if (checking.joinable()) checking.join();
            }
        } join_guard{raw, queue, reading, checking};

        while (auto chunk = queue.pop()) {
            for (PreparedRow& prepared : *chunk) write_row(writer, prepared);
            prepared_spare.try_push(*chunk);
        }
        reading.join();
        checking.join();
        if (reading_error) std::rethrow_exception(reading_error);
        if (checking_error) std::rethrow_exception(checking_error);
        if (options_.progress) options_.progress(s_.read, total_);
    }

    // On the checking thread: one record mapped, validated, located and hashed.
    void check_row(io::SourceRow& row, PreparedRow& prepared, PropertyBuilder& builder, SeenRefs& seen_refs,
                   MappedRow& mapped) const {
        prepared.row = row.number;
        prepared.issues.clear();
        prepared.values.clear();
        // A malformed record's values are empty; its line goes to the issues file.
        if (!row.malformed.empty() && !row.values.empty()) row.values.front() = row.raw;
        RowIssues control;
        clear_control_characters(row.values, headers_, control);
        mapper_->map(row.values, mapped);
        model::Property& p = prepared.property;
        RowIssues& r = prepared.issues;
        const bool built = builder.build(mapped, row, headers_, p, prepared.sector, r);
        for (auto& w : control.warnings) r.warnings.push_back(std::move(w));
        if (built) {
            const RowSignature signature = signature_of(p);
            auto seen = seen_refs.first_row(p.owner, p.ref, row.number, signature);
            if (seen.row && !seen.agrees) {
                // Two buildings under one reference (a reused UPRN, a new library in its
                // predecessor's code): both are properties; this one gets a reference of
                // its own content.
                const std::string shared = p.ref;
                builder.made_up_ref(p);
                r.warn(model::Problem{"repeated_reference", "ref",
                                      "owner's reference '" + shared + "' of " + p.owner + " is also given at row " +
                                          std::to_string(seen.row) +
                                          ", whose name, address, postcode or location differ: a different "
                                          "building, stored under '" +
                                          p.ref + "'; give each its own reference",
                                      shared});
                seen = seen_refs.first_row(p.owner, p.ref, row.number, signature);
            }
            if (seen.row)
                r.reject("duplicate_ref", "ref",
                         "owner's reference '" + p.ref + "' of " + p.owner + " already appears at row " +
                             std::to_string(seen.row) +
                             " of this file with the same name, address, postcode and location: the same "
                             "building twice, so this row is not stored; delete the repeated row");
        }
        if (r.rejection || !r.warnings.empty()) prepared.values.swap(row.values); // for the report
        if (!r.rejection) {
            prepared.attributes = attributes_json(p.extra);
            content_hash(p, prepared.attributes, prepared.hash);
            geometry_blobs(p, prepared.blobs);
        }
    }

    // On this thread: one checked row stored (or its rejection recorded), and counted.
    void write_row(RegisterWriter& writer, PreparedRow& prepared) {
        if (options_.cancel && options_.cancel->load())
            throw interrupted("import of " + options_.source + " interrupted at row " + std::to_string(prepared.row) +
                              "; the register is unchanged");
        ++s_.read;
        model::Property& p = prepared.property;
        RowIssues& r = prepared.issues;
        if (r.rejection) {
            ++s_.rejected;
            const auto& why = *r.rejection;
            ++s_.rejected_by_reason[why.reason];
            writer.reject(s_.batch_id, prepared.row, why.reason, why.field, why.message,
                          original_json(headers_, prepared.values));
            issue_lines_.push_back({prepared.row, false, {why}, std::move(prepared.values)});
        } else {
            auto oid = owner_ids_.find(p.owner);
            if (oid == owner_ids_.end()) {
                oid = owner_ids_.emplace(p.owner, writer.owner_id(p.owner, prepared.sector)).first;
                series_of_owner_.emplace(oid->second, options_.series.value_or(profile_.name + " / " + p.owner));
            }
            if (!p.location) keep_location(writer, oid->second, prepared);
            switch (writer.write(p, prepared.hash, prepared.blobs, oid->second, s_.batch_id, prepared.attributes,
                                 series_of_owner_[oid->second])) {
            case RegisterWriter::Outcome::inserted:
                ++s_.inserted;
                break;
            case RegisterWriter::Outcome::updated:
                ++s_.updated;
                break;
            case RegisterWriter::Outcome::unchanged:
                ++s_.unchanged;
                break;
            }
            if (p.location_transform) ++s_.transformed_by[*p.location_transform];
            if (p.location_quality == "postcode") ++s_.postcode_located;
            if (p.location_quality == "unlocated") {
                ++s_.unlocated;
                // A full postcode ("WA14 1PF", not "WA14" or "WA14 1") a lookup would have placed.
                const size_t space = p.postcode ? p.postcode->find(' ') : std::string::npos;
                if (space != std::string::npos && p.postcode->size() - space == 4) ++s_.unlocated_with_postcode;
            }
            if (p.uprn) uprns_.emplace_back(uprn_key(*p.uprn), oid->second);
            if (clear_old_warnings_) writer.clear_warnings(writer.last_property_id());
            if (!r.warnings.empty()) {
                ++s_.stored_with_warnings;
                for (const auto& w : r.warnings) {
                    ++s_.warnings_by_reason[w.reason];
                    writer.warn(s_.batch_id, writer.last_property_id(), prepared.row, w);
                }
                issue_lines_.push_back({prepared.row, true, r.warnings, std::move(prepared.values)});
            }
        }
        if (options_.progress && s_.read % 5000 == 0) options_.progress(s_.read, total_);
    }

    // A row that gives no location for a property the register has placed (by a
    // postcode lookup this import lacks, say) keeps the place it had, with a warning:
    // otherwise it would leave the map, the clusters and the hubs without anyone asking.
    void keep_location(RegisterWriter& writer, std::int64_t owner, PreparedRow& prepared) {
        model::Property& p = prepared.property;
        auto kept = writer.existing_location(owner, p.ref);
        if (!kept) return;
        p.location = kept->point;
        p.location_quality = kept->quality;
        p.location_transform = kept->transform;
        prepared.issues.warn(model::Problem{
            "location_kept",
            "location",
            "this row gives no location that could be used" +
                std::string(kept->quality == "postcode" ? " (its postcode was placed by a lookup this import was "
                                                          "not given)"
                                                        : "") +
                "; the location the register had for it (" + kept->quality + ") is kept",
            {}});
        content_hash(p, prepared.attributes, prepared.hash);
        geometry_blobs(p, prepared.blobs);
        ++s_.locations_kept;
    }

    // An owner's code (a GSS code, "E06000022") the file gave beside its name: kept as an
    // alias of the owner, so a later file naming the owner only by its code lands on it.
    // And a code that is already such an alias is no "owner that looks like a code".
    void learn_owner_codes() {
        if (builder_) {
            auto known = reg_.connection().prepare(
                "SELECT 1 FROM owners WHERE name = ?1 UNION ALL SELECT 1 FROM owner_aliases WHERE alias = ?1");
            auto learn = reg_.connection().prepare(
                "INSERT INTO owner_aliases(alias, owner_id, merged_at, merged_by, properties) "
                "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, 0)");
            for (const auto& [code, name] : builder_->owner_code_names) {
                auto id = owner_ids_.find(name);
                if (id == owner_ids_.end()) continue;
                known.bind(1, code);
                const bool taken = known.step();
                known.reset();
                if (taken) continue;
                learn.bind(1, code).bind(2, id->second).bind(3, "import batch " + std::to_string(s_.batch_id)).run();
                s_.owner_codes_learned.emplace_back(code, name);
            }
        }
        for (const auto& [name, owner] : s_.owners_merged_names)
            s_.owner_codes.erase(std::remove(s_.owner_codes.begin(), s_.owner_codes.end(), name), s_.owner_codes.end());
    }

    // Stage 3: what the reader and the checker saw beyond the rows themselves.
    void summarise_reading() {
        if (builder_) {
            const PropertyBuilder& builder = *builder_;
            s_.footprints_repaired = builder.repaired;
            s_.owners_named_from_column = builder.owners_named_from_column;
            s_.owner_codes.assign(builder.owner_codes.begin(), builder.owner_codes.end());
            for (const auto& [field, words] : builder.unrecognised_words) {
                UnrecognisedValues u;
                u.field = field;
                for (const auto& [w, n] : words) u.rows += n;
                u.distinct = static_cast<std::int64_t>(words.size());
                u.commonest = commonest(words, 10);
                s_.unrecognised.push_back(std::move(u));
            }
        }
        s_.skipped_before_header = reader_->skipped_before_header();
        if (reader_->read_problem_count() > 0) {
            std::string said;
            for (const auto& m : reader_->read_problems()) said += (said.empty() ? "" : "; ") + m;
            s_.notes.push_back("GDAL could not read parts of " + options_.source + " (" +
                               std::to_string(reader_->read_problem_count()) + " message(s): " + said +
                               "): the rows concerned are stored without what could not be read (a geometry not "
                               "read leaves the row unlocated); mend the source file and import it again");
        }
        s_.recoded_values = reader_->recoded_values();
        s_.header_rows = reader_->header_rows();
        s_.utf16 = reader_->read_utf16();
        s_.layer_note = reader_->layer_note();
        s_.separator = reader_->separator();
        for (Field f : {f_gia_m2, f_land_area_ha})
            if (!mapper_->unit(f).empty()) s_.converted_units.emplace_back(io::mappable_fields()[f], mapper_->unit(f));
    }

    // Stage 4, yearly returns: renumbered properties found, then (a complete file) the
    // series' properties it no longer lists retired; officers' corrections kept.
    void finish_series(RegisterWriter& writer) {
        s_.re_referenced = writer.finish_renumbering(s_.batch_id);
        s_.inserted -= s_.re_referenced;
        s_.updated += s_.re_referenced;
        for (const auto& a : writer.ambiguous_renumbering())
            s_.ambiguous_references.push_back({a.ref, a.uprn, a.matches});
        for (const auto& [id, name] : series_of_owner_)
            if (std::find(s_.series.begin(), s_.series.end(), name) == s_.series.end()) s_.series.push_back(name);
        std::sort(s_.series.begin(), s_.series.end());
        s_.complete = options_.complete;
        if (options_.complete) {
            // A complete file that lists a fraction of what the series holds is more often
            // the wrong file (one district's sheet, a filtered export) than a sell-off.
            auto unlisted = writer.unlisted(s_.series, 20);
            const std::int64_t before = std::max(unlisted.current - s_.inserted, unlisted.count);
            const bool large = before > 0 && double(unlisted.count) > options_.retire_share_to_confirm * double(before);
            s_.retiring_first = unlisted.first;
            if (large && !options_.confirmed && !options_.dry_run) {
                std::string list;
                for (const auto& p : unlisted.first) list += "\n  " + p;
                if (unlisted.count > std::int64_t(unlisted.first.size())) list += "\n  ...";
                throw retirement_unconfirmed(
                    options_.source + " is said to be complete, so it would retire " + std::to_string(unlisted.count) +
                        " of the series' " + std::to_string(before) + " current properties (more than " +
                        std::to_string(int(options_.retire_share_to_confirm * 100 + 0.5)) +
                        "%); nothing was written. If the file really is the whole series now, import it again "
                        "with --yes; if not, leave out --complete. The first it would retire:" +
                        list,
                    unlisted.count, before, unlisted.first);
            }
            s_.retired = writer.retire_unlisted(s_.batch_id, s_.series);
        }
        s_.reinstated = writer.reinstated();
        writer.keep_corrections(s_.batch_id);
    }

    // Stage 5: the batch's accounting and the file's checksum, stored with it.
    void finish_batch(RegisterWriter& writer, const io::FileDigest& digest) {
        s_.sha256 = digest.sha256;
        std::int64_t warnings = 0;
        for (const auto& [reason, n] : s_.warnings_by_reason) warnings += n;
        writer.finish_batch(s_.batch_id, digest.sha256, digest.bytes,
                            {s_.read, s_.inserted, s_.updated, s_.unchanged, s_.rejected, s_.postcode_located,
                             s_.unlocated, s_.footprints_repaired, s_.stored_with_warnings, warnings, s_.retired,
                             s_.reinstated, s_.re_referenced, s_.complete,
                             s_.series.size() == 1 ? s_.series[0] : std::string()});
    }

    // Stage 6, shared sites: this file's UPRNs that more than one owner holds.
    void find_shared_uprns(bool first_load) {
        std::sort(uprns_.begin(), uprns_.end());
        if (first_load) {
            // Into an empty register only this file's rows can share a UPRN: found from
            // the pairs at hand rather than by a scan of the register's UPRN index.
            std::unordered_map<std::int64_t, std::string> owner_names;
            for (const auto& [name, id] : owner_ids_) owner_names.emplace(id, name);
            for (size_t i = 0, j = 0; i < uprns_.size(); i = j) {
                while (j < uprns_.size() && uprns_[j].first == uprns_[i].first) ++j;
                if (uprns_[j - 1].second == uprns_[i].second) continue; // one owner (pairs sorted)
                SharedUprn su{uprn_text(uprns_[i].first), {}};
                for (size_t k = i; k < j; ++k)
                    if (k == i || uprns_[k].second != uprns_[k - 1].second)
                        su.owners.push_back(owner_names[uprns_[k].second]);
                std::sort(su.owners.begin(), su.owners.end());
                s_.shared_uprns.push_back(std::move(su));
            }
            std::sort(s_.shared_uprns.begin(), s_.shared_uprns.end(),
                      [](const SharedUprn& a, const SharedUprn& b) { return a.uprn < b.uprn; });
            return;
        }
        // Other owners' rows already in the register count too. The first query reads
        // only the (uprn, owner_id) index; owners are named for the few it finds.
        db::Connection& conn = reg_.connection();
        auto shared = conn.prepare("SELECT uprn FROM properties WHERE uprn IS NOT NULL GROUP BY uprn "
                                   "HAVING min(owner_id) <> max(owner_id) ORDER BY uprn");
        auto owners_of = conn.prepare("SELECT DISTINCT o.name FROM properties p JOIN owners o ON o.id = "
                                      "p.owner_id WHERE p.uprn = ? ORDER BY o.name");
        while (shared.step()) {
            std::string uprn = shared.text(0);
            const std::uint64_t key = uprn_key(uprn);
            auto at = std::lower_bound(uprns_.begin(), uprns_.end(), std::pair{key, std::int64_t{0}});
            if (at == uprns_.end() || at->first != key) continue; // not in this file
            SharedUprn su{uprn, {}};
            owners_of.bind(1, uprn);
            while (owners_of.step()) su.owners.push_back(owners_of.text(0));
            owners_of.reset();
            s_.shared_uprns.push_back(su);
        }
    }

    // Stage 7: the data-issues report, one line per rejected row and per warning.
    void write_issues_report() {
        if (issue_lines_.empty()) return;
        std::string path = options_.issues_path.value_or(default_issues_path(reg_.path(), s_.batch_id));
        std::ofstream out(path, std::ios::binary);
        if (!out) throw output_error("cannot write the data-issues report " + path + "; give it a writable place");
        std::vector<std::string> header = {"row", "outcome", "reason", "field", "value", "message"};
        for (const auto& h : headers_) header.push_back(h);
        util::write_csv_row(out, header);
        std::sort(issue_lines_.begin(), issue_lines_.end(),
                  [](const IssueLine& a, const IssueLine& b) { return a.row < b.row; });
        std::vector<std::string> fields;
        for (auto& line : issue_lines_) {
            for (const auto& problem : line.problems) {
                fields = {std::to_string(line.row),
                          line.stored ? "stored" : "rejected",
                          problem.reason,
                          problem.field,
                          problem.value,
                          problem.message};
                fields.insert(fields.end(), line.values.begin(), line.values.end());
                util::write_csv_row(out, fields);
            }
        }
        out.close();
        if (!out) throw output_error("cannot finish writing the data-issues report " + path);
        s_.issues_file = path;
    }

    db::Register& reg_;
    const ImportOptions& options_;
    ImportSummary s_;
    std::unique_ptr<io::SourceReader> reader_;
    std::vector<std::string> headers_;
    std::vector<io::SourceRow> head_rows_; // the first rows, read before the others to infer columns
    io::PostcodeIndex postcodes_;          // the register's lookup and the import's own file
    io::Profile profile_;
    std::optional<RowMapper> mapper_;
    std::optional<PropertyBuilder> builder_; // the checking thread's, read after it is joined
    std::optional<std::int64_t> total_;      // rows to read, when counted for the progress display
    bool clear_old_warnings_ = false;
    clock::time_point rows_started_;
    double cpu_before_rows_ = 0;
    std::vector<std::pair<std::uint64_t, std::int64_t>> uprns_; // (uprn_key, owner id), sorted at the end
    std::unordered_map<std::string, std::int64_t> owner_ids_;
    std::unordered_map<std::int64_t, std::string> series_of_owner_; // each owner's rows' series
    std::vector<IssueLine> issue_lines_;
};

} // namespace

namespace {
// Another import (or any writer) at work on the register: wait for it to finish (the
// busy timeout), then read the schema again outside any transaction. Loaded inside the
// import's write transaction, the schema another import changed (spatial indexes
// rebuilt) failed to load (SQLite's R*Tree: "no such table: properties").
void wait_for_other_writers(db::Register& reg) {
    auto& c = reg.connection();
    c.exec("BEGIN IMMEDIATE");
    c.exec("ROLLBACK");
    c.scalar_int("SELECT count(*) FROM properties WHERE id = 0");
}
} // namespace

std::string guess_profile_text(const ImportOptions& options) {
    std::optional<io::Profile> chosen;
    if (options.profile) chosen = io::load_profile(*options.profile);
    auto reader = open_reader(options.source, options.layer, chosen);
    const auto sample = read_sample(*reader);
    Mapping m = choose_mapping(reader->headers(), sample, chosen, options.owner.has_value());
    if (options.owner) m.profile.fixed["owner"] = *options.owner;
    return mapping_profile_text(m, options.source);
}

ImportSummary import_source(db::Register& reg, const ImportOptions& options) {
    wait_for_other_writers(reg);
    return SourceImport(reg, options).run();
}

} // namespace estate::importing
