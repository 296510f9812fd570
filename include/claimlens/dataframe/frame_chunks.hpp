// A frame's rows in consecutive chunks, for passes over more rows than memory holds at once:
// distributed training reads a rank's CSV shard a chunk at a time, several times, instead of
// holding it (docs/scale-out.md).
#pragma once

#include <cstddef>
#include <functional>

#include "claimlens/dataframe/dataframe.hpp"

namespace claimlens {

/// Rows visited chunk by chunk, in order, as many times as asked; every visit yields the same
/// rows in the same chunks. Chunks of one source share column names and order; a column's dtype
/// may differ between chunks as read_csv infers it per chunk (int64 in one, float64 in another,
/// float64 in a chunk where it is all null), so consumers convert by column as concat_rows does.
class FrameChunks {
 public:
  virtual ~FrameChunks() = default;
  /// Calls `visit` with each chunk in order (never with an empty one; not at all when there are
  /// no rows). An error from the source (a parse error naming file and line) or from `visit`
  /// propagates; the visit is then incomplete.
  virtual void for_each(const std::function<void(const DataFrame&)>& visit) const = 0;
};

/// An in-memory frame in slices of `chunk_rows` rows (it must outlive this view). A frame with no
/// columns has no chunks.
class FrameSlices final : public FrameChunks {
 public:
  explicit FrameSlices(const DataFrame& frame, std::size_t chunk_rows = 65536);
  void for_each(const std::function<void(const DataFrame&)>& visit) const override;

 private:
  const DataFrame* frame_;
  std::size_t chunk_rows_;
};

}  // namespace claimlens
