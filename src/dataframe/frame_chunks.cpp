#include "claimlens/dataframe/frame_chunks.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "claimlens/error.hpp"

namespace claimlens {

FrameSlices::FrameSlices(const DataFrame& frame, std::size_t chunk_rows)
    : frame_(&frame), chunk_rows_(chunk_rows) {
  if (chunk_rows == 0) throw InvalidArgument("FrameSlices: chunk_rows must be positive");
}

void FrameSlices::for_each(const std::function<void(const DataFrame&)>& visit) const {
  const std::size_t rows = frame_->num_columns() == 0 ? 0 : frame_->num_rows();
  if (rows <= chunk_rows_) {
    if (rows > 0) visit(*frame_);
    return;
  }
  std::vector<std::size_t> ids;
  for (std::size_t first = 0; first < rows; first += chunk_rows_) {
    ids.resize(std::min(chunk_rows_, rows - first));
    std::iota(ids.begin(), ids.end(), first);
    visit(frame_->take(ids));
  }
}

}  // namespace claimlens
