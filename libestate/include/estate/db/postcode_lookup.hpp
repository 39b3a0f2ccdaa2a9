#pragma once
/// @file
/// The register's own postcode lookup (schema 12): loaded once with `estate postcodes
/// load`, grown by every import given --postcodes, and used by every later import, so a
/// property a postcode placed is placed again next year without anyone passing the file.

#include "estate/model/property.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace estate::io {
class PostcodeIndex;
}

namespace estate::db {
class Register;

/// What keeping a lookup changed.
struct PostcodesKept {
    std::int64_t added = 0;    ///< postcodes the register did not have
    std::int64_t replaced = 0; ///< postcodes whose centroid the lookup moved
    std::int64_t total = 0;    ///< postcodes the register holds now
};

/// Keeps every postcode of @p index in the register, inside the caller's transaction
/// when there is one (an import), else in one of its own.
PostcodesKept keep_postcodes(Register& reg, const io::PostcodeIndex& index);

/// Adds the register's lookup to @p index (postcodes @p index has already stay as they
/// are: a file given for one import wins over the register). Returns how many the
/// register holds.
std::int64_t read_postcodes(Register& reg, io::PostcodeIndex& index);

/// The centroid of a full postcode (any spacing or case) in the register's lookup.
std::optional<model::GridPoint> find_postcode(Register& reg, const std::string& postcode);

/// How many postcodes the register's lookup holds.
std::int64_t postcode_count(Register& reg);

} // namespace estate::db
