#pragma once
// Private: SHA-256 (FIPS 180-4), for import batch checksums. GDAL's CPL_SHA256
// is not in Debian's public headers, and one function does not justify OpenSSL.

#include <array>
#include <cstdint>
#include <string>

namespace estate::util {

class Sha256 {
public:
    Sha256();
    void update(const unsigned char* data, size_t size);
    /// Finishes the hash; the object must not be updated afterwards.
    std::string hex_digest();

private:
    void block(const unsigned char* p);
    std::array<std::uint32_t, 8> h_;
    std::array<unsigned char, 64> buf_{};
    size_t buf_len_ = 0;
    std::uint64_t total_ = 0;
};

} // namespace estate::util
