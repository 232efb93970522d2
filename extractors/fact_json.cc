#include "extractors/fact_json.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>

#include <simdjson.h>

#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

// Whole numbers print as integers (15295, not 15295.0).
bool PrintsAsInteger(double v) {
  return std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15;
}


template <typename T>
nlohmann::ordered_json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

struct ValueWriter {
  nlohmann::ordered_json* out;
  void operator()(const OfficialFact& f) const {
    (*out)["name"] = f.name;
    (*out)["titles"] = f.titles;
    (*out)["org"] = OrNull(f.org);
    (*out)["former"] = f.former;
    if (!f.ranks.empty()) (*out)["ranks"] = f.ranks;
  }
  void operator()(const DocumentFact& f) const {
    (*out)["id"] = f.id;
    (*out)["type"] = f.type;
    (*out)["number"] = f.number;
    (*out)["issuer_code"] = f.issuer_code;
    (*out)["issued"] = OrNull(f.issued);
    (*out)["issuer"] = OrNull(f.issuer);
    (*out)["term"] = OrNull(f.term);
    (*out)["subject"] = OrNull(f.subject);
    (*out)["back_reference"] = f.back_reference;
  }
  void operator()(const QuantityFact& f) const {
    if (PrintsAsInteger(f.value)) {
      (*out)["value"] = static_cast<int64_t>(f.value);
    } else {
      (*out)["value"] = f.value;
    }
    (*out)["unit"] = f.unit;
    (*out)["approx"] = std::string(ApproxName(f.approx));
    (*out)["decimals"] = f.decimals;
    (*out)["of"] = OrNull(f.of);
  }
  void operator()(const DateFact& f) const {
    (*out)["value"] = f.value;
    (*out)["inferred"] = f.inferred;
  }
  void operator()(const TermFact& f) const {
    (*out)["value"] = f.value;
    (*out)["label"] = f.label;
    (*out)["period"] = OrNull(f.period);
  }
};

// The bytes of an eight-byte chunk (read little-endian) that a JSON string
// cannot hold as they are: control characters, '"', '\\', and every byte of
// 0x80 or more (the start of a sequence to check); the top bit of each such
// byte is set. Borrows run only from a flagged byte upwards, so the lowest
// flag is always a real one, which is all the caller uses.
inline uint64_t SpecialBytes(uint64_t chunk) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const uint64_t quote = chunk ^ (kOnes * '"');
  const uint64_t backslash = chunk ^ (kOnes * '\\');
  const uint64_t control = (chunk - kOnes * 0x20) & ~chunk;
  const uint64_t is_quote = (quote - kOnes) & ~quote;
  const uint64_t is_backslash = (backslash - kOnes) & ~backslash;
  return (control | is_quote | is_backslash | chunk) & (kOnes * 0x80);
}

// Writes JSON text with nlohmann's compact dump() conventions: UTF-8 kept as
// it is, the short escapes for \b \t \n \f \r, \u00xx for other control
// characters, doubles by nlohmann's own formatter. Invalid UTF-8 (which
// dump() rejects) is left to nlohmann itself, so both writers agree on it
// too.
//
// The text is written through a pointer into a buffer kept larger than what
// has been written: each value reserves its worst case once (six bytes per
// byte of a string, for \u00xx) instead of paying std::string's capacity
// check and call per push_back and append, which were most of the cost. The
// buffer is on the stack for the usual value, so Take() makes the one
// allocation, of the exact size, and AppendTo() none of its own.
class JsonText {
 public:
  JsonText() = default;
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;

  template <size_t N>
  void Key(const char (&key)[N]) {  // a literal: its length is known here
    constexpr size_t kLength = N - 1;
    char* p = Room(kLength + 4);
    p[0] = first_ ? '{' : ',';
    p[1] = '"';
    std::memcpy(p + 2, key, kLength);
    p[kLength + 2] = '"';
    p[kLength + 3] = ':';
    length_ += kLength + 4;
    first_ = false;
  }
  void Close() {
    if (first_) {
      Literal("{}");
    } else {
      Literal("}");
    }
  }
  std::string Take() const { return std::string(data_, length_); }
  void AppendTo(std::string* out) const { out->append(data_, length_); }

  void String(std::string_view s) {
    const auto* in = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    char* const begin = Room(6 * n + 2);
    char* p = begin;
    *p++ = '"';
    size_t i = 0;
    while (i < n) {
      if (std::endian::native == std::endian::little && i + 8 <= n) {
        // Eight bytes stored as they are, kept up to the first that needs
        // a look (the room left is at least six bytes per byte not read).
        uint64_t chunk;
        std::memcpy(&chunk, in + i, 8);
        std::memcpy(p, &chunk, 8);
        const uint64_t special = SpecialBytes(chunk);
        if (special == 0) {
          i += 8;
          p += 8;
          continue;
        }
        const size_t plain = static_cast<size_t>(std::countr_zero(special)) / 8;
        i += plain;
        p += plain;
      }
      const unsigned char c = in[i];
      if (c >= 0x80) {
        // One whole sequence, checked as FindInvalidUtf8() checks it.
        size_t next = i;
        if (DecodeNext(s, &next) < 0) {
          // dump() throws on invalid UTF-8; let it, with its own message.
          Raw(nlohmann::ordered_json(std::string(s)).dump());
          return;
        }
        if (i + 4 <= n) {
          std::memcpy(p, in + i, 4);  // two to four of them count
          p += next - i;
          i = next;
        } else {
          for (; i < next; ++i) *p++ = static_cast<char>(in[i]);
        }
        continue;
      }
      ++i;
      if (c >= 0x20 && c != '"' && c != '\\') {
        *p++ = static_cast<char>(c);
        continue;
      }
      *p++ = '\\';
      switch (c) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\b': *p++ = 'b'; break;
        case '\t': *p++ = 't'; break;
        case '\n': *p++ = 'n'; break;
        case '\f': *p++ = 'f'; break;
        case '\r': *p++ = 'r'; break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char escape[] = {'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          std::memcpy(p, escape, sizeof escape);
          p += sizeof escape;
        }
      }
    }
    *p++ = '"';
    length_ += static_cast<size_t>(p - begin);
  }
  void String(const std::string& s) { String(std::string_view(s)); }
  void String(const std::optional<std::string>& s) {
    if (s) {
      String(*s);
    } else {
      Literal("null");
    }
  }
  void Strings(const std::vector<std::string>& list) {
    Literal("[");
    for (size_t i = 0; i < list.size(); ++i) {
      if (i) Literal(",");
      String(list[i]);
    }
    Literal("]");
  }
  void Bool(bool b) {
    if (b) {
      Literal("true");
    } else {
      Literal("false");
    }
  }
  void Integer(int64_t v) {
    constexpr size_t kMaxDigits = 20;  // "-9223372036854775808"
    char* p = Room(kMaxDigits);
    const auto [end, ec] = std::to_chars(p, p + kMaxDigits, v);
    length_ += static_cast<size_t>(end - p);
  }
  void Number(double v) {
    if (PrintsAsInteger(v)) {
      Integer(static_cast<int64_t>(v));
    } else if (!std::isfinite(v)) {
      Literal("null");  // as dump() writes NaN and the infinities
    } else {
      // The formatter dump() itself calls for a double (Grisu2, with its
      // ".0" and exponent rules); its buffer there is 64 bytes.
      constexpr size_t kRoom = 64;
      char* p = Room(kRoom);
      char* end = nlohmann::detail::to_chars(p, p + kRoom, v);
      length_ += static_cast<size_t>(end - p);
    }
  }

 private:
  static constexpr size_t kLocalRoom = 256;  // most values fit

  template <size_t N>
  void Literal(const char (&text)[N]) {
    std::memcpy(Room(N - 1), text, N - 1);
    length_ += N - 1;
  }
  void Raw(std::string_view text) {
    std::memcpy(Room(text.size()), text.data(), text.size());
    length_ += text.size();
  }
  // Makes room for `n` more bytes and returns where they go.
  char* Room(size_t n) {
    if (capacity_ - length_ < n) [[unlikely]] Grow(n);
    return data_ + length_;
  }
  [[gnu::noinline]] void Grow(size_t n) {
    const bool was_local = data_ == local_;
    heap_.resize(std::max(2 * capacity_, length_ + n));
    if (was_local) std::memcpy(heap_.data(), local_, length_);
    data_ = heap_.data();
    capacity_ = heap_.size();
  }

  char local_[kLocalRoom];
  std::string heap_;  // when a value outgrows local_
  char* data_ = local_;
  size_t capacity_ = kLocalRoom;
  size_t length_ = 0;
  bool first_ = true;
};

// Field for field the order of ValueWriter.
struct TextWriter {
  JsonText* out;
  void operator()(const OfficialFact& f) const {
    out->Key("name"), out->String(f.name);
    out->Key("titles"), out->Strings(f.titles);
    out->Key("org"), out->String(f.org);
    out->Key("former"), out->Bool(f.former);
    if (!f.ranks.empty()) out->Key("ranks"), out->Strings(f.ranks);
  }
  void operator()(const DocumentFact& f) const {
    out->Key("id"), out->String(f.id);
    out->Key("type"), out->String(f.type);
    out->Key("number"), out->String(f.number);
    out->Key("issuer_code"), out->String(f.issuer_code);
    out->Key("issued"), out->String(f.issued);
    out->Key("issuer"), out->String(f.issuer);
    out->Key("term"), out->String(f.term);
    out->Key("subject"), out->String(f.subject);
    out->Key("back_reference"), out->Bool(f.back_reference);
  }
  void operator()(const QuantityFact& f) const {
    out->Key("value"), out->Number(f.value);
    out->Key("unit"), out->String(f.unit);
    out->Key("approx"), out->String(ApproxName(f.approx));
    out->Key("decimals"), out->Integer(f.decimals);
    out->Key("of"), out->String(f.of);
  }
  void operator()(const DateFact& f) const {
    out->Key("value"), out->String(f.value);
    out->Key("inferred"), out->Bool(f.inferred);
  }
  void operator()(const TermFact& f) const {
    out->Key("value"), out->Integer(f.value);
    out->Key("label"), out->String(f.label);
    out->Key("period"), out->String(f.period);
  }
};

}  // namespace

std::string FactValueJsonText(const Fact& fact) {
  std::string out;
  AppendFactValueJson(fact, &out);
  return out;
}

void AppendFactValueJson(const Fact& fact, std::string* out) {
  JsonText json;
  std::visit(TextWriter{&json}, fact.value);
  json.Close();
  json.AppendTo(out);
}

std::string FactJsonText(const Document& doc, const Fact& fact) {
  // Field for field the order of FactToJson(); the value's keys are none of
  // these, so they follow as they do there.
  JsonText out;
  out.Key("doc"), out.String(doc.source);
  out.Key("kind"), out.String(FactKindName(fact.kind));
  out.Key("text"), out.String(doc.Slice(fact.begin, fact.end));
  out.Key("start"), out.Integer(fact.begin);
  out.Key("end"), out.Integer(fact.end);
  out.Key("raw_start"), out.Integer(doc.offsets.ToRaw(fact.begin));
  out.Key("raw_end"), out.Integer(doc.offsets.ToRawEnd(fact.end));
  out.Key("sentence"), out.Integer(fact.sentence);
  out.Key("rule"), out.String(fact.rule);
  std::visit(TextWriter{&out}, fact.value);
  out.Close();
  return out.Take();
}

nlohmann::ordered_json FactValueToJson(const Fact& fact) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  std::visit(ValueWriter{&out}, fact.value);
  return out;
}

nlohmann::ordered_json FactToJson(const Document& doc, const Fact& fact) {
  nlohmann::ordered_json out;
  out["doc"] = doc.source;
  out["kind"] = std::string(FactKindName(fact.kind));
  out["text"] = std::string(doc.Slice(fact.begin, fact.end));
  out["start"] = fact.begin;
  out["end"] = fact.end;
  out["raw_start"] = doc.offsets.ToRaw(fact.begin);
  out["raw_end"] = doc.offsets.ToRawEnd(fact.end);
  out["sentence"] = fact.sentence;
  out["rule"] = fact.rule;
  // The value object must outlive the loop: items() only refers into it.
  const nlohmann::ordered_json value = FactValueToJson(fact);
  for (const auto& [key, field] : value.items()) out[key] = field;
  return out;
}

bool FactValueFromJson(FactKind kind, const nlohmann::json& v, Fact* fact, std::string* error) {
  auto optional_string = [&](const char* key) -> std::optional<std::string> {
    if (!v.contains(key) || v[key].is_null()) return std::nullopt;
    return v[key].get<std::string>();
  };
  try {
    fact->kind = kind;
    switch (kind) {
      case FactKind::kOfficial: {
        OfficialFact o;
        o.name = v.at("name").get<std::string>();
        o.titles = v.at("titles").get<std::vector<std::string>>();
        o.org = optional_string("org");
        o.former = v.value("former", false);
        if (v.contains("ranks")) o.ranks = v["ranks"].get<std::vector<std::string>>();
        fact->value = std::move(o);
        break;
      }
      case FactKind::kDocument: {
        DocumentFact d;
        d.id = v.at("id").get<std::string>();
        d.type = v.at("type").get<std::string>();
        d.number = v.at("number").get<std::string>();
        d.issuer_code = v.at("issuer_code").get<std::string>();
        d.issued = optional_string("issued");
        d.issuer = optional_string("issuer");
        d.term = optional_string("term");
        d.subject = optional_string("subject");
        d.back_reference = v.value("back_reference", false);
        fact->value = std::move(d);
        break;
      }
      case FactKind::kQuantity: {
        QuantityFact q;
        q.value = v.at("value").get<double>();
        q.unit = v.at("unit").get<std::string>();
        const std::string approx = v.value("approx", std::string("exact"));
        for (Approx a : {Approx::kExact, Approx::kOver, Approx::kUnder, Approx::kAbout}) {
          if (ApproxName(a) == approx) q.approx = a;
        }
        q.decimals = v.value("decimals", 0);
        q.of = optional_string("of");
        fact->value = std::move(q);
        break;
      }
      case FactKind::kDate: {
        DateFact d;
        d.value = v.at("value").get<std::string>();
        d.inferred = v.value("inferred", false);
        fact->value = std::move(d);
        break;
      }
      case FactKind::kTerm: {
        TermFact t;
        t.value = v.at("value").get<int>();
        t.label = v.at("label").get<std::string>();
        t.period = optional_string("period");
        fact->value = std::move(t);
        break;
      }
    }
    return true;
  } catch (const nlohmann::json::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

namespace {

// Reads the fields of one value object the way nlohmann's at(), value() and
// get<>() read them, or says why not (the first problem found).
class SimdjsonFields {
 public:
  explicit SimdjsonFields(simdjson::dom::object object) : object_(object) {}
  const std::string& error() const { return error_; }
  bool ok() const { return error_.empty(); }

  std::string String(const char* key) {
    simdjson::dom::element e;
    if (!Find(key, &e)) {
      Fail(key, "missing");
      return {};
    }
    return AsString(key, e);
  }
  // Absent: `absent`; present, it must be a string (null too is refused).
  std::string StringOr(const char* key, const char* absent) {
    simdjson::dom::element e;
    if (!Find(key, &e)) return absent;
    return AsString(key, e);
  }
  // Absent or null: none.
  std::optional<std::string> OptionalString(const char* key) {
    simdjson::dom::element e;
    if (!Find(key, &e) || e.is_null()) return std::nullopt;
    return AsString(key, e);
  }
  std::vector<std::string> Strings(const char* key, bool required) {
    std::vector<std::string> out;
    simdjson::dom::element e;
    if (!Find(key, &e)) {
      if (required) Fail(key, "missing");
      return out;
    }
    simdjson::dom::array array;
    if (e.get_array().get(array) != simdjson::SUCCESS) {
      Fail(key, "not an array");
      return out;
    }
    for (const simdjson::dom::element item : array) out.push_back(AsString(key, item));
    return out;
  }
  bool Bool(const char* key, bool absent) {
    simdjson::dom::element e;
    if (!Find(key, &e)) return absent;
    bool value = absent;
    if (e.get_bool().get(value) != simdjson::SUCCESS) Fail(key, "not a boolean");
    return value;
  }
  // nlohmann's get<double>() and get<int>(): a number of any kind, cast as
  // C++ casts it; get<int>() takes a boolean too, get<double>() does not.
  template <typename T>
  T Number(const char* key, std::optional<T> absent) {
    simdjson::dom::element e;
    if (!Find(key, &e)) {
      if (!absent) Fail(key, "missing");
      return absent.value_or(0);
    }
    switch (e.type()) {
      case simdjson::dom::element_type::INT64: return static_cast<T>(int64_t(e));
      case simdjson::dom::element_type::UINT64: return static_cast<T>(uint64_t(e));
      case simdjson::dom::element_type::DOUBLE: return static_cast<T>(double(e));
      case simdjson::dom::element_type::BOOL:
        if (std::is_integral_v<T>) return bool(e) ? 1 : 0;
        break;
      default: break;
    }
    Fail(key, "not a number");
    return 0;
  }

 private:
  bool Find(const char* key, simdjson::dom::element* e) {
    return object_.at_key(key).get(*e) == simdjson::SUCCESS;
  }
  std::string AsString(const char* key, simdjson::dom::element e) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) {
      Fail(key, "not a string");
      return {};
    }
    return std::string(s);
  }
  void Fail(const char* key, const char* what) {
    if (error_.empty()) error_ = std::string("field '") + key + "' " + what;
  }
  simdjson::dom::object object_;
  std::string error_;
};

}  // namespace

FactValueReader::FactValueReader() : parser_(std::make_unique<simdjson::dom::parser>()) {}
FactValueReader::~FactValueReader() = default;

bool FactValueReader::Read(FactKind kind, std::string_view json, Fact* fact, std::string* error) {
  simdjson::dom::element root;
  if (parser_->parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    if (error) *error = "value is not valid JSON";
    return false;
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    if (error) *error = "value is not a JSON object";
    return false;
  }
  SimdjsonFields v(object);
  Fact read;
  read.kind = kind;
  switch (kind) {
    case FactKind::kOfficial: {
      OfficialFact o;
      o.name = v.String("name");
      o.titles = v.Strings("titles", /*required=*/true);
      o.org = v.OptionalString("org");
      o.former = v.Bool("former", false);
      o.ranks = v.Strings("ranks", /*required=*/false);
      read.value = std::move(o);
      break;
    }
    case FactKind::kDocument: {
      DocumentFact d;
      d.id = v.String("id");
      d.type = v.String("type");
      d.number = v.String("number");
      d.issuer_code = v.String("issuer_code");
      d.issued = v.OptionalString("issued");
      d.issuer = v.OptionalString("issuer");
      d.term = v.OptionalString("term");
      d.subject = v.OptionalString("subject");
      d.back_reference = v.Bool("back_reference", false);
      read.value = std::move(d);
      break;
    }
    case FactKind::kQuantity: {
      QuantityFact q;
      q.value = v.Number<double>("value", std::nullopt);
      q.unit = v.String("unit");
      const std::string approx = v.StringOr("approx", "exact");
      for (Approx a : {Approx::kExact, Approx::kOver, Approx::kUnder, Approx::kAbout}) {
        if (ApproxName(a) == approx) q.approx = a;
      }
      q.decimals = v.Number<int>("decimals", 0);
      q.of = v.OptionalString("of");
      read.value = std::move(q);
      break;
    }
    case FactKind::kDate: {
      DateFact d;
      d.value = v.String("value");
      d.inferred = v.Bool("inferred", false);
      read.value = std::move(d);
      break;
    }
    case FactKind::kTerm: {
      TermFact t;
      t.value = v.Number<int>("value", std::nullopt);
      t.label = v.String("label");
      t.period = v.OptionalString("period");
      read.value = std::move(t);
      break;
    }
  }
  if (!v.ok()) {
    if (error) *error = v.error();
    return false;
  }
  fact->kind = kind;
  fact->value = std::move(read.value);
  return true;
}

}  // namespace vnfacts
