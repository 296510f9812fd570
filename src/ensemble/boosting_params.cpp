// GradientBoostingParams: its parameter table (XGBoost's names and value domains), from which
// from_json, to_json, validate and docs/parameters.md are made (claimlens/param_table.hpp).
#include <string>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/param_table.hpp"

namespace claimlens {

using nlohmann::json;
using P = GradientBoostingParams;

namespace {

ParamTable<P> make_table() {
  return ParamTable<P>(
      "params",
      {
          int_param<P>("n_estimators", &P::n_estimators, 1, kMaxEstimators, "boosting rounds"),
          number_param<P>("learning_rate", &P::learning_rate, kPositive,
                          "shrinkage of each tree's leaf values (eta)"),
          int_param<P>("max_depth", &P::max_depth, 0, kMaxTreeDepth,
                       "deepest level of a tree; 0 = unlimited"),
          number_param<P>("min_child_weight", &P::min_child_weight, kNonNegative,
                          "least hessian sum a child must hold"),
          number_param<P>("reg_lambda", &P::reg_lambda, kNonNegative, "L2 penalty on leaf values"),
          number_param<P>("reg_alpha", &P::reg_alpha, kNonNegative, "L1 penalty on leaf values"),
          number_param<P>("gamma", &P::gamma, kNonNegative, "least loss reduction of a split"),
          number_param<P>("subsample", &P::subsample, kUnitFraction,
                          "fraction of rows drawn for each tree"),
          number_param<P>("colsample_bytree", &P::colsample_bytree, kUnitFraction,
                          "fraction of features drawn for each tree"),
          int_param<P>("max_bin", &P::max_bin, 2, 256, "histogram bins per feature"),
          optional_number_param<P>("base_score", &P::base_score, NumberDomain{0.0, true, 1.0, true},
                                   "initial probability; null = mean label of the training rows"),
          seed_param<P>("random_state", &P::random_state, "seed of every random draw"),
          n_jobs_param<P>(&P::n_jobs),
          choice_param<P, P::EarlyStopping>(
              "early_stopping", &P::early_stopping,
              {{"off", P::EarlyStopping::Off},
               {"on", P::EarlyStopping::On},
               {"auto", P::EarlyStopping::Auto}},
              "hold out validation_fraction of each class and keep the rounds up to the lowest "
              "validation log loss, stopping after n_iter_no_change rounds without a gain of "
              "more than tol; auto = on above 10,000 rows"),
          int_param<P>("n_iter_no_change", &P::n_iter_no_change, 1, kMaxEstimators,
                       "rounds without a validation gain before early stopping"),
          number_param<P>("validation_fraction", &P::validation_fraction,
                          NumberDomain{0.0, true, 1.0, true},
                          "fraction of each class held out for early stopping"),
          number_param<P>("tol", &P::tol, kNonNegative,
                          "least validation log-loss decrease that counts as a gain"),
          bool_param<P>("use_quantized_grad", &P::use_quantized_grad,
                        "quantized training (LightGBM's): each round's gradients and hessians "
                        "rounded stochastically to integer levels, summed in integer histograms "
                        "(exact: the same sums in any order)"),
          int_param<P>(
              "num_grad_quant_bins", &P::num_grad_quant_bins, 2, kMaxGradQuantBins,
              "gradient levels of quantized training (hessians: as many); the fit takes at most "
              "(2^31 - 1) / num_grad_quant_bins rows (int32 histogram sums)"),
          bool_param<P>("quant_train_renew_leaf", &P::quant_train_renew_leaf,
                        "quantized training: leaf values from the true gradients of the leaf's "
                        "rows (false: from the quantized sums)"),
      });
}

}  // namespace

CLAIMLENS_DEFINE_PARAMS(GradientBoostingParams, make_table)

bool GradientBoostingParams::stops_early(std::size_t rows) const {
  return early_stopping == EarlyStopping::On ||
         (early_stopping == EarlyStopping::Auto && rows > kEarlyStoppingAutoRows);
}

}  // namespace claimlens
