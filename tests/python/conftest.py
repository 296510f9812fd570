"""Shared fixtures of the claimlens Python package tests (run by ctest: python.*). The package is
imported from the build tree (PYTHONPATH) or the install tree; CLAIMLENS_DATA_DIR holds
tiktok_dataset.csv."""
import os

import numpy as np
import pytest

COUNTS = ["video_duration_sec", "video_view_count", "video_like_count", "video_share_count",
          "video_download_count", "video_comment_count"]


@pytest.fixture(scope="session")
def data_path():
    folder = os.environ.get("CLAIMLENS_DATA_DIR",
                            os.path.join(os.path.dirname(__file__), "../../../shared/data"))
    path = os.path.join(folder, "tiktok_dataset.csv")
    if not os.path.exists(path):
        pytest.fail(f"the seed's data is not at {path} (set CLAIMLENS_DATA_DIR)")
    return path


@pytest.fixture(scope="session")
def videos(data_path):
    import pandas as pd
    return pd.read_csv(data_path)


@pytest.fixture(scope="session")
def seed_matrix(videos):
    """The seed's numeric features and claim label on the complete rows: X (C-contiguous
    float64), y (0 / 1)."""
    complete = videos.dropna()
    X = np.ascontiguousarray(complete[COUNTS].to_numpy(dtype=np.float64))
    y = (complete["claim_status"] == "claim").to_numpy(dtype=np.float64)
    return X, y


@pytest.fixture(scope="session")
def seed_shuffled(seed_matrix):
    """seed_matrix in a fixed random row order (the file lists the claims first)."""
    X, y = seed_matrix
    order = np.random.RandomState(0).permutation(X.shape[0])
    return np.ascontiguousarray(X[order]), y[order]
