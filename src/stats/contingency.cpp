// Cross-tabulation and scipy.stats.chi2_contingency (scipy/stats/contingency.py).
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <string>
#include <unordered_map>

#include "claimlens/stats/hypothesis.hpp"
#include "common.hpp"

namespace claimlens::stats {

namespace {

using detail::invalid;

// Sorted distinct labels and the code of every row.
template <class Label>
std::vector<std::string> encode(Span<const Label> labels, std::vector<std::size_t>& codes) {
  std::unordered_map<std::string_view, std::size_t> seen;
  std::vector<std::string_view> distinct;
  codes.resize(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string_view label(labels[i]);
    auto [it, inserted] = seen.emplace(label, distinct.size());
    if (inserted) distinct.push_back(label);
    codes[i] = it->second;
  }
  std::vector<std::size_t> order(distinct.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return distinct[a] < distinct[b]; });
  std::vector<std::size_t> position(order.size());
  std::vector<std::string> sorted;
  for (std::size_t p = 0; p < order.size(); ++p) {
    position[order[p]] = p;
    sorted.emplace_back(distinct[order[p]]);
  }
  for (auto& c : codes) c = position[c];
  return sorted;
}

template <class Label>
ContingencyTable crosstab_impl(Span<const Label> rows, Span<const Label> cols) {
  if (rows.size() != cols.size()) {
    invalid("crosstab", "rows and cols differ in length (" + std::to_string(rows.size()) + " vs " +
                            std::to_string(cols.size()) + ")");
  }
  if (rows.empty()) invalid("crosstab", "rows and cols are empty");
  ContingencyTable table;
  std::vector<std::size_t> row_codes, col_codes;
  table.row_labels = encode(rows, row_codes);
  table.col_labels = encode(cols, col_codes);
  table.counts = RowMatrix::Zero(table.row_labels.size(), table.col_labels.size());
  for (std::size_t i = 0; i < row_codes.size(); ++i) table.counts(row_codes[i], col_codes[i]) += 1;
  return table;
}

// x log(x / y) with 0 log 0 = 0 (scipy.special.xlogy).
double xlogy_ratio(double x, double y) {
  return x == 0 ? 0.0 : x * std::log(x / y);
}

}  // namespace

ContingencyTable crosstab(Span<const std::string> rows, Span<const std::string> cols) {
  return crosstab_impl(rows, cols);
}

ContingencyTable crosstab(const std::vector<std::string_view>& rows,
                          const std::vector<std::string_view>& cols) {
  return crosstab_impl(Span<const std::string_view>(rows), Span<const std::string_view>(cols));
}

ChiSquareResult chi2_contingency(const RowMatrix& observed, bool correction,
                                 ChiSquareStatistic statistic) {
  const auto r = static_cast<std::size_t>(observed.rows());
  const auto c = static_cast<std::size_t>(observed.cols());
  if (r == 0 || c == 0) invalid("chi2_contingency", "observed is empty");
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j < c; ++j) {
      const double v = observed(i, j);
      if (!std::isfinite(v) || v < 0) {
        invalid("chi2_contingency", "observed(" + std::to_string(i) + ", " + std::to_string(j) +
                                        ") = " + detail::format_number(v) +
                                        "; counts must be finite and >= 0");
      }
    }
  }
  const Vector row_sums = observed.rowwise().sum();
  const Eigen::RowVectorXd col_sums = observed.colwise().sum();
  const double total = observed.sum();
  ChiSquareResult result;
  result.expected = RowMatrix(r, c);
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j < c; ++j) {
      result.expected(i, j) = row_sums(i) * col_sums(j) / total;
      if (!(result.expected(i, j) > 0)) {
        invalid("chi2_contingency", "the expected frequency at (" + std::to_string(i) + ", " +
                                        std::to_string(j) +
                                        ") is zero (a row or column of observed sums to 0)");
      }
    }
  }
  result.dof = (r - 1) * (c - 1);
  if (result.dof == 0) {
    result.statistic = 0.0;
    result.p_value = 1.0;
    return result;
  }
  RowMatrix obs = observed;
  if (result.dof == 1 && correction) {  // Yates: move each count up to 0.5 towards expected
    for (std::size_t i = 0; i < r; ++i) {
      for (std::size_t j = 0; j < c; ++j) {
        const double diff = result.expected(i, j) - obs(i, j);
        const double direction = diff > 0 ? 1.0 : (diff < 0 ? -1.0 : 0.0);
        obs(i, j) += std::min(0.5, std::fabs(diff)) * direction;
      }
    }
  }
  const double* o = obs.data();
  const double* e = result.expected.data();
  if (statistic == ChiSquareStatistic::Pearson) {
    result.statistic = detail::pairwise_sum(r * c, [o, e](std::size_t k) {
      const double d = o[k] - e[k];
      return d * d / e[k];
    });
  } else {
    result.statistic = detail::pairwise_sum(
        r * c, [o, e](std::size_t k) { return 2.0 * xlogy_ratio(o[k], e[k]); });
  }
  const boost::math::chi_squared_distribution<double> dist(static_cast<double>(result.dof));
  result.p_value = boost::math::cdf(boost::math::complement(dist, result.statistic));
  return result;
}

}  // namespace claimlens::stats
