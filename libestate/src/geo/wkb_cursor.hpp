#pragma once
// Private: reading WKB field by field, in the byte order its last byte-order mark set
// (WKB marks every geometry, so a collection may mix orders). Each read says whether
// the bytes were there.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace estate::geo {

class WkbCursor {
public:
    WkbCursor(const unsigned char* data, std::size_t size) : p_(data), end_(data + size) {}

    /// The next byte (a byte-order mark: 1 little-endian, 0 big-endian), or -1 at the end.
    int byte() { return p_ < end_ ? *p_++ : -1; }
    void little_endian(bool little) { little_ = little; }

    bool u32(std::uint32_t& v) {
        if (end_ - p_ < 4) return false;
        v = little_ ? (p_[0] | p_[1] << 8 | p_[2] << 16 | std::uint32_t(p_[3]) << 24)
                    : (p_[3] | p_[2] << 8 | p_[1] << 16 | std::uint32_t(p_[0]) << 24);
        p_ += 4;
        return true;
    }
    bool f64(double& v) {
        if (end_ - p_ < 8) return false;
        unsigned char b[8];
        for (int i = 0; i < 8; ++i) b[i] = p_[little_ ? i : 7 - i];
        std::memcpy(&v, b, 8); // x86-64 and every platform Debian builds for here: little-endian doubles
        p_ += 8;
        return true;
    }
    bool at_end() const { return p_ == end_; }

private:
    const unsigned char* p_;
    const unsigned char* end_;
    bool little_ = true;
};

} // namespace estate::geo
