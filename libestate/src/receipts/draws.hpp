#pragma once
// The random draws of the Monte Carlo. Each simulated future has its own stream,
// seeded from (seed, run number), so the same seed gives the same numbers whatever the
// number of threads and on any machine: the generator (xoshiro256**, seeded by
// splitmix64) and every transform are written here, not taken from the standard
// library, whose distributions differ between implementations.

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace estate::receipts::detail {

class Stream {
public:
    Stream(std::uint64_t seed, std::uint64_t run) {
        std::uint64_t x = seed ^ (run * 0x9E3779B97F4A7C15ull + 0xD1B54A32D192ED03ull);
        for (auto& word : s_) word = splitmix(x);
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; } // [0, 1)
    double normal() {                                                          // Box-Muller
        const double u1 = 1.0 - uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::array<std::uint64_t, 4> s_{};
};

/// A lognormal factor with mean 1 and standard deviation about @p sd, drawn by looking
/// up 16 random bits: 65,536 equally likely quantiles, scaled so that their mean is
/// exactly 1. A county of a million properties draws one per property per future;
/// exp and log there would cost more than the rest of the model together.
class FactorTable {
public:
    explicit FactorTable(double sd);
    double operator[](std::uint64_t bits16) const { return table_[bits16 & 0xFFFF]; }

private:
    std::vector<double> table_;
};

/// The standard normal quantile of @p p in (0, 1) (Acklam's rational approximation,
/// refined by one Halley step against erfc: about 1e-15).
double normal_quantile(double p);

} // namespace estate::receipts::detail
