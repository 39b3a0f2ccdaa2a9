#include "importing/row_mapper.hpp"

#include "estate/error.hpp"

#include <algorithm>
#include <cctype>

namespace estate::importing {
namespace {

int field_index(const std::string& name) {
    const auto& f = io::mappable_fields();
    auto it = std::find(f.begin(), f.end(), name);
    return it == f.end() ? -1 : static_cast<int>(it - f.begin());
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_number(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) || c == '-' || c == '/'; });
}

} // namespace

RowMapper::RowMapper(const io::Profile& profile, const std::vector<std::string>& headers,
                     const std::optional<std::string>& owner_override)
    : profile_(profile), headers_(headers), used_column_(headers.size(), false), mapped_column_(headers.size(), false) {
    for (const auto& h : headers_) header_keys_.push_back(model::header_key(h));
    for (const auto& n : profile.null_values) null_keys_.push_back(lower(model::trim(n)));

    std::vector<model::HeaderUnit> header_units;
    for (const auto& h : headers_) header_units.push_back(model::header_unit(h));
    for (const auto& [name, source] : profile.columns) {
        int f = field_index(name);
        // A header with a unit ("Floor Area (sq ft)") counts as the alias without
        // it ("Floor Area") when no header is the alias itself.
        for (bool with_unit : {false, true}) {
            for (const auto& alt : source.alternatives) {
                Resolved r;
                std::string unit;
                for (const auto& part : alt) {
                    Part cols;
                    std::string key = model::header_key(part);
                    for (size_t i = 0; i < header_keys_.size(); ++i) {
                        const bool match = with_unit ? !header_units[i].unit.empty() && header_units[i].key == key
                                                     : header_keys_[i] == key;
                        if (!match) continue;
                        cols.push_back(static_cast<int>(i));
                        if (with_unit) unit = header_units[i].unit;
                    }
                    if (cols.empty()) continue;
                    r.parts.push_back(cols);
                    r.part_names.push_back(part);
                }
                if (r.parts.empty()) continue;
                for (const auto& p : r.parts)
                    for (int c : p) mapped_column_[static_cast<size_t>(c)] = true;
                // A converted column stays in source_attributes too: the figure as written.
                if (unit.empty())
                    for (const auto& p : r.parts)
                        for (int c : p) used_column_[static_cast<size_t>(c)] = true;
                units_[static_cast<size_t>(f)] = unit;
                resolved_[static_cast<size_t>(f)] = r;
                break;
            }
            if (resolved_[static_cast<size_t>(f)]) break;
        }
    }
    // Where an owner's name may be when the owner column holds a code.
    for (size_t i = 0; i < headers_.size(); ++i) {
        bool owner_column = false;
        if (const auto& r = resolved_[f_owner])
            for (const auto& part : r->parts) owner_column |= std::find(part.begin(), part.end(), int(i)) != part.end();
        if (owner_column) continue;
        for (const char* word : {"organisation", "organization", "authority", "council", "owner", "agency", "body"})
            if (header_keys_[i].find(word) != std::string::npos) {
                owner_name_columns_.push_back(static_cast<int>(i));
                break;
            }
    }
    for (const auto& [name, value] : profile.fixed) fixed_[static_cast<size_t>(field_index(name))] = value;
    for (const auto& [name, value] : profile.defaults) defaults_[static_cast<size_t>(field_index(name))] = value;
    for (const auto& [name, map] : profile.derive) {
        size_t f = static_cast<size_t>(field_index(name));
        derive_[f] = &map;
        derive_column_[f] = column(map.from_column);
        if (derive_column_[f] >= 0)
            used_column_[static_cast<size_t>(derive_column_[f])] =
                mapped_column_[static_cast<size_t>(derive_column_[f])] = true;
    }
    if (owner_override) fixed_[f_owner] = *owner_override;
}

int RowMapper::column(const std::string& header) const {
    std::string key = model::header_key(header);
    for (size_t i = 0; i < header_keys_.size(); ++i)
        if (header_keys_[i] == key) return static_cast<int>(i);
    return -1;
}

bool RowMapper::is_null(std::string_view v) const {
    if (v.empty()) return true;
    for (const auto& k : null_keys_) // few, short, and compared without a lower-case copy
        if (model::same_word(v, k)) return true;
    return false;
}

bool RowMapper::can_fill(Field f) const {
    return resolved_[f] || fixed_[f] || defaults_[f] || derive_[f];
}

std::string_view RowMapper::part_value(const Part& part, const std::vector<std::string>& values,
                                       const std::string& name, std::optional<model::Problem>& conflict) const {
    std::string_view chosen;
    for (int c : part) {
        std::string_view v = model::trim_view(values[static_cast<size_t>(c)]);
        if (is_null(v)) continue;
        if (chosen.empty()) {
            chosen = v;
        } else if (v != chosen && !conflict) {
            conflict =
                model::Problem{"conflicting_columns", name,
                               "the file has two '" + name + "' columns and they disagree ('" + std::string(chosen) +
                                   "' vs '" + std::string(v) + "'); the first is stored: correct one of them",
                               std::string(v)};
        }
    }
    return chosen;
}

void RowMapper::expand(const std::string& templ, const std::vector<std::string>& values, std::string& out) const {
    if (templ.find('{') == std::string::npos) {
        out.assign(templ);
        return;
    }
    std::string text;
    size_t i = 0;
    while (i < templ.size()) {
        size_t open = templ.find('{', i);
        if (open == std::string::npos) {
            text += templ.substr(i);
            break;
        }
        size_t close = templ.find('}', open);
        if (close == std::string::npos) {
            text += templ.substr(i);
            break;
        }
        text += templ.substr(i, open - i);
        int c = column(templ.substr(open + 1, close - open - 1));
        if (c >= 0) {
            std::string_view v = model::trim_view(values[static_cast<size_t>(c)]);
            if (!is_null(v)) text += v;
        }
        i = close + 1;
    }
    out.assign(model::trim_view(text));
}

// Fills the fields in place: a row's strings reuse the last row's memory.
void RowMapper::map(const std::vector<std::string>& values, MappedRow& out) const {
    out.conflict.reset();
    out.extra.clear();
    for (size_t f = 0; f < field_count; ++f) {
        std::string& v = out.fields[f];
        v.clear();
        if (fixed_[f]) {
            expand(*fixed_[f], values, v);
            continue;
        }
        if (const auto& r = resolved_[f]) {
            // Address-like joins: "105" + "Mainwood Road" + "Altrincham" ->
            // "105 Mainwood Road, Altrincham".
            std::string_view prev;
            for (size_t p = 0; p < r->parts.size(); ++p) {
                std::string_view part = part_value(r->parts[p], values, r->part_names[p], out.conflict);
                if (part.empty()) continue;
                if (!v.empty()) v += is_number(prev) ? " " : ", ";
                v += part;
                prev = part;
            }
        }
        if (v.empty() && derive_[f] && derive_column_[f] >= 0) {
            std::string key = lower(model::trim(values[static_cast<size_t>(derive_column_[f])]));
            for (const auto& [k, templ] : derive_[f]->entries) {
                if (k == "*" || lower(k) == key) {
                    expand(templ, values, v);
                    break;
                }
            }
        }
        if (v.empty() && defaults_[f]) expand(*defaults_[f], values, v);
    }
    for (size_t c = 0; c < headers_.size(); ++c) {
        if (used_column_[c]) continue;
        std::string_view v = model::trim_view(values[c]);
        if (!v.empty()) out.extra.emplace_back(headers_[c], v);
    }
}

std::string RowMapper::describe() const {
    std::string out;
    const auto& names = io::mappable_fields();
    for (size_t f = 0; f < field_count; ++f) {
        std::string from;
        if (fixed_[f])
            from = "'" + *fixed_[f] + "' (fixed)";
        else if (resolved_[f]) {
            for (const auto& n : resolved_[f]->part_names) from += (from.empty() ? "" : " + ") + n;
        } else if (derive_[f])
            from = "derived from " + derive_[f]->from_column;
        else if (defaults_[f])
            from = "'" + *defaults_[f] + "' (default)";
        if (!from.empty()) out += "  " + names[f] + " <- " + from + "\n";
    }
    return out;
}

} // namespace estate::importing
