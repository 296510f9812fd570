"""Bad input raises the matching exception with the library's message: ValueError for bad
arguments, OSError for I/O, claimlens.ModelFormatError for bad model data. Also the library
search, the version check, zero-copy input and the GIL."""
import ctypes
import json
import os
import pickle
import re
import subprocess
import sys

import numpy as np
import pytest

import claimlens
from claimlens import _lib

X = np.random.RandomState(0).rand(40, 3)
y = np.r_[np.zeros(20), np.ones(20)]


def fitted():
    return claimlens.RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)


def test_wrong_dtypes():
    est = fitted()
    with pytest.raises(ValueError, match="Complex data not supported"):
        est.predict(X.astype(complex))
    with pytest.raises(ValueError, match="could not convert string to float"):
        est.fit(np.array([["a", "b", "c"]] * 40, dtype=object), y)
    bad = X.astype(object)
    bad[0, 0] = {"foo": "bar"}
    with pytest.raises(TypeError, match="argument must be a string or a"):
        est.predict(bad)
    # the package's own matrix path refuses object arrays before any guess
    with pytest.raises(TypeError, match="not an array of Python objects"):
        est.model_.predict_proba(X.astype(object))
    with pytest.raises(ValueError, match="Unknown label type"):
        claimlens.LogisticRegression().fit(X, np.linspace(0, 1, 40))


def test_wrong_width():
    est = fitted()
    with pytest.raises(ValueError, match="X has 2 features, but RandomForestClassifier is "
                                         "expecting 3 features as input"):
        est.predict_proba(X[:, :2])
    # below the estimator, the library's own message
    with pytest.raises(ValueError, match="^claimlens_model_predict_proba: .*3"):
        est.model_.predict_proba(np.ones((2, 5)))
    with pytest.raises(ValueError, match="claimlens_model_explain"):
        est.model_.explain(np.ones((2, 5)))


def test_closed_model():
    model = fitted().model_
    model.close()
    model.close()  # twice is harmless
    with pytest.raises(ValueError, match="^claimlens_model_predict_proba: model is NULL$"):
        model.predict_proba(X)
    with pytest.raises(ValueError, match="model is NULL"):
        model.save_xgboost("/tmp/never.json")
    clf = claimlens.ClaimClassifier()
    with pytest.raises(ValueError, match="^claimlens_classifier_report_json: .*NULL"):
        clf.report()  # never trained


def test_bad_parameters_name_the_key():
    with pytest.raises(ValueError, match=r"'params.max_depth' must be .*not \"8\""):
        claimlens.GradientBoostingClassifier(max_depth="8").fit(X, y)
    with pytest.raises(ValueError, match="'params.learning_rate'"):
        claimlens.GradientBoostingClassifier(learning_rate=-1).fit(X, y)
    with pytest.raises(ValueError, match="one class"):
        claimlens.LogisticRegression().fit(X, np.ones(40))
    with pytest.raises(ValueError, match="NaN.*row 1, column 2"):
        bad = X.copy()
        bad[1, 2] = np.nan
        claimlens.LogisticRegression().fit(bad, y)


def test_model_files(tmp_path, data_path):
    with pytest.raises(claimlens.ModelFormatError, match="^claimlens_model_load: model file .*"
                                                          "tiktok_dataset.csv.*not a claimlens"):
        claimlens.load_model(data_path)
    with pytest.raises(OSError, match="^claimlens_model_load: cannot open"):
        claimlens.load_model(tmp_path / "missing.cbor")
    with pytest.raises(OSError):
        fitted().save(tmp_path / "no" / "such" / "folder.json")
    with pytest.raises(claimlens.ModelFormatError, match="claimlens_model_load_buffer"):
        claimlens.Model.from_bytes(fitted().model_.to_bytes()[:-7])
    with pytest.raises(claimlens.ModelFormatError):
        pickle.loads(pickle.dumps(fitted()).replace(b"random_forest", b"random_f0rest"))
    with pytest.raises(claimlens.ParseError, match="claimlens_frame_read_csv"):
        bad = tmp_path / "bad.csv"
        bad.write_bytes(b'a,b\n1,"2\n')
        claimlens.read_csv(bad)


def test_every_model_type_loads(tmp_path):
    for est in (fitted(), claimlens.GradientBoostingClassifier(n_estimators=3).fit(X, y),
                claimlens.LogisticRegression().fit(X, y)):
        for name in ("m.json", "m.cbor"):
            est.save(tmp_path / name)
            back = claimlens.load_model(tmp_path / name)
            assert np.array_equal(back.predict_proba(X), est.predict_proba(X)[:, 1])
    # an XGBoost JSON model (written by the library's exporter) loads as a model too; on
    # integer features the float32 split values XGBoost keeps are exact (docs/model-format.md)
    counts = np.round(X * 10)
    boost = claimlens.GradientBoostingClassifier(n_estimators=5, random_state=0).fit(counts, y)
    boost.model_.save_xgboost(tmp_path / "xgb.json")
    imported = claimlens.load_model(tmp_path / "xgb.json")
    assert imported.feature_names == boost.model_.feature_names
    assert np.allclose(imported.predict_proba(counts), boost.predict_proba(counts)[:, 1],
                       atol=1e-6)


@pytest.mark.parametrize("name", ["claim_d8_100_nan.json", "claim_d8_100_nan.ubj",
                                  "claim_reglogistic_small.ubj"])
def test_xgboost_files_load_and_predict_as_xgboost(name):
    """XGBoost 1.7's own files (tests/fixtures/scripts/xgboost_models.py wrote them and its
    predictions): load_model reads them and predicts XGBoost's probabilities to the bit."""
    folder = os.path.join(os.path.dirname(__file__), "../fixtures/xgboost")
    with open(os.path.join(folder, name.rsplit(".", 1)[0] + "_predictions.json")) as f:
        ref = json.load(f)
    edges = np.array([[np.nan if v is None else v for v in row] for row in ref["edge_rows"]])
    model = claimlens.load_model(os.path.join(folder, name))
    assert np.array_equal(model.predict_proba(edges), ref["prediction"][-len(edges):])


def test_no_copy_for_c_contiguous_float64(monkeypatch):
    a = np.ones((4, 3))
    assert _lib.c_doubles(a) is a
    f = np.asfortranarray(a)
    assert _lib.c_doubles(f) is not f and _lib.c_doubles(f).flags.c_contiguous
    assert _lib.c_doubles(a.astype(np.float32)).dtype == np.float64
    # through an estimator: the pointer handed to the library is the caller's own buffer
    from claimlens import _model
    seen = []
    real = _model.pointer
    monkeypatch.setattr(_model, "pointer", lambda arr: seen.append(arr.ctypes.data) or real(arr))
    est = fitted()
    seen.clear()
    est.predict_proba(X)
    assert seen[0] == X.ctypes.data
    seen.clear()
    est.predict_proba(np.asfortranarray(X))
    assert seen[0] != X.ctypes.data


def test_gil_released_during_calls():
    # ctypes.CDLL releases the GIL around every foreign call; PyDLL would not
    assert type(_lib.lib) is ctypes.CDLL


def test_version_mismatch_is_refused():
    # The library and the package are both of project(VERSION): the library is refused as 9.9.9.
    with pytest.raises(ImportError, match=re.escape(f"is version {claimlens.__version__}, but this "
                                                    "Python package is version 9.9.9")):
        _lib.check_version(_lib.lib, claimlens.library_path, expected="9.9.9")


def test_library_search(tmp_path):
    env = dict(os.environ, CLAIMLENS_LIBRARY=str(tmp_path / "libnothing.so"))
    run = subprocess.run([sys.executable, "-c", "import claimlens"], env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "libclaimlens.so not found; set CLAIMLENS_LIBRARY" in run.stderr
    assert "libnothing.so (no such file)" in run.stderr
    env["CLAIMLENS_LIBRARY"] = claimlens.library_path
    run = subprocess.run([sys.executable, "-c", "import claimlens; print(claimlens.library_path)"],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == claimlens.library_path


def test_calibration_and_threshold(seed_shuffled):
    Xs, ys = seed_shuffled
    est = claimlens.GradientBoostingClassifier(n_estimators=20, random_state=0)
    est.fit(Xs[:8000], ys[:8000])
    calibrated = est.calibrate(Xs[8000:12000], ys[8000:12000], method="isotonic")
    p = calibrated.predict_proba(Xs[12000:])
    assert p.shape == (Xs.shape[0] - 12000,) and np.all((p >= 0) & (p <= 1))
    chosen = calibrated.choose_threshold(Xs[8000:12000], ys[8000:12000], precision=0.95,
                                         n_resamples=0)
    assert chosen.operating_point["operating_point"] is not None
    assert 0 < chosen.threshold < 1
    with pytest.raises(ValueError, match="^claimlens_model_calibrate: .*only class 0"):
        est.model_.calibrate(Xs[:50], np.zeros(50))
