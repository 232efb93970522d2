#include "pipeline/text_fold.h"

#include <unicode/unorm2.h>
#include <unicode/uchar.h>

#include "pipeline/utf8.h"

namespace vnfacts {

std::string FoldDiacritics(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfd = unorm2_getNFDInstance(&status);
  std::string out;
  out.reserve(text.size());
  UChar decomposed[8];
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + 32 : byte));
      ++pos;
      continue;
    }
    const int32_t c = NextCodePoint(text, &pos);
    if (c < 0) continue;
    if (c == 0x0110 || c == 0x0111) {  // Đ đ
      out.push_back('d');
      continue;
    }
    // The first code point of the canonical decomposition is the base letter.
    UErrorCode error = U_ZERO_ERROR;
    int32_t length = U_SUCCESS(status) ? unorm2_getRawDecomposition(nfd, c, decomposed, 8, &error) : -1;
    UChar32 base = c;
    if (length > 0) {
      // Decompositions nest (ệ -> ẹ + ̂ -> e + ̣ + ̂); follow the first code point down.
      base = decomposed[0];
      UChar inner[8];
      while (unorm2_getRawDecomposition(nfd, base, inner, 8, &error) > 0 && U_SUCCESS(error)) {
        base = inner[0];
      }
    }
    const int8_t type = u_charType(base);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) continue;
    AppendUtf8(ToLower(static_cast<char32_t>(base)), &out);
  }
  return out;
}

}  // namespace vnfacts
