// Pearson / Spearman correlation, pairwise-complete. The sums of centered products are
// claimlens/accurate_sum.hpp's (accurate means, compensated sums corrected for the means' residual
// error), so an offset common to a column costs no digits, where pandas' and scipy's lose them.
#include <algorithm>
#include <cmath>
#include <string>

#include "claimlens/accurate_sum.hpp"
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

// Sums of products of centered columns without missing values, G(i, j) = sum (ci - mi)(cj - mj).
// Each column is centered on its accurate mean (mean + mean_low) into a buffer of kBlock rows; each
// block's dot products (Eigen, vectorized) are added with compensation, then corrected by the
// columns' sums of deviations: accurate_sum.hpp's scheme for k columns at once. A fixed split of
// the rows into segments (never depending on the thread count) lets OpenMP share the work and
// still add the partial sums in one order.
RowMatrix centered_gram(const std::vector<const double*>& cols, std::size_t rows) {
  const std::size_t k = cols.size();
  std::vector<CentralMoments> moments(k);
  for (std::size_t c = 0; c < k; ++c) moments[c] = central_moments(cols[c], rows);
  constexpr std::size_t kBlock = 128;
  constexpr std::size_t kSegmentRows = 512 * kBlock;
  const std::size_t segments = (rows + kSegmentRows - 1) / kSegmentRows;
  // Per segment: k * k product sums (upper triangle used), then k sums of deviations.
  std::vector<std::vector<CompensatedSum>> partial(segments,
                                                   std::vector<CompensatedSum>(k * k + k));
  const long nseg = static_cast<long>(segments);
#pragma omp parallel for schedule(static) if (rows * k * k > 4000000)
  for (long s = 0; s < nseg; ++s) {
    Eigen::MatrixXd block(kBlock, k);
    std::vector<CompensatedSum>& g = partial[static_cast<std::size_t>(s)];
    const std::size_t end = std::min(rows, (static_cast<std::size_t>(s) + 1) * kSegmentRows);
    for (std::size_t start = static_cast<std::size_t>(s) * kSegmentRows; start < end;
         start += kBlock) {
      const std::size_t len = std::min(kBlock, end - start);
      const auto n = static_cast<Eigen::Index>(len);
      for (std::size_t c = 0; c < k; ++c) {
        const double* p = cols[c] + start;
        double* b = block.col(static_cast<Eigen::Index>(c)).data();
        for (std::size_t r = 0; r < len; ++r) b[r] = moments[c].deviation(p[r]);
        g[k * k + c].add(block.col(static_cast<Eigen::Index>(c)).head(n).sum());
      }
      for (std::size_t i = 0; i < k; ++i) {
        const auto ci = block.col(static_cast<Eigen::Index>(i)).head(n);
        for (std::size_t j = i; j < k; ++j) {
          g[i * k + j].add(ci.dot(block.col(static_cast<Eigen::Index>(j)).head(n)));
        }
      }
    }
  }
  std::vector<CompensatedSum> total(k * k + k);
  for (const auto& g : partial) {
    for (std::size_t e = 0; e < total.size(); ++e) total[e].add(g[e]);
  }
  RowMatrix gram = RowMatrix::Zero(k, k);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i; j < k; ++j) {
      gram(i, j) =
          corrected_product_sum(total[i * k + j], total[k * k + i], total[k * k + j], rows);
    }
  }
  return gram;
}

// Centered sums of a pair: the Gram path when nothing is missing (so pearson() equals
// corr_matrix() bit for bit), else co_moments over the rows where both are present.
CenteredMoments pair_moments(const double* x, const double* y, std::size_t size) {
  if (!has_nan(Span<const double>(x, size)) && !has_nan(Span<const double>(y, size))) {
    if (size == 0) return CenteredMoments{};
    const RowMatrix g = centered_gram({x, y}, size);
    return CenteredMoments{size, g(0, 0), g(1, 1), g(0, 1)};
  }
  const CoMoments c = co_moments(
      size, [x](std::size_t i) { return x[i]; }, [y](std::size_t i) { return y[i]; });
  return CenteredMoments{c.count, c.sxx, c.syy, c.sxy};
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
  return finish(pair_moments(x.data(), y.data(), x.size()), "pearson", "x", "y");
}

double spearman(Span<const double> x, Span<const double> y, NanPolicy nan) {
  check_pair(x, y, nan, "spearman");
  std::vector<double> rx, ry;
  ranked_complete(x, y, rx, ry);
  return finish(pair_moments(rx.data(), ry.data(), rx.size()), "spearman", "x", "y");
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
        moments[p] = pair_moments(columns[i].data(), columns[j].data(), rows);
      } else {
        std::vector<double> rx, ry;
        ranked_complete(columns[i], columns[j], rx, ry);
        moments[p] = pair_moments(rx.data(), ry.data(), rx.size());
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
