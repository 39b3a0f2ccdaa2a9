// libFuzzer: the text files people write by hand - import profiles, manifests, scenarios
// and rules files - on any text. The first byte picks the parser. A mistake must be a
// config_error (or another estate::error) naming the file and line; a crash, a
// sanitizer report or any other exception ("stoi") is a bug.
#include "estate/error.hpp"
#include "estate/importing/manifest.hpp"
#include "estate/io/ini.hpp"
#include "estate/io/profile.hpp"
#include "estate/money/scenario.hpp"
#include "estate/rag/rules.hpp"

#include <cstdint>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 4) {
        case 0:
            estate::io::parse_profile(estate::io::parse_ini(text, "fuzz-profile.ini"));
            break;
        case 1:
            estate::rag::parse_rules(text, "fuzz-rules.ini");
            break;
        case 2:
            estate::money::parse_scenario(text, "fuzz-scenario.ini");
            break;
        default: {
            // Manifests are read from a file (their paths are relative to it).
            static const std::string path = "/tmp/estate-fuzz-manifest-" + std::to_string(::getpid()) + ".ini";
            std::ofstream(path, std::ios::binary) << text;
            estate::importing::read_manifest(path);
        }
        }
    } catch (const estate::error&) {
    }
    return 0;
}
