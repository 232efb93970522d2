// PLACEHOLDER until the quantity extractor lands: finds nothing.
#include "extractors/extractor.h"

namespace vnfacts {
namespace {
class QuantityExtractor : public Extractor {
 public:
  std::string_view name() const override { return "quantity"; }
  void Extract(const Document&, std::vector<Fact>*) const override {}
};
}  // namespace

Expected<std::unique_ptr<Extractor>> CreateQuantityExtractor(const std::filesystem::path&) {
  return std::unique_ptr<Extractor>(std::make_unique<QuantityExtractor>());
}

}  // namespace vnfacts
