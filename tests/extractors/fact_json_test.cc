// FactValueJsonText must give exactly the bytes of FactValueToJson().dump():
// the store writes the first, `extract` and the merge read-back the second.
// Here: each kind with the awkward values; gold_test.cc compares the two on
// every fact of the sample and seed articles.
#include "extractors/fact_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace vnfacts {
namespace {

void ExpectSameText(const Fact& fact) {
  EXPECT_EQ(FactValueJsonText(fact), FactValueToJson(fact).dump());
  // The store gathers an article's values in one buffer: appended after
  // what it holds, the same bytes follow it.
  std::string gathered = "{\"before\":1}";
  AppendFactValueJson(fact, &gathered);
  EXPECT_EQ(gathered, "{\"before\":1}" + FactValueToJson(fact).dump());
}

Fact WithValue(FactKind kind, decltype(Fact::value) value) {
  Fact f;
  f.kind = kind;
  f.value = std::move(value);
  return f;
}

TEST(FactJsonTest, OfficialWithAndWithoutOptionalFields) {
  OfficialFact o;
  o.name = "Nguyễn Văn Phong";
  o.titles = {"Phó Bí thư Thường trực Thành ủy", "Trưởng đoàn"};
  o.org = "Thành ủy Hà Nội";
  ExpectSameText(WithValue(FactKind::kOfficial, o));
  o.org.reset();
  o.titles.clear();
  o.former = true;
  o.ranks = {"PGS.TS", "Đại tá"};
  ExpectSameText(WithValue(FactKind::kOfficial, o));
}

TEST(FactJsonTest, StringsNeedingEscapes) {
  OfficialFact o;
  o.name = std::string("a\"b\\c\b\f\n\r\t") + '\x01' + '\x1f' + '\x7f' + std::string(1, '\0') +
           "đ “ngoặc” 😀";
  o.titles = {"", "\"", "\\"};
  ExpectSameText(WithValue(FactKind::kOfficial, o));
  const std::string expected_head =
      R"({"name":"a\"b\\c\b\f\n\r\t\u0001\u001f)" "\x7f" R"(\u0000)";
  EXPECT_EQ(FactValueJsonText(WithValue(FactKind::kOfficial, o)).substr(0, expected_head.size()),
            expected_head);
}

TEST(FactJsonTest, InvalidUtf8IsRejectedAsDumpRejectsIt) {
  OfficialFact o;
  o.name = "ab\xC3";
  const Fact f = WithValue(FactKind::kOfficial, o);
  EXPECT_THROW(FactValueToJson(f).dump(), nlohmann::json::exception);
  EXPECT_THROW(FactValueJsonText(f), nlohmann::json::exception);
}

// The whole line `extract` writes: the article's fields around the value's.
TEST(FactJsonTest, WholeFactLineIsTheObjectsDump) {
  Document doc;
  doc.source = "dir/\"quoted\"\\ tệp\t.txt";
  doc.raw = "Ông  Nguyễn Văn A dự họp.";
  doc.text = "Ông Nguyễn Văn A dự họp.";
  doc.offsets.AddCopy(4);
  doc.offsets.AddReplacement(2, 1);
  doc.offsets.AddCopy(static_cast<uint32_t>(doc.text.size() - 5));
  OfficialFact o;
  o.name = "Nguyễn Văn A";
  Fact f = WithValue(FactKind::kOfficial, o);
  f.begin = 5;
  f.end = 21;
  f.sentence = 3;
  f.rule = "official.test";
  EXPECT_EQ(FactJsonText(doc, f), FactToJson(doc, f).dump());
  f.value = QuantityFact{};
  f.kind = FactKind::kQuantity;
  EXPECT_EQ(FactJsonText(doc, f), FactToJson(doc, f).dump());
  doc.source = "bad\xC3";
  EXPECT_THROW(FactToJson(doc, f).dump(), nlohmann::json::exception);
  EXPECT_THROW(FactJsonText(doc, f), nlohmann::json::exception);
}

TEST(FactJsonTest, DocumentWithNullsAndValues) {
  DocumentFact d;
  d.id = "124-QĐ/TW";
  d.type = "Quy định";
  d.number = "124";
  d.issuer_code = "TW";
  ExpectSameText(WithValue(FactKind::kDocument, d));
  d.issued = "2018-02-02";
  d.issuer = "Ban Bí thư";
  d.term = "khóa XII";
  d.subject = "về \"giám sát\"";
  d.back_reference = true;
  ExpectSameText(WithValue(FactKind::kDocument, d));
}

TEST(FactJsonTest, QuantityNumbersOfEveryShape) {
  const double kValues[] = {0,      15295,  -3,     86.3,   0.0001, 0.00001, 1e-7,   1e15,
                            9e15,   1e20,   -0.5,   1.0 / 3, 2.5e-300,
                            std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::quiet_NaN(), 123456789.125};
  for (double v : kValues) {
    QuantityFact q;
    q.value = v;
    q.unit = "%";
    q.approx = Approx::kAbout;
    q.decimals = 1;
    q.of = v > 1 ? std::optional<std::string>("đảng viên") : std::nullopt;
    SCOPED_TRACE(v);
    ExpectSameText(WithValue(FactKind::kQuantity, q));
  }
}

TEST(FactJsonTest, DatesAndTerms) {
  DateFact d;
  d.value = "--12-19";
  d.inferred = true;
  ExpectSameText(WithValue(FactKind::kDate, d));
  TermFact t;
  t.value = 12;
  t.label = "khóa";
  ExpectSameText(WithValue(FactKind::kTerm, t));
  t.value = -1;
  t.period = "2020/2025";
  ExpectSameText(WithValue(FactKind::kTerm, t));
}

// Random strings of every kind of byte, in every string field, long enough
// to outgrow the writer's first buffer: the text is dump()'s, and where
// dump() throws (invalid UTF-8) the writer throws too.
TEST(FactJsonTest, RandomStringsMatchDump) {
  const std::vector<std::string> pieces = {
      "a", "Nguyễn Văn Phong", "\"", "\\", "/", "\b", "\t", "\n", "\f", "\r",
      std::string(1, '\0'), "\x01", "\x1f", "\x7f", "\xC2\xA0", "\u2013", "\U0001F600",
      std::string(300, 'x'), "\xC3", "\xFF", "\xE1\xBB", "\xED\xA0\x80", "\xC0\xAF",
  };
  std::mt19937 random(2026);
  auto text = [&] {
    std::string s;
    const int count = static_cast<int>(random() % 8);
    for (int i = 0; i < count; ++i) s += pieces[random() % pieces.size()];
    return s;
  };
  for (int round = 0; round < 3000; ++round) {
    OfficialFact o;
    o.name = text();
    o.titles = {text(), text()};
    if (random() % 2) o.org = text();
    if (random() % 2) o.ranks = {text()};
    DocumentFact d;
    d.id = text();
    d.subject = text();
    for (const Fact& f :
         {WithValue(FactKind::kOfficial, o), WithValue(FactKind::kDocument, d)}) {
      std::string expected;
      bool dump_threw = false;
      try {
        expected = FactValueToJson(f).dump();
      } catch (const nlohmann::json::exception&) {
        dump_threw = true;
      }
      if (dump_threw) {
        EXPECT_THROW(FactValueJsonText(f), nlohmann::json::exception) << "round " << round;
      } else {
        ASSERT_EQ(FactValueJsonText(f), expected) << "round " << round;
      }
    }
  }
}

// The writer looks at eight bytes at a time and stops at the first that
// needs care: every such byte (each escape, the bytes that start a UTF-8
// sequence, broken sequences), at every offset of a chunk and near the end
// of the string, is written as dump() writes it.
TEST(FactJsonTest, EverySpecialByteAtEveryOffsetMatchesDump) {
  std::vector<std::string> specials = {"\"", "\\", "\b", "\t", "\n", "\f", "\r", "\x7f", " ",
                                       "~", "\xC3\xA0", "\xE1\xBB\x87", "\U0001F600",
                                       "\xE2\x80\xA8", "\xC3", "\xE1\xBB", "\xF0\x9F\x98",
                                       "\xFF", "\x80", "\xED\xA0\x80", "\xC0\xAF"};
  for (int c = 0; c < 0x20; ++c) specials.push_back(std::string(1, static_cast<char>(c)));
  for (const std::string& special : specials) {
    for (size_t before = 0; before < 18; ++before) {
      for (size_t after = 0; after < 10; ++after) {
        DateFact d;
        d.value = std::string(before, 'a') + special + std::string(after, 'Z');
        const Fact f = WithValue(FactKind::kDate, d);
        std::string expected;
        try {
          expected = FactValueToJson(f).dump();
        } catch (const nlohmann::json::exception&) {
          EXPECT_THROW(FactValueJsonText(f), nlohmann::json::exception) << d.value;
          continue;
        }
        ASSERT_EQ(FactValueJsonText(f), expected) << before << " " << after;
      }
    }
  }
}

// Values whose text outgrows the writer's first buffer, many times over.
TEST(FactJsonTest, LongValuesMatchDump) {
  OfficialFact o;
  for (int i = 0; i < 400; ++i) o.titles.push_back("Phó Bí thư \"Thành ủy\"\n" + std::to_string(i));
  o.name = std::string(5000, '\x01');
  ExpectSameText(WithValue(FactKind::kOfficial, o));
}

// Doubles as dump() formats them, from the smallest subnormal up, with
// random bit patterns for the rest.
TEST(FactJsonTest, RandomDoublesMatchDump) {
  std::mt19937_64 random(7);
  QuantityFact q;
  q.unit = "%";
  for (int round = 0; round < 20000; ++round) {
    uint64_t bits = random();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (round % 3 == 0) v = static_cast<double>(random() % 100000000) / 1000.0;
    q.value = v;
    ASSERT_EQ(FactValueJsonText(WithValue(FactKind::kQuantity, q)),
              FactValueToJson(WithValue(FactKind::kQuantity, q)).dump())
        << bits;
  }
  q.value = std::numeric_limits<double>::denorm_min();
  ExpectSameText(WithValue(FactKind::kQuantity, q));
  q.value = -std::numeric_limits<double>::max();
  ExpectSameText(WithValue(FactKind::kQuantity, q));
}

// FactValueReader (simdjson) must read every value as
// FactValueFromJson (nlohmann) does: the same fact, or a refusal from both.
void ExpectSameReading(FactKind kind, const std::string& json) {
  Fact by_nlohmann, by_simdjson;
  std::string nlohmann_error, simdjson_error;
  const bool nlohmann_ok = FactValueFromJson(kind, nlohmann::json::parse(json, nullptr, false),
                                             &by_nlohmann, &nlohmann_error);
  const bool simdjson_ok = FactValueReader().Read(kind, json, &by_simdjson, &simdjson_error);
  ASSERT_EQ(simdjson_ok, nlohmann_ok) << FactKindName(kind) << " " << json << ": nlohmann '"
                                      << nlohmann_error << "', simdjson '" << simdjson_error << "'";
  if (!nlohmann_ok) {
    EXPECT_FALSE(simdjson_error.empty()) << json;
    return;
  }
  EXPECT_EQ(by_simdjson.kind, kind);
  // Written back, the two facts must be the same value.
  EXPECT_EQ(FactValueJsonText(by_simdjson), FactValueJsonText(by_nlohmann)) << json;
}

TEST(FactJsonTest, SimdjsonReadsEveryValueAsNlohmannDoes) {
  const std::vector<std::pair<FactKind, std::string>> values = {
      {FactKind::kOfficial, R"({"name":"Lê Văn Hòa","titles":["Phó Bí thư"],"org":"Tỉnh ủy","former":false,"ranks":[]})"},
      {FactKind::kOfficial, R"({"name":"Lê Văn Hòa","titles":[],"org":null,"former":true,"ranks":["Đại tá","PGS.TS"]})"},
      {FactKind::kOfficial, R"({"name":"Lê Văn Hòa","titles":["a"]})"},  // optional fields absent
      {FactKind::kOfficial, R"({"name":"Lê Văn Hòa","titles":["a"],"unknown":[1,{"x":2}]})"},
      {FactKind::kOfficial, R"({"titles":["a"]})"},
      {FactKind::kOfficial, R"({"name":7,"titles":["a"]})"},
      {FactKind::kOfficial, R"({"name":"x","titles":"a"})"},
      {FactKind::kOfficial, R"({"name":"x","titles":["a",3]})"},
      {FactKind::kOfficial, R"({"name":"x","titles":["a"],"org":5})"},
      {FactKind::kOfficial, R"({"name":"x","titles":["a"],"former":null})"},
      {FactKind::kOfficial, R"({"name":"x","titles":["a"],"former":1})"},
      {FactKind::kOfficial, R"({"name":"x","titles":["a"],"ranks":null})"},
      {FactKind::kDocument, R"({"id":"124-QĐ/TW","type":"Quy định","number":"124","issuer_code":"TW","issued":"2018-02-02","issuer":null,"term":"khóa XII","subject":"về công tác \"dân vận\"","back_reference":true})"},
      {FactKind::kDocument, R"({"id":"1","type":"t","number":"1","issuer_code":"TW"})"},
      {FactKind::kDocument, R"({"id":"1","type":"t","number":1,"issuer_code":"TW"})"},
      {FactKind::kDocument, R"({"id":"1","type":"t","number":"1","issuer_code":"TW","back_reference":"yes"})"},
      {FactKind::kQuantity, R"({"value":15295,"unit":"văn bản","approx":"exact","decimals":0,"of":null})"},
      {FactKind::kQuantity, R"({"value":86.3,"unit":"%","approx":"about","decimals":1,"of":"đảng viên"})"},
      {FactKind::kQuantity, R"({"value":-0.5,"unit":"%"})"},
      {FactKind::kQuantity, R"({"value":1e-7,"unit":"tỷ đồng","approx":"over"})"},
      {FactKind::kQuantity, R"({"value":18446744073709551615,"unit":"x"})"},
      {FactKind::kQuantity, R"({"value":true,"unit":"x"})"},
      {FactKind::kQuantity, R"({"value":"5","unit":"x"})"},
      {FactKind::kQuantity, R"({"value":null,"unit":"x"})"},
      {FactKind::kQuantity, R"({"unit":"x"})"},
      {FactKind::kQuantity, R"({"value":5,"unit":"x","approx":"roughly"})"},
      {FactKind::kQuantity, R"({"value":5,"unit":"x","approx":null})"},
      {FactKind::kQuantity, R"({"value":5,"unit":"x","approx":3})"},
      {FactKind::kQuantity, R"({"value":5,"unit":"x","decimals":2.9})"},
      {FactKind::kQuantity, R"({"value":5,"unit":"x","decimals":"2"})"},
      {FactKind::kQuantity, R"({"value":5,"unit":"x","decimals":null})"},
      {FactKind::kDate, R"({"value":"2018-02-02","inferred":false})"},
      {FactKind::kDate, R"({"value":"--12-19","inferred":true})"},
      {FactKind::kDate, R"({"value":"2024-Q3"})"},
      {FactKind::kDate, R"({"value":20180202})"},
      {FactKind::kTerm, R"({"value":12,"label":"khóa","period":null})"},
      {FactKind::kTerm, R"({"value":12.7,"label":"nhiệm kỳ","period":"2020/2025"})"},
      {FactKind::kTerm, R"({"value":"12","label":"khóa"})"},
      {FactKind::kTerm, R"({"value":12})"},
      {FactKind::kTerm, R"({"value":true,"label":"khóa"})"},
      {FactKind::kQuantity, R"({"value":5,"unit":"x","decimals":false})"},
      // Not a value object at all.
      {FactKind::kDate, ""},
      {FactKind::kDate, "{"},
      {FactKind::kDate, R"({"value":"2018-02-02")"},
      {FactKind::kDate, R"(["2018-02-02"])"},
      {FactKind::kDate, "null"},
      {FactKind::kDate, R"({"value":"2018-02-02"} x)"},
      {FactKind::kDate, "{\"value\":\"20\xC3\x28\"}"},  // invalid UTF-8 in a string
  };
  for (const auto& [kind, json] : values) ExpectSameReading(kind, json);
  // One reader kept across all of them, refusals included, reads each as a
  // fresh one does.
  FactValueReader reader;
  for (const auto& [kind, json] : values) {
    Fact fresh, reused;
    std::string fresh_error, reused_error;
    const bool fresh_ok = FactValueReader().Read(kind, json, &fresh, &fresh_error);
    ASSERT_EQ(reader.Read(kind, json, &reused, &reused_error), fresh_ok) << json;
    EXPECT_EQ(reused_error, fresh_error) << json;
    if (fresh_ok) EXPECT_EQ(FactValueJsonText(reused), FactValueJsonText(fresh)) << json;
  }
}

TEST(FactJsonTest, SimdjsonReadsBackEveryValueWritten) {
  // Values as the store writes them, of every shape the writer tests use.
  OfficialFact o;
  o.name = "Nguyễn Văn Phong";
  o.titles = {"Phó Bí thư Thường trực Thành ủy", "Trưởng đoàn \"đặc biệt\"\n"};
  o.org = "Thành ủy Hà Nội";
  o.ranks = {"PGS.TS"};
  DocumentFact d{"15-CT/TU", "Chỉ thị", "15", "TU", std::nullopt, "Ban Thường vụ Tỉnh ủy",
                 std::nullopt, "về \t công tác", true};
  std::vector<Fact> facts = {WithValue(FactKind::kOfficial, o), WithValue(FactKind::kDocument, d),
                             WithValue(FactKind::kDate, DateFact{"2015/2020", true}),
                             WithValue(FactKind::kTerm, TermFact{13, "khóa", "2020/2025"})};
  std::mt19937_64 random(17);
  for (int i = 0; i < 2000; ++i) {
    QuantityFact q;
    q.value = std::ldexp(static_cast<double>(random() % 1000000007), static_cast<int>(random() % 40) - 20);
    if (i % 3 == 0) q.value = static_cast<double>(random() % 100000);
    q.unit = i % 2 ? "%" : "hội nghị";
    q.approx = static_cast<Approx>(i % 4);
    q.decimals = static_cast<int>(i % 4);
    if (i % 5 == 0) q.of = "tổng số";
    facts.push_back(WithValue(FactKind::kQuantity, q));
  }
  FactValueReader reader;
  for (const Fact& fact : facts) {
    const std::string json = FactValueJsonText(fact);
    ExpectSameReading(fact.kind, json);
    Fact back;
    std::string error;
    ASSERT_TRUE(reader.Read(fact.kind, json, &back, &error)) << error;
    EXPECT_EQ(FactValueJsonText(back), json);
  }
}

}  // namespace
}  // namespace vnfacts
