// DataFrame::groupby and its aggregations.
#include <algorithm>
#include <cmath>

#include "claimlens/accurate_sum.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "frame_util.hpp"

namespace claimlens {

const char* aggregation_name(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::Count:
      return "count";
    case Aggregation::Sum:
      return "sum";
    case Aggregation::Mean:
      return "mean";
    case Aggregation::Median:
      return "median";
    case Aggregation::Min:
      return "min";
    case Aggregation::Max:
      return "max";
    case Aggregation::Std:
      return "std";
  }
  return "unknown";
}

GroupBy DataFrame::groupby(const std::vector<std::string>& keys) const {
  return GroupBy(*this, keys);
}

GroupBy::GroupBy(const DataFrame& frame, std::vector<std::string> keys)
    : frame_(std::make_shared<const DataFrame>(frame)), keys_(std::move(keys)) {
  if (keys_.empty()) throw InvalidArgument("DataFrame::groupby: no key column given");
  std::vector<const Column*> key_columns;
  for (const auto& k : keys_) key_columns.push_back(&frame_->column(k));
  std::vector<size_t> sorted = frame_->argsort(keys_);
  for (size_t r : sorted) {
    bool null_key = false;
    for (const Column* c : key_columns) null_key = null_key || c->is_null(r);
    if (null_key) continue;  // pandas' dropna=True
    bool new_group = order_.empty();
    if (!new_group) {
      size_t prev = order_.back();
      for (const Column* c : key_columns) {
        if (detail::compare_rows(*c, prev, r) != 0) {
          new_group = true;
          break;
        }
      }
    }
    if (new_group) {
      group_start_.push_back(order_.size());
      group_first_row_.push_back(r);
    }
    order_.push_back(r);
  }
  group_start_.push_back(order_.size());
}

bool GroupBy::supports(DType dtype, Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::Count:
      return true;
    case Aggregation::Min:
    case Aggregation::Max:
      return true;
    default:
      return dtype != DType::String;
  }
}

Column GroupBy::aggregate_column(const Column& c, Aggregation aggregation) const {
  const size_t groups = ngroups();
  auto group_rows = [&](size_t g) {
    return Span<const size_t>(order_.data() + group_start_[g],
                              group_start_[g + 1] - group_start_[g]);
  };
  if (aggregation == Aggregation::Count) {
    std::vector<int64_t> counts(groups, 0);
    for (size_t g = 0; g < groups; ++g) {
      for (size_t r : group_rows(g)) counts[g] += c.is_null(r) ? 0 : 1;
    }
    return Column::from_int64(std::move(counts));
  }
  if (aggregation == Aggregation::Min || aggregation == Aggregation::Max) {
    std::vector<size_t> picks;
    std::vector<bool> found(groups, false);
    for (size_t g = 0; g < groups; ++g) {
      size_t best = SIZE_MAX;
      for (size_t r : group_rows(g)) {
        if (c.is_null(r)) continue;
        int cmp = best == SIZE_MAX ? 0 : detail::compare_rows(c, r, best);
        if (best == SIZE_MAX || (aggregation == Aggregation::Min ? cmp < 0 : cmp > 0)) best = r;
      }
      found[g] = best != SIZE_MAX;
      picks.push_back(best == SIZE_MAX ? 0 : best);
    }
    ColumnBuilder b(c.dtype());
    for (size_t g = 0; g < groups; ++g) {
      if (found[g] && c.size() > 0) {
        b.append_from(c, picks[g]);
      } else {
        b.append_null();
      }
    }
    return b.finish();
  }
  if (aggregation == Aggregation::Sum && c.dtype() != DType::Float64) {
    std::vector<int64_t> sums(groups, 0);  // int64/bool sums stay integers, as pandas
    for (size_t g = 0; g < groups; ++g) {
      for (size_t r : group_rows(g)) {
        if (!c.is_null(r)) sums[g] += c.dtype() == DType::Bool ? c.bool_at(r) : c.int64_at(r);
      }
    }
    return Column::from_int64(std::move(sums));
  }
  std::vector<double> out(groups);
  std::vector<bool> valid(groups, true);
  std::vector<double> values;
  for (size_t g = 0; g < groups; ++g) {
    values.clear();
    for (size_t r : group_rows(g)) {
      if (!c.is_null(r)) values.push_back(c.as_double(r));
    }
    double result = std::nan("");
    if (aggregation == Aggregation::Sum) {
      CompensatedSum s;
      for (double v : values) s.add(v);
      result = s.value();  // an all-null group sums to 0 (pandas' min_count=0)
    } else if (aggregation == Aggregation::Mean && !values.empty()) {
      result = central_moments(values.data(), values.size()).mean;
    } else if (aggregation == Aggregation::Median && !values.empty()) {
      std::sort(values.begin(), values.end());
      size_t m = values.size() / 2;
      result = values.size() % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
    } else if (aggregation == Aggregation::Std && values.size() > 1) {
      result = std::sqrt(central_moments(values.data(), values.size()).variance(1));
    }
    out[g] = result;
    valid[g] = !std::isnan(result);
  }
  return Column::from_float64(std::move(out), std::move(valid));
}

DataFrame GroupBy::agg(const std::vector<std::pair<std::string, Aggregation>>& specs) const {
  DataFrame out = frame_->select(keys_).take(group_first_row_);
  DataFrame result;
  for (const auto& k : keys_) result.add_column(k, out.column(k));
  for (const auto& [name, aggregation] : specs) {
    if (std::find(keys_.begin(), keys_.end(), name) != keys_.end()) {
      throw InvalidArgument("GroupBy::agg: '" + name + "' is a group key, not a value column");
    }
    const Column& c = frame_->column(name);
    if (!supports(c.dtype(), aggregation)) {
      throw SchemaError(std::string("GroupBy::agg: cannot take the ") +
                        aggregation_name(aggregation) + " of " + dtype_name(c.dtype()) +
                        " column '" + name + "'");
    }
    size_t uses = 0;
    for (const auto& s : specs) uses += s.first == name;
    std::string label = uses > 1 ? name + "_" + aggregation_name(aggregation) : name;
    result.add_column(label, aggregate_column(c, aggregation));
  }
  return result;
}

DataFrame GroupBy::agg(Aggregation aggregation) const {
  std::vector<std::pair<std::string, Aggregation>> specs;
  for (size_t i = 0; i < frame_->num_columns(); ++i) {
    const std::string& name = frame_->column_names()[i];
    if (std::find(keys_.begin(), keys_.end(), name) != keys_.end()) continue;
    if (supports(frame_->column(i).dtype(), aggregation)) specs.emplace_back(name, aggregation);
  }
  return agg(specs);
}

DataFrame GroupBy::count() const {
  return agg(Aggregation::Count);
}
DataFrame GroupBy::sum() const {
  return agg(Aggregation::Sum);
}
DataFrame GroupBy::mean() const {
  return agg(Aggregation::Mean);
}
DataFrame GroupBy::median() const {
  return agg(Aggregation::Median);
}
DataFrame GroupBy::min() const {
  return agg(Aggregation::Min);
}
DataFrame GroupBy::max() const {
  return agg(Aggregation::Max);
}
DataFrame GroupBy::std() const {
  return agg(Aggregation::Std);
}

DataFrame GroupBy::size() const {
  DataFrame result;
  DataFrame keys = frame_->select(keys_).take(group_first_row_);
  for (const auto& k : keys_) result.add_column(k, keys.column(k));
  std::vector<int64_t> sizes;
  for (size_t g = 0; g < ngroups(); ++g) {
    sizes.push_back(static_cast<int64_t>(group_start_[g + 1] - group_start_[g]));
  }
  result.add_column("size", Column::from_int64(std::move(sizes)));
  return result;
}

}  // namespace claimlens
