// Encoders, get_dummies, feature_matrix and resample; pandas/sklearn references from the fixture.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_selection/split.hpp"
#include "claimlens/preprocessing/encoders.hpp"
#include "claimlens/preprocessing/features.hpp"
#include "claimlens/preprocessing/resample.hpp"
#include "support/paths.hpp"

using namespace claimlens;

namespace {

nlohmann::json encoder_fixture() {
  return nlohmann::json::parse(
      testing::read_text_file(testing::fixture_path("sklearn_splits.json")))["encoders"];
}

const DataFrame& real_frame() {
  static const DataFrame frame = read_csv(testing::real_dataset_path()).dropna();
  return frame;
}

DataFrame small_frame() {
  DataFrame f;
  f.add_column("status",
               Column::from_strings({"b", "a", "c", "a", ""}, {true, true, true, true, false}));
  f.add_column("flag", Column::from_bool({true, false, true, true, false}));
  f.add_column("x", Column::from_float64({1.5, 2.0, 3.0, 4.0, 5.0}));
  return f;
}

}  // namespace

TEST_CASE("get_dummies equals pandas on the real data") {
  const auto ref = encoder_fixture();
  const DataFrame& df = real_frame();
  REQUIRE(df.num_rows() == ref["rows"].get<std::size_t>());
  const std::vector<std::string> cats = {"claim_status", "verified_status", "author_ban_status"};
  const DataFrame dropped = get_dummies(
      df.select({"claim_status", "verified_status", "author_ban_status", "video_duration_sec"}),
      cats, true);
  REQUIRE(dropped.column_names() ==
          ref["get_dummies_drop_first_columns"].get<std::vector<std::string>>());
  for (const auto& [name, sum] : ref["get_dummies_drop_first_sums"].items()) {
    double total = 0;
    for (double v : dropped.column(name).to_doubles()) total += v;
    REQUIRE(total == sum.get<double>());
  }
  const RowMatrix m = feature_matrix(dropped, dropped.column_names());
  const auto rows = ref["first_rows_drop_first"];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < rows[i].size(); ++j) {
      REQUIRE(m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) ==
              rows[i][j].get<double>());
    }
  }
  const DataFrame all = get_dummies(df.select(cats), cats, false);
  REQUIRE(all.column_names() == ref["get_dummies_columns"].get<std::vector<std::string>>());
}

TEST_CASE("OneHotEncoder(drop_first) and LabelEncoder equal scikit-learn on the real data") {
  const auto ref = encoder_fixture();
  const DataFrame& df = real_frame();
  OneHotEncoder enc({true, UnknownCategory::Error});
  enc.fit(df, {"claim_status", "author_ban_status"});
  REQUIRE(enc.get_feature_names_out() ==
          ref["onehot_drop_first_names"].get<std::vector<std::string>>());
  const RowMatrix x = enc.transform(df);
  const auto sums = ref["onehot_drop_first_sums"].get<std::vector<double>>();
  for (std::size_t j = 0; j < sums.size(); ++j)
    REQUIRE(x.col(static_cast<Eigen::Index>(j)).sum() == sums[j]);

  LabelEncoder le;
  const auto codes = le.fit_transform(df.column("author_ban_status").to_strings());
  REQUIRE(le.classes() == ref["label_encoder_classes"].get<std::vector<std::string>>());
  std::vector<std::size_t> counts(le.classes().size(), 0);
  for (auto c : codes) ++counts[static_cast<std::size_t>(c)];
  REQUIRE(counts == ref["label_encoder_counts"].get<std::vector<std::size_t>>());
  REQUIRE(le.inverse_transform({0, 2}) ==
          std::vector<std::string>{le.classes()[0], le.classes()[2]});
}

TEST_CASE("OneHotEncoder: sorted categories, nulls as zeros, unknown categories") {
  OneHotEncoder enc;
  enc.fit({"s"}, {{"b", "a", "c", "a"}});
  REQUIRE(enc.get_feature_names_out() == std::vector<std::string>{"s_a", "s_b", "s_c"});
  const RowMatrix m = enc.transform({{"c", "a"}});
  REQUIRE(m.rows() == 2);
  REQUIRE(m(0, 2) == 1.0);
  REQUIRE(m(0, 0) + m(0, 1) == 0.0);
  REQUIRE(m(1, 0) == 1.0);
  REQUIRE_THROWS_WITH(enc.transform({{"a", "zzz"}}),
                      Catch::Contains("unknown category 'zzz' in column 's' at row 1"));
  OneHotEncoder ignore({false, UnknownCategory::Ignore});
  ignore.fit({"s"}, {{"b", "a"}});
  REQUIRE(ignore.transform({{"zzz"}}).sum() == 0.0);
  OneHotEncoder frame_enc;
  frame_enc.fit(small_frame(), {"status"});
  REQUIRE(frame_enc.categories()[0] == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(frame_enc.transform(small_frame()).row(4).sum() == 0.0);  // null row
}

TEST_CASE("OneHotEncoder and get_dummies reject bad input") {
  OneHotEncoder enc;
  REQUIRE_THROWS_AS(enc.transform({{"a"}}), StateError);
  REQUIRE_THROWS_WITH(enc.fit({"a", "b"}, {{"x", "y"}, {"x"}}),
                      Catch::Contains("column 1 has 1 rows"));
  REQUIRE_THROWS_WITH(enc.fit({"a"}, {}), Catch::Contains("no columns"));
  REQUIRE_THROWS_WITH(enc.fit(small_frame(), {"missing"}), Catch::Contains("missing"));
  REQUIRE_THROWS_AS(enc.fit(small_frame(), {"x"}), SchemaError);
  REQUIRE_THROWS_WITH(get_dummies(small_frame(), {"x"}), Catch::Contains("'x' is float64"));
  REQUIRE_THROWS_AS(get_dummies(small_frame(), {"nope"}), SchemaError);
  const DataFrame d = get_dummies(small_frame(), {"flag", "status"}, false);
  REQUIRE(d.column_names() == std::vector<std::string>{"x", "flag_False", "flag_True", "status_a",
                                                       "status_b", "status_c"});
  REQUIRE(d.column("status_a").to_doubles() == std::vector<double>{0, 1, 0, 1, 0});

  // Before fit every accessor is a StateError; after it, mismatched inputs name the problem.
  OneHotEncoder unfitted;
  CHECK_THROWS_AS(unfitted.transform(small_frame()), StateError);
  CHECK_THROWS_AS(unfitted.get_feature_names_out(), StateError);
  CHECK_THROWS_AS(unfitted.categories(), StateError);
  CHECK_THROWS_WITH(enc.fit({"a"}, {{"x"}, {"y"}}), Catch::Contains("1 names for 2 columns"));
  CHECK_THROWS_WITH(enc.fit(small_frame(), {}), Catch::Contains("no columns given"));
  DataFrame all_null;
  all_null.add_column("c", Column::from_strings({"", ""}, {false, false}));
  CHECK_THROWS_WITH(enc.fit(all_null, {"c"}), Catch::Contains("column 'c' has no values"));
  enc.fit({"a", "b"}, {{"x", "y"}, {"u", "v"}});
  CHECK_THROWS_WITH(enc.transform({{"x"}}), Catch::Contains("1 columns given, fitted on 2"));
  OneHotEncoder by_name;
  by_name.fit(small_frame(), {"status"});
  DataFrame retyped;
  retyped.add_column("status", Column::from_int64({1, 2}));
  CHECK_THROWS_WITH(by_name.transform(retyped),
                    Catch::Contains("column 'status' is int64, expected a string"));
}

TEST_CASE("LabelEncoder and BinaryLabelEncoder errors name the value and row") {
  LabelEncoder le;
  REQUIRE_THROWS_AS(le.transform({"a"}), StateError);
  REQUIRE_THROWS_WITH(le.fit({}), Catch::Contains("no labels"));
  le.fit({"opinion", "claim"});
  REQUIRE(le.transform({"claim", "opinion"}) == std::vector<std::int64_t>{0, 1});
  REQUIRE_THROWS_WITH(le.transform({"claim", "maybe"}), Catch::Contains("'maybe' at row 1"));
  REQUIRE_THROWS_WITH(le.inverse_transform({5}), Catch::Contains("code 5 at row 0"));
  REQUIRE_THROWS_WITH(le.inverse_transform({0, -1}),
                      Catch::Contains("code -1 at row 1 is not in 0..1"));
  REQUIRE(le.inverse_transform({1, 0}) == std::vector<std::string>{"opinion", "claim"});
  REQUIRE_THROWS_AS(LabelEncoder().inverse_transform({0}), StateError);
  REQUIRE_THROWS_AS(LabelEncoder().classes(), StateError);
  const BinaryLabelEncoder bin("claim", "opinion");
  REQUIRE(bin.transform({"claim", "opinion", "claim"}) == std::vector<double>{1, 0, 1});
  REQUIRE_THROWS_WITH(bin.transform({"claim", "other"}), Catch::Contains("'other' at row 1"));
  REQUIRE_THROWS_WITH(bin.transform(Column::from_strings({"claim", ""}, {true, false})),
                      Catch::Contains("missing label at row 1"));
  REQUIRE_THROWS_AS(bin.transform(small_frame().column("x")), SchemaError);
  REQUIRE_THROWS_AS(BinaryLabelEncoder("a", "a"), InvalidArgument);
  const auto y = bin.transform(real_frame().column("claim_status"));
  REQUIRE(y.size() == real_frame().num_rows());
}

TEST_CASE("feature_matrix assembles columns and rejects NaN, strings and ragged input") {
  const RowMatrix m = feature_matrix({"a", "b"}, {{1, 2, 3}, {4, 5, 6}});
  REQUIRE(m.rows() == 3);
  REQUIRE(m(2, 1) == 6.0);
  REQUIRE_THROWS_WITH(feature_matrix({"a", "b"}, {{1, 2}, {1}}), Catch::Contains("'b' has 1 rows"));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_WITH(feature_matrix({"a"}, {{1, nan}}), Catch::Contains("NaN value at row 1"));
  REQUIRE_THROWS_WITH(feature_matrix({"a"}, {{1, INFINITY}}), Catch::Contains("infinite"));
  REQUIRE_THROWS_WITH(
      feature_matrix(std::vector<std::string>{}, std::vector<std::vector<double>>{}),
      Catch::Contains("no columns"));
  REQUIRE_THROWS_AS(feature_matrix(small_frame(), {"status"}), SchemaError);
  REQUIRE_THROWS_AS(feature_matrix(small_frame(), {"nope"}), SchemaError);
  const RowMatrix f = feature_matrix(small_frame(), {"x", "flag"});
  REQUIRE(f(0, 0) == 1.5);
  REQUIRE(f(0, 1) == 1.0);
  DataFrame with_null;
  with_null.add_column("v", Column::from_int64({1, 2}, {true, false}));
  REQUIRE_THROWS_WITH(feature_matrix(with_null, {"v"}),
                      Catch::Contains("'v' has a NaN value at row 1"));
}

TEST_CASE("resample upsamples with replacement, reproducibly") {
  const auto a = resample_indices(10, 1000, 3);
  REQUIRE(a == resample_indices(10, 1000, 3));
  REQUIRE(a != resample_indices(10, 1000, 4));
  std::map<std::size_t, int> seen;
  for (auto i : a) {
    REQUIRE(i < 10);
    ++seen[i];
  }
  REQUIRE(seen.size() == 10);
  const auto b = resample_indices(10, 10, 3, false);
  REQUIRE(std::set<std::size_t>(b.begin(), b.end()).size() == 10);
  REQUIRE_THROWS_WITH(resample_indices(0, 5, 1), Catch::Contains("0 rows"));
  REQUIRE_THROWS_WITH(resample_indices(3, 5, 1, false),
                      Catch::Contains("cannot sample 5 out of 3"));
  // Upsampling the verified minority of the real data to the majority size, as the analysis does.
  const DataFrame& df = real_frame();
  const auto status = df.column("verified_status").to_strings();
  std::vector<bool> is_verified(status.size());
  for (std::size_t i = 0; i < status.size(); ++i) is_verified[i] = status[i] == "verified";
  const DataFrame minority = df.filter(is_verified);
  const std::size_t majority = df.num_rows() - minority.num_rows();
  const DataFrame up = resample(minority, majority, 0);
  REQUIRE(up.num_rows() == majority);
  for (const auto& s : up.column("verified_status").to_strings()) REQUIRE(s == "verified");
}

TEST_CASE("train_test_split of a frame, plain and stratified") {
  const DataFrame& df = real_frame();
  const auto [train, test] = train_test_split(df, {TestSize::fraction(0.2), true, 0});
  const auto sizes = train_test_sizes(df.num_rows(), TestSize::fraction(0.2));
  REQUIRE(train.num_rows() == sizes.first);
  REQUIRE(test.num_rows() == sizes.second);
  const auto [strain, stest] =
      train_test_split(df, {TestSize::fraction(0.2), true, 0}, "claim_status");
  REQUIRE(stest.num_rows() == sizes.second);
  REQUIRE(train_test_split(df, {}, "video_duration_sec").second.num_rows() ==
          train_test_sizes(df.num_rows(), TestSize::fraction(0.25)).second);
  DataFrame thin;
  thin.add_column("y", Column::from_int64({1, 1, 1, 2, 1, 1}));
  REQUIRE_THROWS_WITH(train_test_split(thin, {}, "y"), Catch::Contains("only 1 member"));
  REQUIRE_THROWS_AS(train_test_split(small_frame(), {}, "x"), SchemaError);
  REQUIRE_THROWS_WITH(train_test_split(small_frame(), {}, "status"),
                      Catch::Contains("missing values"));
}
