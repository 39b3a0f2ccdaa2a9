#pragma once
/// @file
/// The library's version, as `estate --version` prints it and every board paper records.

namespace estate {

/// "MAJOR.MINOR.PATCH" of this build of libestate.
const char* version();

} // namespace estate
