"""The estimators inside scikit-learn's Pipeline and GridSearchCV, cloned, cross-validated and
pickled, on the seed's data."""
import pickle

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import claimlens


def test_pipeline_and_grid_search(seed_shuffled):
    X, y = seed_shuffled
    X, y = X[:4000], y[:4000]
    pipe = Pipeline([("scale", StandardScaler()),
                     ("model", claimlens.GradientBoostingClassifier(n_estimators=10,
                                                                    random_state=0))])
    search = GridSearchCV(pipe, {"model__max_depth": [2, 4], "model__learning_rate": [0.1, 0.3]},
                          cv=3, scoring="recall", n_jobs=1)
    search.fit(X, y)
    assert set(search.best_params_) == {"model__max_depth", "model__learning_rate"}
    assert search.cv_results_["mean_test_score"].shape == (4,)
    assert search.best_score_ > 0.9  # the counts separate claims well (the seed's finding)
    best = search.best_estimator_
    p = best.predict_proba(X[:50])
    assert p.shape == (50, 2) and np.allclose(p.sum(axis=1), 1.0)
    # the fitted pipeline round-trips through pickle (the model travels as its bytes)
    again = pickle.loads(pickle.dumps(best))
    assert np.array_equal(again.predict_proba(X[:50]), p)


def test_cross_val_and_clone(seed_shuffled):
    X, y = seed_shuffled
    X, y = X[:3000], y[:3000]
    for estimator in (claimlens.RandomForestClassifier(n_estimators=10, random_state=1),
                      claimlens.LogisticRegression(C=0.1, max_iter=500)):
        scores = cross_val_score(estimator, X, y, cv=3, scoring="roc_auc")
        assert scores.shape == (3,) and scores.min() > 0.8
        twin = clone(estimator).set_params(random_state=5)
        assert twin.get_params()["random_state"] == 5 and not hasattr(twin, "model_")


def test_n_jobs_and_random_state(seed_shuffled):
    X, y = seed_shuffled
    X, y = X[:3000], y[:3000]
    one = claimlens.RandomForestClassifier(n_estimators=20, random_state=4, n_jobs=1).fit(X, y)
    two = claimlens.RandomForestClassifier(n_estimators=20, random_state=4, n_jobs=2).fit(X, y)
    # same seed, same model whatever the thread count
    assert np.array_equal(one.predict_proba(X), two.predict_proba(X))
    other = claimlens.RandomForestClassifier(n_estimators=20, random_state=5).fit(X, y)
    assert not np.array_equal(one.predict_proba(X), other.predict_proba(X))
