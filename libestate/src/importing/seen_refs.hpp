#pragma once
// Private: which (owner, owner's reference) pairs an import has met so far, at which
// source row, and what that row said the building was, so a reference used twice in
// one file is told apart: the same building twice (refused with the row it first
// appeared at) or two buildings that share a reference (both stored). Kept compact
// for a million rows: the keys live end to end in one arena and an open-addressing
// table of their hashes points into it (a node-based map of a million strings cost
// the checking thread a second and 80 MB).

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace estate::importing {

/// What tells one row's building from another's: its name, address and postcode
/// (hashes of their header_key()s, 0 when the row has none) and its location.
struct RowSignature {
    std::uint64_t name = 0, address = 0, postcode = 0;
    float easting = NAN, northing = NAN;
    /// The hash a signature keeps of one text (0 for none): case, spaces and
    /// punctuation do not count.
    static std::uint64_t text_hash(std::string_view text);
    /// True when both rows could be one building: no fact that both give differs, and
    /// their locations (when both have one) lie within @p metres.
    bool agrees_with(const RowSignature& other, double metres = 10.0) const;
};

class SeenRefs {
public:
    struct Seen {
        std::int64_t row = 0; ///< the first row with the reference; 0 when this is the first
        bool agrees = false;  ///< whether that row could be the same building
    };
    /// Where @p owner's @p ref first appeared and whether that row agrees with
    /// @p signature; a first appearance is remembered as appearing at @p row.
    Seen first_row(std::string_view owner, std::string_view ref, std::int64_t row, const RowSignature& signature);
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::uint64_t hash;
        std::int64_t row;
        std::uint32_t owner, offset, length; // the reference is arena_[offset, offset + length)
        RowSignature signature;
    };
    std::uint32_t owner_index(std::string_view owner);
    void grow();

    std::unordered_map<std::string, std::uint32_t> owners_;
    std::string last_owner_; // rows of one owner tend to come together
    std::uint32_t last_owner_index_ = 0;
    std::string arena_;
    std::vector<Entry> entries_;
    std::vector<std::uint32_t> slots_; // entry index + 1; 0 = empty
};

} // namespace estate::importing
