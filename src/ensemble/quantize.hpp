// Private: quantized gradients for boosting (use_quantized_grad), after Shi et al. 2022,
// "Quantized Training of Gradient Boosting Decision Trees" (LightGBM 4's use_quantized_grad).
// Each round, a row's gradient and hessian become small integers by stochastic rounding; the
// histograms sum integers (QStats) and split gains are computed on those sums scaled back.
//
// A row's levels depend only on (random_state, round, global row id): the rounding draws come
// from a hash of these, not from a sequential stream, and the scales from the maximum over the
// fit's rows (an order-free reduction). So the levels are the same however rows are split
// between threads (or, later, processes), and integer sums make every histogram exact.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tree_builder.hpp"

namespace claimlens::ensemble_detail {

/// Real value of one level: gradient = level * g, hessian = level * h.
struct QuantScales {
  double g = 1.0, h = 1.0;
  double max_g = 0.0, max_h = 0.0;  // the round's largest |gradient| and hessian, over all ranks
};

/// Largest number of rows whose levels (at most `bins` each) can be summed in an int32.
std::size_t max_quantized_rows(int bins);

/// Quantizes row_stats[ids[i]] (float gradients and hessians) into out[ids[i]] for boosting
/// round `round`: g scale = max|g| / (bins / 2), h scale = max h / bins, each value rounded down
/// or up to a neighbouring level with probability given by its distance (unbiased), the draw
/// from a hash of (seed, round, global row id = first_row + row id). With `comm`, the maxima are
/// taken over every rank's rows.
QuantScales quantize_stats(const Stats* row_stats, const std::uint32_t* ids, std::size_t n,
                           int bins, std::uint64_t seed, int round, int n_threads, QStats* out,
                           Communicator* comm = nullptr, std::uint64_t first_row = 0);

/// A float policy (Base: BoostPolicy) on quantized sums: each sum scaled back to real units.
template <class Base>
struct QuantizedPolicy {
  const Base& base;
  QuantScales scale;

  Stats real(const QStats& q) const {
    return Stats{q.a * scale.g, q.b * scale.h, static_cast<double>(q.n)};
  }
  bool can_split(const QStats& s, int depth) const { return base.can_split(real(s), depth); }
  bool valid_child(const QStats& c) const { return base.valid_child(real(c)); }
  double score(const QStats& s) const { return base.score(real(s)); }
  bool accept(double gain) const { return base.accept(gain); }
  double leaf_value(const QStats& s) const { return base.leaf_value(real(s)); }
  double cover(const QStats& s) const { return base.cover(real(s)); }
};

/// quant_train_renew_leaf: every node's value and cover recomputed from the float statistics
/// of its rows (leaves: their ranges of the partitioned buffer; internal nodes: the sum of their
/// children), as the float fit would give for this structure. The sums are in fixed point (units
/// of 2^-30 of the round's largest |gradient| and hessian, rounded per row), so they are exact:
/// the same in any order of rows and, with `comm`, summed over the ranks.
template <class Policy>
void renew_node_values(const Policy& policy, const std::vector<LeafRange>& leaves,
                       const std::uint32_t* buffer, const Stats* row_stats,
                       const QuantScales& scale, Communicator* comm, Tree& tree) {
  std::vector<TreeNode>& nodes = tree.mutable_nodes();
  // |level| <= 2^30 per row, rows < 2^31 (max_quantized_rows): every sum fits in int64.
  const double ug = scale.max_g > 0.0 ? scale.max_g * 0x1p-30 : 1.0;
  const double uh = scale.max_h > 0.0 ? scale.max_h * 0x1p-30 : 1.0;
  std::vector<std::int64_t> sums(3 * nodes.size(), 0);
  for (const LeafRange& leaf : leaves) {
    std::int64_t* s = &sums[3 * static_cast<std::size_t>(leaf.node)];
    for (std::size_t k = leaf.begin; k < leaf.end; ++k) {
      const Stats& r = row_stats[buffer[k]];
      s[0] += std::llround(r.a / ug);
      s[1] += std::llround(r.b / uh);
      s[2] += 1;
    }
  }
  if (comm) comm->allreduce_sum(sums.data(), sums.size());
  // Children come after their parent: from the back, every child is complete before its parent.
  for (std::size_t i = nodes.size(); i-- > 0;) {
    TreeNode& node = nodes[i];
    std::int64_t* s = &sums[3 * i];
    if (!node.is_leaf()) {
      for (int j = 0; j < 3; ++j) {
        s[j] = sums[3 * static_cast<std::size_t>(node.left) + static_cast<std::size_t>(j)] +
               sums[3 * static_cast<std::size_t>(node.right) + static_cast<std::size_t>(j)];
      }
    }
    const Stats real{static_cast<double>(s[0]) * ug, static_cast<double>(s[1]) * uh,
                     static_cast<double>(s[2])};
    node.value = policy.leaf_value(real);
    node.cover = policy.cover(real);
  }
}

}  // namespace claimlens::ensemble_detail
