// Distributed boosting (fit_distributed, from_dense_distributed) with ranks simulated by threads
// (support/thread_communicator.hpp): the model must be byte-identical for 1-4 ranks and equal to
// the single-process fit. tests/mpi runs the same over Open MPI.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "ensemble/support.hpp"
#include "support/thread_communicator.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;
using claimlens::testing::run_ranks;
using claimlens::testing::ThreadCommunicator;

namespace {

// Rank k of `ranks` holds rows [first, last): uneven shards (rank k's share grows with k).
std::pair<std::size_t, std::size_t> shard_of(std::size_t n, int ranks, int k) {
  const auto part = [&](int j) {
    return n * static_cast<std::size_t>(j * (j + 1)) /
           static_cast<std::size_t>(ranks * (ranks + 1));
  };
  return {part(k), part(k + 1)};
}

GradientBoostingParams distributed_params() {
  GradientBoostingParams p;
  p.n_estimators = 12;
  p.max_depth = 6;
  p.learning_rate = 0.3;
  p.use_quantized_grad = true;
  p.n_jobs = 2;
  return p;
}

// Every rank's model document (they must agree), fitted on `ranks` shards of X.
std::string fit_sharded(const RowMatrix& X, const std::vector<double>& y, int ranks,
                        const GradientBoostingParams& p, std::size_t sample_rows = 200000) {
  const auto n = static_cast<std::size_t>(X.rows()), cols = static_cast<std::size_t>(X.cols());
  std::vector<std::string> docs(static_cast<std::size_t>(ranks));
  run_ranks(ranks, [&](ThreadCommunicator& comm) {
    const auto [first, last] = shard_of(n, ranks, comm.rank());
    const BinnedMatrix Xb = BinnedMatrix::from_dense_distributed(
        X.data() + first * cols, last - first, cols, p.max_bin, comm, p.random_state, sample_rows);
    GradientBoostingClassifier m(p);
    m.fit_distributed(Xb, Span<const double>(y.data() + first, last - first), comm);
    docs[static_cast<std::size_t>(comm.rank())] = m.to_json().dump();
  });
  for (const std::string& d : docs) REQUIRE(d == docs[0]);
  return docs[0];
}

// The same for a forest.
std::string fit_forest_sharded(const RowMatrix& X, const std::vector<double>& y, int ranks,
                               const RandomForestParams& p) {
  const auto n = static_cast<std::size_t>(X.rows()), cols = static_cast<std::size_t>(X.cols());
  std::vector<std::string> docs(static_cast<std::size_t>(ranks));
  run_ranks(ranks, [&](ThreadCommunicator& comm) {
    const auto [first, last] = shard_of(n, ranks, comm.rank());
    const BinnedMatrix Xb = BinnedMatrix::from_dense_distributed(
        X.data() + first * cols, last - first, cols, p.max_bin, comm, p.random_state);
    RandomForestClassifier m(p);
    m.fit_distributed(Xb, Span<const double>(y.data() + first, last - first), comm);
    docs[static_cast<std::size_t>(comm.rank())] = m.to_json().dump();
  });
  for (const std::string& d : docs) REQUIRE(d == docs[0]);
  return docs[0];
}

std::string fit_alone(const RowMatrix& X, const std::vector<double>& y,
                      const GradientBoostingParams& p) {
  GradientBoostingClassifier m(p);
  m.fit(X, y);
  return m.to_json().dump();
}

}  // namespace

TEST_CASE("distributed boosting: the seed's features give one model for 1-4 ranks",
          "[boosting][distributed]") {
  const auto data = testing::load_claim_matrix("ensemble_claim_train.json");
  const GradientBoostingParams p = distributed_params();
  const std::string alone = fit_alone(data.X, data.y, p);
  for (int ranks = 1; ranks <= 4; ++ranks) {
    INFO(ranks << " ranks");
    CHECK(fit_sharded(data.X, data.y, ranks, p) == alone);
  }
}

TEST_CASE("distributed boosting: NaNs, sampled bins and column sampling, 1-4 ranks",
          "[boosting][distributed]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 30000, 7);
  GradientBoostingParams p = distributed_params();
  p.colsample_bytree = 0.6;
  p.reg_alpha = 0.5;
  SECTION("every row in the bin sample: the single-process model") {
    const std::string alone = fit_alone(X, y, p);
    for (int ranks = 1; ranks <= 4; ++ranks) {
      INFO(ranks << " ranks");
      CHECK(fit_sharded(X, y, ranks, p) == alone);
    }
  }
  SECTION("a bin sample of 4,000 rows of 30,000: the same for every rank count") {
    const std::string one = fit_sharded(X, y, 1, p, 4000);
    CHECK(one != fit_alone(X, y, p));  // the sample does change the cuts
    for (int ranks = 2; ranks <= 4; ++ranks) {
      INFO(ranks << " ranks");
      CHECK(fit_sharded(X, y, ranks, p, 4000) == one);
    }
  }
}

TEST_CASE("distributed binning: cuts span every rank's values", "[binning][distributed]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 5000, 11);
  X(4999, 0) = 1e6;  // the largest value, on the last rank, outside a 500-row sample
  X(4998, 1) = -1e6;
  run_ranks(3, [&](ThreadCommunicator& comm) {
    const auto [first, last] = shard_of(5000, 3, comm.rank());
    const BinnedMatrix Xb = BinnedMatrix::from_dense_distributed(X.data() + first * 8, last - first,
                                                                 8, 256, comm, 0, 500);
    CHECK(Xb.cuts(0).back() > 1e6);
    CHECK(Xb.min_cut(1) < -1e6);
    CHECK(Xb.num_rows() == last - first);
    for (std::size_t r = 0; r < Xb.num_rows(); ++r) {
      CHECK(Xb.bin(r, 0) == Xb.bin_of(0, X(static_cast<Eigen::Index>(first + r), 0)));
    }
  });
}

namespace {

// Every bin, cut and exception row of two binned matrices agree.
void require_same_bins(const BinnedMatrix& a, const BinnedMatrix& b) {
  REQUIRE(a.num_rows() == b.num_rows());
  REQUIRE(a.num_features() == b.num_features());
  for (std::size_t f = 0; f < a.num_features(); ++f) {
    REQUIRE(a.cuts(f) == b.cuts(f));
    REQUIRE(a.min_cut(f) == b.min_cut(f));
    REQUIRE(a.dominant_bin(f) == b.dominant_bin(f));
    REQUIRE(a.num_exceptions(f) == b.num_exceptions(f));
    for (std::size_t r = 0; r < a.num_rows(); ++r) REQUIRE(a.bin(r, f) == b.bin(r, f));
    for (std::size_t r = 0; r < a.num_rows(); ++r) {
      REQUIRE(std::equal(a.row_bins(r), a.row_bins(r) + a.num_features(), b.row_bins(r)));
    }
  }
}

// A shard's rows [first, last) of X in blocks of `block` rows.
BinnedMatrix::RowBlocks blocks_of(const RowMatrix& X, std::size_t first, std::size_t last,
                                  std::size_t block) {
  return [&X, first, last, block](const BinnedMatrix::RowBlockVisitor& visit) {
    const auto cols = static_cast<std::size_t>(X.cols());
    for (std::size_t r = first; r < last; r += block) {
      visit(X.data() + r * cols, std::min(block, last - r));
    }
  };
}

}  // namespace

TEST_CASE("distributed binning: rows in blocks bin as the whole matrix", "[binning][distributed]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 5000, 11);
  X(4999, 0) = 1e6;  // beyond a 500-row sample
  for (const std::size_t sample_rows : {std::size_t{500}, std::size_t{200000}}) {
    for (int ranks = 1; ranks <= 3; ++ranks) {
      INFO(ranks << " ranks, sample of " << sample_rows);
      run_ranks(ranks, [&](ThreadCommunicator& comm) {
        const auto [first, last] = shard_of(5000, ranks, comm.rank());
        const BinnedMatrix whole = BinnedMatrix::from_dense_distributed(
            X.data() + first * 8, last - first, 8, 256, comm, 3, sample_rows);
        const BinnedMatrix blocked = BinnedMatrix::from_row_blocks_distributed(
            blocks_of(X, first, last, 97), last - first, 8, 256, comm, 3, sample_rows);
        require_same_bins(whole, blocked);
      });
    }
  }
  claimlens::SingleProcess one;
  const BinnedMatrix all = BinnedMatrix::from_dense(X, 256);
  require_same_bins(all, BinnedMatrix::from_row_blocks_distributed(blocks_of(X, 0, 5000, 1000),
                                                                   5000, 8, 256, one, 0));
  SECTION("take_rows keeps the cuts and bins the rows it takes") {
    const std::vector<std::size_t> ids = {0, 7, 4000, 4999};
    const BinnedMatrix part = all.take_rows(ids);
    REQUIRE(part.num_rows() == 4);
    for (std::size_t f = 0; f < 8; ++f) {
      CHECK(part.cuts(f) == all.cuts(f));
      for (std::size_t i = 0; i < ids.size(); ++i) CHECK(part.bin(i, f) == all.bin(ids[i], f));
    }
    CHECK_THROWS_MATCHES(all.take_rows({3, 2}), InvalidArgument,
                         MessageContains("ids[1] = 2 is not an ascending row id below 5000"));
    CHECK_THROWS_MATCHES(all.take_rows({5000}), InvalidArgument, MessageContains("ids[0] = 5000"));
  }
}

TEST_CASE("binning a row sample: from_dense bins as the distributed binning on any rank count",
          "[binning][distributed]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 5000, 11);
  X(4999, 0) = 1e6;  // the extremes come from every row, not from the sample
  X(17, 1) = -1e6;
  for (Eigen::Index r = 0; r < 5000; ++r) {
    X(r, 2) = r == 4321 ? 5.0 : std::nan("");
    X(r, 3) = std::sin(static_cast<double>(r)) * 1000.0;  // 5000 distinct values
  }
  const BinnedMatrix sampled = BinnedMatrix::from_dense(X, 256, 3, 500);
  CHECK(sampled.cuts(0).back() > 1e6);
  CHECK(sampled.min_cut(1) < -1e6);
  // A column whose only value the sample may miss still bins it (one bin).
  REQUIRE(sampled.num_bins(2) >= 1);
  CHECK(sampled.bin(4321, 2) != BinnedMatrix::kMissingBin);
  CHECK(sampled.bin(0, 2) == BinnedMatrix::kMissingBin);
  // Fewer distinct cut values than the whole matrix has: the quantiles are the sample's.
  const BinnedMatrix all = BinnedMatrix::from_dense(X, 256, 3);
  CHECK(sampled.cuts(3) != all.cuts(3));
  for (int ranks = 1; ranks <= 3; ++ranks) {
    INFO(ranks << " ranks");
    run_ranks(ranks, [&](ThreadCommunicator& comm) {
      const auto [first, last] = shard_of(5000, ranks, comm.rank());
      const BinnedMatrix part = BinnedMatrix::from_dense_distributed(
          X.data() + first * 8, last - first, 8, 256, comm, 3, 500);
      for (std::size_t f = 0; f < 8; ++f) {
        REQUIRE(part.cuts(f) == sampled.cuts(f));
        REQUIRE(part.min_cut(f) == sampled.min_cut(f));
        for (std::size_t r = 0; r < part.num_rows(); ++r) {
          REQUIRE(part.bin(r, f) == sampled.bin(first + r, f));
        }
      }
    });
  }
  // Another seed draws another sample.
  CHECK(BinnedMatrix::from_dense(X, 256, 4, 500).cuts(3) != sampled.cuts(3));
}

TEST_CASE("distributed binning: blocks that do not fit, or fail, end every rank",
          "[binning][distributed]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 600, 11);
  std::vector<std::string> errors(2);
  SECTION("fewer rows than announced") {
    run_ranks(2, [&](ThreadCommunicator& comm) {
      try {
        const std::size_t announced = comm.rank() == 1 ? 301 : 300;
        BinnedMatrix::from_row_blocks_distributed(blocks_of(X, 0, 300, 64), announced, 8, 256, comm,
                                                  0);
      } catch (const Error& e) {
        errors[std::size_t(comm.rank())] = e.what();
      }
    });
    for (const std::string& e : errors) {
      CHECK(e == "rank 1: BinnedMatrix: the blocks hold 300 rows, not the 301 announced");
    }
  }
  SECTION("more rows than announced") {
    run_ranks(2, [&](ThreadCommunicator& comm) {
      try {
        BinnedMatrix::from_row_blocks_distributed(blocks_of(X, 0, 300, 64), 250, 8, 256, comm, 0);
      } catch (const Error& e) {
        errors[std::size_t(comm.rank())] = e.what();
      }
    });
    for (const std::string& e : errors) {
      CHECK(e == "rank 0: BinnedMatrix: the blocks hold more than the 250 rows announced");
    }
  }
  SECTION("a block's source fails on one rank in the second pass") {
    run_ranks(2, [&](ThreadCommunicator& comm) {
      int calls = 0;
      const BinnedMatrix::RowBlocks failing = [&](const BinnedMatrix::RowBlockVisitor& visit) {
        if (++calls == 2 && comm.rank() == 0) throw ParseError("shard.csv: line 9: bad");
        visit(X.data(), 300);
      };
      try {
        BinnedMatrix::from_row_blocks_distributed(failing, 300, 8, 256, comm, 0);
      } catch (const Error& e) {
        errors[std::size_t(comm.rank())] = e.what();
      }
    });
    for (const std::string& e : errors) CHECK(e == "rank 0: shard.csv: line 9: bad");
  }
}

TEST_CASE("distributed boosting: one rank's bad shard ends every rank with its message",
          "[boosting][distributed]") {
  const auto data = testing::load_claim_matrix("ensemble_claim_train.json");
  std::vector<double> y = data.y;
  const GradientBoostingParams p = distributed_params();
  const auto n = static_cast<std::size_t>(data.X.rows()),
             cols = static_cast<std::size_t>(data.X.cols());
  SECTION("a label that is not 0 or 1") {
    y[n - 1] = 2.0;  // on the last rank
    std::vector<std::string> errors(3);
    run_ranks(3, [&](ThreadCommunicator& comm) {
      const auto [first, last] = shard_of(n, 3, comm.rank());
      const BinnedMatrix Xb = BinnedMatrix::from_dense_distributed(
          data.X.data() + first * cols, last - first, cols, 256, comm, 0);
      GradientBoostingClassifier m(p);
      try {
        m.fit_distributed(Xb, Span<const double>(y.data() + first, last - first), comm);
      } catch (const Error& e) {
        errors[static_cast<std::size_t>(comm.rank())] = e.what();
      }
    });
    for (const std::string& e : errors) {
      CHECK(e.find("rank 2: GradientBoostingClassifier.fit_distributed: y[") == 0);
      CHECK(e.find("must be 0 or 1") != std::string::npos);
    }
  }
  SECTION("an infinite value") {
    RowMatrix X = data.X;
    X(0, 3) = std::numeric_limits<double>::infinity();  // on rank 0
    run_ranks(2, [&](ThreadCommunicator& comm) {
      const auto [first, last] = shard_of(n, 2, comm.rank());
      CHECK_THROWS_MATCHES(BinnedMatrix::from_dense_distributed(X.data() + first * cols,
                                                                last - first, cols, 256, comm, 0),
                           Error, MessageContains("rank 0: BinnedMatrix: infinite value at row 0"));
    });
  }
  SECTION("shards with different columns") {
    run_ranks(2, [&](ThreadCommunicator& comm) {
      const std::size_t c = comm.rank() == 0 ? cols : cols - 1;
      CHECK_THROWS_MATCHES(
          BinnedMatrix::from_dense_distributed(data.X.data(), 100, c, 256, comm, 0), Error,
          MessageContains("the ranks' shards differ in columns"));
    });
  }
}

TEST_CASE("distributed boosting: refused without quantized gradients, with row sampling",
          "[boosting][distributed]") {
  const auto data = testing::load_claim_matrix("ensemble_claim_train.json");
  claimlens::SingleProcess comm;
  const BinnedMatrix Xb =
      BinnedMatrix::from_dense_distributed(data.X.data(), static_cast<std::size_t>(data.X.rows()),
                                           static_cast<std::size_t>(data.X.cols()), 256, comm, 0);
  GradientBoostingParams p = distributed_params();
  p.use_quantized_grad = false;
  CHECK_THROWS_MATCHES(GradientBoostingClassifier(p).fit_distributed(Xb, data.y, comm),
                       InvalidArgument, MessageContains("needs params.use_quantized_grad = true"));
  p = distributed_params();
  p.subsample = 0.8;
  CHECK_THROWS_MATCHES(GradientBoostingClassifier(p).fit_distributed(Xb, data.y, comm),
                       InvalidArgument, MessageContains("subsample < 1 and early stopping"));
}

TEST_CASE("distributed forest: one model for 1-4 ranks, with and without class weights",
          "[forest][distributed]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 6000, 5);
  const auto data = testing::load_claim_matrix("ensemble_claim_train.json");
  RandomForestParams p;
  p.n_estimators = 8;
  p.max_depth = 7;
  p.max_samples = {RandomForestParams::MaxSamples::Kind::Fraction, 0.7};
  p.n_jobs = 2;
  for (const bool balanced : {false, true}) {
    p.class_weight = balanced ? RandomForestParams::ClassWeight::Balanced
                              : RandomForestParams::ClassWeight::None;
    INFO("balanced " << balanced);
    const std::string one = fit_forest_sharded(X, y, 1, p);
    const std::string seed_one = fit_forest_sharded(data.X, data.y, 1, p);
    for (int ranks = 2; ranks <= 4; ++ranks) {
      INFO(ranks << " ranks");
      CHECK(fit_forest_sharded(X, y, ranks, p) == one);
      CHECK(fit_forest_sharded(data.X, data.y, ranks, p) == seed_one);
    }
  }
}

TEST_CASE("distributed forest: as accurate as the single-process fit", "[forest][distributed]") {
  RowMatrix X, X_test;
  std::vector<double> y, y_test;
  testing::sparse_data(X, y, 8000, 21);
  testing::sparse_data(X_test, y_test, 4000, 22);
  RandomForestParams p;
  p.n_estimators = 30;
  p.max_depth = 8;
  RandomForestClassifier alone(p);
  alone.fit(X, y);
  claimlens::SingleProcess comm;
  RandomForestClassifier poisson(p);
  poisson.fit_distributed(
      BinnedMatrix::from_dense_distributed(X.data(), 8000, 8, p.max_bin, comm, p.random_state), y,
      comm);
  const double auc_alone = testing::roc_auc(y_test, alone.predict_proba(X_test));
  const double auc_poisson = testing::roc_auc(y_test, poisson.predict_proba(X_test));
  INFO("AUC multinomial bootstrap " << auc_alone << ", Poisson bootstrap " << auc_poisson);
  CHECK(std::fabs(auc_alone - auc_poisson) < 0.01);
}

TEST_CASE("distributed fits: a rank may hold no row", "[boosting][forest][distributed]") {
  const auto data = testing::load_claim_matrix("ensemble_claim_train.json");
  const auto n = static_cast<std::size_t>(data.X.rows()),
             cols = static_cast<std::size_t>(data.X.cols());
  const GradientBoostingParams p = distributed_params();
  RandomForestParams fp;
  fp.n_estimators = 4;
  fp.max_depth = 6;
  std::vector<std::string> boosted(3), forests(3);
  run_ranks(3, [&](ThreadCommunicator& comm) {
    // Rank 1 holds nothing; ranks 0 and 2 split the rows.
    const std::size_t first = comm.rank() == 0 ? 0 : n / 3;
    const std::size_t last = comm.rank() == 0 ? n / 3 : comm.rank() == 1 ? n / 3 : n;
    const BinnedMatrix Xb = BinnedMatrix::from_dense_distributed(
        comm.rank() == 1 ? nullptr : data.X.data() + first * cols, last - first, cols, 256, comm,
        0);
    const Span<const double> y(data.y.data() + first, last - first);
    GradientBoostingClassifier m(p);
    boosted[static_cast<std::size_t>(comm.rank())] =
        m.fit_distributed(Xb, y, comm).to_json().dump();
    RandomForestClassifier f(fp);
    forests[static_cast<std::size_t>(comm.rank())] =
        f.fit_distributed(Xb, y, comm).to_json().dump();
  });
  CHECK(boosted[0] == fit_alone(data.X, data.y, p));
  CHECK(boosted[1] == boosted[0]);
  CHECK(forests[1] == forests[0]);
  CHECK(forests[0] == fit_forest_sharded(data.X, data.y, 1, fp));
}
