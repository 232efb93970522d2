#include "pipeline/syllable_shape.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "pipeline/lexicon.h"

namespace vnfacts {
namespace {

class SyllableShapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Status status = shape_.Load(DefaultLexiconDir() / "syllable_structure.tsv");
    ASSERT_TRUE(status.ok()) << status.message();
  }
  SyllableShape shape_;
};

TEST_F(SyllableShapeTest, VietnameseSyllablesInAnyCaseAndTone) {
  for (const char* word : {"công", "NGHIÊNG", "Nguyễn", "khuya", "gì", "uỷ", "ủy", "a", "Huế",
                           "Nguyen", "truong", "Kim", "oanh"}) {
    EXPECT_TRUE(shape_.IsSyllable(word)) << word;
  }
}

TEST_F(SyllableShapeTest, ForeignWordsAndAbbreviationsAreNot) {
  for (const char* word : {"Morimoto", "Takeshi", "Andrew", "Smith", "UBND", "QR", "Goledzinowski",
                           "John", "Suzuki", "", "bbb"}) {
    EXPECT_FALSE(shape_.IsSyllable(word)) << word;
  }
}

TEST(SyllableShapeLoadTest, ErrorsNameTheFileAndLine) {
  const auto path = std::filesystem::temp_directory_path() / "vnfacts_syllable_shape_bad.tsv";
  {
    std::ofstream out(path);
    out << "b\tonset\nae\tvowel\n";
  }
  SyllableShape shape;
  const Status status = shape.Load(path);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("vnfacts_syllable_shape_bad.tsv:2"), std::string::npos)
      << status.message();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace vnfacts
