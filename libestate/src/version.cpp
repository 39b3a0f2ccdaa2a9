#include "estate/version.hpp"

namespace estate {

// ESTATE_VERSION_TEXT is the project's version, defined for this file alone
// (libestate/CMakeLists.txt), so that a program built against an installed libestate
// asks the library rather than compiling in a number of its own.
const char* version() {
    return ESTATE_VERSION_TEXT;
}

} // namespace estate
