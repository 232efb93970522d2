// OffsetMap: where each byte of the normalized text came from in the raw input
// (sentencepiece's norm_to_orig, stored compactly). Normalization copies most
// bytes unchanged, so the map is a list of chunks: a chunk either copies bytes
// one to one (identity) or replaces a raw span with a different normalized span
// (NFC recomposition, a folded quote, a moved tone mark, an inserted line break
// with an empty raw span, a deleted zero-width space with an empty normalized
// span). Memory grows with the number of edits, not with the text.
#ifndef VNFACTS_PIPELINE_OFFSET_MAP_H_
#define VNFACTS_PIPELINE_OFFSET_MAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vnfacts {

class OffsetMap {
 public:
  // Appends `length` bytes copied unchanged from the raw text.
  void AddCopy(uint32_t length);
  // Appends a normalized span of `norm_length` bytes that replaces
  // `raw_length` raw bytes (either may be zero).
  void AddReplacement(uint32_t raw_length, uint32_t norm_length);

  // Raw offset of normalized offset `norm` (0 <= norm <= normalized size). A
  // position inside a replaced span maps to the start of its raw span, so a
  // [begin, end) normalized range maps to the raw range that produced it.
  uint32_t ToRaw(uint32_t norm) const;
  // Raw offset for the end of a normalized range ending at `norm`: a range that
  // ends inside a replacement covers its whole raw span.
  uint32_t ToRawEnd(uint32_t norm) const;

  uint32_t normalized_size() const { return norm_size_; }
  uint32_t raw_size() const { return raw_size_; }
  size_t chunk_count() const { return chunks_.size(); }
  void Clear();

 private:
  struct Chunk {
    uint32_t norm_begin;
    uint32_t raw_begin;
    uint32_t norm_length;
    uint32_t raw_length;
    bool identity;
  };
  const Chunk* Find(uint32_t norm) const;

  std::vector<Chunk> chunks_;
  uint32_t norm_size_ = 0;
  uint32_t raw_size_ = 0;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_OFFSET_MAP_H_
