"""Peers of bench_capi: the seed's Python pipeline classifying raw records, scikit-learn's
CountVectorizer (ngram_range=(2, 3), max_features=15, stop_words='english') plus the 10 tabular
features, then XGBoost's booster (300 trees of depth 4, one thread) through inplace_predict.

capi/single_record: one record per call (text features included); capi/batch: the test rows.
bench_capi also times XGBoost's own C API on a ready dense row (xgboost_c/*), which has no Python
peer: read those figures from bench_capi's output.
"""
import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import train_test_split

BOOST = dict(learning_rate=0.1, max_depth=4, min_child_weight=5, n_estimators=300,
             tree_method="hist", random_state=0, n_jobs=1)
COUNTS = ["video_duration_sec", "video_view_count", "video_like_count", "video_share_count",
          "video_download_count", "video_comment_count"]


def _features(vec, frame):
    text = frame["video_transcription_text"]
    tabular = np.column_stack([
        frame[COUNTS].to_numpy(dtype=float),
        text.str.len().to_numpy(dtype=float),
        (frame["verified_status"] == "verified").to_numpy(dtype=float),
        (frame["author_ban_status"] == "banned").to_numpy(dtype=float),
        (frame["author_ban_status"] == "under review").to_numpy(dtype=float),
    ])
    return np.hstack([tabular, vec.transform(text).toarray().astype(float)])


def _record_features(vec, rec):
    """One raw record (a dict) to its 25 features, as a moderation tool would."""
    text = rec["video_transcription_text"]
    row = [rec[c] for c in COUNTS]
    row += [len(text), rec["verified_status"] == "verified",
            rec["author_ban_status"] == "banned", rec["author_ban_status"] == "under review"]
    grams = vec.transform([text]).toarray()[0]
    return np.concatenate([np.asarray(row, dtype=float), grams.astype(float)])[None, :]


def cases(ctx):
    data = pd.read_csv(ctx.real_csv).dropna(axis=0)
    y = (data["claim_status"] == "claim").to_numpy(dtype=int)
    X_tr, X_test, y_tr, _ = train_test_split(data, y, test_size=0.2, random_state=0)
    X_train, _, y_train, _ = train_test_split(X_tr, y_tr, test_size=0.25, random_state=0)
    vec = CountVectorizer(ngram_range=(2, 3), max_features=15, stop_words="english")
    vec.fit(X_train["video_transcription_text"])
    model = xgb.XGBClassifier(**BOOST).fit(_features(vec, X_train), y_train)
    booster = model.get_booster()
    records = X_test.head(300).to_dict("records")
    state = {"i": 0}

    def single():
        rec = records[state["i"]]
        state["i"] = (state["i"] + 1) % len(records)
        return booster.inplace_predict(_record_features(vec, rec))

    def batch():
        return booster.inplace_predict(_features(vec, X_test))

    return {
        "capi/single_record": ("sklearn vectorizer+XGBoost", single),
        "capi/batch": ("sklearn vectorizer+XGBoost", batch),
    }
