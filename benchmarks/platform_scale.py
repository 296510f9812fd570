#!/usr/bin/env python3
"""Issue 19's goals table at platform scale: claimlens beside XGBoost, scikit-learn and pandas.

For each row count, `claimlens synth --seed 1` writes schema-identical data and the seed's 25
claim features are built once with pandas / scikit-learn (as benchmarks/peers/ensemble.py does:
10 tabular columns, 15 word 2-3-grams; the CountVectorizer's vocabulary is fitted on the first
million complete rows, all of them below that) and cached as
build/bench/platform/<rows>/features.csv (`claim` first). Both sides read that file; the first
80% of its rows train (the synth rows are i.i.d., so the head is a random sample), the other 20%
give the ROC AUC of each fit (issue 19: within 0.002 of the peer's). Each measurement is a
process of its own: `build/bench/benchmarks/platform_fit` for claimlens, an inline Python script
for the peer. Workloads (`--only`):
  boosting  100 rounds depth 6 learning rate 0.3, and 300 rounds depth 4 learning rate 0.1
            min_child_weight 5; max_bin 256; XGBoost `tree_method="hist"` with base_score the
            training mean (claimlens' default); at each `--threads`, then each side's speed-up
            from the fewest to the most threads.
  forest    20 trees, max_features 0.6, max_samples 0.7, unlimited depth (the seed's forest but
            for the tree count) against scikit-learn's RandomForestClassifier, at the most threads;
            scikit-learn is skipped above `--skip-sklearn-above` rows.
  predict   P(positive) of min(rows, 1M) rows by each fitted model (the models of the two
            workloads above): XGBoost `inplace_predict`, scikit-learn `predict_proba`.
  memory    the boosting fits' resident high-water mark (reset after loading) less the resident
            size before the fit, against the float64 training matrix (goal: <= 0.5x).
  csv       read a `claimlens synth` file of `--csv-rows` rows (default ~1 GB, cached as
            build/bench/platform/synth_<rows>.csv): read_csv on all cores against pandas.
Times are the best of `--repeats` within a process. Every claimlens fit uses exactly the
threads asked (n_jobs >= 1, never 0 = idle cores); so does every peer. The machine is shared:
the load average is printed at the start, per row count and at the end; figures need a quiet
machine. `claimlens analyze` and the seed grid searches are measured elsewhere (printed pointer).

Usage (from the project root):
    cmake --preset bench && cmake --build --preset bench -j2 --target platform_fit claimlens_cli
    /usr/bin/python3 benchmarks/platform_scale.py [--rows 125000,1000000,10000000] [--threads 1,2]
        [--only boosting,forest,predict,memory,csv] [--repeats 1] [--csv-rows 6200000]
        [--skip-sklearn-above ROWS]

Duration of the full default run on the 2-core machine, scaled linearly in rows from a 125,000-row
run (31 s of measurements, 10 processes, at load average 2.5; features 5 s): about 4 min at 1M
rows and 40 min at 10M rows (scikit-learn's forest grows as n log n, each Python process reads
the ~860 MB features file in ~10-20 s), plus the one-time features (~40 s at 1M, ~7 min at 10M,
a million rows at a time: a few GB of memory) and the 1 GB CSV (~1 min): about 55 minutes in all, an hour to be
safe; `--repeats N` multiplies the timed parts. Memory at 10M rows: about 6 GB per process at
most (the loaded frame and its matrix), well within 24 GB, so 10M is not the limit here.
"""
import argparse
import datetime
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "build" / "bench"
OUT = BENCH / "platform"
DRIVER = BENCH / "benchmarks" / "platform_fit"
CLI = BENCH / "examples" / "claimlens"
CHUNK = 1_000_000  # rows of synth data turned into features at a time
PREDICT_ROWS = 1_000_000
AUC_TOLERANCE = 0.002

BOOST = {"algorithm": "gradient_boosting", "max_bin": 256, "random_state": 0}
MODELS = {
    "boosting 100 x depth 6": dict(BOOST, n_estimators=100, max_depth=6, learning_rate=0.3),
    "boosting 300 x depth 4": dict(BOOST, n_estimators=300, max_depth=4, learning_rate=0.1,
                                   min_child_weight=5),
    "forest 20 trees": {"algorithm": "random_forest", "n_estimators": 20, "max_features": 0.6,
                        "max_samples": 0.7, "random_state": 0},
}
BOOSTERS = [name for name, p in MODELS.items() if p["algorithm"] == "gradient_boosting"]
PEER_NAME = {"gradient_boosting": "XGBoost hist", "random_forest": "scikit-learn"}

PEER = r"""
import ctypes, json, os, sys, time
import numpy as np, pandas as pd, xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

def best(repeats, run):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result

def status_mib(key):
    line = [l for l in open("/proc/self/status") if l.startswith(key + ":")][0]
    return int(line.split()[1]) / 1024.0

def model(params, y_train):
    p = dict(params)
    algorithm, threads = p.pop("algorithm"), p.pop("n_jobs")
    if algorithm == "gradient_boosting":
        return xgb.XGBClassifier(tree_method="hist", n_jobs=threads,
                                 base_score=float(y_train.mean()), **p)
    return RandomForestClassifier(n_jobs=threads, **p)

def predictor(fitted):
    if isinstance(fitted, xgb.XGBClassifier):
        booster = fitted.get_booster()
        return lambda A: booster.inplace_predict(A)
    return lambda A: fitted.predict_proba(A)[:, 1]

def fit(path, params, repeats, predict_rows):
    frame = pd.read_csv(path, dtype=np.float64)
    y = frame.pop("claim").to_numpy()
    X = np.ascontiguousarray(frame.to_numpy())
    del frame
    rows, train = len(y), len(y) * 8 // 10
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # the loader's freed heap: a fit reusing it would not show
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = status_mib("VmRSS")
    fit_s, fitted = best(repeats, lambda: model(params, y[:train]).fit(X[:train], y[:train]))
    peak = status_mib("VmHWM")
    predict = predictor(fitted)
    auc = roc_auc_score(y[train:], predict(X[train:]))
    batch = min(predict_rows, rows)
    predict_s, _ = best(repeats, lambda: predict(X[:batch]))
    return {"rows": rows, "train_rows": train, "test_rows": rows - train, "fit_seconds": fit_s,
            "predict_rows": batch, "predict_seconds": predict_s, "auc": auc,
            "input_mib": X[:train].nbytes / 2**20, "rss_before_fit_mib": before,
            "peak_rss_mib": peak, "fit_extra_mib": peak - before}

def read(path, n_jobs, repeats):  # pandas reads on one thread: n_jobs is not used
    seconds, frame = best(repeats, lambda: pd.read_csv(path))
    return {"seconds": seconds, "bytes": os.path.getsize(path), "rows": len(frame)}

mode, args = sys.argv[1], sys.argv[2:]
if mode == "fit":
    out = fit(args[0], json.loads(args[1]), int(args[2]), int(args[3]))
else:
    out = read(args[0], int(args[1]), int(args[2]))
print(json.dumps(out))
"""
SIDES = {"claimlens": [str(DRIVER)], "peer": [sys.executable, "-c", PEER]}


def run_side(side, *args):
    """Runs one side in its own process and returns the JSON line it prints."""
    argv = SIDES[side] + [str(a) for a in args]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{side} {' '.join(argv[-len(args):])} failed ({done.returncode}):\n"
                 f"{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def claim_features(data, vectorizer):
    """The seed's 25 features (benchmarks/peers/ensemble.py) of complete synth rows, `claim`
    first; fixed category lists keep the dummies of every chunk alike."""
    import pandas as pd

    data = data.copy()
    data["text_length"] = data["video_transcription_text"].str.len()
    X = data.drop(["#", "video_id"], axis=1)
    y = X.pop("claim_status").map({"opinion": 0, "claim": 1})
    X["verified_status"] = pd.Categorical(X["verified_status"], ["not verified", "verified"])
    X["author_ban_status"] = pd.Categorical(X["author_ban_status"],
                                            ["active", "banned", "under review"])
    X = pd.get_dummies(X, columns=["verified_status", "author_ban_status"], drop_first=True)
    grams = vectorizer.transform(X.pop("video_transcription_text"))
    X = pd.concat([X.reset_index(drop=True).astype(float),
                   pd.DataFrame(grams.toarray(), columns=vectorizer.get_feature_names_out())],
                  axis=1)
    X.insert(0, "claim", y.to_numpy())
    return X


def synth(rows, path):
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(CLI), "synth", "--rows", str(rows), "--seed", "1", "--out",
                        str(path)], check=True)
    return path


def features(rows):
    """build/bench/platform/<rows>/features.csv, built once (a million synth rows at a time)."""
    path = OUT / str(rows) / "features.csv"
    if path.exists():
        return path
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer

    started = time.perf_counter()
    # ~1.5% of synth rows carry nulls, as in the real file: ask for a few more, keep `rows`.
    source = synth(int(rows * 1.03) + 100, path.parent / "synth.csv")
    partial, written, vectorizer = path.with_suffix(".partial"), 0, None
    for chunk in pd.read_csv(source, chunksize=CHUNK):
        chunk = chunk.dropna(axis=0).head(rows - written)
        if vectorizer is None:
            vectorizer = CountVectorizer(ngram_range=(2, 3), max_features=15,
                                         stop_words="english")
            vectorizer.fit(chunk["video_transcription_text"])
        claim_features(chunk, vectorizer).to_csv(partial, mode="a", header=written == 0,
                                                 index=False)
        written += len(chunk)
        if written == rows:
            break
    assert written == rows, (written, rows)
    partial.rename(path)
    source.unlink()
    print(f"features of {rows:,} rows built in {time.perf_counter() - started:.0f} s", flush=True)
    return path


class Runner:
    """Measurements by (side, model, rows, threads), each made once, in its own process."""

    def __init__(self, args):
        self.args, self.cache = args, {}

    def fit(self, side, model, rows, threads):
        params = MODELS[model]
        if (side == "peer" and params["algorithm"] == "random_forest"
                and 0 < self.args.skip_sklearn_above < rows):
            return None
        key = (side, model, rows, threads)
        if key not in self.cache:
            self.cache[key] = run_side(side, "fit", features(rows),
                                       json.dumps(dict(params, n_jobs=threads)),
                                       self.args.repeats, PREDICT_ROWS)
        return self.cache[key]

    def pair(self, model, rows, threads):
        return self.fit("claimlens", model, rows, threads), self.fit("peer", model, rows, threads)


def table(*headers):
    row(*headers)
    row(*["---"] * len(headers))


def row(*cells):
    print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)


def ratio(peer, ours):
    return f"{peer / ours:.2f}x"


def auc_cells(a, b):
    if b is None:
        return [f"{a['auc']:.6f}", "-", "-"]
    gap = abs(a["auc"] - b["auc"])
    return [f"{a['auc']:.6f}", f"{b['auc']:.6f}",
            f"{gap:.6f}" + (" OVER 0.002" if gap > AUC_TOLERANCE else "")]


def boosting(runner, rows, threads):
    print(f"\nBoosting fit against XGBoost hist, {rows:,} rows:")
    table("model", "threads", "claimlens fit", "XGBoost fit", "speed-up", "claimlens AUC",
          "XGBoost AUC", "AUC gap")
    for model in BOOSTERS:
        for t in threads:
            a, b = runner.pair(model, rows, t)
            row(model, t, f"{a['fit_seconds']:.3f} s", f"{b['fit_seconds']:.3f} s",
                ratio(b["fit_seconds"], a["fit_seconds"]), *auc_cells(a, b))
    if len(threads) > 1:
        lo, hi = threads[0], threads[-1]
        print(f"\nSpeed-up from {lo} to {hi} threads (fit time at {lo} / at {hi}):")
        table("model", "claimlens", "XGBoost")
        for model in BOOSTERS:
            (a1, b1), (a2, b2) = runner.pair(model, rows, lo), runner.pair(model, rows, hi)
            row(model, ratio(a1["fit_seconds"], a2["fit_seconds"]),
                ratio(b1["fit_seconds"], b2["fit_seconds"]))


def forest(runner, rows, threads):
    t = threads[-1]
    a, b = runner.pair("forest 20 trees", rows, t)
    print(f"\nForest fit against scikit-learn RandomForestClassifier, {rows:,} rows, {t} threads:")
    table("model", "claimlens fit", "scikit-learn fit", "speed-up", "claimlens AUC",
          "scikit-learn AUC", "AUC gap")
    if b is None:
        row("forest 20 trees", f"{a['fit_seconds']:.3f} s",
            f"skipped (--skip-sklearn-above {runner.args.skip_sklearn_above:,})", "-",
            *auc_cells(a, b))
        return
    row("forest 20 trees", f"{a['fit_seconds']:.3f} s", f"{b['fit_seconds']:.3f} s",
        ratio(b["fit_seconds"], a["fit_seconds"]), *auc_cells(a, b))


def predict(runner, rows, threads):
    print(f"\nBatch predict_proba, {min(rows, PREDICT_ROWS):,} rows (XGBoost inplace_predict, "
          "scikit-learn predict_proba):")
    table("model", "threads", "claimlens", "peer", "peer time", "speed-up")
    runs = [(m, t) for m in BOOSTERS for t in threads] + [("forest 20 trees", threads[-1])]
    for model, t in runs:
        a, b = runner.pair(model, rows, t)
        peer = PEER_NAME[MODELS[model]["algorithm"]]
        if b is None:
            row(model, t, f"{a['predict_seconds']:.3f} s", peer, "skipped", "-")
            continue
        row(model, t, f"{a['predict_seconds']:.3f} s", peer, f"{b['predict_seconds']:.3f} s",
            ratio(b["predict_seconds"], a["predict_seconds"]))


def memory(runner, rows, threads):
    t = threads[-1]
    print(f"\nPeak memory of the boosting fit beyond the loaded input, {rows:,} rows, {t} threads "
          "(high-water mark over the fit less the resident size before it):")
    table("model", "float64 training input", "claimlens adds", "x input", "XGBoost adds",
          "x input")
    for model in BOOSTERS:
        a, b = runner.pair(model, rows, t)
        row(model, f"{a['input_mib']:.0f} MiB", f"{a['fit_extra_mib']:.0f} MiB",
            f"{a['fit_extra_mib'] / a['input_mib']:.2f}x", f"{b['fit_extra_mib']:.0f} MiB",
            f"{b['fit_extra_mib'] / b['input_mib']:.2f}x")


def csv(args):
    path = synth(args.csv_rows, OUT / f"synth_{args.csv_rows}.csv")
    a = run_side("claimlens", "read_csv", path, 0, args.repeats)
    b = run_side("peer", "read_csv", path, 0, args.repeats)
    assert a["rows"] == b["rows"], (a, b)
    mb = a["bytes"] / 1e6
    print(f"\nCSV read of {path.relative_to(ROOT)} ({args.csv_rows:,} rows, {mb:,.0f} MB): "
          f"read_csv on all cores ({os.cpu_count()}) against pandas.read_csv (one thread):")
    table("claimlens", "MB/s", "pandas", "MB/s", "speed-up")
    row(f"{a['seconds']:.3f} s", f"{mb / a['seconds']:.0f}", f"{b['seconds']:.3f} s",
        f"{mb / b['seconds']:.0f}", ratio(b["seconds"], a["seconds"]))


SECTIONS = {"boosting": boosting, "forest": forest, "predict": predict, "memory": memory}


def describe_machine():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip()
    mem = [l for l in open("/proc/meminfo") if l.startswith("MemTotal:")][0].split()[1]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{now}, commit {commit}, {os.cpu_count()} cores, {int(mem) / 2**20:.0f} GiB; "
          f"load average at start: {os.getloadavg()[0]:.2f}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="125000,1000000,10000000")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--only", default="boosting,forest,predict,memory,csv")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--csv-rows", type=int, default=6_200_000,
                        help="rows of the CSV-read file (6.2M: about 1 GB)")
    parser.add_argument("--skip-sklearn-above", type=int, default=0,
                        help="rows above which the scikit-learn forest is not run (0: never)")
    args = parser.parse_args()
    args.rows = [int(r) for r in args.rows.split(",")]
    args.threads = sorted(int(t) for t in args.threads.split(","))
    args.only = args.only.split(",")
    unknown = set(args.only) - set(SECTIONS) - {"csv"}
    if unknown or min(args.threads) < 1:
        parser.error(f"unknown --only {sorted(unknown)} or a thread count below 1")
    return args


def main():
    args = parse_args()
    describe_machine()
    if not DRIVER.exists() or not CLI.exists():
        sys.exit(f"build {DRIVER} and {CLI} first: cmake --build --preset bench "
                 "--target platform_fit claimlens_cli")
    runner = Runner(args)
    for rows in args.rows:
        started = time.perf_counter()
        features(rows)
        print(f"\n## {rows:,} rows ({rows * 8 // 10:,} train, {rows - rows * 8 // 10:,} test), "
              f"load average {os.getloadavg()[0]:.2f}")
        for name in args.only:
            if name in SECTIONS:
                SECTIONS[name](runner, rows, args.threads)
        print(f"({rows:,} rows: {time.perf_counter() - started:.0f} s)")
    if "csv" in args.only:
        csv(args)
    print("\n`claimlens analyze` wall time and the seed grid searches: benchmarks/README.md, "
          "\"The whole analysis\" and \"Grid searches\" (benchmarks/peers.py --only "
          "model_selection); not measured here.")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
