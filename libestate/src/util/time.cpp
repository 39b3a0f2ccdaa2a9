#include "estate/util/time.hpp"

#include <ctime>

namespace estate::util {

std::string utc_now_iso() {
    std::time_t t = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

} // namespace estate::util
