"""ClaimClassifier: the seed analysis' claim classifier (claimlens_classifier) on pandas
DataFrames of reports with tiktok_dataset.csv's columns."""
import ctypes
import json

import numpy as np
import pandas as pd

from . import _lib
from ._frame import Frame, frame_from_dataframe
from ._lib import check, lib, pointer
from ._model import Model

TEXT, VERIFIED, BAN = "video_transcription_text", "verified_status", "author_ban_status"
COUNTS = ("video_duration_sec", "video_view_count", "video_like_count", "video_share_count",
          "video_download_count", "video_comment_count")


class _Videos:
    """A DataFrame's reports as a claimlens_video array; keeps the encoded strings alive."""

    def __init__(self, df):
        missing = [c for c in (TEXT, VERIFIED, BAN) + COUNTS if c not in df.columns]
        if missing:
            raise KeyError(f"the reports have no column {missing[0]!r} (needed: the columns of "
                           "tiktok_dataset.csv)")
        self.n = len(df)
        self.array = (_lib.Video * max(self.n, 1))()
        self._keep = []
        counts = [np.asarray(df[c], dtype=np.float64) for c in COUNTS]
        texts = [self._text(v) for v in df[TEXT]]
        verified = [self._text(v) for v in df[VERIFIED]]
        bans = [self._text(v) for v in df[BAN]]
        for i in range(self.n):
            self.array[i] = _lib.Video(texts[i], verified[i], bans[i],
                                       *(float(c[i]) for c in counts))

    def _text(self, value):
        if value is None or (isinstance(value, float) and value != value):
            return None  # NULL: empty text, or a missing status the library refuses
        data = str(value).encode("utf-8")
        self._keep.append(data)
        return data


class ClaimClassifier:
    """Trains with the seed's grids (options of claimlens_classifier_train, docs/parameters.md)
    and predicts P(claim) of raw reports. Pickles through its saved bytes."""

    def __init__(self, algorithm="champion", grid="seed", cv_folds=5, random_state=0, n_jobs=-1):
        self.algorithm = algorithm
        self.grid = grid
        self.cv_folds = cv_folds
        self.random_state = random_state
        self.n_jobs = n_jobs
        self._handle = ctypes.c_void_p()

    def fit(self, videos):
        """videos: a DataFrame with tiktok_dataset.csv's columns (claim_status the label), or
        the path of such a CSV file. Rows with a null are dropped."""
        options = json.dumps({"algorithm": self.algorithm, "grid": self.grid,
                              "cv_folds": int(self.cv_folds),
                              "random_state": int(self.random_state),
                              "n_jobs": int(self.n_jobs)}).encode()
        frame = (frame_from_dataframe(videos) if isinstance(videos, pd.DataFrame)
                 else Frame.read_csv(videos))
        with frame:
            out = ctypes.c_void_p()
            check(lib.claimlens_classifier_train(frame.handle, options, ctypes.byref(out)))
        self.close()
        self._handle = out
        return self

    # ---- prediction ----
    def predict_proba(self, videos):
        """P(claim) of each report, a Series on the DataFrame's index."""
        v = _Videos(videos)
        out = np.empty(v.n)
        check(lib.claimlens_classifier_predict(self._handle, v.array, v.n, pointer(out)))
        return pd.Series(out, index=videos.index, name="p_claim")

    def triage(self, videos):
        """The reports in review order (P(claim) x views, highest first, ties by position), with
        the p_claim and priority columns claimlens_classifier_triage returns with the order."""
        v = _Videos(videos)
        order = np.empty(v.n, dtype=np.uintp)
        p_claim, priority = np.empty(v.n), np.empty(v.n)
        order_p = order.ctypes.data_as(ctypes.POINTER(ctypes.c_size_t))
        check(lib.claimlens_classifier_triage(self._handle, v.array, v.n, order_p,
                                              pointer(p_claim), pointer(priority)))
        ranked = videos.iloc[order].copy()
        ranked["p_claim"] = p_claim[order]
        ranked["priority"] = priority[order]
        return ranked

    def explain(self, videos, groups=False):
        """Exact Shapley values of each report: a DataFrame (one column per model feature, then
        "bias") on the log-odds or probability scale of `model.explain_scale`; groups=True sums
        the features by the input column they come from."""
        v = _Videos(videos)
        model = self.model
        names = model.feature_names
        out = np.empty((v.n, len(names) + 1))
        residual = np.empty(v.n)
        check(lib.claimlens_classifier_explain(self._handle, v.array, v.n, pointer(out), out.size,
                                               pointer(residual), v.n))
        table = pd.DataFrame(out, index=videos.index, columns=names + ["bias"])
        if not groups:
            return table
        grouped = {g: table[members].sum(axis=1) for g, members in model.feature_groups.items()}
        grouped["bias"] = table["bias"]
        return pd.DataFrame(grouped, index=videos.index)

    def calibrate(self, videos, y=None, method="sigmoid"):
        """A claimlens.Model: this classifier followed by a calibrator fitted on reports it did
        not train on (complete rows; y defaults to claim_status == "claim"). Predict with
        Model.predict_proba(DataFrame); Model.choose_threshold(DataFrame, y, precision=...)
        then picks its operating point."""
        if y is None:
            y = (videos["claim_status"] == "claim").to_numpy(dtype=np.float64)
        return self.model.calibrate(videos, y, method=method)

    @property
    def model(self):
        """The classifier as a claimlens.Model (borrowed: valid while this classifier lives)."""
        out = ctypes.c_void_p()
        check(lib.claimlens_classifier_as_model(self._handle, ctypes.byref(out)))
        return Model(out, owner=self)

    def report(self):
        """The training report (docs/classifier-report.md) as a dict."""
        out = ctypes.c_void_p()
        check(lib.claimlens_classifier_report_json(self._handle, ctypes.byref(out)))
        return json.loads(_lib.take_string(out))

    # ---- files ----
    def save(self, path):
        check(lib.claimlens_classifier_save(self._handle, _lib.encode_path(path)))

    @classmethod
    def load(cls, path):
        clf = cls()
        check(lib.claimlens_classifier_load(_lib.encode_path(path), ctypes.byref(clf._handle)))
        return clf

    def to_bytes(self):
        buf, length = ctypes.c_void_p(), ctypes.c_size_t()
        check(lib.claimlens_classifier_save_buffer(self._handle, ctypes.byref(buf),
                                                   ctypes.byref(length)))
        return _lib.take_bytes(buf, length)

    @classmethod
    def from_bytes(cls, data):
        clf = cls()
        data = bytes(data)
        check(lib.claimlens_classifier_load_buffer(data, len(data), ctypes.byref(clf._handle)))
        return clf

    def __getstate__(self):
        state = {k: v for k, v in self.__dict__.items() if k != "_handle"}
        state["classifier"] = self.to_bytes() if self._handle else None
        return state

    def __setstate__(self, state):
        data = state.pop("classifier")
        self.__dict__.update(state)
        self._handle = ctypes.c_void_p()
        if data is not None:
            check(lib.claimlens_classifier_load_buffer(data, len(data),
                                                       ctypes.byref(self._handle)))

    def close(self):
        if getattr(self, "_handle", None):
            lib.claimlens_classifier_free(self._handle)
        self._handle = ctypes.c_void_p()

    def __del__(self):
        if lib is not None:
            self.close()
