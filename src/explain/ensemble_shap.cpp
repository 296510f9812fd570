// The explainers of claimlens' own ensembles: their trees through TreeView, their outputs as
// their predict_proba makes them (docs/explanations.md, "Scales").
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/explain/tree_shap.hpp"

namespace claimlens {

namespace {

std::vector<TreeView> views(const std::vector<Tree>& trees) {
  std::vector<TreeView> out;
  out.reserve(trees.size());
  for (const Tree& t : trees) out.emplace_back(t);
  return out;
}

}  // namespace

TreeShapExplainer tree_shap(const RandomForestClassifier& model, TreeShapOptions options) {
  if (!model.is_fitted())
    throw StateError("RandomForestClassifier.explain: the model is not fitted");
  TreeShapOutput output;
  // predict_proba: (sum of the trees' leaves) * (1 / n_trees), the same operations.
  output.scale = 1.0 / static_cast<double>(model.trees().size());
  output.base = 0.0;
  output.kind = ShapScale::Probability;
  return TreeShapExplainer::build(views(model.trees()), model.n_features_in(), SplitCompare::Double,
                                  output, "RandomForestClassifier", options);
}

TreeShapExplainer tree_shap(const GradientBoostingClassifier& model, TreeShapOptions options) {
  if (!model.is_fitted()) {
    throw StateError("GradientBoostingClassifier.explain: the model is not fitted");
  }
  TreeShapOutput output;
  output.scale = 1.0;  // the margin: base margin + sum of the trees' leaves
  output.base = model.base_margin();
  output.kind = ShapScale::Margin;
  return TreeShapExplainer::build(views(model.trees()), model.n_features_in(), SplitCompare::Double,
                                  output, "GradientBoostingClassifier", options);
}

}  // namespace claimlens
