// Status and Expected<T>: how vnfacts reports failures of loading, configuration
// and I/O without exceptions crossing module boundaries (the RE2 `ok()`/`error()`
// style). A failed Status always carries a message with its context
// ("lexicons/titles.tsv:12: duplicate entry ..."), so callers print it as is.
#ifndef VNFACTS_PIPELINE_STATUS_H_
#define VNFACTS_PIPELINE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace vnfacts {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) {
    Status s;
    s.message_ = std::move(message);
    s.ok_ = false;
    return s;
  }
  bool ok() const { return ok_; }
  const std::string& message() const { return message_; }

 private:
  bool ok_ = true;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok());
  }
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_STATUS_H_
