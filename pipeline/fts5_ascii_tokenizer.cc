#include "pipeline/fts5_ascii_tokenizer.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>

namespace vnfacts {
namespace {

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

// The registered tokenizer's user data: the built-in tokenizer it stands in
// for, as FTS5 handed it out before the registration. Owned by the
// connection, which frees it (DestroyModule) when it closes.
struct Module {
  fts5_tokenizer builtin{};
  void* builtin_data = nullptr;
};

// One tokenizer of one table: the built-in's instance with the same arguments,
// which tokenizes everything this one does not.
struct Instance {
  const Module* module;
  Fts5Tokenizer* builtin;
  bool default_arguments;  // none given: the ASCII rule holds
  std::string lowered;     // a row with capitals, lower-cased
};

constexpr uint64_t kOnes = 0x0101010101010101u;
constexpr uint64_t kHigh = kOnes * 0x80;

// The high bit of each byte of `word` (ASCII bytes only: no sum below
// crosses into the next byte) set when the byte is in [lo, hi].
constexpr uint64_t InRange(uint64_t word, unsigned char lo, unsigned char hi) {
  return (word + kOnes * (0x80 - lo)) & ~(word + kOnes * (0x7f - hi)) & kHigh;
}

struct RowBytes {
  bool ascii;
  bool capitals;  // meaningful only when ascii
};

// Eight bytes at a time (the last ones padded with NUL): the high bit of
// some byte says non-ASCII.
RowBytes ScanRow(const char* text, size_t size) {
  uint64_t any = 0, capitals = 0;
  auto add = [&](uint64_t word) {
    any |= word;
    capitals |= InRange(word, 'A', 'Z');
  };
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, text + i, 8);
    add(word);
  }
  if (i < size) {
    uint64_t word = 0;
    std::memcpy(&word, text + i, size - i);
    add(word);
  }
  return {(any & kHigh) == 0, capitals != 0};
}

int Create(void* user_data, const char** args, int arg_count, Fts5Tokenizer** out) {
  const auto* module = static_cast<const Module*>(user_data);
  *out = nullptr;
  Fts5Tokenizer* builtin = nullptr;
  const int rc = module->builtin.xCreate(module->builtin_data, args, arg_count, &builtin);
  if (rc != SQLITE_OK) return rc;
  auto* instance = new (std::nothrow) Instance{module, builtin, arg_count == 0, {}};
  if (instance == nullptr) {
    module->builtin.xDelete(builtin);
    return SQLITE_NOMEM;
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(instance);
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer* tokenizer) {
  auto* instance = reinterpret_cast<Instance*>(tokenizer);
  if (instance == nullptr) return;
  instance->module->builtin.xDelete(instance->builtin);
  delete instance;
}

// Bit i set when byte i of the 64 at `text` is a token byte of lower-case
// ASCII text: unicode61's token characters among ASCII with its default
// arguments are [0-9A-Za-z], and capitals are lowered before.
uint64_t TokenBits(const char* text) {
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) {
    uint64_t word;
    std::memcpy(&word, text + 8 * i, 8);
    const uint64_t token = InRange(word, '0', '9') | InRange(word, 'a', 'z');
    // The eight high bits gathered into the top byte, byte 0's lowest.
    bits |= ((token >> 7) * 0x0102040810204080u >> 56) << (8 * i);
  }
  return bits;
}

// The tokens the built-in tokenizer makes of ASCII text (`lowered`: the same
// text, lower case): each longest run of token bytes, with its byte offsets,
// in order; stops at the first callback that does not return SQLITE_OK, as
// the built-in does. A token starts and ends where the token bits change, so
// the loop goes from change to change, not byte to byte.
int SplitAscii(const char* lowered, int size, void* context, TokenCallback token) {
  bool in_token = false;
  int start = 0;
  uint64_t before = 0;  // the previous block's last bit, as bit 0
  char last[64];        // the last bytes, padded with NUL (a separator)
  for (int block = 0; block < size; block += 64) {
    const char* bytes = lowered + block;
    if (size - block < 64) {
      std::memset(last, 0, sizeof last);
      std::memcpy(last, bytes, static_cast<size_t>(size - block));
      bytes = last;
    }
    const uint64_t bits = TokenBits(bytes);
    uint64_t changes = bits ^ ((bits << 1) | before);
    before = bits >> 63;
    while (changes != 0) {
      const int at = block + __builtin_ctzll(changes);
      changes &= changes - 1;
      if (!in_token) {
        start = at;
      } else {
        const int rc = token(context, 0, lowered + start, at - start, start, at);
        if (rc != SQLITE_OK) return rc == SQLITE_DONE ? SQLITE_OK : rc;
      }
      in_token = !in_token;
    }
  }
  if (!in_token) return SQLITE_OK;  // the text ends with a separator or padding
  const int rc = token(context, 0, lowered + start, size - start, start, size);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int Tokenize(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int size,
             TokenCallback token) {
  auto* instance = reinterpret_cast<Instance*>(tokenizer);
  const fts5_tokenizer& builtin = instance->module->builtin;
  if (!instance->default_arguments || flags != FTS5_TOKENIZE_DOCUMENT || size < 0) {
    return builtin.xTokenize(instance->builtin, context, flags, text, size, token);
  }
  const RowBytes row = ScanRow(text, static_cast<size_t>(size));
  if (!row.ascii) return builtin.xTokenize(instance->builtin, context, flags, text, size, token);
  if (!row.capitals) return SplitAscii(text, size, context, token);
  try {
    instance->lowered.assign(text, size);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  for (char& c : instance->lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return SplitAscii(instance->lowered.data(), size, context, token);
}

void DestroyModule(void* user_data) { delete static_cast<Module*>(user_data); }

}  // namespace

Status RegisterAsciiUnicode61(sqlite3* db) {
  // The connection's FTS5 API, handed out through a pointer binding (the way
  // the FTS5 documentation prescribes).
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK) {
    return Status::Error(std::string("FTS5 API: ") + sqlite3_errmsg(db));
  }
  sqlite3_bind_pointer(statement, 1, &api, "fts5_api_ptr", nullptr);
  sqlite3_step(statement);
  sqlite3_finalize(statement);
  if (api == nullptr || api->iVersion < 2) return Status::Error("FTS5 API: not available");

  // The built-in tokenizer first: FTS5 finds tokenizers by name, the one
  // registered last first, so after the registration below "unicode61" means
  // this one on this connection.
  auto module = std::make_unique<Module>();
  if (api->xFindTokenizer(api, "unicode61", &module->builtin_data, &module->builtin) != SQLITE_OK) {
    return Status::Error("FTS5 API: no unicode61 tokenizer");
  }
  fts5_tokenizer ours{Create, Delete, Tokenize};
  if (api->xCreateTokenizer(api, "unicode61", module.get(), &ours, DestroyModule) != SQLITE_OK) {
    return Status::Error(std::string("FTS5 API: cannot register a tokenizer: ") + sqlite3_errmsg(db));
  }
  module.release();  // the connection's now
  return Status::Ok();
}

}  // namespace vnfacts
