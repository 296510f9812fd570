// RandomForestParams: its parameter table (scikit-learn's names and value domains), from which
// from_json, to_json, validate and docs/parameters.md are made (claimlens/param_table.hpp).
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/param_table.hpp"

namespace claimlens {

using nlohmann::json;
using P = RandomForestParams;

namespace {

constexpr int kIntMax = std::numeric_limits<int>::max();

// max_features and max_samples (a P::MaxFeatures or P::MaxSamples member): a fraction (a JSON
// float), a count (a JSON integer) or one of `named` (strings, nullptr for null); the JSON type
// decides, as in scikit-learn (1.0 is all rows, 1 is one row).
template <class M>
ParamRow<P> fraction_or_count_row(const char* key, M P::*m,
                                  std::vector<std::pair<const char*, typename M::Kind>> named,
                                  const char* type, const char* domain, const char* doc) {
  using Kind = typename M::Kind;
  return {key,
          type,
          domain,
          doc,
          [m, named, domain](P& p, const JsonReader& r) {
            if (r.value().is_number_integer()) {
              p.*m = {Kind::Count, static_cast<double>(r.int32())};
              return;
            }
            if (r.value().is_number_float()) {
              p.*m = {Kind::Fraction, r.value().get<double>()};
              return;
            }
            for (const auto& n : named) {
              if (n.first ? json_string_equals(r.value(), n.first) : r.value().is_null()) {
                p.*m = {n.second, 0.0};
                return;
              }
            }
            r.fail_value(std::string("must be ") + domain);
          },
          [m, named](const P& p) {
            const M& v = p.*m;
            if (v.kind == Kind::Fraction) return json(v.value);
            if (v.kind == Kind::Count) return json(static_cast<long long>(v.value));
            for (const auto& n : named) {
              if (n.second == v.kind) return n.first ? json(n.first) : json(nullptr);
            }
            return json(nullptr);
          },
          [m](const P& p) {
            const M& v = p.*m;
            if (v.kind == Kind::Fraction) return v.value > 0.0 && v.value <= 1.0;
            return v.kind != Kind::Count || v.value >= 1.0;
          }};
}

ParamRow<P> max_features_row() {
  using MF = P::MaxFeatures::Kind;
  return fraction_or_count_row<P::MaxFeatures>(
      "max_features", &P::max_features,
      {{"sqrt", MF::Sqrt}, {"log2", MF::Log2}, {nullptr, MF::All}}, "string, null or number",
      "\"sqrt\", \"log2\", null (all), a fraction in (0, 1] or a count >= 1",
      "features drawn at each split");
}

ParamRow<P> max_samples_row() {
  return fraction_or_count_row<P::MaxSamples>(
      "max_samples", &P::max_samples, {{nullptr, P::MaxSamples::Kind::All}}, "null or number",
      "null (all rows), a fraction in (0, 1] or a count >= 1",
      "rows drawn for each tree's bootstrap sample");
}

ParamTable<P> make_table() {
  return ParamTable<P>(
      "params",
      {
          int_param<P>("n_estimators", &P::n_estimators, 1, kMaxEstimators, "number of trees"),
          choice_param<P, P::Criterion>(
              "criterion", &P::criterion,
              {{"gini", P::Criterion::Gini}, {"entropy", P::Criterion::Entropy}},
              "impurity a split minimizes"),
          optional_int_param<P>("max_depth", &P::max_depth, 1, kMaxTreeDepth,
                                "deepest level of a tree; null = unlimited"),
          int_param<P>("min_samples_split", &P::min_samples_split, 2, kIntMax,
                       "fewest rows a node must hold to be split"),
          int_param<P>("min_samples_leaf", &P::min_samples_leaf, 1, kIntMax,
                       "fewest rows each child of a split must hold"),
          max_features_row(),
          bool_param<P>("bootstrap", &P::bootstrap, "grow each tree on a bootstrap sample"),
          max_samples_row(),
          choice_param<P, P::ClassWeight>(
              "class_weight", &P::class_weight,
              {{nullptr, P::ClassWeight::None}, {"balanced", P::ClassWeight::Balanced}},
              "null = equal weights; \"balanced\" = n / (2 n_class)"),
          seed_param<P>("random_state", &P::random_state, "seed of every random draw"),
          n_jobs_param<P>(&P::n_jobs),
          bool_param<P>("oob_score", &P::oob_score, "compute the out-of-bag accuracy"),
          int_param<P>("max_bin", &P::max_bin, 2, 256, "histogram bins per feature"),
      },
      {
          {"max_samples", "cannot be set when bootstrap is false",
           [](const P& p) {
             return p.bootstrap || p.max_samples.kind == P::MaxSamples::Kind::All;
           }},
          {"oob_score", "needs bootstrap = true",
           [](const P& p) { return p.bootstrap || !p.oob_score; }},
      });
}

}  // namespace

CLAIMLENS_DEFINE_PARAMS(RandomForestParams, make_table)

}  // namespace claimlens
