// PLACEHOLDER until the date extractor lands: finds nothing.
#include "extractors/extractor.h"

namespace vnfacts {
namespace {
class DateExtractor : public Extractor {
 public:
  std::string_view name() const override { return "date"; }
  void Extract(const Document&, std::vector<Fact>*) const override {}
};
}  // namespace

Expected<std::unique_ptr<Extractor>> CreateDateExtractor(const std::filesystem::path&) {
  return std::unique_ptr<Extractor>(std::make_unique<DateExtractor>());
}

}  // namespace vnfacts
