// The grid searches over the library's ensembles (declared in grid_search_models.hpp),
// instantiated once here rather than in every translation unit that uses them.
#include "claimlens/model_selection/grid_search_models.hpp"

namespace claimlens {

template class GridSearchCV<RandomForestClassifier>;
template class GridSearchCV<GradientBoostingClassifier>;

}  // namespace claimlens
