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
  // Four-byte forms: every lead byte from F0, second bytes on both sides of
  // their ranges, the last two at the edges of the continuation range.
  for (const std::string after : {"", "x"}) {
    for (uint32_t a = 0xF0; a < 0x100; ++a) {
      for (uint32_t b = 0x70; b < 0xD0; ++b) {
        for (uint32_t c : {0x7Fu, 0x80u, 0xBFu, 0xC0u}) {
          for (uint32_t d : {0x7Fu, 0x80u, 0xBFu, 0xC0u}) {
            std::string four = before;
            for (uint32_t byte : {a, b, c, d}) four += static_cast<char>(byte);
            four += after;
            ASSERT_EQ(FindInvalidUtf8(four), ReferenceFindInvalid(four))
                << std::hex << a << " " << b << " " << c << " " << d;
          }
        }
      }
    }
  }
  EXPECT_EQ(FindInvalidUtf8("Thành ủy"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);  // a surrogate
  EXPECT_EQ(FindInvalidUtf8("ab\xE0\x80\x80"), 2u);  // overlong
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80 ok"), std::nullopt);
}

TEST(Utf8Test, FindInvalidAgreesWithIcuOnLongAndRandomText) {
  // Long valid text with the bad sequence at every position of a vector
  // block, and random bytes weighted toward UTF-8 lead and continuation bytes.
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Thành ủy nhân dân 𝐀 ";
  ASSERT_EQ(FindInvalidUtf8(text), std::nullopt);
  for (size_t at = 0; at < 130; ++at) {
    for (const char* bad : {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE1\xBB"}) {
      std::string broken = text.substr(0, at) + bad + text.substr(at);
      ASSERT_EQ(FindInvalidUtf8(broken), ReferenceFindInvalid(broken)) << at;
    }
  }
  uint32_t state = 12345;
  const unsigned char pool[] = {'a', ' ', 0x80, 0xBF, 0xC3, 0xA0, 0xE1, 0xBB, 0x87,
                                0xED, 0xA0, 0xF0, 0x9F, 0xF4, 0x90, 0xC0, 0xFF};
  for (int i = 0; i < 20000; ++i) {
    std::string random;
    const int length = 1 + i % 80;
    for (int k = 0; k < length; ++k) {
      state = state * 1103515245u + 12345u;
      random += static_cast<char>(pool[(state >> 16) % sizeof pool]);
    }
    ASSERT_EQ(FindInvalidUtf8(random), ReferenceFindInvalid(random)) << i;
  }
}

}  // namespace
}  // namespace vnfacts
