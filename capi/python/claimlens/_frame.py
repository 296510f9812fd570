"""Frames (claimlens_frame) to and from pandas, and the statistics of the C ABI as pandas
objects: read_csv, ttest_ind, logit."""
import ctypes
import json

import numpy as np
import pandas as pd

from . import _lib
from ._lib import check, lib, c_doubles, pointer

INT64, FLOAT64, STRING, BOOL = 0, 1, 2, 3


class Frame:
    """An owned claimlens_frame; a context manager that frees it."""

    def __init__(self, handle):
        self.handle = handle

    @classmethod
    def read_csv(cls, path):
        out = ctypes.c_void_p()
        check(lib.claimlens_frame_read_csv(_lib.encode_path(path), ctypes.byref(out)))
        return cls(out)

    @classmethod
    def from_csv_text(cls, data):
        out = ctypes.c_void_p()
        check(lib.claimlens_frame_read_csv_buffer(data, len(data), ctypes.byref(out)))
        return cls(out)

    @property
    def num_rows(self):
        return lib.claimlens_frame_num_rows(self.handle)

    def close(self):
        lib.claimlens_frame_free(self.handle)
        self.handle = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def to_pandas(self):
        rows = self.num_rows
        columns = {}
        name, dtype, nulls = ctypes.c_char_p(), ctypes.c_int(), ctypes.c_size_t()
        for i in range(lib.claimlens_frame_num_columns(self.handle)):
            check(lib.claimlens_frame_column_name(self.handle, i, ctypes.byref(name)))
            key = name.value
            check(lib.claimlens_frame_column_dtype(self.handle, key, ctypes.byref(dtype)))
            check(lib.claimlens_frame_null_count(self.handle, key, ctypes.byref(nulls)))
            if dtype.value == STRING:
                values = self._strings(key, rows)
            else:
                values = np.empty(rows)
                check(lib.claimlens_frame_get_doubles(self.handle, key, rows, pointer(values)))
                # pandas' own types: int64 and bool without nulls; with nulls float64 (NaN) and
                # object (True / False / NaN) as pandas.read_csv gives them.
                if dtype.value == INT64 and nulls.value == 0:
                    values = values.astype(np.int64)
                elif dtype.value == BOOL:
                    values = (values.astype(bool) if nulls.value == 0 else
                              np.array([v if v != v else bool(v) for v in values], dtype=object))
            columns[key.decode("utf-8")] = values
        return pd.DataFrame(columns)

    def _strings(self, key, rows):
        out = np.empty(rows, dtype=object)
        cell = ctypes.c_char_p()
        for row in range(rows):
            check(lib.claimlens_frame_get_string(self.handle, key, row, ctypes.byref(cell)))
            out[row] = np.nan if cell.value is None else cell.value.decode("utf-8")
        return out


def frame_from_dataframe(df):
    """A claimlens frame holding a pandas DataFrame's columns (through CSV text, which both
    sides read and write exactly: floats print with the digits that read back to the same
    value, missing values as empty cells)."""
    return Frame.from_csv_text(df.to_csv(index=False).encode("utf-8"))


def read_csv(path):
    """Reads a CSV file with claimlens' reader into a pandas DataFrame: int64, float64, bool and
    string (object) columns, nulls as NaN, as pandas.read_csv gives them. Integers are carried
    as doubles: exact up to 2**53."""
    with Frame.read_csv(path) as frame:
        return frame.to_pandas()


def ttest_ind(a, b, equal_var=False):
    """scipy.stats.ttest_ind's two-sided test (Welch's by default) as a pandas Series:
    statistic, df, pvalue. NaN values are skipped."""
    a, b = c_doubles(a).ravel(), c_doubles(b).ravel()
    out = _lib.TTest()
    check(lib.claimlens_ttest_ind(pointer(a), a.shape[0], pointer(b), b.shape[0],
                                  int(bool(equal_var)), ctypes.byref(out)))
    return pd.Series({"statistic": out.statistic, "df": out.df, "pvalue": out.p_value},
                     name="welch_t" if not equal_var else "student_t")


class LogitResults:
    """statsmodels-style results of logit(): `table` (a DataFrame indexed by parameter with
    coef, std err, z, P>|z|, [0.025, 0.975]), `params`, `bse`, `pvalues` (Series), the fit
    statistics (llf, llnull, llr, llr_pvalue, prsquared, aic, bic, nobs, converged, ...) as
    attributes, and summary() as statsmodels prints it."""

    def __init__(self, fit):
        index = pd.Index(fit["names"], name="parameter")
        self.table = pd.DataFrame({"coef": fit["params"], "std err": fit["bse"],
                                   "z": fit["zvalues"], "P>|z|": fit["pvalues"],
                                   "[0.025": fit["ci_low"], "0.975]": fit["ci_high"]},
                                  index=index)
        self.params = self.table["coef"].rename("params")
        self.bse = self.table["std err"].rename("bse")
        self.pvalues = self.table["P>|z|"].rename("pvalues")
        for key in ("dep_name", "llf", "llnull", "llr", "llr_pvalue", "prsquared", "aic", "bic",
                    "df_model", "df_resid", "nobs", "converged", "iterations"):
            setattr(self, key, fit[key])
        self._summary = fit["summary"]

    def summary(self):
        return self._summary


def logit(y, X, add_constant=True, max_iter=100, tol=1e-8):
    """statsmodels' Logit(y, sm.add_constant(X)).fit(): X a DataFrame (its column names name
    the parameters) or a matrix; y of 0 / 1 (a Series' name is the dependent variable)."""
    options = {"add_constant": bool(add_constant), "max_iter": int(max_iter), "tol": float(tol)}
    if isinstance(X, pd.DataFrame):
        options["names"] = [str(c) for c in X.columns]
    if isinstance(y, pd.Series) and y.name is not None:
        options["dep_name"] = str(y.name)
    X = c_doubles(X)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    y = c_doubles(y).ravel()
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} values for {X.shape[0]} rows of X")
    out = ctypes.c_void_p()
    check(lib.claimlens_logit_json(pointer(X), X.shape[0], X.shape[1], pointer(y),
                                   json.dumps(options).encode(), ctypes.byref(out)))
    return LogitResults(json.loads(_lib.take_string(out)))
