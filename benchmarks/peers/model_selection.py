"""Peers of bench_model_selection: scikit-learn's GridSearchCV over the seed analysis' grids.

The seed's claim features (dropna; text_length; one-hot verified_status / author_ban_status with
drop_first; 60/20/20 split with train_test_split(random_state=0) twice; CountVectorizer
(ngram_range=(2,3), max_features=15, stop_words='english') fit on the training text; 25 features)
are built here with pandas/sklearn; the training rows (11,450 x 25 + label) are written to
build/bench/grid_seed_train.csv when this module is loaded, before peers.py runs
bench_model_selection, which reads the same file (CLAIMLENS_BENCH_GRID_TRAIN overrides the path).
Both sides search the same grids with 5 stratified folds, the same five metrics and refit on
recall, using every core. The forest search takes minutes here: run peers.py with --repeats 1.
"""
import os
import pathlib

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import GridSearchCV, train_test_split
from xgboost import XGBClassifier

ROOT = pathlib.Path(__file__).resolve().parents[2]
TRAIN_CSV = pathlib.Path(os.environ.get("CLAIMLENS_BENCH_GRID_TRAIN",
                                        ROOT / "build" / "bench" / "grid_seed_train.csv"))
SCORING = ["accuracy", "precision", "recall", "f1", "roc_auc"]
FOREST_GRID = {"max_depth": [5, 7, None], "max_features": [0.3, 0.6], "max_samples": [0.7],
               "min_samples_leaf": [1, 2], "min_samples_split": [2, 3],
               "n_estimators": [75, 100, 200]}
GBDT_GRID = {"max_depth": [4, 8, 12], "min_child_weight": [3, 5], "learning_rate": [0.01, 0.1],
             "n_estimators": [300, 500]}


def seed_train_features(real_csv):
    data = pd.read_csv(real_csv).dropna(axis=0)
    X = data.copy()
    X["text_length"] = X["video_transcription_text"].str.len()
    X = X.drop(["#", "video_id"], axis=1)
    X["claim_status"] = X["claim_status"].replace({"opinion": 0, "claim": 1})
    X = pd.get_dummies(X, columns=["verified_status", "author_ban_status"], drop_first=True)
    y = X.pop("claim_status")
    X_tr, _, y_tr, _ = train_test_split(X, y, test_size=0.2, random_state=0)
    X_train, _, y_train, _ = train_test_split(X_tr, y_tr, test_size=0.25, random_state=0)
    vectorizer = CountVectorizer(ngram_range=(2, 3), max_features=15, stop_words="english")
    counts = vectorizer.fit_transform(X_train["video_transcription_text"]).toarray()
    counts = pd.DataFrame(counts, columns=vectorizer.get_feature_names_out())
    X_train = pd.concat([X_train.drop(columns=["video_transcription_text"]).reset_index(drop=True),
                         counts], axis=1).astype(np.int64)
    return X_train, y_train.reset_index(drop=True).astype(np.int64)


def _write_train_csv():
    real = os.environ.get("CLAIMLENS_BENCH_REAL",
                          str((ROOT / ".." / "shared" / "data" / "tiktok_dataset.csv").resolve()))
    X, y = seed_train_features(real)
    TRAIN_CSV.parent.mkdir(parents=True, exist_ok=True)
    out = X.copy()
    out["claim_status"] = y
    out.to_csv(TRAIN_CSV, index=False)
    return X, y


X_TRAIN, Y_TRAIN = _write_train_csv()


def cases(ctx):
    def forest():
        search = GridSearchCV(RandomForestClassifier(random_state=0), FOREST_GRID,
                              scoring=SCORING, cv=5, refit="recall", n_jobs=-1)
        search.fit(X_TRAIN, Y_TRAIN)

    def gbdt():
        model = XGBClassifier(objective="binary:logistic", tree_method="hist", random_state=0,
                              n_jobs=1)
        search = GridSearchCV(model, GBDT_GRID, scoring=SCORING, cv=5, refit="recall", n_jobs=-1)
        search.fit(X_TRAIN, Y_TRAIN)

    return {
        "grid/forest_seed": ("sklearn GridSearchCV RF", forest),
        "grid/gbdt_seed": ("sklearn GridSearchCV XGB", gbdt),
    }
