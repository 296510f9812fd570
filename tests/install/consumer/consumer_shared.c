/* A downstream C99 program linked to the installed libclaimlens.so (claimlens::claimlens_shared):
   reads a CSV buffer, takes a quantile, trains and round-trips a logistic regression, and checks
   that bad arguments come back as status codes with a message. Exit status 1 on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "claimlens.h"
#include "sample.h"

static int failures = 0;

static void expect(int ok, const char* what) {
  printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

static void expect_error(claimlens_status got, claimlens_status want, const char* what) {
  char line[512];
  const char* message = claimlens_last_error();
  snprintf(line, sizeof line, "%s -> %s: %s", what, claimlens_status_name(got), message);
  expect(got == want && message[0] != '\0', line);
}

static void check_frame(void) {
  claimlens_frame* frame = NULL;
  double views[6], median = NAN;
  double known[5];
  size_t i, k = 0;
  claimlens_status s = claimlens_frame_read_csv_buffer(kSampleCsv, strlen(kSampleCsv), &frame);
  expect(s == CLAIMLENS_OK && claimlens_frame_num_rows(frame) == kSampleRows, "read the sample");
  s = claimlens_frame_get_doubles(frame, "video_view_count", 6, views);
  expect(s == CLAIMLENS_OK && isnan(views[2]), "view counts, #N/A as NaN");
  for (i = 0; i < 6; ++i) {
    if (!isnan(views[i])) known[k++] = views[i];
  }
  /* Five known values: the median is the third smallest, 3400. */
  s = claimlens_quantile(known, k, 0.5, &median);
  expect(s == CLAIMLENS_OK && median == views[3], "median view count through the C ABI");
  expect_error(claimlens_frame_get_doubles(frame, "video_view_count", 5, views),
               CLAIMLENS_E_INVALID_ARGUMENT, "get_doubles with n != rows");
  expect_error(claimlens_frame_get_doubles(frame, "no_such_column", 6, views), CLAIMLENS_E_SCHEMA,
               "get_doubles of a missing column");
  claimlens_frame_free(frame);
}

static void check_model(void) {
  /* One feature; y = 1 for larger x, with overlap so the optimum is finite. */
  const double x[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  const double y[8] = {0, 0, 0, 1, 0, 1, 1, 1};
  double p[8], q[8], coef[2];
  claimlens_model *model = NULL, *back = NULL;
  void* buffer = NULL;
  size_t len = 0, i;
  int increasing = 1;
  claimlens_status s =
      claimlens_model_train(x, 8, 1, y, "{\"algorithm\": \"logistic_regression\"}", &model);
  expect(s == CLAIMLENS_OK, "train a logistic regression");
  if (s != CLAIMLENS_OK) return;
  claimlens_model_predict_proba(model, x, 8, 1, p);
  for (i = 1; i < 8; ++i) increasing = increasing && p[i] > p[i - 1];
  s = claimlens_model_coefficients(model, coef, 2);
  expect(s == CLAIMLENS_OK && coef[1] > 0 && increasing,
         "positive slope, P(y = 1) increasing in x");
  s = claimlens_model_save_buffer(model, &buffer, &len);
  if (s == CLAIMLENS_OK) s = claimlens_model_load_buffer(buffer, len, &back);
  if (s == CLAIMLENS_OK) s = claimlens_model_predict_proba(back, x, 8, 1, q);
  expect(s == CLAIMLENS_OK && memcmp(p, q, sizeof p) == 0, "save/load buffer: identical output");
  expect_error(claimlens_model_predict_proba(model, x, 4, 2, q), CLAIMLENS_E_INVALID_ARGUMENT,
               "predict with the wrong column count");
  expect_error(claimlens_model_train(
                   x, 8, 1, y, "{\"algorithm\": \"logistic_regression\", \"bogus\": 1}", &back),
               CLAIMLENS_E_INVALID_ARGUMENT, "train with an unknown key");
  claimlens_free(buffer);
  claimlens_model_free(back);
  claimlens_model_free(model);
}

int main(void) {
  int major = -1, minor = -1, patch = -1;
  claimlens_video video = CLAIMLENS_VIDEO_INIT;
  double p_claim = 0;
  claimlens_version(&major, &minor, &patch);
  expect(major == CLAIMLENS_VERSION_MAJOR && minor == CLAIMLENS_VERSION_MINOR &&
             patch == CLAIMLENS_VERSION_PATCH,
         "linked libclaimlens.so has the header's version");
  check_frame();
  check_model();
  expect_error(claimlens_classifier_predict(NULL, &video, 1, &p_claim),
               CLAIMLENS_E_INVALID_ARGUMENT, "predict on a NULL classifier");
  expect_error(claimlens_frame_read_csv("/nonexistent/videos.csv", NULL),
               CLAIMLENS_E_INVALID_ARGUMENT, "read_csv with a NULL output");
  printf("%s\n", failures == 0 ? "consumer_shared: all checks passed" : "consumer_shared: FAILED");
  return failures == 0 ? 0 : 1;
}
