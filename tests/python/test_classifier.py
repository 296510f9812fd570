"""ClaimClassifier on pandas DataFrames of reports: training, P(claim), explanations, triage,
files and pickling; and the seed analysis' statistics as pandas objects."""
import json
import os
import pickle

import numpy as np
import pandas as pd
import pytest

import claimlens


@pytest.fixture(scope="module")
def classifier(videos):
    return claimlens.ClaimClassifier(algorithm="gradient_boosting", grid="none").fit(videos)


def test_fit_from_dataframe_equals_fit_from_file(classifier, videos, data_path):
    complete = videos.dropna()
    p = classifier.predict_proba(complete)
    assert isinstance(p, pd.Series) and p.index.equals(complete.index)
    from_file = claimlens.ClaimClassifier(algorithm="gradient_boosting", grid="none")
    from_file.fit(data_path)
    assert np.array_equal(from_file.predict_proba(complete).to_numpy(), p.to_numpy())
    # the records path and the frame path of the library agree to the bit
    assert np.array_equal(classifier.model.predict_proba(complete), p.to_numpy())
    recall = (p[complete["claim_status"] == "claim"] > 0.5).mean()
    assert recall > 0.95
    assert classifier.report()["champion"] == "gradient_boosting"


def test_explain_adds_up_to_the_margin(classifier, videos):
    rows = videos.dropna().head(200)
    table = classifier.explain(rows)
    assert list(table.columns[:2]) == ["video_duration_sec", "video_view_count"]
    assert table.columns[-1] == "bias" and classifier.model.explain_scale == "margin"
    p = classifier.predict_proba(rows).to_numpy()
    assert np.allclose(table.sum(axis=1).to_numpy(), np.log(p / (1 - p)), atol=1e-9)
    grouped = classifier.explain(rows, groups=True)
    assert "video_transcription_text" in grouped.columns
    assert np.allclose(grouped.sum(axis=1), table.sum(axis=1), atol=1e-9)


def test_triage_orders_by_expected_claim_views(classifier, videos):
    rows = videos.dropna().sample(300, random_state=1)
    ranked = classifier.triage(rows)
    assert sorted(ranked.index) == sorted(rows.index)
    priority = ranked["priority"].to_numpy()
    assert np.all(priority[:-1] >= priority[1:])
    assert np.array_equal(ranked["p_claim"].to_numpy(),
                          classifier.predict_proba(rows).loc[ranked.index].to_numpy())
    # The library returns p_claim and priority with the order (claimlens_classifier_triage).
    assert np.array_equal(priority, ranked["p_claim"].to_numpy() *
                          ranked["video_view_count"].to_numpy())


def test_save_load_and_pickle(classifier, videos, tmp_path):
    rows = videos.dropna().head(500)
    want = classifier.predict_proba(rows).to_numpy()
    for name in ("clf.json", "clf.cbor"):
        classifier.save(tmp_path / name)
        assert np.array_equal(claimlens.ClaimClassifier.load(tmp_path / name)
                              .predict_proba(rows).to_numpy(), want)
        # a classifier file is a model file too
        assert np.array_equal(claimlens.load_model(tmp_path / name).predict_proba(rows), want)
    again = pickle.loads(pickle.dumps(classifier))
    assert np.array_equal(again.predict_proba(rows).to_numpy(), want)
    with pytest.raises(claimlens.ModelFormatError, match="expected 'claim_classifier'"):
        claimlens.LogisticRegression().fit(np.eye(4), [0, 1, 0, 1]).save(tmp_path / "lr.json")
        claimlens.ClaimClassifier.load(tmp_path / "lr.json")


def test_calibration_and_operating_point(videos):
    complete = videos.dropna()
    train = complete.sample(frac=0.7, random_state=2)
    held = complete.drop(train.index)
    clf = claimlens.ClaimClassifier(algorithm="gradient_boosting", grid="none").fit(train)
    calibrated = clf.calibrate(held, method="isotonic")
    p = calibrated.predict_proba(held)
    assert p.shape == (len(held),) and np.all((p >= 0) & (p <= 1))
    y = (held["claim_status"] == "claim").to_numpy(dtype=float)
    chosen = calibrated.choose_threshold(held, y, precision=0.99, n_resamples=0)
    assert chosen.operating_point["operating_point"]["threshold"] == chosen.threshold
    with pytest.raises(ValueError, match="^claimlens_model_calibrate_frame: .*row"):
        clf.calibrate(videos)  # rows with nulls cannot be scored


def test_bad_reports(classifier, videos):
    rows = videos.dropna().head(3).copy()
    rows.loc[rows.index[1], "verified_status"] = "sort of"
    message = (r'^claimlens_classifier_predict: videos\[1\]\.verified_status: unknown value '
               r'"sort of" \(expected "verified" or "not verified"\)$')
    with pytest.raises(ValueError, match=message):
        classifier.predict_proba(rows)
    rows = videos.dropna().head(3).copy()
    rows.loc[rows.index[2], "video_view_count"] = -5
    with pytest.raises(ValueError, match=r"videos\[2\]\.view_count: negative \(-5\.0\)$"):
        classifier.predict_proba(rows)
    with pytest.raises(KeyError, match="video_view_count"):
        classifier.predict_proba(rows.drop(columns=["video_view_count"]))
    with pytest.raises(claimlens.SchemaError, match="claim_status"):
        claimlens.ClaimClassifier(grid="none").fit(videos.drop(columns=["claim_status"]))


def test_logit_inference_table():
    """claimlens.logit against statsmodels' Logit on the fixture's design (every 6th complete row;
    tests/fixtures/scripts/regression_inference.py wrote it with statsmodels)."""
    path = os.path.join(os.path.dirname(__file__), "../fixtures/regression_inference.json")
    with open(path) as f:
        ref = json.load(f)["logit"]
    X = pd.DataFrame(ref["X"], columns=ref["names"])
    y = pd.Series(ref["y"], name="verified_status", dtype=float)
    fit = claimlens.logit(y, X)
    assert list(fit.table.index) == ["const"] + ref["names"]
    assert list(fit.table.columns) == ["coef", "std err", "z", "P>|z|", "[0.025", "0.975]"]
    assert fit.converged and fit.nobs == len(X) and fit.dep_name == "verified_status"
    for ours, key in ((fit.params, "params"), (fit.bse, "bse"), (fit.pvalues, "pvalues"),
                      (fit.table["z"], "zvalues"), (fit.table["[0.025"], "ci_low"),
                      (fit.table["0.975]"], "ci_high")):
        assert np.allclose(ours.to_numpy(), ref[key], rtol=1e-6, atol=0), key
    assert fit.llf == pytest.approx(ref["llf"], rel=1e-9)
    assert "Logit Regression Results" in fit.summary()
    with pytest.raises(claimlens.StateError, match="^claimlens_logit_json: perfect separation"):
        claimlens.logit([0, 0, 1, 1], [[1.0], [2.0], [3.0], [4.0]])
