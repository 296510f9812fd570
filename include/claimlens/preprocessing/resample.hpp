// Resampling like sklearn.utils.resample (e.g. upsampling a minority class), seeded with
// claimlens::Random.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"

namespace claimlens {

/// n_samples row indices drawn from 0..n_rows-1: with replacement (uniform, independent), or
/// without (a random subset in random order). InvalidArgument when n_rows is 0 or, without
/// replacement, n_samples > n_rows.
std::vector<std::size_t> resample_indices(std::size_t n_rows, std::size_t n_samples,
                                          std::uint64_t seed, bool replace = true);

/// resample(frame, replace=replace, n_samples=n_samples, random_state=seed): the drawn rows.
DataFrame resample(const DataFrame& frame, std::size_t n_samples, std::uint64_t seed,
                   bool replace = true);

}  // namespace claimlens
