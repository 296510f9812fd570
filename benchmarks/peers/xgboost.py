"""Peers of bench_xgboost: XGBoost 1.7's own Booster on the same committed model file
(tests/fixtures/xgboost/claim_d4_300.ubj, 300 rounds of depth 4 trained by XGBoost on the seed's
claim features) and the same 3,817 test rows (tests/fixtures/ensemble_claim_test.json), one
thread, through inplace_predict (the fastest Python path: no DMatrix).

xgboost/import_batch/1: the whole batch; xgboost/import_single_row: one row per call (cycling).
"""
import json
import pathlib

import numpy as np
import xgboost as xgb

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def _test_rows():
    j = json.loads((FIXTURES / "ensemble_claim_test.json").read_text())
    cols = [[int(ch) for ch in c["digits"]] if "digits" in c else c["values"]
            for c in j["columns"]]
    return np.ascontiguousarray(np.array(cols, dtype=float).T)


def cases(ctx):
    booster = xgb.Booster(model_file=str(FIXTURES / "xgboost" / "claim_d4_300.ubj"))
    booster.set_param({"nthread": 1})
    booster.feature_names = None  # plain arrays, as bench_xgboost passes
    X = _test_rows()
    rows = [X[i:i + 1] for i in range(len(X))]
    state = {"i": 0}

    def single():
        row = rows[state["i"]]
        state["i"] = (state["i"] + 1) % len(rows)
        return booster.inplace_predict(row)

    def batch():
        return booster.inplace_predict(X)

    return {
        "xgboost/import_batch/1": ("XGBoost inplace_predict", batch),
        "xgboost/import_single_row": ("XGBoost inplace_predict", single),
    }
