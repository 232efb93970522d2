#include "pipeline/offset_map.h"

#include <algorithm>

namespace vnfacts {

void OffsetMap::AddCopy(uint32_t length) {
  if (length == 0) return;
  if (!chunks_.empty() && chunks_.back().identity) {
    chunks_.back().norm_length += length;
    chunks_.back().raw_length += length;
  } else {
    chunks_.push_back({norm_size_, raw_size_, length, length, true});
  }
  norm_size_ += length;
  raw_size_ += length;
}

void OffsetMap::AddReplacement(uint32_t raw_length, uint32_t norm_length) {
  if (raw_length == 0 && norm_length == 0) return;
  chunks_.push_back({norm_size_, raw_size_, norm_length, raw_length, false});
  norm_size_ += norm_length;
  raw_size_ += raw_length;
}

const OffsetMap::Chunk* OffsetMap::Find(uint32_t norm) const {
  // Last chunk whose norm_begin <= norm; among equal starts (empty normalized
  // spans of deletions) the last one, so deleted raw bytes are skipped.
  auto it = std::upper_bound(chunks_.begin(), chunks_.end(), norm,
                             [](uint32_t n, const Chunk& c) { return n < c.norm_begin; });
  if (it == chunks_.begin()) return nullptr;
  return &*(it - 1);
}

uint32_t OffsetMap::ToRaw(uint32_t norm) const {
  if (norm >= norm_size_) return raw_size_;
  const Chunk* c = Find(norm);
  if (c == nullptr) return 0;
  if (norm >= c->norm_begin + c->norm_length) return c->raw_begin + c->raw_length;
  if (c->identity) return c->raw_begin + (norm - c->norm_begin);
  return c->raw_begin;
}

uint32_t OffsetMap::ToRawEnd(uint32_t norm) const {
  if (norm == 0) return 0;
  // The chunk holding the last byte of the range decides.
  const Chunk* c = Find(norm - 1);
  if (c == nullptr) return 0;
  if (c->identity) return c->raw_begin + (norm - c->norm_begin);
  return c->raw_begin + c->raw_length;
}

void OffsetMap::Clear() {
  chunks_.clear();
  norm_size_ = 0;
  raw_size_ = 0;
}

}  // namespace vnfacts
