#pragma once
/// @file
/// A minimal streaming JSON writer (objects, arrays, strings, numbers, null) for
/// --json output and for keeping source columns as a JSON object.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace estate::util {

/// Escapes @p s as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

/// Writes JSON to a stream. Keys and values alternate inside objects; commas are
/// placed automatically.
class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out, bool pretty = false);
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view v);
    JsonWriter& value(const char* v) { return value(std::string_view(v)); }
    JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
    JsonWriter& value(double v);
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
    JsonWriter& value(bool v);
    JsonWriter& null();
    /// A value that is already JSON text (e.g. a stored parameters object), written as is.
    JsonWriter& raw_value(std::string_view json);
    template <class T>
    JsonWriter& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }
    /// key(k).value(v) in one call.
    template <class T>
    JsonWriter& field(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }

private:
    void separator();
    void indent();
    std::ostream& out_;
    std::string scratch_; // one quoted string at a time, its memory reused
    bool pretty_;
    std::vector<bool> first_; // per open container: no element written yet
    bool after_key_ = false;
};

} // namespace estate::util
