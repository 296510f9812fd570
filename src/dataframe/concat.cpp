// concat_rows (claimlens/dataframe/dataframe.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "claimlens/dataframe/column.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"

namespace claimlens {

namespace {

// The dtype of column c over the frames (all-null parts do not vote), checked.
DType unified_dtype(const std::vector<DataFrame>& frames, const std::vector<std::string>& sources,
                    std::size_t c) {
  DType type = frames[0].column(c).dtype();
  std::size_t from = SIZE_MAX;
  for (std::size_t k = 0; k < frames.size(); ++k) {
    const Column& col = frames[k].column(c);
    if (col.size() > 0 && col.null_count() == col.size()) continue;
    if (from == SIZE_MAX) {
      type = col.dtype();
      from = k;
      continue;
    }
    const DType t = col.dtype();
    if (t == type) continue;
    const bool numeric = (t == DType::Int64 || t == DType::Float64) &&
                         (type == DType::Int64 || type == DType::Float64);
    if (!numeric) {
      throw SchemaError("column '" + frames[0].column_names()[c] + "' holds " + dtype_name(type) +
                        " values in '" + sources[from] + "' but " + dtype_name(t) + " in '" +
                        sources[k] + "'");
    }
    type = DType::Float64;
  }
  return type;
}

}  // namespace

DataFrame concat_rows(const std::vector<DataFrame>& frames,
                      const std::vector<std::string>& sources) {
  if (frames.size() != sources.size()) {
    throw InvalidArgument("concat_rows: " + std::to_string(frames.size()) + " frames but " +
                          std::to_string(sources.size()) + " source names");
  }
  if (frames.empty()) return DataFrame();
  const std::vector<std::string>& names = frames[0].column_names();
  for (std::size_t k = 1; k < frames.size(); ++k) {
    if (frames[k].column_names() != names) {
      throw SchemaError("'" + sources[k] + "' does not have the columns of '" + sources[0] +
                        "' (the same names in the same order)");
    }
  }
  std::size_t rows = 0;
  for (const DataFrame& f : frames) rows += f.num_rows();
  DataFrame out;
  for (std::size_t c = 0; c < names.size(); ++c) {
    const DType type = unified_dtype(frames, sources, c);
    ColumnBuilder builder(type);
    builder.reserve(rows);
    for (const DataFrame& f : frames) {
      const Column& col = f.column(c);
      for (std::size_t r = 0; r < col.size(); ++r) {
        if (col.is_null(r)) {
          builder.append_null();
        } else if (col.dtype() == type) {
          builder.append_from(col, r);
        } else {  // int64 into float64
          builder.append_float64(static_cast<double>(col.int64_at(r)));
        }
      }
    }
    out.add_column(names[c], builder.finish());
  }
  return out;
}

}  // namespace claimlens
