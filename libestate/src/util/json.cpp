#include "estate/util/json.hpp"

#include <cmath>
#include <cstdio>

namespace estate::util {

std::string json_quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

JsonWriter::JsonWriter(std::ostream& out, bool pretty) : out_(out), pretty_(pretty) {}

void JsonWriter::separator() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ << ',';
        first_.back() = false;
        if (pretty_) out_ << '\n' << std::string(first_.size() * 2, ' ');
    }
}

JsonWriter& JsonWriter::begin_object() {
    separator();
    out_ << '{';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    bool empty = first_.back();
    first_.pop_back();
    if (pretty_ && !empty) out_ << '\n' << std::string(first_.size() * 2, ' ');
    out_ << '}';
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    separator();
    out_ << '[';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    bool empty = first_.back();
    first_.pop_back();
    if (pretty_ && !empty) out_ << '\n' << std::string(first_.size() * 2, ' ');
    out_ << ']';
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
    separator();
    out_ << json_quote(k) << (pretty_ ? ": " : ":");
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view v) {
    separator();
    out_ << json_quote(v);
    return *this;
}

JsonWriter& JsonWriter::value(double v) {
    separator();
    if (!std::isfinite(v)) {
        out_ << "null";
    } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.15g", v);
        out_ << buf;
    }
    return *this;
}

JsonWriter& JsonWriter::raw_value(std::string_view json) {
    separator();
    out_ << json;
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
    separator();
    out_ << v;
    return *this;
}

JsonWriter& JsonWriter::value(bool v) {
    separator();
    out_ << (v ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::null() {
    separator();
    out_ << "null";
    return *this;
}

} // namespace estate::util
