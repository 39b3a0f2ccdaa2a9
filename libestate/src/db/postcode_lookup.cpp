#include "estate/db/postcode_lookup.hpp"

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/io/postcodes.hpp"

#include <cctype>
#include <optional>

#include <sqlite3.h>

namespace estate::db {

PostcodesKept keep_postcodes(Register& reg, const io::PostcodeIndex& index) {
    Connection& c = reg.connection();
    std::optional<Transaction> tx;
    if (sqlite3_get_autocommit(c.handle())) tx.emplace(c);
    PostcodesKept kept;
    auto find = c.prepare("SELECT easting, northing FROM postcodes WHERE postcode = ?");
    auto put = c.prepare("INSERT OR REPLACE INTO postcodes(postcode, easting, northing) VALUES (?, ?, ?)");
    for (const auto& [postcode, point] : index.entries()) {
        find.bind(1, postcode);
        const bool had = find.step();
        const bool same = had && find.real(0) == point.easting && find.real(1) == point.northing;
        find.reset();
        if (same) continue;
        ++(had ? kept.replaced : kept.added);
        put.bind(1, postcode).bind(2, point.easting).bind(3, point.northing).run();
    }
    kept.total = postcode_count(reg);
    if (tx) tx->commit();
    return kept;
}

std::int64_t read_postcodes(Register& reg, io::PostcodeIndex& index) {
    auto st = reg.connection().prepare("SELECT postcode, easting, northing FROM postcodes");
    io::PostcodeIndex stored;
    std::int64_t n = 0;
    while (st.step()) {
        stored.add(st.text(0), {st.real(1), st.real(2)});
        ++n;
    }
    stored.add(index); // the given file's centroids win
    index = std::move(stored);
    return n;
}

std::optional<model::GridPoint> find_postcode(Register& reg, const std::string& postcode) {
    std::string key; // as the lookup keeps it: compact upper case
    for (unsigned char c : postcode)
        if (!std::isspace(c)) key += static_cast<char>(std::toupper(c));
    auto st = reg.connection().prepare("SELECT easting, northing FROM postcodes WHERE postcode = ?");
    st.bind(1, key);
    if (!st.step()) return std::nullopt;
    return model::GridPoint{st.real(0), st.real(1)};
}

std::int64_t postcode_count(Register& reg) {
    return reg.connection().scalar_int("SELECT count(*) FROM postcodes").value_or(0);
}

} // namespace estate::db
