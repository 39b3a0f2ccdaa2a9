#pragma once
/// @file
/// Officers' passwords, for logging in to the web app: stored as Argon2id hashes
/// (libsodium's crypto_pwhash_str, its interactive limits), never in clear, never
/// logged. Setting one is changing an officer: the same rule as adding one (the
/// register's first officer bootstraps it; after that a partnership-wide officer).

#include "estate/db/register.hpp"
#include "estate/officers/officers.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace estate::officers {

/// The shortest password accepted: length protects better than rules of composition.
constexpr std::size_t min_password_length = 10;

/// Throws usage_error (option "password") unless @p password is long enough: called
/// before anything is changed, by whoever asks for a new password.
void check_new_password(const std::string& password);

/// Sets (or replaces) officer @p name's password. @p by: the partnership-wide officer
/// doing it; not needed while @p name is the register's only officer (bootstrapping).
/// Throws usage_error for a password too short, permission_error as add_officer does.
void set_password(db::Register& reg, const std::string& name, const std::string& password,
                  const std::optional<std::string>& by = std::nullopt);

/// The officer whose name and password these are; none otherwise. An unknown name, an
/// officer with no password and a wrong password give the same answer in about the
/// same time (a hash is checked in every case), so a caller cannot tell names apart.
std::optional<Officer> check_password(db::Register& reg, const std::string& name, const std::string& password);

} // namespace estate::officers
