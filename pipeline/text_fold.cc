#include "pipeline/text_fold.h"

#include <unicode/unorm2.h>
#include <unicode/uchar.h>

#include <array>
#include <bit>
#include <cstring>
#include <memory>

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

// The folds of U+0080..U+2FFF (Latin with every Vietnamese letter, the
// combining marks, general punctuation), computed once, as the UTF-8 bytes to
// write: the writer folds every sentence of every article, and decoding,
// looking up and re-encoding each letter was most of that. An entry is copied
// to the output whole (four bytes, of which `length` count), so a letter
// costs one load and one store. A fold longer than its input (Ⱥ U+023A, two
// bytes, lower-cases to ⱥ U+2C65, three) is marked kSlow and left to the
// general path, so the table path never writes more bytes than it reads.
constexpr char32_t kTableEnd = 0x3000;
constexpr uint8_t kSlow = 0xFF;

struct Entry {
  char bytes[3];
  uint8_t length;
};
static_assert(sizeof(Entry) == 4);

using FoldTable = std::array<Entry, kTableEnd>;

constexpr size_t EncodedLength(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : 3; }

FoldTable BuildTable() {
  FoldTable t{};  // all zero: nothing written
  const UNormalizer2* nfd = Nfd();
  for (char32_t c = 0x80; c < kTableEnd; ++c) {
    const char32_t folded = FoldCodePoint(nfd, c);
    if (folded == kDropped) continue;
    char bytes[4];
    const size_t length = EncodeUtf8(folded, bytes);
    if (length > EncodedLength(c)) {
      t[c].length = kSlow;
      continue;
    }
    std::memcpy(t[c].bytes, bytes, length);
    t[c].length = static_cast<uint8_t>(length);
  }
  return t;
}

// The first two bytes of a letter, as they sit in a chunk read
// little-endian (lead byte lowest), straight to what to do: an index that
// needs no decoding, and checks the continuation byte by being a key of its
// own. For a two-byte sequence the entry is the fold itself (kSlow when
// invalid or when the fold grows); for the first two bytes of a valid
// three-byte sequence below kTableEnd it is kThree, with the code point of
// the first letter of its block of 64 in `bytes` (the third byte adds its
// low six bits); every other key is kSlow. Keys with a lead byte below 0x80
// are never looked up.
constexpr uint8_t kThree = 0xFE;

struct FoldTables {
  FoldTable by_code_point;
  std::array<Entry, 0x10000> by_pair;
};

// On the heap: the tables are 300 KB, too much for a worker thread's stack
// if the compiler builds them there first.
std::unique_ptr<const FoldTables> BuildTables() {
  auto tables = std::make_unique<FoldTables>();
  FoldTables& t = *tables;
  t.by_code_point = BuildTable();
  for (uint32_t key = 0; key < 0x10000; ++key) {
    Entry& e = t.by_pair[key];
    e.length = kSlow;
    const uint32_t lead = key & 0xFF;
    const uint32_t second = key >> 8;
    if ((second & 0xC0) != 0x80) continue;
    if (lead >= 0xC2 && lead < 0xE0) {
      e = t.by_code_point[((lead & 0x1F) << 6) | (second & 0x3F)];
    } else if (lead >= 0xE0 && lead <= 0xE2 && (lead != 0xE0 || second >= 0xA0)) {
      // E0 80..E0 9F would be overlong; E0..E2 end below U+3000 = kTableEnd.
      const uint16_t block = static_cast<uint16_t>(((lead & 0x0F) << 12) | ((second & 0x3F) << 6));
      std::memcpy(e.bytes, &block, sizeof block);
      e.length = kThree;
    }
  }
  return tables;
}

const FoldTables& Tables() {
  static const std::unique_ptr<const FoldTables> tables = BuildTables();
  return *tables;
}

// Lower-cases the ASCII bytes of eight at once: 0x20 is added to each byte
// in 'A'..'Z'. Per byte below 0x80, adding 0x3F sets the top bit from 'A'
// on and adding 0x25 from 'Z' + 1 on, so the top bits that differ mark the
// upper-case letters. A byte of 0x80 or more may carry into the bytes above
// it, so only the bytes before the first such byte are right; the caller
// keeps only those.
inline uint64_t LowerAscii8(uint64_t chunk) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const uint64_t from_a = chunk + kOnes * (0x80 - 'A');
  const uint64_t after_z = chunk + kOnes * (0x80 - 'Z' - 1);
  return chunk | (((from_a ^ after_z) & (kOnes * 0x80)) >> 2);
}

constexpr std::array<char, 128> kAsciiLower = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}();

// The table index of the two- or three-byte sequence at `pos`, with
// DecodeNext()'s checks (a lead of 0xC2 or more, continuation bytes, no
// overlong three-byte forms), and its length in `*in_length`; or -1 for
// anything else (U+3000 and above, four-byte forms, invalid sequences).
inline int32_t TableIndex(const unsigned char* s, size_t n, size_t pos, size_t* in_length) {
  const unsigned char lead = s[pos];
  if (lead >= 0xC2 && lead < 0xE0) {
    if (pos + 1 >= n || (s[pos + 1] & 0xC0) != 0x80) return -1;
    *in_length = 2;
    return static_cast<int32_t>(((lead & 0x1Fu) << 6) | (s[pos + 1] & 0x3Fu));
  }
  if (lead < 0xE0 || lead > 0xE2 || pos + 2 >= n || (s[pos + 1] & 0xC0) != 0x80 ||
      (s[pos + 2] & 0xC0) != 0x80) {
    return -1;
  }
  const uint32_t c = ((lead & 0x0Fu) << 12) | ((s[pos + 1] & 0x3Fu) << 6) | (s[pos + 2] & 0x3Fu);
  if (c < 0x800) return -1;
  *in_length = 3;
  return static_cast<int32_t>(c);
}

// The letter at `*pos` (not ASCII) the byte-wise way: from the table when
// it is there, else decoded and folded through ICU (code points from U+3000
// on, folds that grow) or dropped (invalid sequences). Writes at `length` in
// `*out`, keeps FoldDiacritics()'s invariant on its size, and returns the new
// length. Out of line, so that the ICU calls do not crowd the main loop's
// registers.
// Positions are passed and returned by value: a position whose address
// reached the call would live in memory in the main loop, not in a register.
struct Progress {
  size_t pos;
  size_t length;
};
[[gnu::noinline]] Progress FoldOneByteWise(std::string_view text, const FoldTable& table, size_t pos,
                                           std::string* out, size_t length, size_t slack) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t in_length = 0;
  const int32_t index = TableIndex(s, n, pos, &in_length);
  if (index >= 0 && table[index].length != kSlow) {
    std::memcpy(out->data() + length, &table[index], sizeof(Entry));
    return {pos + in_length, length + table[index].length};
  }
  const int32_t decoded = DecodeNext(text, &pos);
  if (decoded < 0) return {pos, length};
  const char32_t folded = FoldCodePoint(Nfd(), static_cast<char32_t>(decoded));
  if (folded == kDropped) return {pos, length};
  out->resize(length);
  AppendUtf8(folded, out);
  length = out->size();
  out->resize(length + (n - pos) + slack);
  return {pos, length};
}

}  // namespace

std::string FoldDiacritics(std::string_view text) {
  std::string out;
  AppendFoldedDiacritics(text, &out);
  return out;
}

void AppendFoldedDiacritics(std::string_view text, std::string* folded) {
  const FoldTables& tables = Tables();
  const FoldTable& table = tables.by_code_point;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  // Written through a pointer into a buffer sized up front (push_back's
  // capacity check per byte was most of the cost). Invariant: the buffer
  // holds `length` plus one byte per input byte not yet read plus kSlack, as
  // every path but the general one writes at most as many bytes as it reads
  // (but stores more: a table entry whole, four bytes, and ASCII eight bytes
  // at a time, hence the slack); after an append there, which may grow, the
  // buffer is grown to restore it.
  constexpr size_t kSlack = 8;
  std::string& out = *folded;
  size_t length = out.size();
  out.resize(length + n + kSlack);
  char* o = out.data();
  size_t pos = 0;
  while (pos < n) {
    if (std::endian::native == std::endian::little && pos + 8 <= n) {
      // The ASCII bytes up to the next letter with a mark, eight at a time:
      // all eight are lower-cased and stored, and the position moves past
      // the ASCII ones only (words between Vietnamese letters are short, so
      // whole chunks of ASCII are rare). The letter after them is looked up
      // by its first two bytes, from the bytes already loaded.
      uint64_t chunk;
      std::memcpy(&chunk, s + pos, 8);
      const uint64_t lowered = LowerAscii8(chunk);
      std::memcpy(o + length, &lowered, 8);
      const uint64_t high = chunk & 0x8080808080808080ULL;
      const size_t ascii = high == 0 ? 8 : static_cast<size_t>(std::countr_zero(high)) / 8;
      pos += ascii;
      length += ascii;
      if (ascii > 6) continue;  // not two bytes of the letter in this chunk
      const uint64_t letter = chunk >> (8 * ascii);
      const Entry& pair = tables.by_pair[letter & 0xFFFF];
      if (pair.length <= 3) {
        std::memcpy(o + length, &pair, sizeof(Entry));
        length += pair.length;
        pos += 2;
        continue;
      }
      const uint32_t third = static_cast<uint32_t>(letter >> 16) & 0xFF;
      if (pair.length == kThree && ascii <= 5 && (third & 0xC0) == 0x80) {
        uint16_t block;
        std::memcpy(&block, pair.bytes, sizeof block);
        const Entry& entry = table[block | (third & 0x3F)];
        if (entry.length != kSlow) {
          std::memcpy(o + length, &entry, sizeof(Entry));
          length += entry.length;
          pos += 3;
          continue;
        }
      }
      // Anything else (a three-byte letter the chunk cuts, a fold that
      // grows, an invalid sequence) goes the byte-wise way below.
    } else if (s[pos] < 0x80) {
      o[length++] = kAsciiLower[s[pos++]];
      continue;
    }
    const Progress progress = FoldOneByteWise(text, table, pos, &out, length, kSlack);
    pos = progress.pos;
    length = progress.length;
    o = out.data();
  }
  out.resize(length);
}

}  // namespace vnfacts
