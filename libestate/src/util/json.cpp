#include "estate/util/json.hpp"
#include "estate/util/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace estate::util {

namespace {

// Writes @p s quoted and escaped; runs of plain characters in one piece.
template <class Out>
void quote_into(Out& out, std::string_view s) {
    out += '"';
    size_t plain = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        }
        }
    }
    out.append(s.data() + plain, s.size() - plain);
    out += '"';
}

} // namespace

std::string json_quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    quote_into(out, s);
    return out;
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
        if (pretty_) indent();
    }
}

void JsonWriter::indent() {
    static const std::string spaces(256, ' ');
    out_ << '\n';
    out_.write(spaces.data(), static_cast<std::streamsize>(std::min(spaces.size(), first_.size() * 2)));
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
    if (pretty_ && !empty) indent();
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
    if (pretty_ && !empty) indent();
    out_ << ']';
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
    separator();
    scratch_.clear();
    quote_into(scratch_, k);
    scratch_ += pretty_ ? ": " : ":";
    out_ << scratch_;
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view v) {
    separator();
    scratch_.clear();
    quote_into(scratch_, v);
    out_ << scratch_;
    return *this;
}

JsonWriter& JsonWriter::value(double v) {
    separator();
    if (!std::isfinite(v))
        out_ << "null";
    else
        out_ << number_text(v);
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
