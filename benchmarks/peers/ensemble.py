"""Peers of bench_ensemble: scikit-learn's random forest and XGBoost's hist booster on the seed's
claim features (25 columns, 11,450 training rows, 3,817 test rows).

Importing this module builds the features with pandas/scikit-learn (the same code as the test
fixtures) and writes them to build/bench/ensemble_claim_{train,test}.csv, which bench_ensemble
reads, so both sides fit exactly the same matrices.
"""
import importlib.util
import pathlib

import numpy as np
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "bench"

_spec = importlib.util.spec_from_file_location(
    "ensemble_claim", ROOT / "tests" / "fixtures" / "scripts" / "ensemble_claim.py")
_claim = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_claim)


def _write_features(csv_path):
    train, y_train, test, y_test = _claim.claim_features(csv_path)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, frame, y in (("train", train, y_train), ("test", test, y_test)):
        out = frame.astype(float).copy()
        out.insert(0, "claim", y)
        out.to_csv(OUT / f"ensemble_claim_{name}.csv", index=False)
    return (train.to_numpy(dtype=float), y_train, test.to_numpy(dtype=float), y_test)


_DATA = None


def _data(ctx):
    global _DATA
    if _DATA is None:
        _DATA = _write_features(ctx.real_csv)
    return _DATA


def cases(ctx):
    Xtr, ytr, Xte, _ = _data(ctx)
    base_score = float(ytr.mean())

    def forest():
        return RandomForestClassifier(n_jobs=-1, **_claim.FOREST).fit(Xtr, ytr)

    def boost():
        return xgb.XGBClassifier(base_score=base_score, n_jobs=-1, **_claim.BOOST).fit(Xtr, ytr)

    fitted_forest = forest()
    fitted_boost = boost()
    return {
        "forest/fit_seed": ("sklearn RandomForest", forest),
        "gbdt/fit_seed": ("XGBoost hist", boost),
        "forest/predict_test": ("sklearn predict_proba", lambda: fitted_forest.predict_proba(Xte)),
        "gbdt/predict_test": ("XGBoost predict_proba", lambda: fitted_boost.predict_proba(Xte)),
    }


# peers.py runs bench_ensemble right after importing this module: write its inputs now.
if __name__ != "__main__":
    import os

    _real = os.environ.get("CLAIMLENS_BENCH_REAL",
                           str((ROOT / ".." / "shared" / "data" / "tiktok_dataset.csv").resolve()))

    class _Ctx:
        real_csv = _real

    _data(_Ctx)
