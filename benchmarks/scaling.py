#!/usr/bin/env python3
"""Gradient-boosting fit time and peak memory against row count: claimlens beside XGBoost.

For each row count, `claimlens synth` writes schema-identical data, the seed's 25 claim features
are built once with pandas / scikit-learn (as benchmarks/peers/ensemble.py does, on all complete
rows, no split) and written to build/bench/scaling/<rows>/ensemble_claim_train.csv; then each side
fits the benchmark's booster (300 rounds, depth 4, learning rate 0.1, min_child_weight 5, hist,
all cores) in its own process:
  - claimlens: bench_ensemble's gbdt/fit_seed case on that file (one fit per repetition);
  - XGBoost: XGBClassifier(tree_method="hist") on the same matrix as float64 numpy.
Peak memory is each process' resident high-water mark (VmHWM) over the fits, reset after the
data are loaded (Linux clear_refs), so it counts the input matrix, the fit's own structures and
(for XGBoost) its DMatrix copy, but not CSV reading or library imports.

Usage (from the project root, after `cmake --preset bench && cmake --build --preset bench`):
    /usr/bin/python3 benchmarks/scaling.py [--rows 125000,250000,500000,1000000] [--repeats 1]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "build" / "bench"
OUT = BENCH / "scaling"

PEER = r"""
import json, os, sys, time
import numpy as np, xgboost as xgb
data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
y, X = data[:, 0], np.ascontiguousarray(data[:, 1:])
del data
params = dict(learning_rate=0.1, max_depth=4, min_child_weight=5, n_estimators=300,
              tree_method="hist", random_state=0, n_jobs=-1, base_score=float(y.mean()))
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    xgb.XGBClassifier(**params).fit(X, y)
    best = min(best, time.perf_counter() - start)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"seconds": best, "peak_rss_mib": int(hwm) / 1024.0, "rows": len(y)}))
"""


def features(rows):
    """build/bench/scaling/<rows>/ensemble_claim_train.csv: `claim` + the 25 features."""
    folder = OUT / str(rows)
    path = folder / "ensemble_claim_train.csv"
    if path.exists():
        return folder
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer

    folder.mkdir(parents=True, exist_ok=True)
    synth = folder / "synth.csv"
    cli = BENCH / "examples" / "claimlens"
    # ~1.5% of synth rows carry nulls, as in the real file: ask for a few more, keep `rows`.
    subprocess.run([str(cli), "synth", "--rows", str(int(rows * 1.03) + 100), "--seed", "1",
                    "--out", str(synth)], check=True)
    data = pd.read_csv(synth).dropna(axis=0).head(rows)
    data["text_length"] = data["video_transcription_text"].str.len()
    X = data.drop(["#", "video_id"], axis=1)
    y = X.pop("claim_status").map({"opinion": 0, "claim": 1})
    X = pd.get_dummies(X, columns=["verified_status", "author_ban_status"], drop_first=True)
    vec = CountVectorizer(ngram_range=(2, 3), max_features=15, stop_words="english")
    grams = vec.fit_transform(X.pop("video_transcription_text"))
    X = pd.concat([X.reset_index(drop=True).astype(float),
                   pd.DataFrame(grams.toarray(), columns=vec.get_feature_names_out())], axis=1)
    X.insert(0, "claim", y.to_numpy())
    X.to_csv(path, index=False)
    synth.unlink()
    return folder


def ours(folder, repeats):
    exe = BENCH / "benchmarks" / "bench_ensemble"
    out = subprocess.run([str(exe), "--benchmark_filter=^gbdt/fit_seed/", "--benchmark_format=json",
                          "--benchmark_min_time=0.01", f"--benchmark_repetitions={repeats}"],
                         env=dict(os.environ, CLAIMLENS_BENCH_ENSEMBLE_DIR=str(folder)),
                         check=True, capture_output=True, text=True).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type") == "iteration"]
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[runs[0]["time_unit"]]
    return {"seconds": min(b["real_time"] for b in runs) * unit,
            "peak_rss_mib": max(b["peak_rss_mib"] for b in runs), "rows": int(runs[0]["rows"])}


def peer(folder, repeats):
    out = subprocess.run([sys.executable, "-c", PEER, str(folder / "ensemble_claim_train.csv"),
                          str(repeats)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="125000,250000,500000,1000000")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print(f"{'rows':>9} | {'claimlens fit':>13} | {'XGBoost fit':>11} | {'speed-up':>8} | "
          f"{'claimlens peak':>14} | {'XGBoost peak':>12} | s per 100k rows (ours, XGB)")
    for rows in (int(r) for r in args.rows.split(",")):
        started = time.perf_counter()
        folder = features(rows)
        a, b = ours(folder, args.repeats), peer(folder, args.repeats)
        assert a["rows"] == b["rows"] == rows, (a, b, rows)
        print(f"{rows:>9} | {a['seconds']:>11.2f} s | {b['seconds']:>9.2f} s | "
              f"{b['seconds'] / a['seconds']:>7.2f}x | {a['peak_rss_mib']:>10.0f} MiB | "
              f"{b['peak_rss_mib']:>8.0f} MiB | {a['seconds'] / rows * 1e5:.3f}, "
              f"{b['seconds'] / rows * 1e5:.3f}   ({time.perf_counter() - started:.0f} s)",
              flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
