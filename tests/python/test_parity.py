"""The estimators give the C ABI's probabilities to the last bit on the seed's data: the same
training call made here through raw ctypes (no package code) and through the package."""
import ctypes
import json
import os

import numpy as np
import pandas as pd
import pytest

import claimlens

PARAMS = [
    (claimlens.RandomForestClassifier(n_estimators=30, max_depth=8, random_state=7, n_jobs=2),
     {"algorithm": "random_forest", "n_estimators": 30, "max_depth": 8, "random_state": 7,
      "n_jobs": 2}),
    (claimlens.GradientBoostingClassifier(n_estimators=40, learning_rate=0.2, max_depth=4,
                                          subsample=0.8, colsample_bytree=0.8, reg_lambda=2.0,
                                          random_state=3),
     {"algorithm": "gradient_boosting", "n_estimators": 40, "learning_rate": 0.2, "max_depth": 4,
      "subsample": 0.8, "colsample_bytree": 0.8, "reg_lambda": 2.0, "random_state": 3}),
    (claimlens.LogisticRegression(C=0.5, max_iter=200),
     {"algorithm": "logistic_regression", "C": 0.5, "max_iter": 200}),
]


def raw_probabilities(params, X, y, X_test):
    """claimlens_model_train + claimlens_model_predict_proba straight from libclaimlens.so."""
    lib = ctypes.CDLL(os.environ.get("CLAIMLENS_LIBRARY") or claimlens.library_path)
    dp = ctypes.POINTER(ctypes.c_double)
    lib.claimlens_model_train.argtypes = [dp, ctypes.c_size_t, ctypes.c_size_t, dp,
                                          ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.claimlens_model_predict_proba.argtypes = [ctypes.c_void_p, dp, ctypes.c_size_t,
                                                  ctypes.c_size_t, dp]
    lib.claimlens_model_free.argtypes = [ctypes.c_void_p]
    lib.claimlens_last_error.restype = ctypes.c_char_p
    model = ctypes.c_void_p()
    status = lib.claimlens_model_train(X.ctypes.data_as(dp), X.shape[0], X.shape[1],
                                       y.ctypes.data_as(dp), json.dumps(params).encode(),
                                       ctypes.byref(model))
    assert status == 0, lib.claimlens_last_error()
    out = np.empty(X_test.shape[0])
    status = lib.claimlens_model_predict_proba(model, X_test.ctypes.data_as(dp), X_test.shape[0],
                                               X_test.shape[1], out.ctypes.data_as(dp))
    lib.claimlens_model_free(model)
    assert status == 0, lib.claimlens_last_error()
    return out


@pytest.mark.parametrize("estimator,params", PARAMS, ids=lambda p: type(p).__name__)
def test_probabilities_equal_c_abi_bit_for_bit(estimator, params, seed_shuffled):
    X, y = seed_shuffled
    train, test = slice(0, 15000), slice(15000, None)
    Xtr, Xte = np.ascontiguousarray(X[train]), np.ascontiguousarray(X[test])
    want = raw_probabilities(params, Xtr, y[train], Xte)
    # string labels: the package encodes them to 0 / 1 in sorted order ("claim" < "opinion"
    # would flip them, so the positive class is named to sort last)
    labels = np.where(y[train] == 1, "yes_claim", "no_claim")
    got = estimator.fit(Xtr, labels).predict_proba(Xte)[:, 1]
    assert list(estimator.classes_) == ["no_claim", "yes_claim"]
    assert np.array_equal(got, want)  # every bit, not a tolerance
    # a Fortran-ordered copy and DataFrames give the same bits
    assert np.array_equal(estimator.predict_proba(np.asfortranarray(Xte))[:, 1], want)
    frame = pd.DataFrame(Xte, columns=[f"c{i}" for i in range(Xte.shape[1])])
    estimator.fit(pd.DataFrame(Xtr, columns=frame.columns), labels)
    assert list(estimator.feature_names_in_) == list(frame.columns)
    assert np.array_equal(estimator.predict_proba(frame)[:, 1], want)


def test_read_csv_matches_pandas(data_path, videos):
    ours = claimlens.read_csv(data_path)
    assert list(ours.columns) == list(videos.columns)
    for column in videos.columns:
        assert ours[column].dtype == videos[column].dtype, column
    pd.testing.assert_frame_equal(ours, videos)


def test_welch_test_matches_scipy_figure(videos):
    complete = videos.dropna()
    views = complete["video_view_count"]
    result = claimlens.ttest_ind(views[complete["verified_status"] == "not verified"],
                                 views[complete["verified_status"] == "verified"])
    assert list(result.index) == ["statistic", "df", "pvalue"]
    # docs/analyze-json.md: t = 25.4994 on tiktok_dataset.csv (scipy's figure)
    assert round(result["statistic"], 4) == 25.4994
    scipy_stats = pytest.importorskip("scipy.stats")
    want = scipy_stats.ttest_ind(views[complete["verified_status"] == "not verified"],
                                 views[complete["verified_status"] == "verified"],
                                 equal_var=False)
    assert result["statistic"] == pytest.approx(want.statistic, rel=1e-12)
    assert result["pvalue"] == pytest.approx(want.pvalue, rel=1e-9, abs=1e-300)
