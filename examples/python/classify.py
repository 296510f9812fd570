#!/usr/bin/env python3
"""claimlens from Python through ctypes only (no compiled extension, no numpy): train the claim
classifier on a CSV of reported videos, classify two hand-written reports, save the classifier
and check that a reload predicts the same.

Usage: classify.py LIBCLAIMLENS_SO DATA.csv MODEL_OUT [OPTIONS_JSON]
"""
import ctypes
import sys

OK = 0


class Video(ctypes.Structure):
    """claimlens_video from claimlens.h."""
    _fields_ = [("transcription", ctypes.c_char_p),
                ("verified_status", ctypes.c_char_p),
                ("author_ban_status", ctypes.c_char_p),
                ("duration_sec", ctypes.c_double),
                ("view_count", ctypes.c_double),
                ("like_count", ctypes.c_double),
                ("share_count", ctypes.c_double),
                ("download_count", ctypes.c_double),
                ("comment_count", ctypes.c_double)]


class ClaimlensError(RuntimeError):
    pass


def load(path):
    lib = ctypes.CDLL(path)
    handle = ctypes.c_void_p
    lib.claimlens_last_error.restype = ctypes.c_char_p
    lib.claimlens_status_name.restype = ctypes.c_char_p
    lib.claimlens_status_name.argtypes = [ctypes.c_int]
    lib.claimlens_frame_read_csv.argtypes = [ctypes.c_char_p, ctypes.POINTER(handle)]
    lib.claimlens_frame_num_rows.restype = ctypes.c_size_t
    lib.claimlens_frame_num_rows.argtypes = [handle]
    lib.claimlens_frame_free.argtypes = [handle]
    lib.claimlens_classifier_train.argtypes = [handle, ctypes.c_char_p, ctypes.POINTER(handle)]
    lib.claimlens_classifier_predict.argtypes = [handle, ctypes.POINTER(Video), ctypes.c_size_t,
                                                 ctypes.POINTER(ctypes.c_double)]
    lib.claimlens_classifier_save.argtypes = [handle, ctypes.c_char_p]
    lib.claimlens_classifier_load.argtypes = [ctypes.c_char_p, ctypes.POINTER(handle)]
    lib.claimlens_classifier_free.argtypes = [handle]
    return lib


def check(lib, status, what):
    if status != OK:
        raise ClaimlensError(f"{what}: {lib.claimlens_status_name(status).decode()}: "
                             f"{lib.claimlens_last_error().decode()}")


def report(text, views, likes, shares, downloads, comments):
    return Video(text.encode(), b"not verified", b"active", 30.0, views, likes, shares,
                 downloads, comments)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    lib = load(argv[1])
    options = argv[4].encode() if len(argv) > 4 else None
    frame, clf, back = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    videos = (Video * 2)(
        report("someone shared with me that honey never spoils", 500000, 150000, 28000, 2000, 450),
        report("i think that honey never spoils", 5000, 1100, 120, 9, 1))
    p, q = (ctypes.c_double * 2)(), (ctypes.c_double * 2)()
    try:
        check(lib, lib.claimlens_frame_read_csv(argv[2].encode(), ctypes.byref(frame)), "read_csv")
        print(f"read {lib.claimlens_frame_num_rows(frame)} rows")
        check(lib, lib.claimlens_classifier_train(frame, options, ctypes.byref(clf)), "train")
        check(lib, lib.claimlens_classifier_predict(clf, videos, 2, p), "predict")
        print(f"p_claim(claim-like)   = {p[0]:.4f}\np_claim(opinion-like) = {p[1]:.4f}")
        check(lib, lib.claimlens_classifier_save(clf, argv[3].encode()), "save")
        check(lib, lib.claimlens_classifier_load(argv[3].encode(), ctypes.byref(back)), "load")
        check(lib, lib.claimlens_classifier_predict(back, videos, 2, q), "predict (reloaded)")
        if list(p) != list(q):
            raise ClaimlensError("the reloaded classifier predicts differently")
        if not (p[0] > 0.5 > p[1]):
            raise ClaimlensError("unexpected predictions")
        bad = (Video * 1)(report("hello", 10, 1, 1, 1, 1))
        bad[0].verified_status = b"sort of"
        status = lib.claimlens_classifier_predict(clf, bad, 1, p)
        if status == OK or b"sort of" not in lib.claimlens_last_error():
            raise ClaimlensError("a bad verified_status was not rejected with a clear message")
        print("saved, reloaded, identical predictions; bad input rejected:",
              lib.claimlens_last_error().decode())
        return 0
    except ClaimlensError as e:
        print(e, file=sys.stderr)
        return 1
    finally:
        lib.claimlens_classifier_free(back)
        lib.claimlens_classifier_free(clf)
        lib.claimlens_frame_free(frame)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
