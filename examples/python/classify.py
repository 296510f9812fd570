#!/usr/bin/env python3
"""claimlens from Python through ctypes only (no compiled extension, no numpy): train the claim
classifier on a CSV of reported videos, classify two hand-written reports, save the classifier
and check that a reload predicts the same, then check that bad arguments get a status and a clear
message.

Usage: classify.py LIBCLAIMLENS_SO DATA.csv MODEL_OUT [OPTIONS_JSON]
"""
import ctypes
import sys

OK = 0


class Video(ctypes.Structure):
    """claimlens_video from claimlens.h. struct_size is set here, as CLAIMLENS_VIDEO_INIT sets it
    in C: the library reads only the fields it covers."""
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

    def __init__(self, *args):
        super().__init__(ctypes.sizeof(Video), *args)


class ClaimlensError(RuntimeError):
    pass


def load(path):
    lib = ctypes.CDLL(path)
    handle = ctypes.c_void_p
    lib.claimlens_last_error.restype = ctypes.c_char_p
    lib.claimlens_status_name.restype = ctypes.c_char_p
    lib.claimlens_status_name.argtypes = [ctypes.c_int]
    lib.claimlens_frame_read_csv.argtypes = [ctypes.c_char_p, ctypes.POINTER(handle)]
    lib.claimlens_frame_read_csv_buffer.argtypes = [ctypes.c_char_p, ctypes.c_size_t,
                                                    ctypes.POINTER(handle)]
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


def bad_arguments(lib, clf, data_path):
    """Each bad call must return its status with a message, never crash."""
    bad = (Video * 1)(report("hello", 10, 1, 1, 1, 1))
    bad[0].verified_status = b"sort of"
    unbanned = (Video * 1)(report("hello", 10, 1, 1, 1, 1))
    unbanned[0].author_ban_status = b"suspended"
    negative = (Video * 1)(report("hello", -10, 1, 1, 1, 1))
    no_size = (Video * 1)(report("hello", 10, 1, 1, 1, 1))
    no_size[0].struct_size = 0
    out, p = ctypes.c_void_p(), (ctypes.c_double * 1)()
    INVALID, IO, PARSE, MODEL_FORMAT = 1, 2, 3, 5
    cases = [
        ("read_csv(None)", INVALID, lambda: lib.claimlens_frame_read_csv(None, ctypes.byref(out))),
        ("read_csv(missing file)", IO,
         lambda: lib.claimlens_frame_read_csv(b"/nonexistent/videos.csv", ctypes.byref(out))),
        ("train(None frame)", INVALID,
         lambda: lib.claimlens_classifier_train(None, None, ctypes.byref(out))),
        ("predict(verified_status 'sort of')", INVALID,
         lambda: lib.claimlens_classifier_predict(clf, bad, 1, p)),
        ("predict(author_ban_status 'suspended')", INVALID,
         lambda: lib.claimlens_classifier_predict(clf, unbanned, 1, p)),
        ("predict(view_count -10)", INVALID,
         lambda: lib.claimlens_classifier_predict(clf, negative, 1, p)),
        ("predict(struct_size 0)", INVALID,
         lambda: lib.claimlens_classifier_predict(clf, no_size, 1, p)),
        ("predict(None classifier)", INVALID,
         lambda: lib.claimlens_classifier_predict(None, bad, 1, p)),
        ("predict(None output)", INVALID,
         lambda: lib.claimlens_classifier_predict(clf, bad, 1, None)),
        ("load(missing file)", IO,
         lambda: lib.claimlens_classifier_load(b"/nonexistent/model.json", ctypes.byref(out))),
        ("load(a CSV file)", MODEL_FORMAT,
         lambda: lib.claimlens_classifier_load(data_path, ctypes.byref(out))),
        ("save(to a missing folder)", IO,
         lambda: lib.claimlens_classifier_save(clf, b"/nonexistent/dir/model.json")),
    ]
    frame = ctypes.c_void_p()
    if lib.claimlens_frame_read_csv_buffer(b"a,b\n1,2\n", 8, ctypes.byref(frame)) != OK:
        raise ClaimlensError("a two-column buffer was not read")
    try:
        cases.append(("train(bad JSON)", PARSE,
                      lambda: lib.claimlens_classifier_train(frame, b"{", ctypes.byref(out))))
        cases.append(("train(unknown option)", INVALID,
                      lambda: lib.claimlens_classifier_train(frame, b'{"folds": 3}',
                                                             ctypes.byref(out))))
        print("bad arguments:")
        for what, want, call in cases:
            status = call()
            message = lib.claimlens_last_error().decode()
            if status != want or not message or out.value is not None:
                raise ClaimlensError(f"{what}: expected status {want}, got {status} ({message})")
            print(f"  {what:40} -> {lib.claimlens_status_name(status).decode()}: {message}")
    finally:
        lib.claimlens_frame_free(frame)


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
        print("saved, reloaded, identical predictions")
        bad_arguments(lib, clf, argv[2].encode())
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
