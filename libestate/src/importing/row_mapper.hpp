#pragma once
// Private: applies a profile to one source row, giving each register field its
// raw text (before validation) and keeping every unmapped column.

#include "estate/io/profile.hpp"
#include "estate/model/normalise.hpp"
#include "io/mappable_fields.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace estate::importing {

/// Index of each mappable field in MappedRow::fields: io::mappable_fields() and this
/// enum come from the one list in io/mappable_fields.hpp.
enum Field : int {
#define ESTATE_FIELD_ENUM(name) f_##name,
    ESTATE_MAPPABLE_FIELDS(ESTATE_FIELD_ENUM)
#undef ESTATE_FIELD_ENUM
        field_count
};

struct MappedRow {
    std::vector<std::string> fields = std::vector<std::string>(field_count);
    std::vector<std::pair<std::string, std::string>> extra; ///< unmapped, non-empty
    std::optional<model::Problem> conflict;                 ///< duplicate columns that disagree
};

class RowMapper {
public:
    /// Resolves @p profile against @p headers. @p owner_override fixes the owner.
    RowMapper(const io::Profile& profile, const std::vector<std::string>& headers,
              const std::optional<std::string>& owner_override);

    void map(const std::vector<std::string>& values, MappedRow& out) const;
    /// True when some column (or fixed/default/derived value) can give the field.
    bool can_fill(Field f) const;
    /// Columns mapped to each field, for the user ("ref <- AssetCode").
    std::string describe() const;
    /// The unit of the column that gives @p f when its header names one ("sq ft",
    /// "acres", "ha", "m2"), else "".
    const std::string& unit(Field f) const { return units_[f]; }
    /// Columns other than the owner's that may hold the owner's name (headers such as
    /// "Organisation Name", "Local Authority", "Owner"), for rows whose owner column
    /// holds a code.
    const std::vector<int>& owner_name_columns() const { return owner_name_columns_; }
    /// True when column @p c gives some field (it is not only kept as an attribute).
    bool maps_column(size_t c) const { return mapped_column_[c]; }
    /// The header of column @p c.
    const std::string& header(int c) const { return headers_[static_cast<size_t>(c)]; }

private:
    // One part of an alternative: every source column with that header (duplicates).
    using Part = std::vector<int>;
    struct Resolved {
        std::vector<Part> parts;
        std::vector<std::string> part_names;
    };
    std::string_view part_value(const Part& part, const std::vector<std::string>& values, const std::string& name,
                                std::optional<model::Problem>& conflict) const;
    /// @p templ with "{Column}" replaced by that column's value, into @p out.
    void expand(const std::string& templ, const std::vector<std::string>& values, std::string& out) const;
    bool is_null(std::string_view v) const;
    int column(const std::string& header) const;

    const io::Profile& profile_;
    std::vector<std::string> headers_;
    std::vector<std::string> header_keys_;
    std::vector<std::optional<Resolved>> resolved_ = std::vector<std::optional<Resolved>>(field_count);
    std::vector<std::optional<std::string>> fixed_ = std::vector<std::optional<std::string>>(field_count);
    std::vector<std::optional<std::string>> defaults_ = std::vector<std::optional<std::string>>(field_count);
    std::vector<const io::ValueMap*> derive_ = std::vector<const io::ValueMap*>(field_count, nullptr);
    std::vector<int> derive_column_ = std::vector<int>(field_count, -1);
    std::vector<bool> used_column_;   // not kept in the attributes
    std::vector<bool> mapped_column_; // gives a field
    std::vector<std::string> units_ = std::vector<std::string>(field_count);
    std::vector<int> owner_name_columns_;
    std::vector<std::string> null_keys_;
};

} // namespace estate::importing
