// Pearson / Spearman correlation, pairwise-complete. Two passes (means, then sums of centered
// products): as accurate as pandas' Welford loop, and vectorizable.
#include <algorithm>
#include <cmath>
#include <string>

#include "claimlens/stats/correlation.hpp"
#include "common.hpp"

namespace claimlens::stats {

namespace {

using detail::invalid;

struct CenteredMoments {
  std::size_t n = 0;
  double sxx = 0, syy = 0, sxy = 0;
};

bool has_nan(Span<const double> x) {
  return std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
}

// Pass 2 of a pair with missing values: centered sums over the rows where both are present.
CenteredMoments masked_moments(const double* x, const double* y, std::size_t size) {
  CenteredMoments m;
  double sums[3];
  detail::pairwise_sums<3>(
      0, size,
      [x, y](std::size_t i, double(&acc)[3]) {
        const bool both = !std::isnan(x[i]) && !std::isnan(y[i]);
        acc[0] += both ? x[i] : 0.0;
        acc[1] += both ? y[i] : 0.0;
        acc[2] += both ? 1.0 : 0.0;
      },
      sums);
  m.n = static_cast<std::size_t>(sums[2]);
  if (m.n == 0) return m;
  const double mx = sums[0] / static_cast<double>(m.n);
  const double my = sums[1] / static_cast<double>(m.n);
  detail::pairwise_sums<3>(
      0, size,
      [x, y, mx, my](std::size_t i, double(&acc)[3]) {
        const double dx = x[i] - mx, dy = y[i] - my;
        if (!std::isnan(dx) && !std::isnan(dy)) {
          acc[0] += dx * dx;
          acc[1] += dy * dy;
          acc[2] += dx * dy;
        }
      },
      sums);
  m.sxx = sums[0];
  m.syy = sums[1];
  m.sxy = sums[2];
  return m;
}

// Sums of products of centered columns without missing values, G(i, j) = sum (ci - mi)(cj - mj).
// Rows go in blocks of 1024, centered into a small buffer and reduced with Eigen's vectorized dot
// products; a fixed split of the rows into segments (never depending on the thread count) lets
// OpenMP share the work and still add the partial sums in one order.
RowMatrix centered_gram(const std::vector<const double*>& cols, std::size_t rows) {
  const std::size_t k = cols.size();
  std::vector<double> means(k);
  for (std::size_t c = 0; c < k; ++c) {
    const double* p = cols[c];
    means[c] =
        detail::pairwise_sum(rows, [p](std::size_t i) { return p[i]; }) / static_cast<double>(rows);
  }
  constexpr std::size_t kBlock = 1024;
  constexpr std::size_t kSegmentRows = 64 * kBlock;
  const std::size_t segments = (rows + kSegmentRows - 1) / kSegmentRows;
  std::vector<RowMatrix> partial(segments, RowMatrix::Zero(k, k));
  const long nseg = static_cast<long>(segments);
#pragma omp parallel for schedule(static) if (rows * k * k > 4000000)
  for (long s = 0; s < nseg; ++s) {
    Eigen::MatrixXd block(kBlock, k);
    RowMatrix& g = partial[static_cast<std::size_t>(s)];
    const std::size_t end = std::min(rows, (static_cast<std::size_t>(s) + 1) * kSegmentRows);
    for (std::size_t start = static_cast<std::size_t>(s) * kSegmentRows; start < end;
         start += kBlock) {
      const std::size_t len = std::min(kBlock, end - start);
      for (std::size_t c = 0; c < k; ++c) {
        const double* p = cols[c] + start;
        double* b = block.col(static_cast<Eigen::Index>(c)).data();
        for (std::size_t r = 0; r < len; ++r) b[r] = p[r] - means[c];
      }
      const auto n = static_cast<Eigen::Index>(len);
      for (std::size_t i = 0; i < k; ++i) {
        const auto ci = block.col(static_cast<Eigen::Index>(i)).head(n);
        for (std::size_t j = i; j < k; ++j) {
          g(i, j) += ci.dot(block.col(static_cast<Eigen::Index>(j)).head(n));
        }
      }
    }
  }
  RowMatrix gram = RowMatrix::Zero(k, k);
  for (const RowMatrix& g : partial) gram += g;
  return gram;
}

CenteredMoments complete_moments(const double* x, const double* y, std::size_t size) {
  CenteredMoments m;
  m.n = size;
  if (size == 0) return m;
  const RowMatrix g = centered_gram({x, y}, size);
  m.sxx = g(0, 0);
  m.syy = g(1, 1);
  m.sxy = g(0, 1);
  return m;
}

CenteredMoments centered_moments(const double* x, const double* y, std::size_t size,
                                 bool complete) {
  return complete ? complete_moments(x, y, size) : masked_moments(x, y, size);
}

double finish(const CenteredMoments& m, const char* function, const std::string& x_name,
              const std::string& y_name) {
  if (m.n < 2) {
    invalid(function, std::to_string(m.n) + " complete row(s) for " + x_name + " and " + y_name +
                          "; at least 2 are needed");
  }
  if (m.sxx == 0) invalid(function, x_name + " is constant over the complete rows");
  if (m.syy == 0) invalid(function, y_name + " is constant over the complete rows");
  const double r = m.sxy / std::sqrt(m.sxx * m.syy);
  return std::clamp(r, -1.0, 1.0);
}

void check_pair(Span<const double> x, Span<const double> y, NanPolicy nan, const char* function) {
  if (x.size() != y.size()) {
    invalid(function, "x and y differ in length (" + std::to_string(x.size()) + " vs " +
                          std::to_string(y.size()) + ")");
  }
  detail::valid_count(x, nan, function, "x");
  detail::valid_count(y, nan, function, "y");
}

// The complete rows of a pair, ranked within that subset.
void ranked_complete(Span<const double> x, Span<const double> y, std::vector<double>& rx,
                     std::vector<double>& ry) {
  if (!has_nan(x) && !has_nan(y)) {  // nothing to leave out: rank in place of a copy
    rx = rankdata(x);
    ry = rankdata(y);
    return;
  }
  std::vector<double> cx, cy;
  cx.reserve(x.size());
  cy.reserve(y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isnan(x[i]) && !std::isnan(y[i])) {
      cx.push_back(x[i]);
      cy.push_back(y[i]);
    }
  }
  rx = rankdata(cx);
  ry = rankdata(cy);
}

std::string column_label(const std::vector<std::string>& names, std::size_t i) {
  return i < names.size() ? "column '" + names[i] + "'" : "column " + std::to_string(i);
}

}  // namespace

const char* corr_method_name(CorrMethod method) {
  return method == CorrMethod::Pearson ? "pearson" : "spearman";
}

CorrMethod corr_method_from_name(std::string_view name) {
  if (name == "pearson") return CorrMethod::Pearson;
  if (name == "spearman") return CorrMethod::Spearman;
  invalid("corr_method_from_name",
          "unknown correlation method '" + std::string(name) + "' (valid: pearson, spearman)");
}

double pearson(Span<const double> x, Span<const double> y, NanPolicy nan) {
  check_pair(x, y, nan, "pearson");
  const bool complete = !has_nan(x) && !has_nan(y);
  return finish(centered_moments(x.data(), y.data(), x.size(), complete), "pearson", "x", "y");
}

double spearman(Span<const double> x, Span<const double> y, NanPolicy nan) {
  check_pair(x, y, nan, "spearman");
  std::vector<double> rx, ry;
  ranked_complete(x, y, rx, ry);
  return finish(centered_moments(rx.data(), ry.data(), rx.size(), true), "spearman", "x", "y");
}

double corr(Span<const double> x, Span<const double> y, CorrMethod method, NanPolicy nan) {
  return method == CorrMethod::Pearson ? pearson(x, y, nan) : spearman(x, y, nan);
}

RowMatrix corr_matrix(const std::vector<Span<const double>>& columns, CorrMethod method,
                      const std::vector<std::string>& names) {
  const std::size_t k = columns.size();
  if (k == 0) invalid("corr_matrix", "no columns given");
  if (!names.empty() && names.size() != k) {
    invalid("corr_matrix", "names has " + std::to_string(names.size()) + " entries for " +
                               std::to_string(k) + " columns");
  }
  const std::size_t rows = columns[0].size();
  bool any_nan = false;
  for (std::size_t c = 0; c < k; ++c) {
    if (columns[c].size() != rows) {
      invalid("corr_matrix", column_label(names, c) + " has " + std::to_string(columns[c].size()) +
                                 " rows, " + column_label(names, 0) + " has " +
                                 std::to_string(rows));
    }
    any_nan = any_nan || has_nan(columns[c]);
  }
  // Without NaN every pair shares all rows, so each column is ranked once.
  std::vector<std::vector<double>> ranks;
  if (method == CorrMethod::Spearman && !any_nan) {
    ranks.resize(k);
#pragma omp parallel for schedule(dynamic) if (rows * k > 200000)
    for (std::size_t c = 0; c < k; ++c) ranks[c] = rankdata(columns[c]);
  }
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i; j < k; ++j) pairs.emplace_back(i, j);
  }
  std::vector<CenteredMoments> moments(pairs.size());
  if (!any_nan) {  // every pair shares all rows: one pass over all columns
    std::vector<const double*> data;
    for (std::size_t c = 0; c < k; ++c) {
      data.push_back(method == CorrMethod::Pearson ? columns[c].data() : ranks[c].data());
    }
    const RowMatrix gram = centered_gram(data, rows);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const auto [i, j] = pairs[p];
      moments[p] = CenteredMoments{rows, gram(i, i), gram(j, j), gram(i, j)};
    }
  } else {
    const long npairs = static_cast<long>(pairs.size());
#pragma omp parallel for schedule(dynamic) if (rows * pairs.size() > 200000)
    for (long p = 0; p < npairs; ++p) {
      const auto [i, j] = pairs[static_cast<std::size_t>(p)];
      if (method == CorrMethod::Pearson) {
        moments[p] = masked_moments(columns[i].data(), columns[j].data(), rows);
      } else {
        std::vector<double> rx, ry;
        ranked_complete(columns[i], columns[j], rx, ry);
        moments[p] = complete_moments(rx.data(), ry.data(), rx.size());
      }
    }
  }
  RowMatrix result(k, k);
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    const auto [i, j] = pairs[p];
    const double r =
        finish(moments[p], "corr_matrix", column_label(names, i), column_label(names, j));
    result(i, j) = result(j, i) = i == j ? 1.0 : r;
  }
  return result;
}

}  // namespace claimlens::stats
