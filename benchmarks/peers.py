#!/usr/bin/env python3
"""Runs claimlens' Google Benchmark programs and the Python peers (pandas, scipy, scikit-learn,
statsmodels, XGBoost) on the same files in the same run, and prints one ratio table.

Usage (from the project root, after `cmake --preset bench && cmake --build --preset bench`):
    /usr/bin/python3 benchmarks/peers.py [--only MODULE[,MODULE]] [--synth-rows N] [--json OUT]

Each benchmarks/peers/<module>.py defines `cases(ctx)` returning
{case name: (peer label, callable)}; the callable runs the peer's operation once (ctx has
real_csv, synth_csv, repeats). bench_<module> has Google Benchmark cases of the same
names. The peer side is timed as the best of `ctx.repeats` runs (after one warm-up), like Google
Benchmark's real time per iteration.
"""
import argparse
import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PEERS = ROOT / "benchmarks" / "peers"
BUILD = ROOT / "build" / "bench" / "benchmarks"


class Context:
    def __init__(self, real_csv, synth_csv, repeats):
        self.real_csv = real_csv
        self.synth_csv = synth_csv
        self.repeats = repeats


def time_peer(fn, repeats):
    fn()  # warm-up: imports, caches
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run_ours(module, env):
    exe = BUILD / f"bench_{module}"
    if not exe.exists():
        return {}
    out = subprocess.run([str(exe), "--benchmark_format=json"], env=env, check=True,
                         capture_output=True, text=True).stdout
    results = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        results[b["name"].split("/real_time")[0]] = b["real_time"] * unit
    return results


def ensure_synth(rows):
    path = ROOT / "build" / "bench" / f"synth_{rows}.csv"
    if not path.exists():
        cli = ROOT / "build" / "bench" / "examples" / "claimlens"
        subprocess.run([str(cli), "synth", "--rows", str(rows), "--seed", "1", "--out", str(path)],
                       check=True)
    return str(path)


def fmt(seconds):
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.3f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} us"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated modules (default: all)")
    parser.add_argument("--synth-rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="also write the table as JSON here")
    args = parser.parse_args()

    real = os.environ.get("CLAIMLENS_BENCH_REAL",
                          str((ROOT / ".." / "shared" / "data" / "tiktok_dataset.csv").resolve()))
    synth = ensure_synth(args.synth_rows)
    env = dict(os.environ, CLAIMLENS_BENCH_REAL=real, CLAIMLENS_BENCH_SYNTH=synth)
    ctx = Context(real, synth, args.repeats)

    modules = sorted(p.stem for p in PEERS.glob("*.py"))
    if args.only:
        modules = [m for m in modules if m in args.only.split(",")]
    rows = []
    for module in modules:
        spec = importlib.util.spec_from_file_location(module, PEERS / f"{module}.py")
        peer = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(peer)
        ours = run_ours(module, env)
        for name, (label, fn) in peer.cases(ctx).items():
            theirs = time_peer(fn, args.repeats)
            mine = ours.get(name)
            ratio = theirs / mine if mine else None
            rows.append({"module": module, "case": name, "peer": label,
                         "peer_s": theirs, "claimlens_s": mine, "speedup": ratio})
            print(f"{name:40s} {label:28s} {fmt(theirs):>11s} {fmt(mine):>11s} "
                  f"{(f'{ratio:.1f}x' if ratio else '-'):>8s}", flush=True)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    sys.exit(main())
