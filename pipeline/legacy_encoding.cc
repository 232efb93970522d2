#include "pipeline/legacy_encoding.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

// Detection thresholds. A real Vietnamese text decoded right has nearly all
// its non-ASCII words well formed (foreign names are the misses); a wrong
// decoding turns most of them into symbols or impossible vowel clusters, so
// the gap between the two is wide and the margins can be strict.
constexpr double kMinShare = 0.8;
constexpr double kMinLead = 0.3;
constexpr size_t kMinWords = 3;
// Enough text to judge; scoring a whole 50 MB file would only cost time.
constexpr size_t kScoreSampleBytes = 256 << 10;
// VIQR: the share of words carrying a mnemonic, and how non-ASCII a text may
// be to still be considered (a stray UTF-8 symbol or two).
constexpr double kViqrMinMarkedShare = 0.3;
constexpr size_t kViqrMinWords = 5;
constexpr size_t kViqrSampleBytes = 64 << 10;

constexpr char32_t kReplacement = 0xFFFD;
// Letters the syllable check knows: Latin-1 Supplement to Latin Extended-B and
// the Vietnamese block of Latin Extended Additional.
constexpr char32_t kLetterTableSize = 0x1F00;

enum Tone : uint8_t { kNoTone = 0, kGrave, kAcute, kHook, kTilde, kDot };

Tone ToneOfMark(UChar32 mark) {
  switch (mark) {
    case 0x0300: return kGrave;
    case 0x0301: return kAcute;
    case 0x0309: return kHook;
    case 0x0303: return kTilde;
    case 0x0323: return kDot;
    default: return kNoTone;
  }
}

bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsAsciiVowel(unsigned char c) {
  switch (c | 0x20) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': return true;
    default: return false;
  }
}
bool IsViqrMark(unsigned char c) {
  switch (c) {
    case '^': case '(': case '+': case '\'': case '`': case '?': case '~': case '.': return true;
    default: return false;
  }
}
bool IsViqrTone(unsigned char c) {
  return c == '\'' || c == '`' || c == '?' || c == '~' || c == '.';
}

std::string Hex(unsigned value, int width) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%0*X", width, value);
  return buf;
}

// A table-driven 8-bit encoding: one byte, or (VNI) an ASCII letter or a
// one-byte letter followed by a mark byte.
struct ByteTable {
  std::string name;
  std::array<char32_t, 256> single{};  // 0: not defined (bytes < 0x80 are ASCII)
  std::vector<char32_t> pair;          // (first << 8 | second) -> character; empty if none
  std::unordered_map<char32_t, std::string> encode;
};

uint32_t ViqrKey(std::string_view seq) {
  uint32_t key = 0;
  for (unsigned char c : seq) key = key << 8 | c;
  return key;
}

struct LetterInfo {
  char32_t base = 0;  // small letter without tone mark (ă â ê ô ơ ư đ kept); 0: not a letter
  Tone tone = kNoTone;
  uint8_t index = 0;  // 1..33, the base letter's number in syllable part keys
};

// The base letters syllables are spelled with, numbered from 1 so that a
// syllable part of up to three letters packs into 18 bits.
constexpr char32_t kBaseLetters[] = {U'a', U'b', U'c', U'd', U'e', U'f', U'g', U'h', U'i',
                                     U'j', U'k', U'l', U'm', U'n', U'o', U'p', U'q', U'r',
                                     U's', U't', U'u', U'v', U'w', U'x', U'y', U'z', U'ă',
                                     U'â', U'ê', U'ô', U'ơ', U'ư', U'đ'};
uint8_t BaseIndex(char32_t c) {
  for (size_t i = 0; i < std::size(kBaseLetters); ++i) {
    if (kBaseLetters[i] == c) return static_cast<uint8_t>(i + 1);
  }
  return 0;
}
constexpr int kPartKeyBits = 18;
uint32_t PartKey(const uint8_t* letters, size_t n) {
  uint32_t key = 0;
  for (size_t i = 0; i < n; ++i) key |= static_cast<uint32_t>(letters[i]) << (6 * i);
  return key;
}
// Flags of a syllable part in Tables::parts.
constexpr uint8_t kOnset = 1, kNucleus = 2, kCoda = 4, kStopCoda = 8;

}  // namespace

struct LegacyDecoder::Tables {
  ByteTable tcvn3;
  ByteTable vni;
  ByteTable windows1258;  // filled from ICU, one byte at a time
  std::unordered_map<uint32_t, char32_t> viqr_decode;  // packed ASCII sequence -> char
  std::unordered_map<char32_t, std::string> viqr_encode;
  std::vector<LetterInfo> letters;  // indexed by code point < kLetterTableSize
  std::vector<uint8_t> parts;  // PartKey -> kOnset | kNucleus | kCoda | kStopCoda
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;

  const ByteTable* ForEncoding(TextEncoding e) const {
    switch (e) {
      case TextEncoding::kTcvn3: return &tcvn3;
      case TextEncoding::kVni: return &vni;
      case TextEncoding::kWindows1258: return &windows1258;
      default: return nullptr;
    }
  }
};

namespace {

using Tables = LegacyDecoder::Tables;

Status ParseHexBytes(const std::string& field, std::vector<unsigned char>* out) {
  out->clear();
  size_t pos = 0;
  while (pos < field.size()) {
    while (pos < field.size() && field[pos] == ' ') ++pos;
    if (pos >= field.size()) break;
    size_t end = field.find(' ', pos);
    if (end == std::string::npos) end = field.size();
    const std::string token = field.substr(pos, end - pos);
    char* stop = nullptr;
    const unsigned long value = std::strtoul(token.c_str(), &stop, 16);
    if (token.size() != 2 || *stop != '\0' || value > 0xFF) {
      return Status::Error("'" + token + "' is not a hex byte");
    }
    out->push_back(static_cast<unsigned char>(value));
    pos = end;
  }
  if (out->empty() || out->size() > 2) return Status::Error("expected one or two hex bytes");
  return Status::Ok();
}

// The one character of a table row, as a code point.
Expected<char32_t> SingleCharacter(const std::string& field) {
  size_t pos = 0;
  const int32_t c = NextCodePoint(field, &pos);
  if (c < 0 || pos != field.size()) return Status::Error("expected one character, found '" + field + "'");
  return static_cast<char32_t>(c);
}

Status LoadByteTable(const std::filesystem::path& path, const std::string& name, ByteTable* table) {
  LexiconSpec spec;
  spec.min_fields = 2;
  spec.max_fields = 3;
  auto loaded = LoadLexiconTable(path, spec);
  if (!loaded.ok()) return loaded.status();
  table->name = name;
  std::vector<unsigned char> bytes;
  for (const LexiconRow& row : loaded->rows) {
    if (Status s = ParseHexBytes(row.fields[0], &bytes); !s.ok()) {
      return Status::Error(loaded->Where(row) + ": " + s.message());
    }
    auto c = SingleCharacter(row.fields[1]);
    if (!c.ok()) return Status::Error(loaded->Where(row) + ": " + c.status().message());
    if (bytes.size() == 1) {
      if (bytes[0] < 0x80) {
        return Status::Error(loaded->Where(row) + ": bytes below 0x80 are ASCII and cannot be remapped");
      }
      table->single[bytes[0]] = *c;
    } else {
      if (table->pair.empty()) table->pair.assign(1 << 16, 0);
      table->pair[bytes[0] << 8 | bytes[1]] = *c;
    }
    // The first row for a character is the one the encoder writes.
    table->encode.emplace(*c, std::string(bytes.begin(), bytes.end()));
  }
  return Status::Ok();
}

Status LoadViqr(const std::filesystem::path& path, Tables* t) {
  LexiconSpec spec;
  spec.min_fields = 2;
  spec.max_fields = 2;
  auto loaded = LoadLexiconTable(path, spec);
  if (!loaded.ok()) return loaded.status();
  for (const LexiconRow& row : loaded->rows) {
    const std::string& seq = row.fields[0];
    const bool ascii = std::all_of(seq.begin(), seq.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (seq.size() < 2 || seq.size() > 3 || !ascii) {
      return Status::Error(loaded->Where(row) + ": a VIQR sequence is 2 or 3 ASCII characters");
    }
    auto c = SingleCharacter(row.fields[1]);
    if (!c.ok()) return Status::Error(loaded->Where(row) + ": " + c.status().message());
    t->viqr_decode.emplace(ViqrKey(seq), *c);
    t->viqr_encode.emplace(*c, seq);
  }
  return Status::Ok();
}

Status LoadSyllableParts(const std::filesystem::path& path, Tables* t) {
  LexiconSpec spec;
  spec.min_fields = 2;
  spec.max_fields = 3;
  spec.unique_key = false;  // "c" is an onset and a coda
  auto loaded = LoadLexiconTable(path, spec);
  if (!loaded.ok()) return loaded.status();
  t->parts.assign(size_t{1} << kPartKeyBits, 0);
  uint8_t seen_kinds = 0;
  for (const LexiconRow& row : loaded->rows) {
    const std::string& kind = row.fields[1];
    if (kind == "tone") continue;  // candidates are judged with their tones removed
    const uint8_t flag = kind == "onset"                        ? kOnset
                         : kind == "vowel" || kind == "nucleus" ? kNucleus
                         : kind == "coda"                       ? kCoda
                                                                : 0;
    if (flag == 0) {
      return Status::Error(loaded->Where(row) + ": kind must be onset, vowel, nucleus, coda or tone, not '" +
                           kind + "'");
    }
    uint8_t letters[3];
    size_t n = 0;
    for (size_t pos = 0; pos < row.fields[0].size();) {
      const int32_t c = NextCodePoint(row.fields[0], &pos);
      const char32_t lower = c < 0 ? 0 : ToLower(static_cast<char32_t>(c));
      const uint8_t index = BaseIndex(lower);
      if (index == 0 || n == 3) {
        return Status::Error(loaded->Where(row) +
                             ": a part is one to three letters without tone marks");
      }
      letters[n++] = index;
    }
    uint8_t& flags = t->parts[PartKey(letters, n)];
    if (flags & flag) {
      return Status::Error(loaded->Where(row) + ": duplicate " + kind + " '" + row.fields[0] + "'");
    }
    flags |= flag;
    seen_kinds |= flag;
    if (row.fields.size() == 3 && !row.fields[2].empty()) {
      if (row.fields[2] != "stop" || flag != kCoda) {
        return Status::Error(loaded->Where(row) + ": only a coda can be marked 'stop'");
      }
      flags |= kStopCoda;
    }
  }
  if (seen_kinds != (kOnset | kNucleus | kCoda)) {
    return Status::Error(path.string() + ": needs onset, nucleus and coda rows");
  }
  return Status::Ok();
}

// Splits every precomposed letter into its toneless base and tone with ICU, so
// the syllable check works on letters, not on 134 spellings of them.
void BuildLetterTable(Tables* t) {
  t->letters.assign(kLetterTableSize, LetterInfo{});
  for (char32_t cp = 'A'; cp < kLetterTableSize; ++cp) {
    icu::UnicodeString decomposed;
    if (!t->nfd->getDecomposition(static_cast<UChar32>(cp), decomposed)) {
      decomposed = icu::UnicodeString(static_cast<UChar32>(cp));
    }
    UChar32 base = decomposed.char32At(0);
    Tone tone = kNoTone;
    bool ok = true;
    for (int32_t i = U16_LENGTH(base); i < decomposed.length();) {
      const UChar32 mark = decomposed.char32At(i);
      i += U16_LENGTH(mark);
      if (const Tone m = ToneOfMark(mark); m != kNoTone) {
        tone = m;
        continue;
      }
      const UChar32 composed = t->nfc->composePair(base, mark);
      if (composed < 0) {
        ok = false;
        break;
      }
      base = composed;
    }
    const char32_t lower = ToLower(static_cast<char32_t>(base));
    const uint8_t index = BaseIndex(lower);
    if (ok && index != 0) t->letters[cp] = LetterInfo{lower, tone, index};
  }
}

void BuildWindows1258(Tables* t) {
  ByteTable& table = t->windows1258;
  table.name = "windows-1258";
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open("windows-1258", &status);
  if (U_FAILURE(status) || conv == nullptr) return;
  for (int b = 0x80; b < 0x100; ++b) {
    status = U_ZERO_ERROR;
    ucnv_reset(conv);
    ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    const char byte = static_cast<char>(b);
    const char* source = &byte;
    UChar target[4];
    UChar* target_ptr = target;
    ucnv_toUnicode(conv, &target_ptr, target + 4, &source, source + 1, nullptr, true, &status);
    if (U_FAILURE(status) || target_ptr != target + 1) continue;
    const char32_t c = target[0];
    // Undefined bytes come back as C1 controls or substitutes: not text.
    if ((c >= 0x80 && c < 0xA0) || c == 0x1A || c == kReplacement) continue;
    table.single[b] = c;
    table.encode.emplace(c, std::string(1, byte));
  }
  ucnv_close(conv);
}

// Decodes a byte table. Strict mode stops at the first undefined byte and
// reports it through `bad`; lenient mode writes U+FFFD for it (scoring).
bool DecodeBytes(const ByteTable& table, std::string_view bytes, bool strict, std::string* out,
                 size_t* bad) {
  out->clear();
  out->reserve(bytes.size() + bytes.size() / 2);
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  const bool has_pairs = !table.pair.empty();
  for (size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    if (has_pairs && i + 1 < n) {
      if (const char32_t c = table.pair[b << 8 | s[i + 1]]) {
        AppendUtf8(c, out);
        i += 2;
        continue;
      }
    }
    if (b < 0x80) {
      out->push_back(static_cast<char>(b));
    } else if (const char32_t c = table.single[b]) {
      AppendUtf8(c, out);
    } else if (strict) {
      *bad = i;
      return false;
    } else {
      AppendUtf8(kReplacement, out);
    }
    ++i;
  }
  return true;
}

// ASCII characters that separate words when scoring; everything else (letters,
// but also the symbols a wrong decoding produces) belongs to a word.
bool IsSeparator(char32_t c) {
  if (c < 0x80) return !IsAsciiLetter(static_cast<unsigned char>(c));
  return c == 0xA0 || (c >= 0x2000 && c <= 0x206F);
}

// Counts the non-ASCII words of `text` and how many are well-formed syllables.
void ScoreWords(const LegacyDecoder& decoder, std::string_view text, EncodingScore* score) {
  size_t pos = 0;
  size_t word_begin = std::string_view::npos;
  bool non_ascii = false;
  auto finish = [&](size_t end) {
    if (word_begin != std::string_view::npos && non_ascii) {
      ++score->words;
      if (decoder.IsWellFormedSyllable(text.substr(word_begin, end - word_begin))) ++score->good;
    }
    word_begin = std::string_view::npos;
    non_ascii = false;
  };
  while (pos < text.size()) {
    const size_t start = pos;
    const int32_t c = NextCodePoint(text, &pos);
    const char32_t cp = c < 0 ? kReplacement : static_cast<char32_t>(c);
    if (IsSeparator(cp)) {
      finish(start);
      continue;
    }
    if (word_begin == std::string_view::npos) word_begin = start;
    if (cp >= 0x80) non_ascii = true;
  }
  finish(text.size());
}

std::string DecodeViqr(const Tables& t, std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool word_has_tone = false;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\' && i + 1 < text.size()) {
      const unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (IsViqrMark(next) || next == '\\' || next == 'd' || next == 'D') {
        out.push_back(static_cast<char>(next));  // an escaped literal
        i += 2;
        continue;
      }
    }
    // A syllable ends at a non-letter, or where a capital follows a small
    // letter (two words run together by a lost line break).
    if (!IsAsciiLetter(c) || (c >= 'A' && c <= 'Z' && i > 0 && text[i - 1] >= 'a' && text[i - 1] <= 'z')) {
      word_has_tone = false;
    }
    // "dd" and "Dd" make the d with stroke where a syllable starts (not in
    // "address"); "DD" anywhere, as in the abbreviations HDDND and QDD.
    const bool word_start = i == 0 || !IsAsciiLetter(static_cast<unsigned char>(text[i - 1]));
    const bool stroke_d = (c | 0x20) == 'd' && i + 1 < text.size() && (text[i + 1] | 0x20) == 'd' &&
                          (word_start || (c == 'D' && text[i + 1] == 'D'));
    if (IsAsciiVowel(c) || stroke_d) {
      bool matched = false;
      for (size_t len = std::min<size_t>(3, text.size() - i); len >= 2; --len) {
        const std::string_view seq = text.substr(i, len);
        auto it = t.viqr_decode.find(ViqrKey(seq));
        if (it == t.viqr_decode.end()) continue;
        // RFC 1456: a mark after a vowel is a mark, so "nha`\\." escapes a full
        // stop. One exception keeps unescaped text readable: a syllable takes
        // one tone, so a second mark is punctuation ("vi`." "kho^ng?").
        const bool has_tone = IsViqrTone(static_cast<unsigned char>(seq.back()));
        if (has_tone && word_has_tone) continue;
        AppendUtf8(it->second, &out);
        word_has_tone = word_has_tone || has_tone;
        i += len;
        matched = true;
        break;
      }
      if (matched) continue;
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

std::string EncodeViqr(const Tables& t, std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() + utf8.size() / 4);
  size_t pos = 0;
  bool literal_d_last = false;  // out ends in a d or D that stands for itself
  while (pos < utf8.size()) {
    const int32_t c = NextCodePoint(utf8, &pos);
    if (c < 0) continue;
    auto it = t.viqr_encode.find(static_cast<char32_t>(c));
    if (it != t.viqr_encode.end()) {
      // "BGDĐT": a literal D before the DD of Đ would pair with it ("BGDDDT"
      // reads BGĐDT); escaped, it cannot ("BGD\DDT" decodes "\D" as D).
      if (literal_d_last && !it->second.empty() && (it->second[0] | 0x20) == 'd') {
        out.insert(out.size() - 1, 1, '\\');
      }
      literal_d_last = false;
      out += it->second;
      continue;
    }
    literal_d_last = (c | 0x20) == 'd';
    const unsigned char prev = out.empty() ? 0 : static_cast<unsigned char>(out.back());
    if (c == '\\' || (IsViqrMark(static_cast<unsigned char>(c)) &&
                      (IsAsciiVowel(prev) || IsViqrMark(prev)))) {
      out.push_back('\\');  // a literal that would otherwise read as a mark
    } else if ((c | 0x20) == 'd' && (prev | 0x20) == 'd') {
      const bool word_start =
          out.size() < 2 || !IsAsciiLetter(static_cast<unsigned char>(out[out.size() - 2]));
      if (word_start || (c == 'D' && prev == 'D')) out.push_back('\\');
    }
    AppendUtf8(static_cast<char32_t>(c), &out);
  }
  return out;
}

}  // namespace

std::string_view EncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8: return "utf-8";
    case TextEncoding::kWindows1258: return "windows-1258";
    case TextEncoding::kTcvn3: return "tcvn3";
    case TextEncoding::kVni: return "vni";
    case TextEncoding::kViqr: return "viqr";
  }
  return "utf-8";
}

std::optional<TextEncoding> ParseEncodingName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Besides our own names, the labels old Vietnamese web pages declare.
  if (lower == "utf-8" || lower == "utf8") return TextEncoding::kUtf8;
  if (lower == "windows-1258" || lower == "cp1258" || lower == "x-cp1258") {
    return TextEncoding::kWindows1258;
  }
  if (lower == "tcvn3" || lower == "abc" || lower == "tcvn" || lower == "x-viet-tcvn" ||
      lower == "x-viet-tcvn5712" || lower == "tcvn-5712" || lower == "tcvn5712-1") {
    return TextEncoding::kTcvn3;
  }
  if (lower == "vni" || lower == "vni-windows" || lower == "x-viet-vni") return TextEncoding::kVni;
  if (lower == "viqr" || lower == "x-viet-viqr") return TextEncoding::kViqr;
  return std::nullopt;
}

LegacyDecoder::LegacyDecoder(std::unique_ptr<const Tables> tables) : tables_(std::move(tables)) {}
LegacyDecoder::LegacyDecoder(LegacyDecoder&&) noexcept = default;
LegacyDecoder& LegacyDecoder::operator=(LegacyDecoder&&) noexcept = default;
LegacyDecoder::~LegacyDecoder() = default;

Expected<LegacyDecoder> LegacyDecoder::Create(const std::filesystem::path& lexicon_dir) {
  auto tables = std::make_unique<Tables>();
  UErrorCode status = U_ZERO_ERROR;
  tables->nfd = icu::Normalizer2::getNFDInstance(status);
  tables->nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return Status::Error(std::string("ICU normalizer unavailable: ") + u_errorName(status));
  }
  BuildLetterTable(tables.get());
  const std::filesystem::path dir = lexicon_dir / "encodings";
  if (Status s = LoadByteTable(dir / "tcvn3.tsv", "tcvn3", &tables->tcvn3); !s.ok()) return s;
  if (Status s = LoadByteTable(dir / "vni.tsv", "vni", &tables->vni); !s.ok()) return s;
  if (Status s = LoadViqr(dir / "viqr.tsv", tables.get()); !s.ok()) return s;
  if (Status s = LoadSyllableParts(lexicon_dir / "syllable_structure.tsv", tables.get()); !s.ok()) {
    return s;
  }
  BuildWindows1258(tables.get());
  if (tables->windows1258.encode.empty()) {
    return Status::Error("ICU has no windows-1258 converter");
  }
  return LegacyDecoder(std::move(tables));
}

bool LegacyDecoder::IsWellFormedSyllable(std::string_view word) const {
  const Tables& t = *tables_;
  char32_t letters[8];  // toneless small letters
  uint8_t index[8];     // and their numbers for PartKey
  size_t count = 0;
  int tones = 0;
  Tone tone = kNoTone;
  size_t pos = 0;
  while (pos < word.size()) {
    const int32_t c = NextCodePoint(word, &pos);
    if (c < 0) return false;
    const Tone mark = ToneOfMark(c);  // decomposed input carries tones apart
    if (mark != kNoTone) {
      if (count == 0) return false;
      tone = mark;
      ++tones;
      continue;
    }
    if (static_cast<char32_t>(c) < kLetterTableSize && t.letters[c].base != 0) {
      const LetterInfo& info = t.letters[c];
      if (count == 8) return false;
      letters[count] = info.base;
      index[count++] = info.index;
      if (info.tone != kNoTone) {
        tone = info.tone;
        ++tones;
      }
      continue;
    }
    // A decomposed vowel mark (â = a + U+0302) joins the letter before it.
    if (count == 0 || u_getCombiningClass(c) == 0) return false;
    const UChar32 composed = t.nfc->composePair(static_cast<UChar32>(letters[count - 1]), c);
    if (composed < 0 || static_cast<char32_t>(composed) >= kLetterTableSize ||
        t.letters[composed].base != static_cast<char32_t>(composed)) {
      return false;
    }
    letters[count - 1] = static_cast<char32_t>(composed);
    index[count - 1] = t.letters[composed].index;
  }
  if (count == 0 || tones > 1) return false;
  for (size_t onset = 0; onset <= std::min<size_t>(3, count - 1); ++onset) {
    if (onset > 0 && !(t.parts[PartKey(index, onset)] & kOnset)) continue;
    for (size_t nucleus = 1; nucleus <= 3 && onset + nucleus <= count; ++nucleus) {
      if (!(t.parts[PartKey(index + onset, nucleus)] & kNucleus)) continue;
      const size_t coda = count - onset - nucleus;
      if (coda > 3) continue;
      const uint8_t flags = coda == 0 ? kCoda : t.parts[PartKey(index + onset + nucleus, coda)];
      if (!(flags & kCoda)) continue;
      if ((flags & kStopCoda) && tone != kAcute && tone != kDot) continue;
      return true;
    }
  }
  return false;
}

Expected<std::string> LegacyDecoder::Decode(std::string_view bytes, TextEncoding encoding) const {
  const Tables& t = *tables_;
  if (encoding == TextEncoding::kUtf8 || encoding == TextEncoding::kViqr) {
    if (auto bad = FindInvalidUtf8(bytes)) {
      return Status::Error("byte " + std::to_string(*bad) + ": invalid UTF-8");
    }
    if (encoding == TextEncoding::kUtf8) return std::string(bytes);
    return DecodeViqr(t, bytes);
  }
  const ByteTable& table = *t.ForEncoding(encoding);
  std::string out;
  size_t bad = 0;
  if (!DecodeBytes(table, bytes, /*strict=*/true, &out, &bad)) {
    return Status::Error("byte " + std::to_string(bad) + ": byte 0x" +
                         Hex(static_cast<unsigned char>(bytes[bad]), 2) + " is not defined in " +
                         table.name);
  }
  return ToNfc(out);
}

Expected<std::string> LegacyDecoder::Encode(std::string_view utf8, TextEncoding encoding) const {
  const Tables& t = *tables_;
  if (auto bad = FindInvalidUtf8(utf8)) {
    return Status::Error("byte " + std::to_string(*bad) + ": invalid UTF-8");
  }
  if (encoding == TextEncoding::kUtf8) return std::string(utf8);
  const std::string nfc = ToNfc(utf8);
  if (encoding == TextEncoding::kViqr) return EncodeViqr(t, nfc);
  const ByteTable& table = *t.ForEncoding(encoding);
  std::string source = nfc;
  if (encoding == TextEncoding::kWindows1258) {
    // Windows-1258 has the vowel letters (â ê ô ă ơ ư) precomposed but writes
    // the five tones as combining marks after them.
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(nfc.data(), nfc.size()));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString decomposed = t.nfd->normalize(text, status);
    icu::UnicodeString rebuilt;
    for (int32_t i = 0; i < decomposed.length();) {
      UChar32 c = decomposed.char32At(i);
      i += U16_LENGTH(c);
      // NFD orders the dot below before the circumflex (ậ = a + 0323 + 0302),
      // so gather all marks of the letter, compose the vowel marks into it
      // and write the tone after.
      icu::UnicodeString tones;
      while (i < decomposed.length()) {
        const UChar32 mark = decomposed.char32At(i);
        if (u_getCombiningClass(mark) == 0) break;
        i += U16_LENGTH(mark);
        const UChar32 composed = ToneOfMark(mark) != kNoTone ? -1 : t.nfc->composePair(c, mark);
        if (composed >= 0 && table.encode.count(static_cast<char32_t>(composed))) {
          c = composed;
        } else {
          tones.append(mark);
        }
      }
      rebuilt.append(c);
      rebuilt.append(tones);
    }
    source.clear();
    rebuilt.toUTF8String(source);
  }
  std::string out;
  out.reserve(source.size());
  size_t pos = 0;
  while (pos < source.size()) {
    const size_t start = pos;
    const int32_t c = NextCodePoint(source, &pos);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    auto it = table.encode.find(static_cast<char32_t>(c));
    if (it == table.encode.end()) {
      return Status::Error("byte " + std::to_string(start) + ": U+" + Hex(static_cast<unsigned>(c), 4) +
                           " cannot be written in " + table.name);
    }
    out += it->second;
  }
  return out;
}

std::vector<EncodingScore> LegacyDecoder::ScoreCandidates(std::string_view bytes) const {
  const Tables& t = *tables_;
  std::string_view sample = bytes.substr(0, kScoreSampleBytes);
  // Do not cut a VNI letter in two at the end of the sample.
  if (sample.size() < bytes.size()) {
    while (!sample.empty() && static_cast<unsigned char>(sample.back()) >= 0x80) sample.remove_suffix(1);
  }
  std::vector<EncodingScore> scores;
  std::string decoded;
  size_t unused = 0;
  for (TextEncoding e : {TextEncoding::kWindows1258, TextEncoding::kTcvn3, TextEncoding::kVni}) {
    DecodeBytes(*t.ForEncoding(e), sample, /*strict=*/false, &decoded, &unused);
    EncodingScore score;
    score.encoding = e;
    // Windows-1258 leaves tones as combining marks; judge the composed text.
    ScoreWords(*this, e == TextEncoding::kWindows1258 ? ToNfc(decoded) : decoded, &score);
    scores.push_back(score);
  }
  return scores;
}

bool LegacyDecoder::LooksLikeViqr(std::string_view text) const {
  const Tables& t = *tables_;
  const std::string_view sample = text.substr(0, kViqrSampleBytes);
  // VIQR writes every Vietnamese letter in ASCII; curly quotes and dashes may
  // still be Unicode, but more than a few non-ASCII letters means this is
  // already Unicode Vietnamese.
  size_t ascii_letters = 0, other_letters = 0;
  for (size_t pos = 0; pos < sample.size();) {
    const unsigned char c = static_cast<unsigned char>(sample[pos]);
    if (c < 0x80) {
      ascii_letters += IsAsciiLetter(c);
      ++pos;
      continue;
    }
    const int32_t cp = NextCodePoint(sample, &pos);
    if (cp > 0 && IsLetter(static_cast<char32_t>(cp))) ++other_letters;
    // Unicode Vietnamese shows itself within a line; stop there.
    if (other_letters >= 16 && other_letters * 50 > ascii_letters) return false;
  }
  if (other_letters * 50 > ascii_letters) return false;
  // Words (runs between ASCII spaces) with a letter, and those carrying a
  // VIQR mnemonic: a vowel mark, a tone that is not sentence punctuation, or
  // "dd" opening a word.
  size_t words = 0, marked = 0;
  bool in_word = false, has_letter = false, has_mark = false;
  auto finish = [&] {
    if (in_word && has_letter) {
      ++words;
      if (has_mark) ++marked;
    }
    in_word = has_letter = has_mark = false;
  };
  for (size_t i = 0; i < sample.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(sample[i]);
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      finish();
      continue;
    }
    if (!in_word) {
      in_word = true;
      if ((c | 0x20) == 'd' && i + 2 < sample.size() && (sample[i + 1] | 0x20) == 'd' &&
          IsAsciiVowel(static_cast<unsigned char>(sample[i + 2]))) {
        has_mark = true;
      }
    }
    if (IsAsciiLetter(c)) has_letter = true;
    if (IsAsciiVowel(c) && i + 1 < sample.size()) {
      const unsigned char next = static_cast<unsigned char>(sample[i + 1]);
      if (IsViqrMark(next) && t.viqr_decode.count(ViqrKey(sample.substr(i, 2)))) {
        const bool punctuation_like = next == '.' || next == '?';
        if (!punctuation_like ||
            (i + 2 < sample.size() && IsAsciiLetter(static_cast<unsigned char>(sample[i + 2])))) {
          has_mark = true;
        }
      }
    }
  }
  finish();
  if (words < kViqrMinWords || marked < kMinWords ||
      static_cast<double>(marked) < kViqrMinMarkedShare * static_cast<double>(words)) {
    return false;
  }
  // The converted words must read as Vietnamese, or this was something else
  // that happens to be full of apostrophes and dots.
  EncodingScore score;
  ScoreWords(*this, DecodeViqr(t, sample), &score);
  return score.words >= kMinWords && score.share() >= kMinShare;
}

Expected<DecodedText> LegacyDecoder::DetectAndDecode(std::string_view bytes,
                                                     std::optional<TextEncoding> hint) const {
  const auto invalid = FindInvalidUtf8(bytes);
  if (!invalid) {
    if (LooksLikeViqr(bytes)) return DecodedText{DecodeViqr(*tables_, bytes), TextEncoding::kViqr};
    return DecodedText{std::string(bytes), TextEncoding::kUtf8};
  }
  std::vector<EncodingScore> scores = ScoreCandidates(bytes);
  std::optional<TextEncoding> chosen;
  if (hint) {
    for (const EncodingScore& s : scores) {
      if (s.encoding == *hint && s.words > 0 && s.share() >= kMinShare) chosen = *hint;
    }
  }
  if (!chosen) {
    std::sort(scores.begin(), scores.end(),
              [](const EncodingScore& a, const EncodingScore& b) { return a.share() > b.share(); });
    const EncodingScore& best = scores[0];
    if (best.words >= kMinWords && best.share() >= kMinShare &&
        best.share() - scores[1].share() >= kMinLead) {
      chosen = best.encoding;
    }
  }
  if (!chosen) {
    return Status::Error("byte " + std::to_string(*invalid) +
                         ": invalid UTF-8 and not a recognized Vietnamese legacy encoding");
  }
  auto decoded = Decode(bytes, *chosen);
  if (!decoded.ok()) return decoded.status();
  return DecodedText{std::move(decoded).value(), *chosen};
}

}  // namespace vnfacts
