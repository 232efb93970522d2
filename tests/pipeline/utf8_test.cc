// FindInvalidUtf8 against ICU's U8_NEXT, the definition of validity the
// error messages cite, over every sequence of up to three bytes in context.
#include "pipeline/utf8.h"

#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <optional>
#include <string>

namespace vnfacts {
namespace {

std::optional<size_t> ReferenceFindInvalid(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return std::nullopt;
}

TEST(Utf8Test, FindInvalidAgreesWithIcuOnEveryShortSequence) {
  // Before the bytes: a run long enough for the eight-byte ASCII skip and a
  // Vietnamese letter; after them: ASCII, a letter, or nothing (truncation).
  const std::string before = "Thành ủy 12345678 ";
  for (const std::string after : {"", "x", "ệ"}) {
    for (uint32_t a = 0x80; a < 0x100; ++a) {
      for (uint32_t b = 0; b < 0x100; ++b) {
        std::string two = before;
        two += static_cast<char>(a);
        two += static_cast<char>(b);
        two += after;
        ASSERT_EQ(FindInvalidUtf8(two), ReferenceFindInvalid(two)) << std::hex << a << " " << b;
        if (a < 0xE0) continue;
        for (uint32_t c = 0x70; c < 0xD0; ++c) {  // both sides of the continuation range
          std::string three = before;
          three += static_cast<char>(a);
          three += static_cast<char>(b);
          three += static_cast<char>(c);
          three += after;
          ASSERT_EQ(FindInvalidUtf8(three), ReferenceFindInvalid(three))
              << std::hex << a << " " << b << " " << c;
        }
      }
    }
  }
  EXPECT_EQ(FindInvalidUtf8("Thành ủy"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);  // a surrogate
  EXPECT_EQ(FindInvalidUtf8("ab\xE0\x80\x80"), 2u);  // overlong
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80 ok"), std::nullopt);
}

}  // namespace
}  // namespace vnfacts
