"""Model: a handle on a trained claimlens model of any type (claimlens_model), the layer the
scikit-learn estimators and load_model share."""
import ctypes
import json

import numpy as np

from . import _lib
from ._lib import check, lib, c_doubles, pointer


def _matrix(X, width=None, name="X"):
    """X as a C-contiguous float64 matrix (no copy when it already is one)."""
    X = c_doubles(X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-d array, got {X.ndim} dimension(s)")
    if width is not None and X.shape[1] != width:
        raise ValueError(f"{name} has {X.shape[1]} features, but the model is expecting "
                         f"{width} features as input")
    return X


def _labels(y, rows):
    y = c_doubles(y).ravel()
    if y.shape[0] != rows:
        raise ValueError(f"y has {y.shape[0]} labels for {rows} rows")
    return y


def _name(function, handle, index):
    length = ctypes.c_size_t()
    check(function(handle, index, None, 0, ctypes.byref(length)))
    buf = ctypes.create_string_buffer(length.value + 1)
    check(function(handle, index, buf, len(buf), None))
    return buf.value.decode("utf-8")


def _params_json(params):
    def plain(value):  # numpy scalars from grids and random_state draws
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
        if isinstance(value, np.bool_):
            return bool(value)
        raise TypeError(f"parameter value {value!r} of type {type(value).__name__} is not "
                        "a JSON number, string, boolean or null")
    return json.dumps(params, default=plain, allow_nan=False).encode()


class Model:
    """A trained binary model: random forest, gradient boosting, logistic regression, tabular
    pipeline, claim classifier, imported XGBoost booster, or a calibrated one of those.
    Pickles through its saved bytes. close() frees it; a closed model's calls raise the
    library's ValueError ("model is NULL")."""

    def __init__(self, handle, owner=None):
        self._handle = handle  # ctypes.c_void_p
        self._owner = owner    # a ClaimClassifier lending its model: not freed here

    # ---- construction ----
    @classmethod
    def train(cls, params, X, y):
        """claimlens_model_train: params holds "algorithm" and the algorithm's parameters."""
        X = _matrix(X)
        y = _labels(y, X.shape[0])
        out = ctypes.c_void_p()
        check(lib.claimlens_model_train(pointer(X), X.shape[0], X.shape[1], pointer(y),
                                        _params_json(params), ctypes.byref(out)))
        return cls(out)

    @classmethod
    def from_bytes(cls, data):
        data = bytes(data)
        out = ctypes.c_void_p()
        check(lib.claimlens_model_load_buffer(data, len(data), ctypes.byref(out)))
        return cls(out)

    def to_bytes(self):
        """The model saved as CBOR bytes (claimlens_model_save_buffer)."""
        buf, length = ctypes.c_void_p(), ctypes.c_size_t()
        check(lib.claimlens_model_save_buffer(self._handle, ctypes.byref(buf),
                                              ctypes.byref(length)))
        return _lib.take_bytes(buf, length)

    def __getstate__(self):
        return {"model": self.to_bytes()}

    def __setstate__(self, state):
        other = Model.from_bytes(state["model"])
        self._handle, self._owner = other._handle, None
        other._handle = ctypes.c_void_p()

    def close(self):
        if self._owner is None and self._handle:
            lib.claimlens_model_free(self._handle)
        self._handle = ctypes.c_void_p()

    def __del__(self):
        if getattr(self, "_handle", None) is not None and lib is not None:
            self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- prediction ----
    @property
    def num_features(self):
        out = ctypes.c_size_t()
        check(lib.claimlens_model_num_features(self._handle, ctypes.byref(out)))
        return out.value

    def predict_proba(self, X):
        """P(y = 1) of each row: a numeric matrix, or a pandas DataFrame (read by column name,
        as claimlens_model_predict_frame does)."""
        if _is_dataframe(X):
            from ._frame import frame_from_dataframe
            with frame_from_dataframe(X) as frame:
                out = np.empty(frame.num_rows)
                check(lib.claimlens_model_predict_frame(self._handle, frame.handle,
                                                        out.shape[0], pointer(out)))
                return out
        X = _matrix(X)
        out = np.empty(X.shape[0])
        check(lib.claimlens_model_predict_proba(self._handle, pointer(X), X.shape[0],
                                                X.shape[1], pointer(out)))
        return out

    def predict(self, X):
        """1 where P(y = 1) > the model's threshold, else 0."""
        X = _matrix(X)
        out = np.empty(X.shape[0], dtype=np.intc)
        check(lib.claimlens_model_predict(self._handle, pointer(X), X.shape[0], X.shape[1],
                                          out.ctypes.data_as(ctypes.POINTER(ctypes.c_int))))
        return out

    @property
    def threshold(self):
        out = ctypes.c_double()
        check(lib.claimlens_model_threshold(self._handle, ctypes.byref(out)))
        return out.value

    @property
    def feature_names(self):
        return [_name(lib.claimlens_model_feature_name, self._handle, i)
                for i in range(self.num_features)]

    @property
    def feature_importances(self):
        out = np.empty(self.num_features)
        check(lib.claimlens_model_feature_importances(self._handle, pointer(out), out.shape[0]))
        return out

    @property
    def coefficients(self):
        """Logistic regression: intercept, then one coefficient per feature."""
        out = np.empty(self.num_features + 1)
        check(lib.claimlens_model_coefficients(self._handle, pointer(out), out.shape[0]))
        return out

    # ---- explanations ----
    @property
    def explain_scale(self):
        out = ctypes.c_char_p()
        check(lib.claimlens_model_explain_scale(self._handle, ctypes.byref(out)))
        return out.value.decode()

    @property
    def expected_value(self):
        out = ctypes.c_double()
        check(lib.claimlens_model_expected_value(self._handle, ctypes.byref(out)))
        return out.value

    @property
    def feature_groups(self):
        """{group name: [feature names]} (a claim classifier's n-grams under their column)."""
        n = ctypes.c_size_t()
        check(lib.claimlens_model_num_groups(self._handle, ctypes.byref(n)))
        groups = {_name(lib.claimlens_model_group_name, self._handle, g): []
                  for g in range(n.value)}
        names = list(groups)
        group = ctypes.c_size_t()
        for i, feature in enumerate(self.feature_names):
            check(lib.claimlens_model_feature_group(self._handle, i, ctypes.byref(group)))
            groups[names[group.value]].append(feature)
        return groups

    def explain(self, X):
        """Exact Shapley values: (rows, features + 1) with the bias last, and each row's
        additivity residual."""
        X = _matrix(X)
        rows, cols = X.shape
        out, residual = np.empty((rows, cols + 1)), np.empty(rows)
        check(lib.claimlens_model_explain(self._handle, pointer(X), rows, cols, pointer(out),
                                          out.size, pointer(residual), rows))
        return out, residual

    # ---- calibration and thresholds ----
    def calibrate(self, X, y, method="sigmoid", cv=0, score=None):
        """A new calibrated model (claimlens_model_calibrate, or claimlens_model_calibrate_frame
        for a DataFrame, read by column name); y holds 0 / 1. cv=0: rows the model did not train
        on; cv=k: its training rows, refitted over k folds."""
        options = {"method": method, "cv": cv}
        if score is not None:
            options["score"] = score
        if _is_dataframe(X):
            return self._derived_frame(lib.claimlens_model_calibrate_frame, X, y, options)
        return self._derived(lib.claimlens_model_calibrate, X, y, options)

    def choose_threshold(self, X, y, precision=None, recall=None, n_resamples=1000, seed=0,
                         confidence=0.95):
        """A new model holding the operating point for a target precision or recall."""
        options = {"n_resamples": n_resamples, "seed": seed, "confidence": confidence}
        if precision is not None:
            options["precision"] = precision
        if recall is not None:
            options["recall"] = recall
        if _is_dataframe(X):
            return self._derived_frame(lib.claimlens_model_choose_threshold_frame, X, y, options)
        return self._derived(lib.claimlens_model_choose_threshold, X, y, options)

    def _derived(self, function, X, y, options):
        X = _matrix(X)
        y = _labels(y, X.shape[0])
        out = ctypes.c_void_p()
        check(function(self._handle, pointer(X), X.shape[0], X.shape[1], pointer(y),
                       _params_json(options), ctypes.byref(out)))
        return Model(out)

    def _derived_frame(self, function, df, y, options):
        from ._frame import frame_from_dataframe
        y = _labels(y, len(df))
        out = ctypes.c_void_p()
        with frame_from_dataframe(df) as frame:
            check(function(self._handle, frame.handle, y.shape[0], pointer(y),
                           _params_json(options), ctypes.byref(out)))
        return Model(out)

    @property
    def operating_point(self):
        out = ctypes.c_void_p()
        check(lib.claimlens_model_operating_point_json(self._handle, ctypes.byref(out)))
        return json.loads(_lib.take_string(out))

    # ---- files ----
    def save(self, path):
        """JSON when the name ends in .json, CBOR otherwise; written atomically."""
        check(lib.claimlens_model_save(self._handle, _lib.encode_path(path)))

    def save_xgboost(self, path):
        check(lib.claimlens_model_save_xgboost(self._handle, _lib.encode_path(path)))


def load_model(path):
    """Loads a model file of any type (claimlens, or an XGBoost JSON / UBJSON model)."""
    out = ctypes.c_void_p()
    check(lib.claimlens_model_load(_lib.encode_path(path), ctypes.byref(out)))
    return Model(out)


def _is_dataframe(X):
    try:
        import pandas
    except ImportError:
        return False
    return isinstance(X, pandas.DataFrame)
