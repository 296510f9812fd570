#!/usr/bin/env python3
"""predict_proba per record through the claimlens Python package against scikit-learn's
RandomForestClassifier and XGBoost's XGBClassifier, same data, same model sizes, one thread.

The data: the seed's complete rows of tiktok_dataset.csv, the six numeric columns and the two
status columns one-hot encoded (9 features), label claim_status; 75 % train / 25 % batch, a fixed
random split. Models (the seed's best sizes, benchmarks/README.md): forest of 200 trees,
max_features 0.6, max_samples 0.7; boosting of 300 rounds, depth 4, learning rate 0.1,
min_child_weight 5, hist method. Every model is trained with one thread (n_jobs=1) and predicts
on one thread.

Cases per model: the scikit-learn estimator's predict_proba (input validation included), and
claimlens' Model.predict_proba (the ctypes call alone) / XGBoost's Booster.inplace_predict.
One record: a (1, 9) array, `--single` calls cycling over the batch rows; batch: the whole
batch in one call. Prints the medians of `--repeats` runs, per record: CPU time of the process
(every case runs on one thread) and real time.

Usage: CLAIMLENS_LIBRARY=build/release/libclaimlens.so PYTHONPATH=build/release/python \\
       /usr/bin/python3 benchmarks/python_predict.py [--data tiktok_dataset.csv]
"""
import argparse
import os
import statistics
import time

import numpy as np
import pandas as pd
import sklearn.ensemble
import xgboost

import claimlens


def seed_design(path):
    videos = pd.read_csv(path).dropna()
    numeric = ["video_duration_sec", "video_view_count", "video_like_count", "video_share_count",
               "video_download_count", "video_comment_count"]
    X = pd.concat([videos[numeric],
                   pd.get_dummies(videos[["verified_status", "author_ban_status"]],
                                  drop_first=True)], axis=1).to_numpy(dtype=np.float64)
    y = (videos["claim_status"] == "claim").to_numpy(dtype=np.float64)
    order = np.random.RandomState(0).permutation(len(y))
    cut = len(y) * 3 // 4
    train, batch = order[:cut], order[cut:]
    return (np.ascontiguousarray(X[train]), y[train], np.ascontiguousarray(X[batch]))


def per_record(call, rows, repeats):
    """Medians over repeats of the seconds per record of `call()` covering `rows` records: CPU
    time of this process (what other processes on a shared machine do not inflate; every case
    runs on one thread) and real time."""
    call()  # warm-up (lazy imports, first-call caches)
    cpu, real = [], []
    for _ in range(repeats):
        start_cpu, start = time.process_time(), time.perf_counter()
        call()
        cpu.append((time.process_time() - start_cpu) / rows)
        real.append((time.perf_counter() - start) / rows)
    return statistics.median(cpu), statistics.median(real)


def singles(predict, batch, n):
    rows = [batch[i:i + 1] for i in range(min(n, batch.shape[0]))]

    def call():
        for row in rows:
            predict(row)
    return call, len(rows)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--data",
                        default=os.path.join(here, "../../shared/data/tiktok_dataset.csv"))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--single", type=int, default=2000)
    args = parser.parse_args()
    X, y, batch = seed_design(args.data)

    forest = dict(n_estimators=200, max_features=0.6, max_samples=0.7, random_state=0, n_jobs=1)
    boost = dict(n_estimators=300, max_depth=4, learning_rate=0.1, min_child_weight=5,
                 random_state=0, n_jobs=1)
    ours_rf = claimlens.RandomForestClassifier(**forest).fit(X, y)
    sk_rf = sklearn.ensemble.RandomForestClassifier(**forest).fit(X, y)
    ours_gb = claimlens.GradientBoostingClassifier(**boost).fit(X, y)
    xgb = xgboost.XGBClassifier(tree_method="hist", **boost).fit(X, y)
    booster = xgb.get_booster()

    cases = [
        ("claimlens RandomForestClassifier.predict_proba", ours_rf.predict_proba),
        ("claimlens Model.predict_proba (forest)", ours_rf.model_.predict_proba),
        ("scikit-learn RandomForestClassifier.predict_proba", sk_rf.predict_proba),
        ("claimlens GradientBoostingClassifier.predict_proba", ours_gb.predict_proba),
        ("claimlens Model.predict_proba (boosting)", ours_gb.model_.predict_proba),
        ("XGBoost XGBClassifier.predict_proba", xgb.predict_proba),
        ("XGBoost Booster.inplace_predict", lambda a: booster.inplace_predict(a)),
    ]
    print(f"train {X.shape[0]} x {X.shape[1]}, batch {batch.shape[0]} rows; "
          f"claimlens {claimlens.__version__} ({claimlens.library_path}), "
          f"scikit-learn {sklearn.__version__}, XGBoost {xgboost.__version__}; "
          f"load average {os.getloadavg()[0]:.2f}")
    print("| case | one record (CPU) | batch per record (CPU) | batch (CPU) | one record, "
          "batch per record (real) |\n| --- | --- | --- | --- | --- |")
    for name, predict in cases:
        call, n = singles(predict, batch, args.single)
        one, one_real = per_record(call, n, args.repeats)
        whole, whole_real = per_record(lambda: predict(batch), batch.shape[0], args.repeats)
        print(f"| {name} | {one * 1e6:.1f} us | {whole * 1e6:.2f} us | "
              f"{whole * batch.shape[0] * 1e3:.1f} ms | {one_real * 1e6:.1f} us, "
              f"{whole_real * 1e6:.2f} us |")


if __name__ == "__main__":
    main()
