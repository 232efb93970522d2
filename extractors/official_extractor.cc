// PLACEHOLDER until the official extractor lands: finds nothing.
#include "extractors/extractor.h"

namespace vnfacts {
namespace {
class OfficialExtractor : public Extractor {
 public:
  std::string_view name() const override { return "official"; }
  void Extract(const Document&, std::vector<Fact>*) const override {}
};
}  // namespace

Expected<std::unique_ptr<Extractor>> CreateOfficialExtractor(const std::filesystem::path&) {
  return std::unique_ptr<Extractor>(std::make_unique<OfficialExtractor>());
}

}  // namespace vnfacts
