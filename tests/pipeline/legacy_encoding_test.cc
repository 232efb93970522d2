#include "pipeline/legacy_encoding.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

namespace fs = std::filesystem;

const LegacyDecoder& Decoder() {
  static const LegacyDecoder* decoder = [] {
    auto d = LegacyDecoder::Create(fs::path(VNFACTS_SOURCE_DIR) / "lexicons");
    if (!d.ok()) {
      ADD_FAILURE() << d.status().message();
      std::abort();
    }
    return new LegacyDecoder(std::move(d).value());
  }();
  return *decoder;
}

// Sentences written for this test, in the register of provincial news.
const char* const kSentences[] = {
    "Sáng 14/9, Thường trực Huyện ủy Diễn Châu làm việc với Đảng ủy xã Diễn Kỷ về công tác xây dựng Đảng.",
    "Năm nay, tổng thu ngân sách trên địa bàn ước đạt 1.245 tỷ đồng, vượt 8% dự toán được giao.",
    "Ông Lê Văn Quyết, Chủ tịch UBND xã, cho biết nhiều hộ đã thoát nghèo nhờ mô hình nuôi ong lấy mật.",
    "Hội nghị đã biểu quyết thông qua nghị quyết về phát triển giao thông nông thôn giai đoạn 2025 - 2030.",
    "Các đại biểu đề nghị tỉnh sớm hoàn thiện hồ sơ di dời khu dân cư ra khỏi vùng nguy cơ sạt lở.",
    "Ấp Mỹ Điền được công nhận đạt chuẩn nông thôn mới kiểu mẫu; Ủy ban Mặt trận Tổ quốc huyện tặng quà.",
};

std::string Joined(bool lowercase_toned_capitals) {
  std::string text;
  for (const char* s : kSentences) {
    text += s;
    text += '\n';
  }
  // TCVN3 has no capitals with tone marks (the capital fonts reused the small
  // letters), so its sample uses small letters for them.
  return lowercase_toned_capitals ? ToLowerUtf8(text) : text;
}

TEST(LegacyEncodingTest, NamesRoundTrip) {
  for (TextEncoding e : {TextEncoding::kUtf8, TextEncoding::kWindows1258, TextEncoding::kTcvn3,
                         TextEncoding::kVni, TextEncoding::kViqr}) {
    EXPECT_EQ(ParseEncodingName(EncodingName(e)), e);
  }
  EXPECT_EQ(ParseEncodingName("CP1258"), TextEncoding::kWindows1258);
  EXPECT_EQ(ParseEncodingName("ABC"), TextEncoding::kTcvn3);
  EXPECT_FALSE(ParseEncodingName("latin1").has_value());
}

TEST(LegacyEncodingTest, WellFormedSyllables) {
  const LegacyDecoder& d = Decoder();
  for (const char* word : {"người", "nghiêng", "quyển", "giữa", "Việt", "khuya", "ĐỒNG", "ủy",
                           "xoong", "thuở", "gì", "oai", "chuyện", "a", "ngoằn"}) {
    EXPECT_TRUE(d.IsWellFormedSyllable(word)) << word;
  }
  for (const char* word : {"thµnh", "aaa", "áà", "càt", "ngờp", "wổ", "sx", "huyệnn", "Ð", "¸"}) {
    EXPECT_FALSE(d.IsWellFormedSyllable(word)) << word;
  }
  // Decomposed tone marks count like precomposed ones.
  EXPECT_TRUE(d.IsWellFormedSyllable("vie\xCC\xA3\xCC\x82t"));  // "việt" with U+0323 U+0302
}

// Known spellings of "Việt Nam" in each encoding, independent of Encode().
TEST(LegacyEncodingTest, DecodesKnownSpellings) {
  const LegacyDecoder& d = Decoder();
  EXPECT_EQ(d.Decode("Vi\xD6t Nam", TextEncoding::kTcvn3).value(), "Việt Nam");
  EXPECT_EQ(d.Decode("Vie\xE4t Nam", TextEncoding::kVni).value(), "Việt Nam");
  EXPECT_EQ(d.Decode("Vi\xEA\xF2t Nam", TextEncoding::kWindows1258).value(), "Việt Nam");
  EXPECT_EQ(d.Decode("Vie^.t Nam", TextEncoding::kViqr).value(), "Việt Nam");
  EXPECT_EQ(d.Decode("Tr\xF6\xF4\xF8ng \xD1" "a\xEFi ho\xEF" "c", TextEncoding::kVni).value(),
            "Trường Đại học");
  EXPECT_EQ(d.Decode("\xA7\xB9i h\xE4" "c", TextEncoding::kTcvn3).value(), "Đại học");
}

TEST(LegacyEncodingTest, EveryEncodingRoundTripsOwnSentences) {
  const LegacyDecoder& d = Decoder();
  for (TextEncoding e : {TextEncoding::kWindows1258, TextEncoding::kTcvn3, TextEncoding::kVni,
                         TextEncoding::kViqr}) {
    SCOPED_TRACE(std::string(EncodingName(e)));
    const std::string original = ToNfc(Joined(e == TextEncoding::kTcvn3));
    auto encoded = d.Encode(original, e);
    ASSERT_TRUE(encoded.ok()) << encoded.status().message();
    ASSERT_NE(*encoded, original);
    if (e == TextEncoding::kViqr) {
      EXPECT_FALSE(FindInvalidUtf8(*encoded).has_value());
    } else {
      EXPECT_TRUE(FindInvalidUtf8(*encoded).has_value());
    }
    auto detected = d.DetectAndDecode(*encoded);
    ASSERT_TRUE(detected.ok()) << detected.status().message();
    EXPECT_EQ(detected->encoding, e);
    EXPECT_EQ(ToNfc(detected->text), original);
    // Decoding with the encoding named gives the same text.
    EXPECT_EQ(ToNfc(d.Decode(*encoded, e).value()), original);
  }
}

TEST(LegacyEncodingTest, Windows1258WritesTonesAsCombiningMarks) {
  // ậ is a + dot below + circumflex in NFD; the encoder must still put the
  // circumflex into â and the tone after it.
  auto encoded = Decoder().Encode("vật", TextEncoding::kWindows1258);
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  EXPECT_EQ(*encoded, "v\xE2\xF2t");
}

TEST(LegacyEncodingTest, StrictDecodeNamesTheUndefinedByte) {
  auto decoded = Decoder().Decode("abc \x80 d", TextEncoding::kTcvn3);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(), "byte 4: byte 0x80 is not defined in tcvn3");
}

TEST(LegacyEncodingTest, EncodeRefusesWhatTheEncodingLacks) {
  auto encoded = Decoder().Encode("ẤP", TextEncoding::kTcvn3);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.status().message(), "byte 0: U+1EA4 cannot be written in tcvn3");
}

TEST(LegacyEncodingTest, ValidUtf8StaysAsIs) {
  const std::string text = Joined(false);
  auto detected = Decoder().DetectAndDecode(text);
  ASSERT_TRUE(detected.ok());
  EXPECT_EQ(detected->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(detected->text, text);
}

TEST(LegacyEncodingTest, LatinOneIsReportedNotGuessed) {
  const std::string french =
      "Le conseil a vot\xE9 la cr\xE9" "ation d'un march\xE9 couvert pr\xE8s de l'\xE9glise; les "
      "\xE9l\xE8ves \xE9taient tr\xE8s contents.";
  auto detected = Decoder().DetectAndDecode(french);
  ASSERT_FALSE(detected.ok());
  EXPECT_EQ(detected.status().message(),
            "byte 16: invalid UTF-8 and not a recognized Vietnamese legacy encoding");
}

TEST(LegacyEncodingTest, MixedEncodingsAreReportedNotGuessed) {
  const LegacyDecoder& d = Decoder();
  const std::string text = ToLowerUtf8(Joined(false));
  const size_t half = text.find('\n', text.size() / 2);
  const std::string mixed = d.Encode(text.substr(0, half), TextEncoding::kTcvn3).value() +
                            d.Encode(text.substr(half), TextEncoding::kVni).value();
  EXPECT_FALSE(d.DetectAndDecode(mixed).ok());
}

TEST(LegacyEncodingTest, TooLittleEvidenceIsReportedUnlessHinted) {
  const LegacyDecoder& d = Decoder();
  const std::string short_text = d.Encode("huyện ủy", TextEncoding::kTcvn3).value();
  EXPECT_FALSE(d.DetectAndDecode(short_text).ok());
  auto hinted = d.DetectAndDecode(short_text, TextEncoding::kTcvn3);
  ASSERT_TRUE(hinted.ok());
  EXPECT_EQ(hinted->text, "huyện ủy");
}

TEST(LegacyEncodingTest, RecognizesViqrOnlyWhenDense) {
  const LegacyDecoder& d = Decoder();
  const std::string viqr = d.Encode(Joined(false), TextEncoding::kViqr).value();
  EXPECT_TRUE(d.LooksLikeViqr(viqr));
  EXPECT_FALSE(d.LooksLikeViqr(Joined(false)));  // UTF-8 Vietnamese
  EXPECT_FALSE(d.LooksLikeViqr(
      "It's the committee's view, e.g. in today's report, that we'll see more? Maybe. "
      "Don't you think so? I'm sure they'd agree."));
  EXPECT_FALSE(d.LooksLikeViqr("Hoi nghi tong ket cong tac dan van nam 2023 cua tinh Nghe An."));
}

TEST(LegacyEncodingTest, ViqrEscapesAndPunctuation) {
  const LegacyDecoder& d = Decoder();
  // A mark after a vowel is a mark, even at the end of a line; an escaped
  // mark is literal; after a tone a mark is punctuation.
  EXPECT_EQ(d.Decode("Ho^m nay tro+`i dde.p.\nCo+ so+?\nToi ve^`.", TextEncoding::kViqr).value(),
            "Hôm nay trời đẹp.\nCơ sở\nToi về.");
  EXPECT_EQ(d.Decode("ddi ve^` nha\\.", TextEncoding::kViqr).value(), "đi về nha.");
  // "dd" is the d with stroke where a syllable starts, "DD" anywhere.
  EXPECT_EQ(d.Decode("address ddi HDDND", TextEncoding::kViqr).value(), "address đi HĐND");
  EXPECT_EQ(d.Encode("HĐND ADD đi", TextEncoding::kViqr).value(), "HDDND AD\\D ddi");
  // A syllable takes one tone: the second mark is punctuation.
  EXPECT_EQ(d.Decode("cho' ? vi`", TextEncoding::kViqr).value(), "chó ? vì");
  EXPECT_EQ(d.Decode("a'? b", TextEncoding::kViqr).value(), "á? b");
}

// How well detection does on the project's sample articles, each encoded in
// each legacy encoding: whole articles must all be recognized, and single
// lines (much less evidence) may be refused but never decoded wrongly.
TEST(LegacyEncodingTest, DetectionAccuracyOnSampleArticles) {
  const LegacyDecoder& d = Decoder();
  const fs::path dir = fs::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " does not exist";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  if (files.empty()) GTEST_SKIP() << "no sample articles in " << dir;
  size_t articles = 0, articles_right = 0;
  size_t lines = 0, lines_right = 0, lines_refused = 0, lines_wrong = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    for (TextEncoding e : {TextEncoding::kWindows1258, TextEncoding::kTcvn3, TextEncoding::kVni,
                           TextEncoding::kViqr}) {
      std::string text = ToNfc(buffer.str());
      if (e == TextEncoding::kTcvn3) text = ToLowerUtf8(text);
      auto encoded = d.Encode(text, e);
      if (!encoded.ok()) continue;  // a symbol the encoding lacks
      ++articles;
      auto detected = d.DetectAndDecode(*encoded);
      // VIQR is ambiguous where "DD" (Đ) meets D ("TT-BGDĐT" is "BGDDDT"):
      // a decoding that encodes back to the same bytes is a right reading.
      auto round_trip = [&] {
        auto again = d.Encode(ToNfc(detected->text), e);
        return again.ok() && *again == *encoded;
      };
      if (detected.ok() && detected->encoding == e &&
          (ToNfc(detected->text) == text || (e == TextEncoding::kViqr && round_trip()))) {
        ++articles_right;
      } else {
        std::string where;
        if (detected.ok()) {
          const std::string got = ToNfc(detected->text);
          size_t i = 0;
          while (i < got.size() && i < text.size() && got[i] == text[i]) ++i;
          where = ": differs at byte " + std::to_string(i) + ": got '" +
                  got.substr(i > 20 ? i - 20 : 0, 60) + "', want '" +
                  text.substr(i > 20 ? i - 20 : 0, 60) + "'";
        }
        ADD_FAILURE() << file << " in " << EncodingName(e)
                      << (detected.ok() ? where : ": " + detected.status().message());
      }
      std::istringstream by_line(text);
      std::string line;
      while (std::getline(by_line, line)) {
        auto line_encoded = d.Encode(line, e);
        if (!line_encoded.ok() || *line_encoded == line) continue;  // nothing to detect
        ++lines;
        auto line_detected = d.DetectAndDecode(*line_encoded);
        if (!line_detected.ok() || line_detected->encoding == TextEncoding::kUtf8) {
          ++lines_refused;
        } else if (line_detected->encoding == e) {
          ++lines_right;
        } else {
          ++lines_wrong;
          ADD_FAILURE() << "line of " << file << " in " << EncodingName(e) << " taken for "
                        << EncodingName(line_detected->encoding) << ": " << line;
        }
      }
    }
  }
  std::printf("[ accuracy ] articles %zu/%zu; lines %zu right, %zu refused, %zu wrong of %zu\n",
              articles_right, articles, lines_right, lines_refused, lines_wrong, lines);
  EXPECT_EQ(articles_right, articles);
  EXPECT_EQ(lines_wrong, 0u);
}

}  // namespace
}  // namespace vnfacts
