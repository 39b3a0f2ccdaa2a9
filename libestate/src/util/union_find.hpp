#pragma once
// Disjoint sets over 0 .. n-1 (union by size, path halving): clusters of sites, duplicate
// records, the buildings of one site.

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace estate::util {

class UnionFind {
public:
    explicit UnionFind(std::size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0); }
    std::uint32_t find(std::uint32_t a) {
        while (parent_[a] != a) {
            parent_[a] = parent_[parent_[a]];
            a = parent_[a];
        }
        return a;
    }
    void unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a == b) return;
        if (size_[a] < size_[b]) std::swap(a, b);
        parent_[b] = a;
        size_[a] += size_[b];
    }
    /// How many elements share @p a's set.
    std::uint32_t size_of(std::uint32_t a) { return size_[find(a)]; }

private:
    std::vector<std::uint32_t> parent_, size_; // 32 bits: a register holds fewer than 4 billion records
};

} // namespace estate::util
