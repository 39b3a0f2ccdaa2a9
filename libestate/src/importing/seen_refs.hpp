#pragma once
// Private: which (owner, owner's reference) pairs an import has met so far, and at
// which source row, so a reference used twice in one file is refused with the row
// it first appeared at. Kept compact for a million rows: the keys live end to end
// in one arena and an open-addressing table of their hashes points into it (a
// node-based map of a million strings cost the checking thread a second and
// 80 MB).

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace estate::importing {

class SeenRefs {
public:
    /// The source row where @p owner's @p ref first appeared, or 0 when this is its
    /// first appearance (it is then remembered as appearing at @p row).
    std::int64_t first_row(std::string_view owner, std::string_view ref, std::int64_t row);
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::uint64_t hash;
        std::int64_t row;
        std::uint32_t owner, offset, length; // the reference is arena_[offset, offset + length)
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
