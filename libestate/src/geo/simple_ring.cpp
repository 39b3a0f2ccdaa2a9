#include "geo/simple_ring.hpp"

#include "geo/wkb_cursor.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace estate::geo::simple_ring {
namespace {

// A reading position in WKT text.
class Cursor {
public:
    explicit Cursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

    void skip_space() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }
    bool at_end() {
        skip_space();
        return p_ == end_;
    }
    bool peek(char c) {
        skip_space();
        return p_ < end_ && *p_ == c;
    }
    bool take(char c) {
        if (!peek(c)) return false;
        ++p_;
        return true;
    }
    /// An upper-case keyword, matched case-insensitively.
    bool keyword(std::string_view word) {
        skip_space();
        if (static_cast<std::size_t>(end_ - p_) < word.size()) return false;
        for (std::size_t i = 0; i < word.size(); ++i) {
            char c = p_[i];
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
            if (c != word[i]) return false;
        }
        p_ += word.size();
        return true;
    }
    /// A number, correctly rounded (as GEOS's reader rounds it).
    bool number(double& v) {
        skip_space();
        auto [next, ec] = std::from_chars(p_, end_, v);
        if (ec != std::errc{} || next == p_) return false;
        p_ = next;
        return true;
    }

private:
    const char* p_;
    const char* end_;
};

// The orientation of c against the line a->b: +1 left, -1 right, 0 when collinear
// or too close to call in floating point. Shewchuk's orient2d with its first error
// bound: a sign returned is the exact sign.
int orientation(const double* a, const double* b, const double* c) {
    constexpr double epsilon = 1.1102230246251565e-16; // 2^-53
    constexpr double error_bound = (3.0 + 16.0 * epsilon) * epsilon;
    const double left = (a[0] - c[0]) * (b[1] - c[1]);
    const double right = (a[1] - c[1]) * (b[0] - c[0]);
    const double det = left - right;
    const double bound = error_bound * (std::fabs(left) + std::fabs(right));
    if (det > bound) return 1;
    if (-det > bound) return -1;
    return 0;
}

// True when segments p1-p2 and q1-q2 certainly have no point in common.
bool certainly_apart(const double* p1, const double* p2, const double* q1, const double* q2) {
    if (std::max(p1[0], p2[0]) < std::min(q1[0], q2[0]) || std::max(q1[0], q2[0]) < std::min(p1[0], p2[0]) ||
        std::max(p1[1], p2[1]) < std::min(q1[1], q2[1]) || std::max(q1[1], q2[1]) < std::min(p1[1], p2[1]))
        return true;
    const int o1 = orientation(p1, p2, q1), o2 = orientation(p1, p2, q2);
    if (o1 != 0 && o1 == o2) return true; // q wholly on one side of p's line
    const int o3 = orientation(q1, q2, p1), o4 = orientation(q1, q2, p2);
    return o3 != 0 && o3 == o4;
}

void put_u32(std::vector<unsigned char>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

} // namespace

bool read_wkt(std::string_view wkt, std::vector<double>& xy) {
    xy.clear();
    Cursor c(wkt);
    int depth; // parentheses before the first coordinate
    if (c.keyword("MULTIPOLYGON"))
        depth = 3;
    else if (c.keyword("POLYGON"))
        depth = 2;
    else
        return false;
    for (int i = 0; i < depth; ++i)
        if (!c.take('(')) return false; // also "EMPTY", "Z", "M": GEOS reads those
    do {
        double x, y;
        if (!c.number(x) || !c.number(y)) return false;
        if (!c.peek(',') && !c.peek(')')) return false; // a third ordinate
        if (xy.size() / 2 >= max_points) return false;
        xy.push_back(x);
        xy.push_back(y);
    } while (c.take(','));
    for (int i = 0; i < depth; ++i)
        if (!c.take(')')) return false; // a hole or a second polygon follows
    return c.at_end();
}

bool read_wkb(const unsigned char* wkb, std::size_t size, std::vector<double>& xy) {
    xy.clear();
    WkbCursor c(wkb, size);
    auto byte_order = [&c] { // a mark that is neither 0 nor 1 is for GEOS to judge
        const int mark = c.byte();
        c.little_endian(mark == 1);
        return mark == 0 || mark == 1;
    };
    std::uint32_t type = 0, count = 0;
    if (!byte_order() || !c.u32(type)) return false;
    if (type == 6) { // MultiPolygon of one Polygon
        if (!c.u32(count) || count != 1 || !byte_order() || !c.u32(type)) return false;
    }
    if (type != 3) return false; // 2-D Polygon only
    std::uint32_t rings = 0, points = 0;
    if (!c.u32(rings) || rings != 1 || !c.u32(points) || points > max_points) return false;
    xy.resize(2 * static_cast<std::size_t>(points));
    for (double& v : xy)
        if (!c.f64(v)) return false;
    return c.at_end();
}

bool certainly_valid(const std::vector<double>& xy) {
    const std::size_t n = xy.size() / 2; // points, the closing one included
    if (n < 4 || n > max_points || xy.size() % 2 != 0) return false;
    for (double v : xy)
        if (!std::isfinite(v)) return false;
    const double* pt = xy.data();
    auto at = [pt](std::size_t i) { return pt + 2 * i; };
    if (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1]) return false; // not closed
    const std::size_t edges = n - 1;                                    // edge i runs from point i to point i + 1
    // Neighbouring edges meet only at their shared vertex when they truly turn there
    // (this also refuses a repeated point and a spike folding back on itself).
    for (std::size_t k = 0; k < edges; ++k) {
        if (orientation(at((k + edges - 1) % edges), at(k), at(k + 1)) == 0) return false;
    }
    // No other two edges meet at all.
    for (std::size_t i = 0; i < edges; ++i) {
        for (std::size_t j = i + 2; j < edges; ++j) {
            if (i == 0 && j == edges - 1) continue; // neighbours across the closing point
            if (!certainly_apart(at(i), at(i + 1), at(j), at(j + 1))) return false;
        }
    }
    return true;
}

void write_multipolygon_wkb(const std::vector<double>& xy, std::vector<unsigned char>& out) {
    const std::size_t n = xy.size() / 2;
    out.clear();
    out.reserve(27 + 16 * n);
    out.push_back(1); // little-endian MultiPolygon of one Polygon of one ring
    put_u32(out, 6);
    put_u32(out, 1);
    out.push_back(1);
    put_u32(out, 3);
    put_u32(out, 1);
    put_u32(out, static_cast<std::uint32_t>(n));
    const std::size_t at = out.size();
    out.resize(at + 16 * n);
    std::memcpy(out.data() + at, xy.data(), 16 * n); // little-endian doubles (as wkb_walker assumes)
}

} // namespace estate::geo::simple_ring
