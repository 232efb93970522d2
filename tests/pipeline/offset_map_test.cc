#include "pipeline/offset_map.h"

#include <gtest/gtest.h>

namespace vnfacts {
namespace {

TEST(OffsetMapTest, EmptyMapMapsZeroToZero) {
  OffsetMap map;
  EXPECT_EQ(map.normalized_size(), 0u);
  EXPECT_EQ(map.raw_size(), 0u);
  EXPECT_EQ(map.ToRaw(0), 0u);
  EXPECT_EQ(map.ToRawEnd(0), 0u);
}

TEST(OffsetMapTest, AdjacentCopiesMergeIntoOneChunk) {
  OffsetMap map;
  map.AddCopy(3);
  map.AddCopy(4);
  map.AddCopy(0);
  EXPECT_EQ(map.chunk_count(), 1u);
  EXPECT_EQ(map.normalized_size(), 7u);
  EXPECT_EQ(map.raw_size(), 7u);
  for (uint32_t i = 0; i <= 7; ++i) {
    EXPECT_EQ(map.ToRaw(i), i);
    EXPECT_EQ(map.ToRawEnd(i), i);
  }
}

TEST(OffsetMapTest, ReplacementMapsAsAWhole) {
  // "ab" + raw "a\u0301" (3 bytes) -> "á" (2 bytes) + "cd"
  OffsetMap map;
  map.AddCopy(2);
  map.AddReplacement(3, 2);
  map.AddCopy(2);
  EXPECT_EQ(map.normalized_size(), 6u);
  EXPECT_EQ(map.raw_size(), 7u);
  EXPECT_EQ(map.chunk_count(), 3u);
  EXPECT_EQ(map.ToRaw(2), 2u);     // start of the replaced character
  EXPECT_EQ(map.ToRaw(3), 2u);     // inside it: its raw start
  EXPECT_EQ(map.ToRawEnd(3), 5u);  // a range ending inside it covers all of it
  EXPECT_EQ(map.ToRawEnd(4), 5u);
  EXPECT_EQ(map.ToRaw(4), 5u);
  EXPECT_EQ(map.ToRaw(5), 6u);
  EXPECT_EQ(map.ToRaw(6), 7u);
  EXPECT_EQ(map.ToRawEnd(6), 7u);
}

TEST(OffsetMapTest, DeletedRawBytesBelongToNeitherNeighbour) {
  // "ab" + zero width space (3 raw bytes, deleted) + "cd"
  OffsetMap map;
  map.AddCopy(2);
  map.AddReplacement(3, 0);
  map.AddCopy(2);
  EXPECT_EQ(map.normalized_size(), 4u);
  EXPECT_EQ(map.raw_size(), 7u);
  EXPECT_EQ(map.ToRawEnd(2), 2u);  // "ab" ends before the deletion
  EXPECT_EQ(map.ToRaw(2), 5u);     // "cd" starts after it
  EXPECT_EQ(map.ToRawEnd(4), 7u);
}

TEST(OffsetMapTest, InsertedTextHasAnEmptyRawSpan) {
  // "đẹp" + inserted "\n" + "Thực"
  OffsetMap map;
  map.AddCopy(4);
  map.AddReplacement(0, 1);
  map.AddCopy(5);
  EXPECT_EQ(map.normalized_size(), 10u);
  EXPECT_EQ(map.raw_size(), 9u);
  EXPECT_EQ(map.ToRaw(4), 4u);
  EXPECT_EQ(map.ToRawEnd(5), 4u);  // the line break alone covers no raw byte
  EXPECT_EQ(map.ToRaw(5), 4u);
  EXPECT_EQ(map.ToRawEnd(10), 9u);
}

TEST(OffsetMapTest, DeletionAtTheEndAndTheStart) {
  OffsetMap map;
  map.AddReplacement(3, 0);  // leading byte order mark
  map.AddCopy(2);
  map.AddReplacement(2, 0);  // trailing spaces
  EXPECT_EQ(map.normalized_size(), 2u);
  EXPECT_EQ(map.raw_size(), 7u);
  EXPECT_EQ(map.ToRaw(0), 3u);
  EXPECT_EQ(map.ToRawEnd(2), 5u);
  EXPECT_EQ(map.ToRaw(2), 7u);  // the end of the text is the end of the raw text
}

TEST(OffsetMapTest, MonotonicOverMixedChunks) {
  OffsetMap map;
  map.AddCopy(5);
  map.AddReplacement(3, 1);
  map.AddReplacement(0, 1);
  map.AddReplacement(4, 0);
  map.AddReplacement(0, 0);  // ignored
  map.AddCopy(1);
  map.AddReplacement(2, 3);
  map.AddCopy(2);
  uint32_t last_begin = 0, last_end = 0;
  for (uint32_t i = 0; i <= map.normalized_size(); ++i) {
    EXPECT_GE(map.ToRaw(i), last_begin);
    EXPECT_GE(map.ToRawEnd(i), last_end);
    EXPECT_LE(map.ToRaw(i), map.raw_size());
    EXPECT_LE(map.ToRawEnd(i), map.raw_size());
    last_begin = map.ToRaw(i);
    last_end = map.ToRawEnd(i);
  }
  EXPECT_EQ(map.ToRaw(map.normalized_size()), map.raw_size());
  EXPECT_EQ(map.ToRawEnd(map.normalized_size()), map.raw_size());
}

TEST(OffsetMapTest, ClearEmptiesTheMap) {
  OffsetMap map;
  map.AddCopy(5);
  map.AddReplacement(1, 2);
  map.Clear();
  EXPECT_EQ(map.chunk_count(), 0u);
  EXPECT_EQ(map.normalized_size(), 0u);
  EXPECT_EQ(map.raw_size(), 0u);
  map.AddCopy(2);
  EXPECT_EQ(map.ToRawEnd(2), 2u);
}

}  // namespace
}  // namespace vnfacts
