#include "importing/seen_refs.hpp"

#include "estate/error.hpp"

#include <cctype>
#include <functional>
#include <limits>

namespace estate::importing {

std::uint32_t SeenRefs::owner_index(std::string_view owner) {
    if (!entries_.empty() && owner == last_owner_) return last_owner_index_;
    last_owner_.assign(owner); // also the look-up key: no string made per row
    auto it = owners_.find(last_owner_);
    if (it == owners_.end()) it = owners_.emplace(last_owner_, static_cast<std::uint32_t>(owners_.size())).first;
    last_owner_index_ = it->second;
    return it->second;
}

void SeenRefs::grow() {
    std::vector<std::uint32_t> bigger(slots_.empty() ? 1024 : slots_.size() * 2, 0);
    const std::size_t mask = bigger.size() - 1;
    for (std::size_t e = 0; e < entries_.size(); ++e) {
        std::size_t i = entries_[e].hash & mask;
        while (bigger[i] != 0) i = (i + 1) & mask;
        bigger[i] = static_cast<std::uint32_t>(e + 1);
    }
    slots_.swap(bigger);
}

std::uint64_t RowSignature::text_hash(std::string_view text) {
    // FNV-1a over the letters and digits, lower-cased: header_key() without a copy.
    std::uint64_t h = 1469598103934665603ULL;
    bool any = false;
    for (unsigned char c : text) {
        if (!std::isalnum(c)) continue;
        any = true;
        h ^= static_cast<unsigned char>(std::tolower(c));
        h *= 1099511628211ULL;
    }
    return any ? (h | 1) : 0;
}

bool RowSignature::agrees_with(const RowSignature& other, double metres) const {
    auto differ = [](std::uint64_t a, std::uint64_t b) { return a != 0 && b != 0 && a != b; };
    if (differ(name, other.name) || differ(address, other.address) || differ(postcode, other.postcode)) return false;
    if (std::isnan(easting) || std::isnan(other.easting)) return true;
    return std::hypot(double(easting) - double(other.easting), double(northing) - double(other.northing)) <= metres;
}

SeenRefs::Seen SeenRefs::first_row(std::string_view owner, std::string_view ref, std::int64_t row,
                                   const RowSignature& signature) {
    const std::uint32_t o = owner_index(owner);
    const std::uint64_t hash = std::hash<std::string_view>{}(ref)*0x9E3779B97F4A7C15ULL ^ o;
    if ((entries_.size() + 1) * 2 > slots_.size()) grow(); // at most half full
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    for (; slots_[i] != 0; i = (i + 1) & mask) {
        const Entry& e = entries_[slots_[i] - 1];
        if (e.hash == hash && e.owner == o && std::string_view(arena_).substr(e.offset, e.length) == ref)
            return {e.row, e.signature.agrees_with(signature)};
    }
    if (arena_.size() + ref.size() > std::numeric_limits<std::uint32_t>::max() ||
        entries_.size() >= std::numeric_limits<std::uint32_t>::max() - 1)
        throw error("more than 4 GB of owners' references in one file: split the file and import it in parts");
    entries_.push_back(
        {hash, row, o, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(ref.size()), signature});
    arena_.append(ref);
    slots_[i] = static_cast<std::uint32_t>(entries_.size());
    return {};
}

} // namespace estate::importing
