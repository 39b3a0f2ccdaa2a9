#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"
#include "estate/officers/passwords.hpp"
#include "estate/rag/status.hpp"
#include "support.hpp"

using namespace estate;

namespace {

db::Register two_agencies(const test::TempDir& tmp) {
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    test::write_file(tmp.path("a.csv"), "owner,ref,name\nTrafford Council,T1,Town Hall\nNHS Trafford,N1,Clinic\n");
    importing::ImportOptions o;
    o.source = tmp.path("a.csv");
    o.profile = "generic";
    importing::import_source(reg, o);
    return reg;
}

} // namespace

TEST_CASE("Officers' passwords are Argon2id hashes, checked without telling names apart", "[rag][passwords]") {
    test::TempDir tmp;
    auto reg = two_agencies(tmp);
    officers::add_officer(reg, {"Ann Smith", "Trafford Council", true});
    // The register's only officer may set their own password (it bootstraps the web app).
    officers::set_password(reg, "Ann Smith", "correct horse battery");
    const auto stored = *reg.connection().scalar_text("SELECT password_hash FROM officers WHERE name = 'Ann Smith'");
    CHECK_THAT(stored, Catch::StartsWith("$argon2id$"));
    CHECK_THAT(stored, !Catch::Contains("correct horse"));
    auto ann = officers::check_password(reg, "Ann Smith", "correct horse battery");
    REQUIRE(ann);
    CHECK(ann->agency == "Trafford Council");
    CHECK(ann->partnership_wide);
    CHECK_FALSE(officers::check_password(reg, "Ann Smith", "correct horse batter"));
    CHECK_FALSE(officers::check_password(reg, "Nobody", "correct horse battery"));
    CHECK_THROWS_AS(officers::set_password(reg, "Ann Smith", "short"), usage_error);

    // A second officer: without a password they cannot log in; setting one needs a
    // partnership-wide officer, as adding them did.
    officers::add_officer(reg, {"Bob Jones", "NHS Trafford", false}, std::string("Ann Smith"));
    CHECK_FALSE(officers::check_password(reg, "Bob Jones", ""));
    CHECK_THROWS_AS(officers::set_password(reg, "Bob Jones", "a long enough phrase"), officers::permission_error);
    CHECK_THROWS_AS(officers::set_password(reg, "Bob Jones", "a long enough phrase", std::string("Bob Jones")),
                    officers::permission_error);
    officers::set_password(reg, "Bob Jones", "a long enough phrase", std::string("Ann Smith"));
    CHECK(officers::check_password(reg, "Bob Jones", "a long enough phrase")->agency == "NHS Trafford");
    CHECK_THROWS_AS(officers::set_password(reg, "Carol", "a long enough phrase", std::string("Ann Smith")),
                    officers::permission_error);
    // Whoever can log in is listed so.
    for (const auto& o : officers::list_officers(reg)) CHECK(o.can_log_in);
}

TEST_CASE("estate officers add --password-stdin and officers password", "[rag][passwords][cli]") {
    test::TempDir tmp;
    const std::string reg = test::trafford_register(tmp);
    const std::string estate = test::sh(ESTATE_CLI);
    // The password on the program's standard input (run_shell gives the whole a /dev/null).
    auto with_stdin = [&](const std::string& text, const std::string& args) {
        return test::run_shell("(printf '" + text + "\\n' | " + estate + " " + args + ")");
    };
    auto add = with_stdin("correct horse battery", "officers add " + test::sh(reg) +
                                                       " 'Ann Smith' --agency 'Trafford Council' --partnership-wide "
                                                       "--password-stdin");
    CHECK(add.exit_code == 0);
    auto listed = test::run_estate("officers list " + test::sh(reg));
    CHECK_THAT(listed.out, Catch::Contains("web login") && Catch::Contains("yes               yes"));
    // Too short: refused, and the officer is not added without one.
    auto short_one =
        with_stdin("short", "officers add " + test::sh(reg) +
                                " 'Bob Jones' --agency 'Trafford Council' --by 'Ann Smith' --password-stdin");
    CHECK(short_one.exit_code == 2);
    CHECK_THAT(test::run_estate("officers list " + test::sh(reg)).out, !Catch::Contains("Bob Jones"));
    auto change = with_stdin("another long phrase", "officers password " + test::sh(reg) + " 'Ann Smith'");
    CHECK(change.exit_code == 0);
    auto r = db::Register::open(reg, true);
    CHECK(officers::check_password(r, "Ann Smith", "another long phrase"));
    CHECK_FALSE(officers::check_password(r, "Ann Smith", "correct horse battery"));
}
