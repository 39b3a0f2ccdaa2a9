#include "estate/officers/officers.hpp"

#include "db/sqlite.hpp"
#include "estate/util/time.hpp"

namespace estate::officers {

Officer officer_named(db::Register& reg, const std::string& by) {
    auto officer = reg.connection().prepare("SELECT f.partnership_wide, o.name, f.removed_at, f.removed_by "
                                            "FROM officers f JOIN owners o ON o.id = f.owner_id WHERE f.name = ?");
    officer.bind(1, by);
    if (!officer.step())
        throw permission_error("'" + by +
                               "' is not a registered officer; add them with "
                               "'estate officers add REGISTER NAME --agency OWNER'");
    if (!officer.is_null(2))
        throw permission_error("'" + by + "' was removed as an officer on " + officer.text(2) + " by " +
                               officer.text(3) + "; a partnership-wide officer can add them again");
    return {by, officer.text(1), officer.int64(0) != 0, false};
}

void check_may_change_officers(db::Register& reg, const std::optional<std::string>& by) {
    // Who may name officers: anyone, for the first; then a partnership-wide officer.
    if (reg.connection().scalar_int("SELECT count(*) FROM officers").value_or(0) > 0) {
        if (!by)
            throw permission_error("the register has officers already: adding or changing one needs a "
                                   "partnership-wide officer to do it, named ('estate officers list' shows who)");
        const Officer granter = officer_named(reg, *by);
        if (!granter.partnership_wide)
            throw permission_error(*by + " acts for " + granter.agency +
                                   " only: adding or changing officers needs "
                                   "a partnership-wide officer ('estate officers list' shows who)");
    }
}

void add_officer(db::Register& reg, const Officer& officer, const std::optional<std::string>& by) {
    auto& c = reg.connection();
    db::Transaction tx(c);
    check_may_change_officers(reg, by);
    auto owner = c.prepare("SELECT id FROM owners WHERE name = ?");
    owner.bind(1, officer.agency);
    if (!owner.step())
        throw usage_error("agency '" + officer.agency + "' is not an owner in the register ('estate info' lists them)");
    std::int64_t owner_id = owner.int64(0);
    owner.reset();
    auto st = c.prepare("INSERT INTO officers(name, owner_id, partnership_wide) VALUES (?, ?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET owner_id = excluded.owner_id, "
                        "partnership_wide = excluded.partnership_wide, removed_at = NULL, removed_by = NULL");
    st.bind(1, officer.name).bind(2, owner_id).bind(3, officer.partnership_wide ? 1 : 0).run();
    tx.commit();
}

void remove_officer(db::Register& reg, const std::string& name, const std::string& by) {
    auto& c = reg.connection();
    db::Transaction tx(c);
    check_may_change_officers(reg, by);
    const Officer officer = officer_named(reg, name); // there, and not removed already
    if (officer.partnership_wide &&
        c.scalar_int("SELECT count(*) FROM officers WHERE partnership_wide = 1 AND removed_at IS NULL").value_or(0) ==
            1)
        throw permission_error(name + " is the register's last partnership-wide officer: make another one "
                                      "partnership-wide first, or no one could name officers again");
    // The name stays (the history names them); the password goes, so they cannot log in.
    c.prepare("UPDATE officers SET removed_at = ?, removed_by = ?, password_hash = NULL WHERE name = ?")
        .bind(1, util::utc_now_iso())
        .bind(2, by)
        .bind(3, name)
        .run();
    tx.commit();
}

std::vector<Officer> list_officers(db::Register& reg) {
    std::vector<Officer> out;
    auto st = reg.connection().prepare("SELECT f.name, o.name, f.partnership_wide, f.password_hash IS NOT NULL "
                                       "FROM officers f JOIN owners o ON o.id = f.owner_id WHERE f.removed_at IS NULL "
                                       "ORDER BY o.name, f.name");
    while (st.step()) out.push_back({st.text(0), st.text(1), st.int64(2) != 0, st.int64(3) != 0});
    return out;
}

void check_officer_scope(db::Register& reg, const std::string& by, const std::string& owner, const std::string& ref) {
    const Officer officer = officer_named(reg, by);
    if (!officer.partnership_wide && officer.agency != owner)
        throw permission_error(by + " acts for " + officer.agency + " and may not tag or change " + owner + "'s " +
                               ref + "; ask an officer of " + owner + " or one with the partnership-wide role");
}

} // namespace estate::officers
