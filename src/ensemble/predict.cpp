#include <algorithm>

#include "fit_support.hpp"

namespace claimlens::ensemble_detail {

std::vector<double> sum_trees(const std::vector<Tree>& trees, const double* x, std::size_t rows,
                              std::size_t cols, int n_threads) {
  std::vector<double> out(rows, 0.0);
  constexpr std::size_t kBlock = 64;
  const long long blocks = static_cast<long long>((rows + kBlock - 1) / kBlock);
  const bool parallel = n_threads > 1 && rows * trees.size() > 20000;
#pragma omp parallel for schedule(static) num_threads(n_threads) if (parallel)
  for (long long bi = 0; bi < blocks; ++bi) {
    const std::size_t begin = static_cast<std::size_t>(bi) * kBlock;
    const std::size_t end = std::min(rows, begin + kBlock);
    for (const Tree& t : trees) {
      for (std::size_t r = begin; r < end; ++r) out[r] += t.predict_row(x + r * cols);
    }
  }
  return out;
}

}  // namespace claimlens::ensemble_detail
