"""Peers of bench_metrics: scikit-learn on the same deterministic 1M-sample vectors.

The vectors come from fixed integer formulas (make_data; bench_metrics.cpp computes the same
numbers), so both sides time only the metric.
"""
import numpy as np
from sklearn import metrics

N = 1_000_000
MODULUS = 2147483647  # 2^31 - 1


def make_data(n=N):
    i = np.arange(n, dtype=np.int64)
    lehmer = (i * 48271) % MODULUS
    y = ((i * 16807) % 1009 < 400).astype(np.int64)
    u = lehmer / MODULUS
    score = u + 0.25 * y
    return {
        "y_true": y,
        "score": score,
        "score_tied": (lehmer % 100 + 25 * y) / 100.0,
        "proba": 0.8 * u + 0.1 + 0.05 * y,
        "y_pred": (score >= 0.6).astype(np.int64),
        "y_class": (lehmer % 3).astype(np.int64),
    }


def cases(ctx):
    d = make_data()
    y, yp = d["y_true"], d["y_pred"]
    return {
        "roc_auc/1M": ("sklearn roc_auc_score", lambda: metrics.roc_auc_score(y, d["score"])),
        "roc_auc/1M_ties": ("sklearn roc_auc_score",
                            lambda: metrics.roc_auc_score(y, d["score_tied"])),
        "roc_curve/1M": ("sklearn roc_curve", lambda: metrics.roc_curve(y, d["score"])),
        "log_loss/1M": ("sklearn log_loss", lambda: metrics.log_loss(y, d["proba"])),
        "f1_binary/1M": ("sklearn f1_score", lambda: metrics.f1_score(y, yp)),
        "confusion_matrix/1M_3class": ("sklearn confusion_matrix",
                                       lambda: metrics.confusion_matrix(d["y_class"], yp)),
        "classification_report/1M": ("sklearn classification_report",
                                     lambda: metrics.classification_report(y, yp)),
    }
