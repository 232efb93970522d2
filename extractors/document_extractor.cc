// PLACEHOLDER until the document extractor lands: finds nothing.
#include "extractors/extractor.h"

namespace vnfacts {
namespace {
class DocumentExtractor : public Extractor {
 public:
  std::string_view name() const override { return "document"; }
  void Extract(const Document&, std::vector<Fact>*) const override {}
};
}  // namespace

Expected<std::unique_ptr<Extractor>> CreateDocumentExtractor(const std::filesystem::path&) {
  return std::unique_ptr<Extractor>(std::make_unique<DocumentExtractor>());
}

}  // namespace vnfacts
