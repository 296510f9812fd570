#!/usr/bin/env python3
"""The seed's analysis of tiktok_dataset.csv with the claimlens package (pandas in and out).

Usage: analysis.py DATA.csv [CLASSIFIER_OUT [OPTIONS_JSON]]   (OPTIONS_JSON as ClaimClassifier's
keyword arguments, e.g. '{"grid": "none"}' to skip the seed's grid search)
"""
import json
import sys

import pandas as pd

import claimlens

pd.set_option("display.width", 120)


def main(data, out="claim_classifier.cbor", options="{}"):
    videos = claimlens.read_csv(data)                          # a pandas DataFrame
    complete = videos.dropna()
    print(complete.groupby("claim_status")["video_view_count"].agg(["mean", "median"]))
    views = complete.groupby("verified_status")["video_view_count"]
    print(claimlens.ttest_ind(views.get_group("not verified"), views.get_group("verified")))
    design = complete[["video_duration_sec", "video_view_count", "video_share_count",
                       "video_download_count", "video_comment_count", "claim_status",
                       "author_ban_status"]]
    X = pd.get_dummies(design, drop_first=True).astype(float)
    y = (complete["verified_status"] == "verified").astype(float).rename("verified")
    print(claimlens.logit(y, X).table)                         # statsmodels' Logit table
    clf = claimlens.ClaimClassifier(**json.loads(options)).fit(videos)  # the seed's grids
    print(clf.report()["test"])
    print(clf.triage(complete.sample(8, random_state=0))[["p_claim", "video_view_count"]])
    print(clf.explain(complete.head(3), groups=True).round(3))  # Shapley values by input column
    clf.save(out)
    print(f"saved {out} (claimlens {claimlens.__version__}, {claimlens.library_path})")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(*sys.argv[1:])
