"""Peers of bench_explain: XGBoost 1.7's pred_contribs (classic TreeSHAP, Lundberg et al. 2018) on
boosters with the same parameters as claimlens' (the seed's 300 rounds depth 4, and 100 rounds
depth 8), fitted on the same seed claim features, explaining the 3,817 test rows with the same
thread count (1, and all cores). The boosters are each side's own fit of the same data and
parameters (similar leaf counts: XGBoost 1,942 / 1,052 leaves, claimlens 1,903 / 1,057).
"""
import importlib.util
import pathlib

import xgboost as xgb

ROOT = pathlib.Path(__file__).resolve().parents[2]

# The ensemble peer writes the feature CSVs bench_explain reads (on import) and builds the data.
_spec = importlib.util.spec_from_file_location("ensemble_peer", ROOT / "benchmarks" / "peers" /
                                               "ensemble.py")
_ensemble = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_ensemble)


def cases(ctx):
    Xtr, ytr, Xte, _ = _ensemble._data(ctx)
    base_score = float(ytr.mean())
    out = {}
    for depth, rounds in ((4, 300), (8, 100)):
        params = dict(_ensemble._claim.BOOST, max_depth=depth, n_estimators=rounds)
        booster = xgb.XGBClassifier(base_score=base_score, n_jobs=-1, **params).fit(Xtr, ytr)
        booster = booster.get_booster()
        for suffix, threads in (("", 1), ("_all_cores", -1)):
            booster.set_param({"nthread": threads})
            data = xgb.DMatrix(Xte, nthread=threads)
            out[f"explain/gbdt_d{depth}_test{suffix}"] = (
                "XGBoost pred_contribs",
                lambda b=booster, d=data: b.predict(d, pred_contribs=True))
    return out
