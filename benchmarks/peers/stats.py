"""Peers of bench_stats: scipy / numpy / pandas on the same deterministic 1M-value columns.

The columns come from a fixed integer formula (see synth_columns; bench_stats.cpp computes the
same numbers), so no file is read and both sides time only the statistics.
"""
import numpy as np
import pandas as pd
from scipy import stats

N = 1_000_000
QS = [0.01, 0.25, 0.5, 0.75, 0.99]
MODULUS = 2147483647  # 2^31 - 1


def synth_columns(n=N):
    """x: Knuth's multiplicative hash of i, spread over [0, 4.3e6) with no sorted runs; y: half of
    x plus Lehmer-sequence noise; z: small integers with many ties; w: another mixture."""
    i = np.arange(n, dtype=np.int64)
    x = ((i * 2654435761) % 2**32) / 1000.0
    noise = ((i * 69621) % MODULUS) / 2000.0
    y = 0.5 * x + noise
    z = ((i * 16807) % 1009).astype(np.float64)
    w = noise - 0.25 * z
    return x, y, z, w


def cases(ctx):
    x, y, z, w = synth_columns()
    a, b = x[: N // 2], y[N // 2:]
    frame = pd.DataFrame({"x": x, "y": y, "z": z, "w": w})
    series = pd.Series(x)
    return {
        "ttest_welch/1M": ("scipy.stats.ttest_ind", lambda: stats.ttest_ind(a, b, equal_var=False)),
        "quantiles/1M": ("numpy.quantile", lambda: np.quantile(x, QS)),
        "quantiles/1M_pandas": ("pandas Series.quantile", lambda: series.quantile(QS)),
        "median/1M": ("numpy.median", lambda: np.median(x)),
        "pearson/1M": ("scipy.stats.pearsonr", lambda: stats.pearsonr(x, y)),
        "corr_pearson/1Mx4_pandas": ("pandas DataFrame.corr", lambda: frame.corr()),
        "spearman/1M": ("scipy.stats.spearmanr", lambda: stats.spearmanr(x, y)),
        "corr_spearman/1Mx4_pandas": ("pandas DataFrame.corr spearman",
                                      lambda: frame.corr(method="spearman")),
    }
