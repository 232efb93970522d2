// PLACEHOLDER until the normalizer lands: validates UTF-8 and copies.
#include "pipeline/normalizer.h"

#include "pipeline/utf8.h"

namespace vnfacts {

struct Normalizer::Tables {};

Normalizer::Normalizer(std::unique_ptr<const Tables> tables) : tables_(std::move(tables)) {}
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;
Normalizer::~Normalizer() = default;

Expected<Normalizer> Normalizer::Create(const std::filesystem::path&) {
  return Normalizer(std::make_unique<Tables>());
}

Status Normalizer::Normalize(Document* doc) const {
  doc->text.clear();
  doc->offsets.Clear();
  if (auto bad = FindInvalidUtf8(doc->raw)) {
    return Status::Error(doc->source + ": invalid UTF-8 at byte " + std::to_string(*bad));
  }
  doc->text = doc->raw;
  doc->offsets.AddCopy(static_cast<uint32_t>(doc->raw.size()));
  return Status::Ok();
}

std::string Normalizer::NormalizeString(std::string_view text) const { return std::string(text); }

}  // namespace vnfacts
