#include "tools/ouzel/json_text.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace ouzel_cli {
namespace {

// The length of the well-formed UTF-8 sequence starting at data[i], or 0 when there is none.
size_t Utf8Length(const unsigned char* p, size_t left) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (left < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// A recursive-descent JSON checker; depth-limited so a hostile payload cannot exhaust the stack.
class JsonChecker {
 public:
  JsonChecker(const char* data, size_t len) : p_(data), end_(data + len) {}
  bool Document() {
    Blank();
    if (!Value(0)) return false;
    Blank();
    return p_ == end_;
  }

 private:
  static constexpr int kMaxDepth = 256;

  void Blank() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool Literal(const char* word) {
    for (const char* w = word; *w != '\0'; ++w, ++p_) {
      if (p_ == end_ || *p_ != *w) return false;
    }
    return true;
  }
  bool Digits() {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > start;
  }
  bool Number() {
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else if (!Digits()) {
      return false;
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!Digits()) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!Digits()) return false;
    }
    return true;
  }
  bool String() {
    ++p_;  // the opening quote
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        ++p_;
        if (p_ == end_) return false;
        char e = *p_++;
        if (e == 'u') {
          for (int i = 0; i < 4; ++i, ++p_) {
            if (p_ == end_ || !std::isxdigit(static_cast<unsigned char>(*p_))) return false;
          }
        } else if (std::string("\"\\/bfnrt").find(e) == std::string::npos) {
          return false;
        }
        continue;
      }
      size_t n = Utf8Length(reinterpret_cast<const unsigned char*>(p_), end_ - p_);
      if (n == 0) return false;
      p_ += n;
    }
    return false;
  }
  bool Value(int depth) {
    if (p_ == end_ || depth > kMaxDepth) return false;
    switch (*p_) {
      case '{':
        return Container(depth, '}', true);
      case '[':
        return Container(depth, ']', false);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }
  bool Container(int depth, char close, bool object) {
    ++p_;
    Blank();
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return true;
    }
    while (true) {
      Blank();
      if (object) {
        if (p_ == end_ || *p_ != '"' || !String()) return false;
        Blank();
        if (p_ == end_ || *p_++ != ':') return false;
        Blank();
      }
      if (!Value(depth + 1)) return false;
      Blank();
      if (p_ == end_) return false;
      char c = *p_++;
      if (c == close) return true;
      if (c != ',') return false;
    }
  }

  const char* p_;
  const char* end_;
};

}  // namespace

bool IsUtf8(const char* data, size_t len) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
  for (size_t i = 0; i < len;) {
    size_t n = Utf8Length(p + i, len - i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void AppendJsonString(std::string* out, const char* data, size_t len) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
  out->push_back('"');
  for (size_t i = 0; i < len;) {
    unsigned char c = p[i];
    char buf[8];
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out->append(buf);
    } else if (c >= 0x80) {
      size_t n = Utf8Length(p + i, len - i);
      if (n == 0) {
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out->append(buf);
        ++i;
        continue;
      }
      out->append(data + i, n);
      i += n;
      continue;
    } else {
      out->push_back(static_cast<char>(c));
    }
    ++i;
  }
  out->push_back('"');
}

void AppendBase64(std::string* out, const void* data, size_t len) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char* p = static_cast<const unsigned char*>(data);
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    for (int s = 18; s >= 0; s -= 6) out->push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < len) {
    uint32_t v = uint32_t{p[i]} << 16;
    if (i + 1 < len) v |= uint32_t{p[i + 1]} << 8;
    out->push_back(kAlphabet[(v >> 18) & 63]);
    out->push_back(kAlphabet[(v >> 12) & 63]);
    out->push_back(i + 1 < len ? kAlphabet[(v >> 6) & 63] : '=');
    out->push_back('=');
  }
}

bool IsJson(const char* data, size_t len) { return JsonChecker(data, len).Document(); }

}  // namespace ouzel_cli
