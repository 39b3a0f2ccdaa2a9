#include <catch2/catch.hpp>

#include "estate/util/csv.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"
#include "util/sha256.hpp"

#include <sstream>

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors", "[util]") {
    auto hash = [](const std::string& s) {
        estate::util::Sha256 h;
        h.update(reinterpret_cast<const unsigned char*>(s.data()), s.size());
        return h.hex_digest();
    };
    CHECK(hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("JSON output escapes what it must and nests correctly", "[util]") {
    std::ostringstream out;
    estate::util::JsonWriter w(out);
    w.begin_object().field("name", "Caf\xC3\xA9 \"Hub\"\n").key("n").value(std::int64_t(3));
    w.key("list").begin_array().value(1.5).null().end_array().end_object();
    CHECK(out.str() == "{\"name\":\"Caf\xC3\xA9 \\\"Hub\\\"\\n\",\"n\":3,\"list\":[1.5,null]}");
}

TEST_CASE("CSV fields are quoted only when needed", "[util]") {
    CHECK(estate::util::csv_field("plain") == "plain");
    CHECK(estate::util::csv_field("a,b") == "\"a,b\"");
    CHECK(estate::util::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
}

TEST_CASE("Money and percentages read as people write them", "[util]") {
    CHECK(estate::util::thousands(1250000) == "1,250,000");
    CHECK(estate::util::thousands(-999.6) == "-1,000");
    CHECK(estate::util::thousands(-0.2) == "0");
    CHECK(estate::util::pounds(1250000.4) == "£1,250,000");
    CHECK(estate::util::pounds(-2500) == "-£2,500");
    CHECK(estate::util::percent(0.035) == "3.5%");
    CHECK(estate::util::percent(0.5) == "50%");
    CHECK(estate::util::percent(0) == "0%");
}
