// Tamper evidence: whatever someone with write access does around the history's
// triggers, estate verify (rag::audit_history) and estate info say so.

#include <catch2/catch.hpp>

#include "db/schema.hpp"
#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/rag/audit.hpp"
#include "estate/rag/rules.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

using namespace estate;

namespace {

// A Trafford register with the rules applied and two officers' tags: a history that is whole.
std::string tagged_register(const test::TempDir& tmp) {
    const std::string path = test::trafford_register(tmp);
    auto reg = db::Register::open(path);
    officers::add_officer(reg, {"Lee Brown", "Trafford Council", true});
    rag::apply_rules(reg, rag::default_rules(), "Lee Brown");
    rag::TagRequest rq;
    rq.property = "TMBC0001/T0000003";
    rq.status = "green";
    rq.reason = "Surplus after the move";
    rq.by = "Lee Brown";
    rag::set_status(reg, rq);
    rq.status = "amber";
    rq.reason = "Lease to 2031";
    rag::set_status(reg, rq);
    return path;
}

std::vector<std::string> kinds(const rag::HistoryAudit& a) {
    std::vector<std::string> out;
    for (const auto& f : a.findings) {
        out.push_back(f.kind);
        UNSCOPED_INFO(f.kind << ": " << f.property << ": " << f.detail);
    }
    return out;
}

// What a shell's ".dbconfig enable_trigger off" does.
void triggers_off(db::Connection& c) {
    sqlite3_db_config(c.handle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
}

} // namespace

TEST_CASE("A history written only through the register verifies whole", "[rag]") {
    test::TempDir tmp;
    auto reg = db::Register::open(tagged_register(tmp));
    const auto audit = rag::audit_history(reg);
    CHECK(audit.clean());
    CHECK(audit.history_rows > 200);
    CHECK_THAT(rag::describe(audit, "r.sqlite"), Catch::StartsWith("History: ") && Catch::Contains("unbroken chain"));
}

TEST_CASE("A status changed with the triggers switched off is found", "[rag]") {
    test::TempDir tmp;
    const std::string path = tagged_register(tmp);
    {
        db::Connection c(path, db::Connection::Mode::read_write);
        triggers_off(c);
        c.exec("UPDATE properties SET rag_status = 'green', rag_reason = 'quietly' WHERE id = 5");
    }
    auto reg = db::Register::open(path, true);
    const auto audit = rag::audit_history(reg);
    REQUIRE(kinds(audit) == std::vector<std::string>{"status_without_history"});
    CHECK(audit.findings[0].property_id == 5);
    CHECK_THAT(audit.findings[0].detail, Catch::Contains("quietly") && Catch::Contains("triggers switched off"));
    CHECK_THAT(rag::describe(audit, "r.sqlite"), Catch::StartsWith("HISTORY TAMPERED WITH: 1 findings"));
    // The command line says it too, and estate verify exits 1 listing it.
    CHECK_THAT(test::run_estate("info " + test::sh(path)).out, Catch::Contains("HISTORY TAMPERED WITH"));
    const auto verify = test::run_estate("verify " + test::sh(path));
    CHECK(verify.exit_code == 1);
    CHECK_THAT(verify.out, Catch::Contains("status_without_history: "));
}

TEST_CASE("History rows forged, removed or back-dated by hand break the chain", "[rag]") {
    test::TempDir tmp;
    const std::string path = tagged_register(tmp);
    db::Connection c(path, db::Connection::Mode::read_write);
    triggers_off(c);
    const auto last = c.scalar_int("SELECT max(id) FROM rag_history").value();

    SECTION("a row added without its seal") {
        c.exec(
            "INSERT INTO rag_history(property_id, old_status, new_status, reason, changed_by, source, changed_at, "
            "version) VALUES (7, 'unassessed', 'green', 'forged', 'Lee Brown', 'person', '2026-01-01T00:00:00Z', 2)");
        auto reg = db::Register::open(path, true);
        const auto k = kinds(rag::audit_history(reg));
        CHECK(std::count(k.begin(), k.end(), "broken_chain") == 1);
        CHECK(std::count(k.begin(), k.end(), "back_dated") == 1);
    }
    SECTION("a row sealed as the triggers would, but dated in the past") {
        // A forger who reads the schema can compute the seal: the date still gives it away.
        c.exec("INSERT INTO rag_history(property_id, old_status, new_status, reason, changed_by, source, changed_at, "
               "version, seal) SELECT r.*, " +
               db::history_seal_sql("(SELECT seal FROM rag_history ORDER BY id DESC LIMIT 1)", "r") +
               " FROM (SELECT 7 AS property_id, 'unassessed' AS old_status, 'green' AS new_status, 'forged' AS reason, "
               "'Lee Brown' AS changed_by, 'person' AS source, '2025-01-01T00:00:00Z' AS changed_at, 2 AS version) r");
        auto reg = db::Register::open(path, true);
        const auto k = kinds(rag::audit_history(reg));
        CHECK(std::count(k.begin(), k.end(), "back_dated") == 1);
        CHECK(std::count(k.begin(), k.end(), "broken_chain") == 0);
        // ...and the property is not what the forged row says, nor was Lee Brown an officer in 2025.
        CHECK(std::count(k.begin(), k.end(), "status_without_history") == 1);
    }
    SECTION("a row removed") {
        c.exec("DELETE FROM rag_history WHERE id = " + std::to_string(last - 5));
        auto reg = db::Register::open(path, true);
        const auto audit = rag::audit_history(reg);
        REQUIRE(kinds(audit).front() == "broken_chain");
        CHECK(audit.findings[0].history_id == last - 4); // the row after the gap
        // (and, where it was its property's last row, the property no longer matches its history)
    }
    SECTION("a row's reason rewritten") {
        c.exec("UPDATE rag_history SET reason = 'rewritten' WHERE id = " + std::to_string(last - 1));
        auto reg = db::Register::open(path, true);
        const auto audit = rag::audit_history(reg);
        REQUIRE(kinds(audit) == std::vector<std::string>{"broken_chain"});
        CHECK(audit.findings[0].history_id == last - 1);
    }
}

TEST_CASE("A change that names an officer or the web app it did not come from is found", "[rag]") {
    test::TempDir tmp;
    const std::string path = tagged_register(tmp);
    {
        auto reg = db::Register::open(path);
        officers::add_officer(reg, {"Alice Ward", "Trafford Council", false}, std::string("Lee Brown"));
        // Through the triggers, claiming to be someone: the history row names them...
        db::Connection c(path, db::Connection::Mode::read_write);
        c.exec("UPDATE properties SET rag_status = 'red', rag_reason = 'No', rag_set_by = 'Nobody Known', "
               "rag_source = 'person', version = version + 1 WHERE id = 8");
        c.exec("UPDATE properties SET rag_status = 'red', rag_reason = 'Keep', rag_set_by = 'Alice Ward', "
               "rag_source = 'web', version = version + 1 WHERE id = 9");
    }
    auto reg = db::Register::open(path);
    // ... but no such officer wrote it, and Alice never logged in to the web app.
    CHECK(kinds(rag::audit_history(reg)) == std::vector<std::string>{"unknown_officer", "web_without_session"});
    // A login recorded by the server covers a web tag made during it.
    const auto session = rag::record_web_session(reg, "Lee Brown", std::chrono::hours(8));
    reg.connection().exec("UPDATE properties SET rag_status = 'amber', rag_reason = 'Maybe', rag_set_by = 'Lee Brown', "
                          "rag_source = 'web', version = version + 1 WHERE id = 10");
    rag::close_web_session(reg, session);
    CHECK(kinds(rag::audit_history(reg)) == std::vector<std::string>{"unknown_officer", "web_without_session"});
    // An officer removed cannot tag; rows written before the removal stay theirs.
    officers::remove_officer(reg, "Alice Ward", "Lee Brown");
    rag::TagRequest rq;
    rq.property = "TMBC0001/T0000003";
    rq.status = "red";
    rq.reason = "x";
    rq.by = "Alice Ward";
    CHECK_THROWS_AS(rag::set_status(reg, rq), officers::permission_error);
    CHECK(kinds(rag::audit_history(reg)) == std::vector<std::string>{"unknown_officer", "web_without_session"});
    CHECK_THROWS_AS(officers::remove_officer(reg, "Lee Brown", "Lee Brown"),
                    officers::permission_error); // the last partnership-wide
}

TEST_CASE("A register's history from before the seals is sealed by the migration and verifies", "[rag]") {
    test::TempDir tmp;
    const std::string path = tmp.path("old.sqlite");
    const std::string gz = std::string(ESTATE_SOURCE_DIR) + "/tests/data/registers/schema4.sqlite.gz";
    REQUIRE(test::run_shell("sh -c " + test::sh("gzip -dc " + test::sh(gz) + " > " + test::sh(path))).exit_code == 0);
    db::migrate(path);
    auto reg = db::Register::open(path);
    CHECK(reg.connection().scalar_int("SELECT count(*) FROM rag_history WHERE seal IS NULL") == 0);
    CHECK(rag::audit_history(reg).clean());
}
