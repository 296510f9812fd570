// The grid searches over the library's own ensembles: declared here (included by
// grid_search.hpp), instantiated once in src/model_selection/grid_search_models.cpp rather than in
// every translation unit that uses them. Their prefix scoring (detail::TreePrefix) comes with the
// models' headers.
#pragma once

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/model_selection/grid_search.hpp"

namespace claimlens {

extern template class GridSearchCV<RandomForestClassifier>;
extern template class GridSearchCV<GradientBoostingClassifier>;

}  // namespace claimlens
