// CsvInput (csv_input.hpp).
#include "csv_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "claimlens/error.hpp"

namespace claimlens::detail {

namespace {
bool starts_with_bom(const char* p, size_t n) {
  return n >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0;
}
}  // namespace

CsvInput::CsvInput(const std::string* path, std::string_view buffer)
    : path_(path), buffer_(buffer) {
  if (path_ == nullptr) {
    total_ = buffer_.size();
    if (starts_with_bom(buffer_.data(), buffer_.size())) consumed_ = 3;
    bom_checked_ = true;
    return;
  }
  file_.reset(std::fopen(path_->c_str(), "rb"));
  if (!file_) throw IoError("read_csv: cannot open " + *path_ + ": " + std::strerror(errno));
  std::setvbuf(file_.get(), nullptr, _IONBF, 0);  // the windows are the buffer
  if (std::fseek(file_.get(), 0, SEEK_END) == 0) {
    const long end = std::ftell(file_.get());
    if (end > 0) total_ = static_cast<size_t>(end);
    std::fseek(file_.get(), 0, SEEK_SET);
  }
}

std::string_view CsvInput::window(size_t want, bool& eof) {
  if (path_ == nullptr) {
    const size_t n = std::min(want, buffer_.size() - consumed_);
    eof = consumed_ + n == buffer_.size();
    return buffer_.substr(consumed_, n);
  }
  fill(want);
  if (!bom_checked_) {
    bom_checked_ = true;
    if (starts_with_bom(buf_.data() + start_, have_ - start_)) {
      start_ += 3;
      consumed_ += 3;
      fill(want);
    }
  }
  const size_t n = std::min(want, have_ - start_);
  eof = file_eof_ && start_ + n == have_;
  return std::string_view(buf_.data() + start_, n);
}

void CsvInput::fill(size_t want) {
  if (have_ - start_ >= want || file_eof_) return;
  if (start_ > 0) {  // keep the unconsumed tail at the front
    std::memmove(buf_.data(), buf_.data() + start_, have_ - start_);
    have_ -= start_;
    start_ = 0;
  }
  // A regular file's size bounds the buffer (+1 to see the end without a second read).
  const size_t cap =
      total_ > 0 && consumed_ <= total_ ? std::min(want, total_ - consumed_ + 1) : want;
  if (buf_.size() < std::max(cap, have_)) buf_.resize_uninitialized(std::max(cap, have_));
  while (have_ < buf_.size() && !file_eof_) {
    const size_t n = std::fread(buf_.data() + have_, 1, buf_.size() - have_, file_.get());
    if (n == 0) {
      if (std::ferror(file_.get())) {
        throw IoError("read_csv: cannot read " + *path_ + ": " + std::strerror(errno));
      }
      file_eof_ = true;
    }
    have_ += n;
  }
}

void CsvInput::consume(size_t n) {
  consumed_ += n;
  if (path_ != nullptr) start_ += n;
}

}  // namespace claimlens::detail
