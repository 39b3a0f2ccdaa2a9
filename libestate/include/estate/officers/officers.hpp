#pragma once
/// @file
/// The partnership's officers: who they are, which agency each acts for (or every agency,
/// partnership-wide), and the one rule of scope every change obeys — tags, corrections,
/// duplicate groups, the web app. Passwords are in passwords.hpp.

#include "estate/db/register.hpp"
#include "estate/error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace estate::officers {

/// The officer may not do this (another agency's property, an unknown or removed officer).
class permission_error : public error {
public:
    using error::error;
};

struct Officer {
    std::string name;
    std::string agency;            ///< the owner they act for
    bool partnership_wide = false; ///< may tag every agency's properties
    bool can_log_in = false;       ///< has a password for the web app (list_officers)
};
/// Throws permission_error unless @p by is a registered officer acting for @p owner
/// (or partnership-wide): who may tag a property or correct its facts.
void check_officer_scope(db::Register& reg, const std::string& by, const std::string& owner, const std::string& ref);

/// Registers an officer for an agency (an owner already in the register), or changes
/// one. The register's first officer may be anyone (it bootstraps the register); after
/// that @p by must be a partnership-wide officer, else permission_error.
void add_officer(db::Register& reg, const Officer& officer, const std::optional<std::string>& by = std::nullopt);
/// Throws permission_error unless @p by names a partnership-wide officer, or the register
/// has no officers yet: who may add or change officers (and their passwords).
void check_may_change_officers(db::Register& reg, const std::optional<std::string>& by);
/// The registered officer @p by; permission_error naming what to do when there is none.
Officer officer_named(db::Register& reg, const std::string& by);
/// The officers who may act now (not those removed).
std::vector<Officer> list_officers(db::Register& reg);
/// Removes an officer: they can no longer tag, correct or log in to the web app (their
/// sessions end at their next request); their name stays in the history. @p by must be a
/// partnership-wide officer; the last partnership-wide officer cannot be removed.
void remove_officer(db::Register& reg, const std::string& name, const std::string& by);

} // namespace estate::officers
