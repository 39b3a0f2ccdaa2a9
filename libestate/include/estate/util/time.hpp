#pragma once
/// @file
/// Timestamps as the register stores them: ISO 8601 UTC text.

#include <string>

namespace estate::util {

/// The current time as "2026-11-27T19:46:08Z".
std::string utc_now_iso();

} // namespace estate::util
