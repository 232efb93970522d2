#include "pipeline/sentence_boundaries.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <array>
#include <string>

#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

// What a code point is to the search for windows (from its UAX #29
// Sentence_Break value).
enum Role : uint8_t {
  kPlain = 0,       // anything that neither starts nor ends a window
  kTerminator = 1,  // ATerm, STerm: a window around it
  kSeparator = 2,   // Sep, LF: a boundary after it
  kReturn = 3,      // CR: a boundary after it unless LF follows (SB3)
  kLetter = 4,      // Upper, OLetter: decides the run before it
  kLower = 5,       // Lower: likewise
};

Role RoleOf(UChar32 c) {
  if (c < 0) return kPlain;
  switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
    case U_SB_ATERM:
    case U_SB_STERM: return kTerminator;
    case U_SB_SEP:
    case U_SB_LF: return kSeparator;
    case U_SB_CR: return kReturn;
    case U_SB_UPPER:
    case U_SB_OLETTER: return kLetter;
    case U_SB_LOWER: return kLower;
    default: return kPlain;
  }
}

// The end of a non-empty text is always its last boundary (SB2).
void EndAtTextEnd(std::string_view text, std::vector<uint32_t>* out) {
  if (out->empty() || out->back() != text.size()) out->push_back(static_cast<uint32_t>(text.size()));
}

// A window reaches back at most this far for the start of its word; past
// it, the window starts mid-word (also correct, see the tests' long words).
constexpr size_t kMaxLookBehind = 64;

}  // namespace

struct SentenceBoundaries::Tables {
  std::unique_ptr<icu::BreakIterator> prototype;
  // Role of every BMP code point.
  std::vector<uint8_t> role;
  // Per byte: 1 for an ASCII terminator or separator, 2 for a lead byte that
  // begins some non-ASCII terminator or separator (then lead_second decides),
  // 0 otherwise (continuation bytes included).
  std::array<uint8_t, 256> byte_kind{};
  // Bit (lead << 8 | second byte) set when a terminator or separator is
  // encoded with that lead and second byte; Vietnamese letters (C3, C4, C6,
  // E1 BA, E1 BB) have none, so running text is skipped byte by byte.
  std::vector<uint64_t> lead_second;

  UChar32 Decode(std::string_view text, size_t* pos) const { return NextCodePoint(text, pos); }
  Role RoleAt(UChar32 c) const {
    if (c < 0) return kPlain;
    if (c < 0x10000) return static_cast<Role>(role[static_cast<size_t>(c)]);
    return RoleOf(c);
  }
  bool MayTrigger(std::string_view text, size_t pos) const {
    const auto b = static_cast<uint8_t>(text[pos]);
    const uint8_t kind = byte_kind[b];
    if (kind != 2) return kind == 1;
    if (pos + 1 >= text.size()) return true;
    const uint32_t pair = static_cast<uint32_t>(b) << 8 | static_cast<uint8_t>(text[pos + 1]);
    return (lead_second[pair >> 6] >> (pair & 63)) & 1;
  }
};

SentenceBoundaries::SentenceBoundaries(std::unique_ptr<const Tables> tables)
    : tables_(std::move(tables)) {}
SentenceBoundaries::SentenceBoundaries(SentenceBoundaries&&) noexcept = default;
SentenceBoundaries& SentenceBoundaries::operator=(SentenceBoundaries&&) noexcept = default;
SentenceBoundaries::~SentenceBoundaries() = default;

Expected<SentenceBoundaries> SentenceBoundaries::Create() {
  auto t = std::make_unique<Tables>();
  UErrorCode status = U_ZERO_ERROR;
  t->prototype.reset(icu::BreakIterator::createSentenceInstance(icu::Locale("vi"), status));
  if (U_FAILURE(status) || !t->prototype) {
    return Status::Error(
        std::string("sentence splitter: cannot create the ICU sentence iterator: ") +
        u_errorName(status));
  }
  t->role.resize(0x10000);
  t->lead_second.assign(65536 / 64, 0);
  for (UChar32 c = 0; c < 0x10000; ++c) {
    const Role r = RoleOf(c);
    t->role[static_cast<size_t>(c)] = r;
    if (r != kTerminator && r != kSeparator && r != kReturn) continue;
    if (c < 0x80) {
      t->byte_kind[static_cast<size_t>(c)] = 1;
      continue;
    }
    uint8_t bytes[4];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(bytes, length, 4, c, error);
    if (error) continue;  // surrogates
    t->byte_kind[bytes[0]] = 2;
    const uint32_t pair = static_cast<uint32_t>(bytes[0]) << 8 | bytes[1];
    t->lead_second[pair >> 6] |= uint64_t{1} << (pair & 63);
  }
  // Code points past the BMP are looked up when met.
  for (unsigned b = 0xF0; b <= 0xF4; ++b) t->byte_kind[b] = 2;
  for (uint32_t pair = 0xF000; pair < 0xF500; ++pair) {
    t->lead_second[pair >> 6] |= uint64_t{1} << (pair & 63);
  }
  return SentenceBoundaries(std::move(t));
}

void SentenceBoundaries::FindByFullScan(std::string_view text, std::vector<uint32_t>* out) const {
  out->clear();
  if (text.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> iterator(tables_->prototype->clone());
  UText utext = UTEXT_INITIALIZER;
  utext_openUTF8(&utext, text.data(), static_cast<int64_t>(text.size()), &status);
  if (iterator && U_SUCCESS(status)) iterator->setText(&utext, status);
  if (iterator && U_SUCCESS(status)) {
    int32_t previous = 0;
    for (int32_t b = iterator->next(); b != icu::BreakIterator::DONE; b = iterator->next()) {
      if (b <= previous || static_cast<size_t>(b) > text.size()) continue;
      previous = b;
      out->push_back(static_cast<uint32_t>(b));
    }
  }
  utext_close(&utext);
  EndAtTextEnd(text, out);
}

void SentenceBoundaries::Find(std::string_view text, std::vector<uint32_t>* out) const {
  out->clear();
  if (text.empty()) return;
  const Tables& t = *tables_;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> iterator;
  UText utext = UTEXT_INITIALIZER;

  // The pending window [window_begin, window_end): its boundaries come from
  // ICU when the next trigger lies past it.
  size_t window_begin = 0, window_end = 0;
  auto flush = [&] {
    if (window_end <= window_begin) return;
    if (!iterator) iterator.reset(t.prototype->clone());
    if (!iterator) return;
    status = U_ZERO_ERROR;
    const std::string_view window = text.substr(window_begin, window_end - window_begin);
    utext_openUTF8(&utext, window.data(), static_cast<int64_t>(window.size()), &status);
    if (U_SUCCESS(status)) iterator->setText(&utext, status);
    if (U_SUCCESS(status)) {
      // The window's own end is the end of ICU's text, a boundary by SB2
      // only: the boundary after a separator comes from the scan below.
      for (int32_t b = iterator->next(); b != icu::BreakIterator::DONE; b = iterator->next()) {
        if (b <= 0 || static_cast<size_t>(b) >= window.size()) continue;
        const auto at = static_cast<uint32_t>(window_begin + static_cast<size_t>(b));
        if (out->empty() || at > out->back()) out->push_back(at);
      }
    }
    window_begin = window_end = 0;
  };

  size_t line_start = 0;
  size_t pos = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* kind = t.byte_kind.data();
  while (pos < text.size()) {
    // Most bytes start nothing: skip them in a loop of their own.
    while (pos < text.size() && kind[bytes[pos]] == 0) ++pos;
    if (pos >= text.size()) break;
    if (!t.MayTrigger(text, pos)) {
      ++pos;
      continue;
    }
    size_t next = pos;
    const UChar32 c = t.Decode(text, &next);
    const Role role = t.RoleAt(c);
    if (role == kSeparator || role == kReturn) {
      if (role == kReturn && next < text.size() && text[next] == '\n') {
        pos = next;
        continue;
      }
      flush();
      if (out->empty() || next > out->back()) out->push_back(static_cast<uint32_t>(next));
      pos = line_start = next;
      continue;
    }
    if (role != kTerminator) {
      pos = next;
      continue;
    }
    // The common cases need no ICU. Whatever came before the terminator:
    // - a line break (or the end of the text) after it and any spaces: the
    //   only boundary is the one after the line break (SB9-SB11);
    // - a full stop right before a digit or a small letter does not break
    //   (SB6, SB8);
    // - spaces and then a letter: a break after the spaces (SB11), except
    //   that a full stop before a small letter does not (SB8).
    if (c < 0x80) {
      size_t after = next;
      while (after < text.size() && text[after] == ' ') ++after;
      if (after == text.size() || text[after] == '\n') {
        pos = after;
        continue;
      }
      size_t letter_end = after;
      const Role r = t.RoleAt(t.Decode(text, &letter_end));
      const bool digit = text[after] >= '0' && text[after] <= '9';
      if (c == '.' && (r == kLower || (digit && after == next))) {
        pos = after;
        continue;
      }
      if (after > next && (r == kLetter || r == kLower)) {
        flush();
        out->push_back(static_cast<uint32_t>(after));
        pos = after;
        continue;
      }
    }
    // The start of the word that holds the run, within the line.
    size_t begin = pos;
    const size_t floor = pos - line_start > kMaxLookBehind ? pos - kMaxLookBehind : line_start;
    while (begin > floor && text[begin - 1] != ' ' && text[begin - 1] != '\t') --begin;
    while (begin > line_start && (static_cast<uint8_t>(text[begin]) & 0xC0) == 0x80) --begin;
    // The end: past the run, its closing punctuation and spaces, and anything
    // up to the first letter or paragraph separator, which is included.
    size_t end = next;
    size_t deciding = text.size();  // where the deciding separator starts
    while (end < text.size()) {
      size_t after = end;
      const Role r = t.RoleAt(t.Decode(text, &after));
      if (r == kSeparator || r == kReturn) deciding = end;
      end = after;
      if (r == kLetter || r == kLower || r == kSeparator || r == kReturn) break;
    }
    if (window_end > window_begin && begin < window_end) {
      window_end = end;  // touches the pending window: one window
    } else {
      flush();
      window_begin = begin;
      window_end = end;
    }
    // A separator that decided the run still ends its line.
    pos = deciding < end ? deciding : end;
  }
  flush();
  utext_close(&utext);
  EndAtTextEnd(text, out);
}

}  // namespace vnfacts
