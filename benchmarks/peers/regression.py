"""Peers of bench_regression: scikit-learn and statsmodels fits on the seed's 26,826 x 8
verified-status training design (build/regression/seed_train.csv, written here when missing by
tests/fixtures/scripts/regression_seed.py, since it needs sklearn's resample)."""
import importlib.util
import os
import pathlib
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

ROOT = pathlib.Path(__file__).resolve().parents[2]
DESIGN = pathlib.Path(os.environ.get("CLAIMLENS_BENCH_SEED_DESIGN",
                                     ROOT / "build" / "regression" / "seed_train.csv"))


def _ensure_design(real_csv):
    if DESIGN.exists():
        return
    script = ROOT / "tests" / "fixtures" / "scripts" / "regression_seed.py"
    spec = importlib.util.spec_from_file_location("regression_seed", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_bench_design(real_csv, DESIGN)


# peers.py runs bench_regression before calling cases(), so the file must exist at import time.
_ensure_design(os.environ.get("CLAIMLENS_BENCH_REAL",
                              str(ROOT.parent / "shared" / "data" / "tiktok_dataset.csv")))


def cases(ctx):
    _ensure_design(ctx.real_csv)
    frame = pd.read_csv(DESIGN)
    y = frame.pop("verified").to_numpy(dtype=np.float64)
    X = frame.to_numpy(dtype=np.float64)
    Xc = sm.add_constant(X)

    def sklearn_fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return LogisticRegression(random_state=0, max_iter=800).fit(X, y)

    return {
        "logreg/seed_fit": ("sklearn LogisticRegression", sklearn_fit),
        "logreg/seed_fit_lbfgs": ("sklearn LogisticRegression", sklearn_fit),
        "logit/seed_fit": ("statsmodels Logit newton",
                           lambda: sm.Logit(y, Xc).fit(method="newton", disp=0)),
        "ols/seed_fit": ("statsmodels OLS", lambda: sm.OLS(y, Xc).fit()),
    }
