#include "util/sha256.hpp"

#include "estate/error.hpp"

#include <openssl/evp.h>

namespace estate::util {

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const {
    EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
        throw error("OpenSSL cannot start a SHA-256 checksum (out of memory?)");
}

Sha256::~Sha256() = default;

void Sha256::update(const unsigned char* data, std::size_t size) {
    if (size && EVP_DigestUpdate(ctx_.get(), data, size) != 1) throw error("OpenSSL failed while computing SHA-256");
}

std::string Sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest, &length) != 1) throw error("OpenSSL failed to finish SHA-256");
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

} // namespace estate::util
