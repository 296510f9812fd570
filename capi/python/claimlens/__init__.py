"""claimlens for Python: scikit-learn estimators, the claim classifier and the seed analysis'
statistics over libclaimlens.so's C ABI (ctypes; nothing to compile). The library is found
through $CLAIMLENS_LIBRARY, next to this package, in the install prefix's library folder, or on
the system's search path, and must be this package's version."""
from ._lib import (ClaimlensError, InternalError, InvalidArgumentError, ModelFormatError,
                   ParseError, SchemaError, StateError, library_path)
from ._version import __version__
from ._frame import LogitResults, logit, read_csv, ttest_ind
from ._model import Model, load_model
from .classifier import ClaimClassifier
from .estimators import GradientBoostingClassifier, LogisticRegression, RandomForestClassifier

__all__ = ["ClaimClassifier", "ClaimlensError", "GradientBoostingClassifier", "InternalError",
           "InvalidArgumentError", "LogisticRegression", "LogitResults", "Model",
           "ModelFormatError", "ParseError", "RandomForestClassifier", "SchemaError",
           "StateError", "__version__", "library_path", "load_model", "logit", "read_csv",
           "ttest_ind"]
