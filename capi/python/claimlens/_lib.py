"""The ctypes binding of libclaimlens.so (claimlens.h): finding and checking the library, the
function signatures, and the one place a claimlens_status becomes a Python exception."""
import ctypes
import ctypes.util
import os

import numpy as np

from ._version import __version__

# ---- exceptions -----------------------------------------------------------------------------


class ClaimlensError(Exception):
    """Base of the errors raised from a C ABI status; `status` is its name
    (e.g. "CLAIMLENS_E_PARSE") and the message is claimlens_last_error()'s."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class ParseError(ClaimlensError, ValueError):
    """Malformed CSV or JSON text (CLAIMLENS_E_PARSE)."""


class SchemaError(ClaimlensError, ValueError):
    """A missing column or a column of the wrong type (CLAIMLENS_E_SCHEMA)."""


class ModelFormatError(ClaimlensError, ValueError):
    """Truncated, corrupted or unsupported model data (CLAIMLENS_E_MODEL_FORMAT)."""


class StateError(ClaimlensError, RuntimeError):
    """The model cannot do this, e.g. coefficients of a forest (CLAIMLENS_E_STATE)."""


class InvalidArgumentError(ClaimlensError, ValueError):
    """A bad argument (CLAIMLENS_E_INVALID_ARGUMENT)."""


class ClaimlensIOError(ClaimlensError, OSError):
    """A file could not be read or written (CLAIMLENS_E_IO)."""

    def __init__(self, message, status=None):
        ClaimlensError.__init__(self, message, status)

    def __str__(self):
        return self.args[0]


class ClaimlensMemoryError(ClaimlensError, MemoryError):
    """An allocation failed (CLAIMLENS_E_NO_MEMORY)."""


class InternalError(ClaimlensError, RuntimeError):
    """A bug in claimlens (CLAIMLENS_E_INTERNAL): please report the message."""


_ERRORS = {1: InvalidArgumentError, 2: ClaimlensIOError, 3: ParseError, 4: SchemaError,
           5: ModelFormatError, 6: StateError, 7: ClaimlensMemoryError, 8: InternalError}

# ---- the library ----------------------------------------------------------------------------

_handle = ctypes.c_void_p
_size = ctypes.c_size_t
_double_p = ctypes.POINTER(ctypes.c_double)
_status = ctypes.c_int


class Video(ctypes.Structure):
    """claimlens_video of claimlens.h; struct_size is set on construction, as
    CLAIMLENS_VIDEO_INIT sets it in C."""
    _fields_ = [("struct_size", ctypes.c_size_t),
                ("transcription", ctypes.c_char_p),
                ("verified_status", ctypes.c_char_p),
                ("author_ban_status", ctypes.c_char_p),
                ("duration_sec", ctypes.c_double),
                ("view_count", ctypes.c_double),
                ("like_count", ctypes.c_double),
                ("share_count", ctypes.c_double),
                ("download_count", ctypes.c_double),
                ("comment_count", ctypes.c_double)]

    def __init__(self, *args, **kwargs):
        super().__init__(ctypes.sizeof(Video), *args, **kwargs)


class TTest(ctypes.Structure):
    """claimlens_ttest of claimlens.h; struct_size set as CLAIMLENS_TTEST_INIT sets it."""
    _fields_ = [("struct_size", ctypes.c_size_t), ("statistic", ctypes.c_double),
                ("df", ctypes.c_double), ("p_value", ctypes.c_double)]

    def __init__(self):
        super().__init__(ctypes.sizeof(TTest))


_P = ctypes.POINTER
# Every function the package calls: name -> (restype, argtypes). Functions returning a status
# are checked by check(); their restype is the status int.
_SIGNATURES = {
    "claimlens_last_error": (ctypes.c_char_p, []),
    "claimlens_status_name": (ctypes.c_char_p, [ctypes.c_int]),
    "claimlens_version": (None, [_P(ctypes.c_int)] * 3),
    "claimlens_free": (None, [ctypes.c_void_p]),
    "claimlens_frame_read_csv": (_status, [ctypes.c_char_p, _P(_handle)]),
    "claimlens_frame_read_csv_buffer": (_status, [ctypes.c_char_p, _size, _P(_handle)]),
    "claimlens_frame_free": (None, [_handle]),
    "claimlens_frame_num_rows": (_size, [_handle]),
    "claimlens_frame_num_columns": (_size, [_handle]),
    "claimlens_frame_column_name": (_status, [_handle, _size, _P(ctypes.c_char_p)]),
    "claimlens_frame_column_dtype": (_status, [_handle, ctypes.c_char_p, _P(ctypes.c_int)]),
    "claimlens_frame_null_count": (_status, [_handle, ctypes.c_char_p, _P(_size)]),
    "claimlens_frame_get_doubles": (_status, [_handle, ctypes.c_char_p, _size, _double_p]),
    "claimlens_frame_get_string": (_status, [_handle, ctypes.c_char_p, _size,
                                             _P(ctypes.c_char_p)]),
    "claimlens_ttest_ind": (_status, [_double_p, _size, _double_p, _size, ctypes.c_int,
                                      _P(TTest)]),
    "claimlens_logit_json": (_status, [_double_p, _size, _size, _double_p, ctypes.c_char_p,
                                       _P(ctypes.c_void_p)]),
    "claimlens_model_train": (_status, [_double_p, _size, _size, _double_p, ctypes.c_char_p,
                                        _P(_handle)]),
    "claimlens_model_predict_proba": (_status, [_handle, _double_p, _size, _size, _double_p]),
    "claimlens_model_predict": (_status, [_handle, _double_p, _size, _size,
                                          _P(ctypes.c_int)]),
    "claimlens_model_num_features": (_status, [_handle, _P(_size)]),
    "claimlens_model_feature_importances": (_status, [_handle, _double_p, _size]),
    "claimlens_model_coefficients": (_status, [_handle, _double_p, _size]),
    "claimlens_model_save": (_status, [_handle, ctypes.c_char_p]),
    "claimlens_model_save_xgboost": (_status, [_handle, ctypes.c_char_p]),
    "claimlens_model_load": (_status, [ctypes.c_char_p, _P(_handle)]),
    "claimlens_model_save_buffer": (_status, [_handle, _P(ctypes.c_void_p), _P(_size)]),
    "claimlens_model_load_buffer": (_status, [ctypes.c_char_p, _size, _P(_handle)]),
    "claimlens_model_free": (None, [_handle]),
    "claimlens_model_predict_frame": (_status, [_handle, _handle, _size, _double_p]),
    "claimlens_model_threshold": (_status, [_handle, _double_p]),
    "claimlens_model_calibrate": (_status, [_handle, _double_p, _size, _size, _double_p,
                                            ctypes.c_char_p, _P(_handle)]),
    "claimlens_model_choose_threshold": (_status, [_handle, _double_p, _size, _size, _double_p,
                                                   ctypes.c_char_p, _P(_handle)]),
    "claimlens_model_calibrate_frame": (_status, [_handle, _handle, _size, _double_p,
                                                  ctypes.c_char_p, _P(_handle)]),
    "claimlens_model_choose_threshold_frame": (_status, [_handle, _handle, _size, _double_p,
                                                         ctypes.c_char_p, _P(_handle)]),
    "claimlens_model_operating_point_json": (_status, [_handle, _P(ctypes.c_void_p)]),
    "claimlens_model_explain": (_status, [_handle, _double_p, _size, _size, _double_p, _size,
                                          _double_p, _size]),
    "claimlens_model_explain_scale": (_status, [_handle, _P(ctypes.c_char_p)]),
    "claimlens_model_expected_value": (_status, [_handle, _double_p]),
    "claimlens_model_feature_name": (_status, [_handle, _size, ctypes.c_char_p, _size,
                                               _P(_size)]),
    "claimlens_model_num_groups": (_status, [_handle, _P(_size)]),
    "claimlens_model_feature_group": (_status, [_handle, _size, _P(_size)]),
    "claimlens_model_group_name": (_status, [_handle, _size, ctypes.c_char_p, _size, _P(_size)]),
    "claimlens_classifier_train": (_status, [_handle, ctypes.c_char_p, _P(_handle)]),
    "claimlens_classifier_predict": (_status, [_handle, _P(Video), _size, _double_p]),
    "claimlens_classifier_triage": (_status, [_handle, _P(Video), _size, _P(_size), _double_p,
                                              _double_p]),
    "claimlens_classifier_report_json": (_status, [_handle, _P(ctypes.c_void_p)]),
    "claimlens_classifier_save": (_status, [_handle, ctypes.c_char_p]),
    "claimlens_classifier_load": (_status, [ctypes.c_char_p, _P(_handle)]),
    "claimlens_classifier_save_buffer": (_status, [_handle, _P(ctypes.c_void_p), _P(_size)]),
    "claimlens_classifier_load_buffer": (_status, [ctypes.c_char_p, _size, _P(_handle)]),
    "claimlens_classifier_free": (None, [_handle]),
    "claimlens_classifier_as_model": (_status, [_handle, _P(_handle)]),
    "claimlens_classifier_explain": (_status, [_handle, _P(Video), _size, _double_p, _size,
                                               _double_p, _size]),
}


def _candidates():
    """Where libclaimlens.so is looked for, in order: $CLAIMLENS_LIBRARY (alone, when set),
    next to this package, the library directory of the install prefix (_libpath.py, written by
    cmake --install), then the system's search path."""
    env = os.environ.get("CLAIMLENS_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.path.join(here, "libclaimlens.so")]
    try:
        from ._libpath import LIBRARY  # relative to this folder, or absolute
        found.append(os.path.normpath(os.path.join(here, LIBRARY)))
    except ImportError:
        pass
    major = __version__.split(".")[0]
    found += [f"libclaimlens.so.{major}", ctypes.util.find_library("claimlens")]
    return [f for f in found if f]


def check_version(lib, path, expected=__version__):
    """Refuses a library whose version is not `expected` (the package's own)."""
    parts = [ctypes.c_int() for _ in range(3)]
    lib.claimlens_version(*[ctypes.byref(p) for p in parts])
    version = ".".join(str(p.value) for p in parts)
    if version != expected:
        raise ImportError(f"claimlens: the library {path} is version {version}, but this Python "
                          f"package is version {expected}; install matching versions or point "
                          f"CLAIMLENS_LIBRARY at libclaimlens.so {expected}")


def open_library(path):
    """Loads libclaimlens.so from `path`, declares the signatures and checks the version."""
    lib = ctypes.CDLL(path)  # CDLL, not PyDLL: every call releases the GIL
    check_version(lib, path)
    for name, (restype, argtypes) in _SIGNATURES.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise ImportError(f"claimlens: the library {path} has no {name}") from None
        function.restype = restype
        function.argtypes = argtypes
    return lib


def _load():
    tried = []
    for path in _candidates():
        if os.path.sep in path and not os.path.exists(path):
            tried.append(f"{path} (no such file)")
            continue
        try:
            return open_library(path), path
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise ImportError("claimlens: libclaimlens.so not found; set CLAIMLENS_LIBRARY to its path. "
                      "Tried: " + "; ".join(tried))


lib, library_path = _load()


def check(status):
    """Raises the exception of a failed claimlens_status with the library's message."""
    if status != 0:
        message = lib.claimlens_last_error().decode("utf-8", "replace")
        name = lib.claimlens_status_name(status).decode()
        raise _ERRORS.get(status, InternalError)(message, name)


def take_string(pointer):
    """A library-allocated char* as str, released with claimlens_free."""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        lib.claimlens_free(pointer)


def take_bytes(pointer, length):
    """A library-allocated buffer as bytes, released with claimlens_free."""
    try:
        return ctypes.string_at(pointer.value, length.value)
    finally:
        lib.claimlens_free(pointer)


def c_doubles(array):
    """A C-contiguous float64 view of `array`: the array itself when it already is one (no copy),
    else a copy. Object arrays are refused here, before any conversion guesses."""
    array = np.asarray(array)
    if array.dtype == object:
        raise TypeError("claimlens takes numeric arrays, not an array of Python objects; "
                        "convert it with astype(float) first")
    return np.ascontiguousarray(array, dtype=np.float64)


def pointer(array):
    """The data pointer of a C-contiguous float64 array, for a const double* argument."""
    return array.ctypes.data_as(_double_p)


def encode_path(path):
    return os.fsencode(os.fspath(path))


