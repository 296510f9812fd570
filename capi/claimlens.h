/*
 * claimlens.h: the stable C ABI of claimlens (C99; compiles as C and as C++).
 *
 * ABI rule: an exported signature never changes once released; new behaviour comes as new
 * functions. Structs passed by pointer are never extended in place.
 *
 * Conventions, for every function below unless its comment says otherwise:
 * - Functions that can fail return claimlens_status. On failure no output is written (no partial
 *   result) and claimlens_last_error() returns the complete message for the calling thread.
 * - A NULL handle or pointer, a size that does not match, or an unknown parameter key gets
 *   CLAIMLENS_E_INVALID_ARGUMENT, never a crash.
 * - Handles are opaque. Each one a function returns through an `out` pointer is owned by the caller
 *   and must be destroyed with the matching *_free function; every *_free accepts NULL.
 * - Buffers the library allocates (char ** and void ** outputs) are owned by the caller and must be
 *   released with claimlens_free. Outputs whose size the caller knows are caller-allocated.
 * - Thread safety: functions taking a `const` handle may be called from many threads at once on
 *   the same handle (prediction on a shared model is safe). Training and *_free are not: do not
 *   free a handle while another thread uses it. There is no global mutable state apart from the
 *   thread-local last error.
 * - Numbers are parsed and printed independently of the C locale.
 */
#ifndef CLAIMLENS_H
#define CLAIMLENS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define CLAIMLENS_API
#else
#define CLAIMLENS_API __attribute__((visibility("default")))
#endif

#define CLAIMLENS_VERSION_MAJOR 0
#define CLAIMLENS_VERSION_MINOR 1
#define CLAIMLENS_VERSION_PATCH 0

/* ------------------------------------------------------------------------------------------ */
/* Status, errors, memory                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef enum claimlens_status {
  CLAIMLENS_OK = 0,
  CLAIMLENS_E_INVALID_ARGUMENT = 1, /* NULL pointer, size mismatch, bad or unknown parameter */
  CLAIMLENS_E_IO = 2,               /* a file could not be read or written */
  CLAIMLENS_E_PARSE = 3,            /* malformed CSV or JSON text */
  CLAIMLENS_E_SCHEMA = 4,           /* missing column, or a column of the wrong type */
  CLAIMLENS_E_MODEL_FORMAT = 5,     /* truncated, corrupted or unsupported model data */
  CLAIMLENS_E_STATE = 6,            /* the handle cannot do this (e.g. coefficients of a forest) */
  CLAIMLENS_E_NO_MEMORY = 7,        /* an allocation failed; nothing leaked */
  CLAIMLENS_E_INTERNAL = 8          /* a bug: please report the message */
} claimlens_status;

typedef enum claimlens_dtype {
  CLAIMLENS_INT64 = 0,
  CLAIMLENS_FLOAT64 = 1,
  CLAIMLENS_STRING = 2,
  CLAIMLENS_BOOL = 3
} claimlens_dtype;

/* The message of the last failure on the calling thread. Never NULL; valid until the next
   claimlens call on this thread. Not cleared by successful calls. */
CLAIMLENS_API const char *claimlens_last_error(void);

/* A static name such as "CLAIMLENS_E_PARSE"; "CLAIMLENS_UNKNOWN_STATUS" for other values. */
CLAIMLENS_API const char *claimlens_status_name(claimlens_status status);

/* The version of the library linked (which may differ from the CLAIMLENS_VERSION_* macros the
   caller was compiled with). Any pointer may be NULL. */
CLAIMLENS_API void claimlens_version(int *major, int *minor, int *patch);

/* Releases a buffer the library allocated (JSON texts, saved model buffers). NULL is a no-op. */
CLAIMLENS_API void claimlens_free(void *ptr);

/* ------------------------------------------------------------------------------------------ */
/* Data frames: CSV files read into typed columns                                                */
/* ------------------------------------------------------------------------------------------ */

/* A table of named, typed columns with nulls. Must be destroyed with claimlens_frame_free. */
typedef struct claimlens_frame claimlens_frame;

/* Reads a CSV file (RFC 4180, LF or CRLF, UTF-8, header row; pandas' null tokens such as "" and
   "#N/A"). Column types are inferred: int64, float64, bool or string. Errors: CLAIMLENS_E_IO for an
   unreadable file, CLAIMLENS_E_PARSE with file, line and column for malformed text. */
CLAIMLENS_API claimlens_status claimlens_frame_read_csv(const char *path, claimlens_frame **out);

/* As claimlens_frame_read_csv, from `len` bytes in memory (need not be NUL-terminated). */
CLAIMLENS_API claimlens_status claimlens_frame_read_csv_buffer(const char *data, size_t len,
                                                               claimlens_frame **out);

CLAIMLENS_API void claimlens_frame_free(claimlens_frame *frame);

/* Shape; 0 for NULL. */
CLAIMLENS_API size_t claimlens_frame_num_rows(const claimlens_frame *frame);
CLAIMLENS_API size_t claimlens_frame_num_columns(const claimlens_frame *frame);

/* Name of column `index` (0-based). *out is valid until the frame is freed. */
CLAIMLENS_API claimlens_status claimlens_frame_column_name(const claimlens_frame *frame,
                                                           size_t index, const char **out);
CLAIMLENS_API claimlens_status claimlens_frame_column_dtype(const claimlens_frame *frame,
                                                            const char *column,
                                                            claimlens_dtype *out);
CLAIMLENS_API claimlens_status claimlens_frame_null_count(const claimlens_frame *frame,
                                                          const char *column, size_t *out);

/* Copies a numeric or bool column into out[n]; n must equal the row count; nulls become NaN.
   A string column is CLAIMLENS_E_SCHEMA. */
CLAIMLENS_API claimlens_status claimlens_frame_get_doubles(const claimlens_frame *frame,
                                                           const char *column, double *out,
                                                           size_t n);

/* A string cell. *out is NULL for a null cell; otherwise valid until the frame is freed. */
CLAIMLENS_API claimlens_status claimlens_frame_get_string(const claimlens_frame *frame,
                                                          const char *column, size_t row,
                                                          const char **out);

/* A new frame without the rows that have a null in any column (pandas' dropna()). */
CLAIMLENS_API claimlens_status claimlens_frame_drop_nulls(const claimlens_frame *frame,
                                                          claimlens_frame **out);

/* pandas' describe() of the numeric columns as JSON:
   {"column": {"count":..., "mean":..., "std":..., "min":..., "25%":..., "50%":..., "75%":...,
   "max":...}, ...}. Release *out_json with claimlens_free. */
CLAIMLENS_API claimlens_status claimlens_frame_describe_json(const claimlens_frame *frame,
                                                             char **out_json);

/* ------------------------------------------------------------------------------------------ */
/* Statistics                                                                                    */
/* ------------------------------------------------------------------------------------------ */

typedef struct claimlens_ttest {
  double statistic;
  double df;
  double p_value;
} claimlens_ttest;

/* Two-sided two-sample t-test of a[na] against b[nb] (scipy.stats.ttest_ind): Welch's when
   equal_var is 0, Student's pooled-variance test otherwise. NaN values are skipped. Each sample
   needs at least two values and the samples may not both be constant. */
CLAIMLENS_API claimlens_status claimlens_ttest_ind(const double *a, size_t na, const double *b,
                                                   size_t nb, int equal_var, claimlens_ttest *out);

/* The q-quantile (0 <= q <= 1) of x[n] with linear interpolation (numpy/pandas default); NaN
   values are skipped. */
CLAIMLENS_API claimlens_status claimlens_quantile(const double *x, size_t n, double q,
                                                  double *out);

/* ------------------------------------------------------------------------------------------ */
/* Models on numeric matrices                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* A trained binary classifier of any model type the library saves: random forest,
   gradient-boosted trees, logistic regression (trained on a matrix), a tabular pipeline
   (`claimlens train`) or a claim classifier (`claimlens analyze --model`,
   claimlens_classifier_save). Must be destroyed with claimlens_model_free. Prediction on a shared
   const handle is thread-safe. A class is derived from a probability as positive iff P > 0.5. */
typedef struct claimlens_model claimlens_model;

/* Trains a model. x: row-major rows x cols doubles, NaN = missing; y[rows]: 0 or 1.
   params_json is a JSON object whose "algorithm" is "random_forest", "gradient_boosting" or
   "logistic_regression"; the other keys are the parameters of that algorithm with
   scikit-learn's / XGBoost's names (n_estimators, max_depth, learning_rate, C, ...). An unknown
   key, a value of the wrong type or out of range is CLAIMLENS_E_INVALID_ARGUMENT naming the key;
   malformed JSON is CLAIMLENS_E_PARSE. */
CLAIMLENS_API claimlens_status claimlens_model_train(const char *params_json, const double *x,
                                                     size_t rows, size_t cols, const double *y,
                                                     claimlens_model **out);

/* out[rows] = P(y = 1) for each row of x (row-major rows x cols, cols equal to the model's
   feature count). A tabular pipeline that encodes text or categories, and a claim classifier,
   need raw columns: CLAIMLENS_E_STATE (use claimlens_model_predict_frame). Thread-safe on a
   shared model. */
CLAIMLENS_API claimlens_status claimlens_model_predict_proba(const claimlens_model *model,
                                                             const double *x, size_t rows,
                                                             size_t cols, double *out);

CLAIMLENS_API claimlens_status claimlens_model_num_features(const claimlens_model *model,
                                                            size_t *out);

/* out[n], n = number of features: impurity (forest) or gain (boosting) importances summing to
   1; for logistic regression, the absolute coefficients normalized to sum to 1; a pipeline gives
   its inner model's. */
CLAIMLENS_API claimlens_status claimlens_model_feature_importances(const claimlens_model *model,
                                                                   double *out, size_t n);

/* Logistic regression (or a tabular pipeline of one) only: out[n], n = 1 + number of features:
   intercept, then one coefficient per feature, in original units. CLAIMLENS_E_STATE for tree
   models. */
CLAIMLENS_API claimlens_status claimlens_model_coefficients(const claimlens_model *model,
                                                            double *out, size_t n);

/* Saves to a file: JSON text when the path ends in ".json" (any case), compact binary CBOR for
   any other name. The file is written to a temporary name and renamed, so a failure leaves no
   half-written file and any previous file at `path` intact. The format is documented in
   docs/model-format.md. */
CLAIMLENS_API claimlens_status claimlens_model_save(const claimlens_model *model, const char *path);

/* Loads a saved model of any type, validating everything. The encoding (JSON or CBOR) is
   recognised by content, whatever the file's name. A truncated, corrupted or hostile file, or a
   file that is no model, is CLAIMLENS_E_MODEL_FORMAT with a message naming the file and saying
   what is wrong. */
CLAIMLENS_API claimlens_status claimlens_model_load(const char *path, claimlens_model **out);

/* Saves to a new buffer (CBOR) of *out_len bytes; release *out with claimlens_free. */
CLAIMLENS_API claimlens_status claimlens_model_save_buffer(const claimlens_model *model, void **out,
                                                           size_t *out_len);

/* Loads from len bytes (JSON or CBOR, detected from the content). */
CLAIMLENS_API claimlens_status claimlens_model_load_buffer(const void *data, size_t len,
                                                           claimlens_model **out);

CLAIMLENS_API void claimlens_model_free(claimlens_model *model);

/* out[n] = P(y = 1) for every row of `frame` (n must equal its row count).
   - A tabular pipeline (`claimlens train`) applies its feature plan to the frame's columns by
     name (numeric columns as trained, missing values as in training, few-category text columns
     one-hot encoded, the text column as n-gram counts); a plan column missing from the frame is
     CLAIMLENS_E_SCHEMA naming it.
   - A claim classifier reads the dataset's columns; a row with a null among them gets NaN.
   - A model trained on a matrix reads the columns named as its features ("f0", "f1", ...) when
     the frame has them all, else every column in order when there are exactly as many as its
     features; otherwise, or for a text column, CLAIMLENS_E_SCHEMA. Nulls are missing values.
   claimlens_model_predict_proba accepts a tabular pipeline only when every plan column is
   numeric (x then holds those columns in plan order, NaN = missing). Thread-safe on a shared
   model. */
CLAIMLENS_API claimlens_status claimlens_model_predict_frame(const claimlens_model *model,
                                                             const claimlens_frame *frame,
                                                             double *out, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* The claim classifier: the seed analysis' whole pipeline over raw video records                */
/* ------------------------------------------------------------------------------------------ */

/* A trained claim classifier that carries its whole feature pipeline (n-gram vocabulary,
   encodings, feature order), so callers hand it raw records. Must be destroyed with
   claimlens_classifier_free. Prediction on a shared const handle is thread-safe. */
typedef struct claimlens_classifier claimlens_classifier;

/* One reported video, as in tiktok_dataset.csv. */
typedef struct claimlens_video {
  const char *transcription;     /* UTF-8; NULL = empty */
  const char *verified_status;   /* "verified" | "not verified" */
  const char *author_ban_status; /* "active" | "under review" | "banned" */
  double duration_sec, view_count, like_count, share_count, download_count, comment_count;
} claimlens_video;

/* Trains on a frame with tiktok_dataset.csv's columns (null rows are dropped). options_json
   (NULL or "{}" for the defaults) takes: "algorithm": "random_forest" | "gradient_boosting" |
   "champion" (both, picked by validation recall; default), "grid": "seed" | "none" (default
   "seed"), "cv_folds" (5), "random_state" (0), "n_jobs" (0 = all cores). A missing column is
   CLAIMLENS_E_SCHEMA naming it. */
CLAIMLENS_API claimlens_status claimlens_classifier_train(const claimlens_frame *videos,
                                                          const char *options_json,
                                                          claimlens_classifier **out);

/* p_claim[n] = probability that each video makes a claim. A verified_status or
   author_ban_status outside the listed values is CLAIMLENS_E_INVALID_ARGUMENT quoting it.
   Thread-safe on a shared classifier. */
CLAIMLENS_API claimlens_status claimlens_classifier_predict(const claimlens_classifier *clf,
                                                            const claimlens_video *videos, size_t n,
                                                            double *p_claim);

/* As claimlens_classifier_predict for every row of a frame with the dataset's columns; n must
   equal the frame's row count. A null transcription is empty text (as NULL in claimlens_video);
   a null status or count is CLAIMLENS_E_INVALID_ARGUMENT naming the column and row. */
CLAIMLENS_API claimlens_status claimlens_classifier_predict_frame(const claimlens_classifier *clf,
                                                                  const claimlens_frame *videos,
                                                                  double *p_claim, size_t n);

/* order[n]: indices of videos in review order, by p_claim x view_count, highest first (ties by
   index). */
CLAIMLENS_API claimlens_status claimlens_classifier_triage(const claimlens_classifier *clf,
                                                           const claimlens_video *videos, size_t n,
                                                           size_t *order);

/* The training report as JSON (documented in docs/classifier-report.md): split sizes, vocabulary,
   CV table, best parameters, validation and test metrics with confusion matrices, feature
   importances, champion. Release *out_json with claimlens_free. */
CLAIMLENS_API claimlens_status claimlens_classifier_report_json(const claimlens_classifier *clf,
                                                                char **out_json);

/* Saves / loads the classifier with its pipeline; same file rules as claimlens_model_save and
   claimlens_model_load (a file of another model type is CLAIMLENS_E_MODEL_FORMAT). The file is
   also a model file: claimlens_model_load opens it. */
CLAIMLENS_API claimlens_status claimlens_classifier_save(const claimlens_classifier *clf,
                                                         const char *path);
CLAIMLENS_API claimlens_status claimlens_classifier_load(const char *path,
                                                         claimlens_classifier **out);

/* Saves the classifier with its pipeline to a new buffer (CBOR) of *out_len bytes; release *out
   with claimlens_free. */
CLAIMLENS_API claimlens_status claimlens_classifier_save_buffer(const claimlens_classifier *clf,
                                                                void **out, size_t *out_len);

/* Loads a classifier from len bytes (JSON or CBOR, detected from the content), validating
   everything as claimlens_classifier_load does: a truncated, corrupted or hostile buffer is
   CLAIMLENS_E_MODEL_FORMAT with a message saying what is wrong. */
CLAIMLENS_API claimlens_status claimlens_classifier_load_buffer(const void *data, size_t len,
                                                                claimlens_classifier **out);

CLAIMLENS_API void claimlens_classifier_free(claimlens_classifier *clf);

#ifdef __cplusplus
}
#endif

#endif /* CLAIMLENS_H */
