#pragma once
// Sites for the co-location tests: plain points and rectangular buildings.

#include "estate/hubs/sites.hpp"

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace test {

using estate::hubs::Site;

inline Site point(std::int64_t id, double x, double y, std::int64_t owner = 1) {
    Site s;
    s.id = id;
    s.owner_id = owner;
    s.x = s.min_x = s.max_x = x;
    s.y = s.min_y = s.max_y = y;
    return s;
}

// Little-endian WKB of an axis-aligned rectangle (a MultiPolygon of one polygon).
inline std::vector<unsigned char> rectangle_wkb(double x0, double y0, double x1, double y1) {
    std::vector<unsigned char> w;
    auto u32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i) w.push_back(static_cast<unsigned char>(v >> (8 * i)));
    };
    auto f64 = [&](double d) {
        unsigned char b[8];
        std::memcpy(b, &d, 8);
        w.insert(w.end(), b, b + 8);
    };
    w.push_back(1);
    u32(6);
    u32(1);
    w.push_back(1);
    u32(3);
    u32(1);
    u32(5);
    for (auto [x, y] : {std::pair{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}) {
        f64(x);
        f64(y);
    }
    return w;
}

inline Site building(std::int64_t id, double x0, double y0, double x1, double y1, std::int64_t owner = 1) {
    Site s = point(id, (x0 + x1) / 2, (y0 + y1) / 2, owner);
    s.footprint = rectangle_wkb(x0, y0, x1, y1);
    s.min_x = x0;
    s.max_x = x1;
    s.min_y = y0;
    s.max_y = y1;
    return s;
}

} // namespace test
