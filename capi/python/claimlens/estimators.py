"""scikit-learn estimators over the C ABI's models: RandomForestClassifier,
GradientBoostingClassifier (XGBoost's parameter names) and LogisticRegression. Binary
classifiers only (scikit-learn's binary_only tag); fit / predict / predict_proba go through
claimlens_model_train and claimlens_model_predict_proba, so the probabilities are the library's,
bit for bit."""
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ._model import Model

# Checks of sklearn.utils.estimator_checks that cannot hold, and why (README, Python section).
_NO_CLASS_WEIGHT_DICT = ("class_weight takes None or 'balanced': the C ABI has no per-class "
                         "weights such as {0: 1000, 1: 0.0001}")


class _ClaimlensClassifier(ClassifierMixin, BaseEstimator):
    """What the three estimators share: label encoding, validation, the model handle."""

    _algorithm = None
    _nan_ok = True

    def _params(self):
        """The C ABI's parameters of this algorithm (claimlens_model_train's params_json)."""
        raise NotImplementedError

    def _more_tags(self):
        return {"binary_only": True, "allow_nan": self._nan_ok}

    def _check_args(self):
        # NaN goes through to the library, which decides (the trees take it as missing, the
        # logistic regression refuses it naming the row and column); infinity is refused here.
        return {"dtype": np.float64, "order": "C", "force_all_finite": "allow-nan"}

    def _seed(self):
        # scikit-learn's meaning of random_state: None draws a fresh seed each fit.
        if isinstance(self.random_state, (int, np.integer)) and self.random_state >= 0:
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(0, 2**31 - 1))

    def _threads(self):
        return 1 if self.n_jobs is None else self.n_jobs

    def _check_X(self, X, reset):
        return self._validate_data(X, reset=reset, **self._check_args())

    def fit(self, X, y):
        """Trains on X (n_samples, n_features; NaN = missing for the tree models) and y with
        two classes."""
        X, y = self._validate_data(X, y, **self._check_args())
        check_classification_targets(y)
        classes, encoded = np.unique(y, return_inverse=True)
        if len(classes) != 2:
            what = "one class" if len(classes) == 1 else f"{len(classes)} classes"
            raise ValueError(f"{type(self).__name__} is a binary classifier: y needs exactly 2 "
                             f"classes, it has {what} ({list(classes)[:5]})")
        params = dict(self._params(), algorithm=self._algorithm)
        self.model_ = Model.train(params, X, encoded.astype(np.float64))
        self.classes_ = classes
        return self

    def predict_proba(self, X):
        """(n_samples, 2): P(classes_[0]), P(classes_[1]); the second column is the library's
        P(y = 1) unchanged."""
        check_is_fitted(self)
        p = self.model_.predict_proba(self._check_X(X, reset=False))
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """classes_[1] where P(classes_[1]) > the model's threshold (0.5), else classes_[0]."""
        check_is_fitted(self)
        return self.classes_[self.model_.predict(self._check_X(X, reset=False))]

    @property
    def feature_importances_(self):
        check_is_fitted(self)
        return self.model_.feature_importances

    def explain(self, X):
        """Exact Shapley values per row: (n_samples, n_features + 1), the bias last, adding up
        to the output on the scale of model_.explain_scale."""
        check_is_fitted(self)
        return self.model_.explain(self._check_X(X, reset=False))[0]

    def calibrate(self, X, y, method="sigmoid", cv=0):
        """A claimlens.Model: this model with a calibrator fitted on (X, y) (cv=0: a held-out
        split; cv=k: X, y are the training rows, k folds out of fold)."""
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        y = np.asarray(y)
        if not np.isin(y, self.classes_).all():
            raise ValueError(f"y holds labels that are not among classes_ {list(self.classes_)}")
        return self.model_.calibrate(X, (y == self.classes_[1]).astype(np.float64), method, cv)

    def save(self, path):
        check_is_fitted(self)
        self.model_.save(path)


class _Margin:
    """decision_function of gradient boosting: the log-odds of predict_proba, so that
    decision > 0 exactly where predict gives classes_[1] (threshold 0.5). The C ABI gives the
    probability only, so a probability that rounds to 0 or 1 (a margin past about -745 or 36.7)
    gives -inf or +inf."""

    def decision_function(self, X):
        p = self.predict_proba(X)[:, 1]
        with np.errstate(divide="ignore"):
            return np.log(p) - np.log1p(-p)


class RandomForestClassifier(_ClaimlensClassifier):
    """scikit-learn's RandomForestClassifier parameters (docs/parameters.md); max_bin is the
    histogram bins per feature."""

    _algorithm = "random_forest"

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, max_features="sqrt", bootstrap=True,
                 oob_score=False, n_jobs=None, random_state=None, class_weight=None,
                 max_samples=None, max_bin=256):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.class_weight = class_weight
        self.max_samples = max_samples
        self.max_bin = max_bin

    def _params(self):
        return {"n_estimators": self.n_estimators, "criterion": self.criterion,
                "max_depth": self.max_depth, "min_samples_split": self.min_samples_split,
                "min_samples_leaf": self.min_samples_leaf, "max_features": self.max_features,
                "bootstrap": self.bootstrap, "oob_score": self.oob_score,
                "n_jobs": self._threads(), "random_state": self._seed(),
                "class_weight": self.class_weight, "max_samples": self.max_samples,
                "max_bin": self.max_bin}

    def _more_tags(self):
        return dict(super()._more_tags(),
                    _xfail_checks={"check_class_weight_classifiers": _NO_CLASS_WEIGHT_DICT})


class GradientBoostingClassifier(_Margin, _ClaimlensClassifier):
    """XGBoost's XGBClassifier parameter names and defaults (learning_rate 0.3, max_depth 6,
    ...; docs/parameters.md); early_stopping holds out validation_fraction of each class."""

    _algorithm = "gradient_boosting"

    def __init__(self, n_estimators=100, *, learning_rate=0.3, max_depth=6, min_child_weight=1.0,
                 subsample=1.0, colsample_bytree=1.0, reg_lambda=1.0, reg_alpha=0.0, gamma=0.0,
                 max_bin=256, base_score=None, n_jobs=None, random_state=None,
                 early_stopping="off", n_iter_no_change=10, validation_fraction=0.1, tol=1e-7):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.reg_alpha = reg_alpha
        self.gamma = gamma
        self.max_bin = max_bin
        self.base_score = base_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.validation_fraction = validation_fraction
        self.tol = tol

    def _params(self):
        keys = ("n_estimators", "learning_rate", "max_depth", "min_child_weight", "subsample",
                "colsample_bytree", "reg_lambda", "reg_alpha", "gamma", "max_bin", "base_score",
                "early_stopping", "n_iter_no_change", "validation_fraction", "tol")
        return dict({k: getattr(self, k) for k in keys}, n_jobs=self._threads(),
                    random_state=self._seed())


class LogisticRegression(_ClaimlensClassifier):
    """scikit-learn's LogisticRegression (binary, L2 or no penalty) solved to its optimum.
    Missing values are refused, as the C++ model refuses them. n_jobs and random_state are
    accepted for scikit-learn's signature and unused, as scikit-learn's lbfgs ignores them on
    binary problems: the Newton and L-BFGS solvers are deterministic."""

    _algorithm = "logistic_regression"
    _nan_ok = False

    def __init__(self, penalty="l2", *, tol=1e-8, C=1.0, fit_intercept=True, class_weight=None,
                 random_state=None, solver="auto", max_iter=100, n_jobs=None):
        self.penalty = penalty
        self.tol = tol
        self.C = C
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.n_jobs = n_jobs

    def _params(self):
        return {"penalty": self.penalty, "tol": self.tol, "C": self.C,
                "fit_intercept": self.fit_intercept, "class_weight": self.class_weight,
                "solver": self.solver, "max_iter": self.max_iter}

    def _more_tags(self):
        return dict(super()._more_tags(),
                    _xfail_checks={"check_class_weight_classifiers": _NO_CLASS_WEIGHT_DICT})

    def decision_function(self, X):
        """X @ coef_ + intercept_, scikit-learn's margin (finite where predict_proba rounds to
        0 or 1)."""
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        if np.isnan(X).any():
            self.model_.predict_proba(X)  # the library refuses NaN, naming the row and column
        w = self.model_.coefficients
        return X @ w[1:] + w[0]

    @property
    def coef_(self):
        check_is_fitted(self)
        return self.model_.coefficients[1:].reshape(1, -1)

    @property
    def intercept_(self):
        check_is_fitted(self)
        return self.model_.coefficients[:1]
