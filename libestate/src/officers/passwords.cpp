#include "estate/officers/passwords.hpp"

#include "db/sqlite.hpp"
#include "estate/error.hpp"
#include "estate/util/time.hpp"

#include <sodium.h>

namespace estate::officers {
namespace {

void init_sodium() {
    static const bool ready = sodium_init() >= 0;
    check_invariant(ready, "libsodium could not start");
}

std::string hash_of(const std::string& password) {
    init_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw error("not enough memory to hash the password (Argon2id needs 64 MiB)");
    return out;
}

// Checked against when there is no stored hash, so that every answer costs one check.
const std::string& stand_in_hash() {
    static const std::string hash = hash_of("a password nobody has, for names that have none");
    return hash;
}

} // namespace

void check_new_password(const std::string& password) {
    if (password.size() < min_password_length)
        throw usage_error("password", "a password needs at least " + std::to_string(min_password_length) +
                                          " characters (a phrase of a few words is easy to remember); nothing "
                                          "was changed");
}

void set_password(db::Register& reg, const std::string& name, const std::string& password,
                  const std::optional<std::string>& by) {
    check_new_password(password);
    auto& c = reg.connection();
    db::Transaction tx(c);
    officer_named(reg, name); // permission_error when there is no such officer
    const bool alone = c.scalar_int("SELECT count(*) FROM officers").value_or(0) == 1;
    if (!(alone && !by)) check_may_change_officers(reg, by);
    auto st = c.prepare("UPDATE officers SET password_hash = ?, password_set_at = ? WHERE name = ?");
    st.bind(1, hash_of(password)).bind(2, util::utc_now_iso()).bind(3, name).run();
    tx.commit();
}

std::optional<Officer> check_password(db::Register& reg, const std::string& name, const std::string& password) {
    init_sodium();
    auto st = reg.connection().prepare("SELECT f.name, o.name, f.partnership_wide, f.password_hash FROM officers f "
                                       "JOIN owners o ON o.id = f.owner_id WHERE f.name = ? AND f.removed_at IS NULL");
    st.bind(1, name);
    std::optional<Officer> officer;
    std::string hash = stand_in_hash();
    if (st.step() && !st.is_null(3)) {
        officer = Officer{st.text(0), st.text(1), st.int64(2) != 0};
        hash = st.text(3);
    }
    const bool matches = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    if (!matches || !officer) return std::nullopt;
    return officer;
}

} // namespace estate::officers
