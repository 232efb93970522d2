#include "pipeline/text_fold.h"

#include <unicode/unorm2.h>
#include <unicode/uchar.h>

#include <vector>

#include "pipeline/utf8.h"

namespace vnfacts {

namespace {

constexpr char32_t kDropped = 0xFFFFFFFF;

// What one code point folds to: a lower-case base letter, or kDropped for a
// combining mark.
char32_t FoldCodePoint(const UNormalizer2* nfd, char32_t c) {
  if (c == 0x0110 || c == 0x0111) return U'd';  // Đ đ
  UChar32 base = static_cast<UChar32>(c);
  if (nfd != nullptr) {
    // The first code point of the canonical decomposition is the base
    // letter. Decompositions nest (ệ -> ẹ + ̂ -> e + ̣ + ̂); follow it down.
    UChar decomposed[8];
    UErrorCode error = U_ZERO_ERROR;
    while (unorm2_getRawDecomposition(nfd, base, decomposed, 8, &error) > 0 && U_SUCCESS(error)) {
      base = decomposed[0];
    }
  }
  const int8_t type = u_charType(base);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) return kDropped;
  return ToLower(static_cast<char32_t>(base));
}

const UNormalizer2* Nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfd = unorm2_getNFDInstance(&status);
  return U_SUCCESS(status) ? nfd : nullptr;
}

// Folds of U+0080..U+1FFF (Latin with every Vietnamese letter, and the
// combining marks), computed once: the writer folds every sentence, and
// ICU's decomposition lookup per letter was a visible part of storing.
constexpr char32_t kTableEnd = 0x2000;
const std::vector<char32_t>& FoldTable() {
  static const std::vector<char32_t> table = [] {
    std::vector<char32_t> t(kTableEnd);
    const UNormalizer2* nfd = Nfd();
    for (char32_t c = 0x80; c < kTableEnd; ++c) t[c] = FoldCodePoint(nfd, c);
    return t;
  }();
  return table;
}

}  // namespace

std::string FoldDiacritics(std::string_view text) {
  const std::vector<char32_t>& table = FoldTable();
  // Written through an index into a buffer sized up front (push_back's
  // capacity check per byte was most of the cost). Invariant: the buffer
  // holds `length` plus one byte per input byte not yet read, as every path
  // but AppendUtf8 writes at most one byte per byte read; after an append,
  // which may grow (a code point that lower-cases to a longer encoding), the
  // buffer is grown to restore it.
  std::string out(text.size(), '\0');
  size_t length = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out[length++] = static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + 32 : byte);
      ++pos;
      continue;
    }
    const int32_t c = DecodeNext(text, &pos);
    if (c < 0) continue;
    const char32_t folded = static_cast<char32_t>(c) < kTableEnd
                                ? table[static_cast<size_t>(c)]
                                : FoldCodePoint(Nfd(), static_cast<char32_t>(c));
    // Nearly every Vietnamese letter folds to an ASCII one.
    if (folded < 0x80) {
      out[length++] = static_cast<char>(folded);
    } else if (folded != kDropped) {
      out.resize(length);
      AppendUtf8(folded, &out);
      length = out.size();
      out.resize(length + (text.size() - pos));
    }
  }
  out.resize(length);
  return out;
}

}  // namespace vnfacts
