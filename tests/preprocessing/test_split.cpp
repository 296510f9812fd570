// train_test_split / KFold / StratifiedKFold sizes and class counts against scikit-learn.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "claimlens/error.hpp"
#include "claimlens/model_selection/split.hpp"
#include "support/paths.hpp"

using namespace claimlens;

namespace {

// A reference to one parsed document: `for (c : fixture()["key"])` on a returned value would
// iterate a destroyed temporary (AddressSanitizer: heap-use-after-free).
const nlohmann::json& fixture() {
  static const nlohmann::json data =
      nlohmann::json::parse(testing::read_text_file(testing::fixture_path("sklearn_splits.json")));
  return data;
}

TestSize test_size_from(const nlohmann::json& j) {
  return j.is_number_integer() ? TestSize::count(j.get<std::size_t>())
                               : TestSize::fraction(j.get<double>());
}

/// Train and test are disjoint and, together, every row exactly once (or a subset for
/// stratified splits of a train_size that leaves rows out; not used here).
void require_partition(const SplitIndices& s, std::size_t n) {
  std::vector<std::size_t> all = s.train;
  all.insert(all.end(), s.test.begin(), s.test.end());
  std::sort(all.begin(), all.end());
  REQUIRE(all.size() == n);
  for (std::size_t i = 0; i < n; ++i) REQUIRE(all[i] == i);
}

std::vector<std::size_t> class_counts(const std::vector<std::int64_t>& y,
                                      const std::vector<std::size_t>& rows, std::size_t k) {
  std::vector<std::size_t> counts(k, 0);
  for (std::size_t r : rows) ++counts[static_cast<std::size_t>(y[r])];
  return counts;
}

}  // namespace

TEST_CASE("train_test_split sizes equal scikit-learn's, errors where it errors") {
  for (const auto& c : fixture()["train_test_split_sizes"]) {
    const auto n = c["n"].get<std::size_t>();
    const TestSize ts = test_size_from(c["test_size"]);
    INFO("n=" << n << " test_size=" << c["test_size"].dump());
    if (c.contains("error")) {
      REQUIRE_THROWS_AS(train_test_sizes(n, ts), InvalidArgument);
      continue;
    }
    const auto [n_train, n_test] = train_test_sizes(n, ts);
    REQUIRE(n_train == c["n_train"].get<std::size_t>());
    REQUIRE(n_test == c["n_test"].get<std::size_t>());
    for (bool shuffle : {true, false}) {
      const SplitIndices s = train_test_split(n, {ts, shuffle, 42});
      REQUIRE(s.train.size() == n_train);
      REQUIRE(s.test.size() == n_test);
      require_partition(s, n);
    }
  }
}

TEST_CASE("train_test_split is reproducible per seed, no shuffle keeps order") {
  const auto a = train_test_split(1000, {TestSize::fraction(0.2), true, 7});
  const auto b = train_test_split(1000, {TestSize::fraction(0.2), true, 7});
  const auto c = train_test_split(1000, {TestSize::fraction(0.2), true, 8});
  REQUIRE(a.train == b.train);
  REQUIRE(a.test == b.test);
  REQUIRE(a.test != c.test);
  const auto d = train_test_split(10, {TestSize::count(3), false, 0});
  REQUIRE(d.train == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
  REQUIRE(d.test == std::vector<std::size_t>{7, 8, 9});
}

TEST_CASE("stratified train_test_split has scikit-learn's per-class counts") {
  for (const auto& c : fixture()["stratified"]) {
    const auto y = c["labels"].get<std::vector<std::int64_t>>();
    const std::size_t k = c["train_counts"].size();
    INFO(c["name"].get<std::string>() << " test_size=" << c["test_size"].dump());
    for (std::uint64_t seed : {0u, 1u, 2u}) {
      const auto s = train_test_split_stratified(y, {test_size_from(c["test_size"]), true, seed});
      REQUIRE(s.train.size() == c["n_train"].get<std::size_t>());
      REQUIRE(s.test.size() == c["n_test"].get<std::size_t>());
      require_partition(s, y.size());
      const auto train = class_counts(y, s.train, k);
      const auto test = class_counts(y, s.test, k);
      if (!c["ambiguous"].get<bool>()) {
        REQUIRE(train == c["train_counts"].get<std::vector<std::size_t>>());
        REQUIRE(test == c["test_counts"].get<std::vector<std::size_t>>());
      } else {  // sklearn breaks a remainder tie with numpy's stream: within one of its counts
        const auto want = c["train_counts"].get<std::vector<std::size_t>>();
        for (std::size_t j = 0; j < k; ++j) {
          REQUIRE(train[j] + 1 >= want[j]);
          REQUIRE(train[j] <= want[j] + 1);
        }
      }
    }
  }
}

TEST_CASE("stratified split accepts string labels and rejects what sklearn rejects") {
  std::vector<std::string> y;
  for (int i = 0; i < 40; ++i) y.push_back(i % 4 == 0 ? "claim" : "opinion");
  const auto s = train_test_split_stratified(y, {TestSize::fraction(0.25), true, 3});
  std::size_t claims = 0;
  for (auto r : s.test) claims += y[r] == "claim";
  REQUIRE(s.test.size() == 10);
  // 10 claims of 40 with a 25% test side: 2.5 expected, a remainder tie, so 2 or 3
  REQUIRE((claims == 2 || claims == 3));
  REQUIRE_THROWS_WITH(train_test_split_stratified(std::vector<std::string>{"a", "a", "b"}),
                      Catch::Contains("only 1 member"));
  REQUIRE_THROWS_WITH(train_test_split_stratified(y, {TestSize::fraction(0.25), false, 0}),
                      Catch::Contains("requires shuffle"));
  const std::vector<std::int64_t> three = {0, 0, 1, 1, 2, 2};
  REQUIRE_THROWS_WITH(train_test_split_stratified(three, {TestSize::count(2), true, 0}),
                      Catch::Contains("number of classes 3"));
}

TEST_CASE("train_test_split rejects bad sizes with clear messages") {
  REQUIRE_THROWS_WITH(train_test_sizes(0, TestSize::fraction(0.2)), Catch::Contains("no samples"));
  REQUIRE_THROWS_WITH(train_test_sizes(10, TestSize::fraction(1.0)), Catch::Contains("(0, 1)"));
  REQUIRE_THROWS_WITH(train_test_sizes(10, TestSize::fraction(-0.1)), Catch::Contains("(0, 1)"));
  REQUIRE_THROWS_WITH(train_test_sizes(10, TestSize::count(10)),
                      Catch::Contains("smaller than the number of samples 10"));
  REQUIRE_THROWS_WITH(train_test_sizes(10, TestSize::count(0)), Catch::Contains("positive"));
  REQUIRE_THROWS_WITH(train_test_sizes(1, TestSize::fraction(0.5)),
                      Catch::Contains("train set would be empty"));
}

TEST_CASE("KFold fold sizes equal scikit-learn's") {
  for (const auto& c : fixture()["kfold"]) {
    const auto n = c["n"].get<std::size_t>();
    const auto want = c["test_sizes"].get<std::vector<std::size_t>>();
    for (bool shuffle : {false, true}) {
      const auto folds = KFold(c["k"].get<std::size_t>(), shuffle, 5).split(n);
      REQUIRE(folds.size() == want.size());
      std::set<std::size_t> seen;
      for (std::size_t f = 0; f < folds.size(); ++f) {
        REQUIRE(folds[f].test.size() == want[f]);
        REQUIRE(std::is_sorted(folds[f].test.begin(), folds[f].test.end()));
        REQUIRE(std::is_sorted(folds[f].train.begin(), folds[f].train.end()));
        require_partition(folds[f], n);
        seen.insert(folds[f].test.begin(), folds[f].test.end());
      }
      REQUIRE(seen.size() == n);  // every row is tested exactly once
    }
  }
  const auto plain = KFold(3).split(7);
  REQUIRE(plain[0].test == std::vector<std::size_t>{0, 1, 2});
  REQUIRE(plain[2].test == std::vector<std::size_t>{5, 6});
}

TEST_CASE("StratifiedKFold: folds equal scikit-learn's without shuffle, counts with shuffle") {
  for (const auto& c : fixture()["stratified_kfold"]) {
    const auto y = c["labels"].get<std::vector<std::int64_t>>();
    const auto k = c["k"].get<std::size_t>();
    const auto folds = StratifiedKFold(k).test_folds(y);
    REQUIRE(folds == c["test_folds"].get<std::vector<std::size_t>>());
    const auto shuffled = StratifiedKFold(k, true, 99).split(y);
    for (std::size_t f = 0; f < k; ++f) {
      std::map<std::string, std::size_t> counts;
      for (auto r : shuffled[f].test) ++counts[std::to_string(y[r])];
      REQUIRE(counts == c["shuffled_class_counts"][f].get<std::map<std::string, std::size_t>>());
      require_partition(shuffled[f], y.size());
    }
  }
}

TEST_CASE("KFold and StratifiedKFold reject bad n_splits and thin classes") {
  REQUIRE_THROWS_WITH(KFold(1), Catch::Contains("at least 2"));
  REQUIRE_THROWS_WITH(KFold(5).split(4), Catch::Contains("n_splits=5 greater than"));
  REQUIRE_THROWS_WITH(StratifiedKFold(0), Catch::Contains("at least 2"));
  const std::vector<std::int64_t> y = {0, 0, 0, 1, 1, 0, 0};
  REQUIRE_THROWS_WITH(StratifiedKFold(3).split(y), Catch::Contains("class 1 has only 2"));
  REQUIRE_THROWS_AS(StratifiedKFold(3).split(std::vector<std::string>{"a", "b"}), InvalidArgument);
  const auto ok = StratifiedKFold(2).split(y);
  REQUIRE(ok.size() == 2);
}
