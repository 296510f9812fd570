/* A C99 client of libclaimlens.so that prints every result it gets, to the last bit, so that two
   builds of it can be compared (tests/capi/abi/CMakeLists.txt): compiled against the frozen 1.0
   header, the current header or a "next" header whose records grew, and linked against this
   build's library or one built with the grown records. It uses only 1.0 functions, passes
   arrays of records (so the library must step by the caller's struct_size) and guards the
   records it lends the library with canaries (so it must not write past the caller's size).
   Built with -DCLAIMLENS_ABI_NEXT (the next header) it also sets a field the library may not
   know, and checks the refusal or acceptance it then expects (CLAIMLENS_ABI_NEXT_KNOWN: a
   library built with the next header, which knows the field). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claimlens.h"

#define ROWS 240

static int failures = 0;

static void require_ok(claimlens_status status, const char* what) {
  if (status != CLAIMLENS_OK) {
    fprintf(stderr, "%s: %s: %s\n", what, claimlens_status_name(status), claimlens_last_error());
    ++failures;
  }
}

static void print_doubles(const char* what, const double* v, size_t n) {
  size_t i;
  printf("%s:", what);
  for (i = 0; i < n; ++i) printf(" %.17g", v[i]);
  printf("\n");
}

static const char* const kClaims[] = {"someone shared with me that", "a friend read online that",
                                      "i learned from the news that",
                                      "my colleague discovered that"};
static const char* const kOpinions[] = {"i think that", "i believe that", "my family feels that",
                                        "i am convinced that"};
static const char* const kTopics[] = {"octopuses have three hearts", "honey never spoils",
                                      "the moon has moonquakes", "bananas are berries"};

/* A CSV of ROWS reports with the dataset's columns, claims with many views and opinions with
   few (deterministic). */
static char* make_csv(size_t* len) {
  size_t cap = 64 * 1024, used = 0, i;
  char* csv = (char*)malloc(cap);
  if (csv == NULL) return NULL;
  used += (size_t)sprintf(csv,
                          "#,claim_status,video_id,video_duration_sec,video_transcription_text,"
                          "verified_status,author_ban_status,video_view_count,video_like_count,"
                          "video_share_count,video_download_count,video_comment_count\n");
  for (i = 0; i < ROWS; ++i) {
    const int claim = (i % 3) != 0;
    const double views = claim ? 200000.0 + 997.0 * (double)i : 1000.0 + 37.0 * (double)i;
    used += (size_t)sprintf(
        csv + used, "%lu,%s,%lu,%lu,%s %s,%s,%s,%.0f,%.0f,%.0f,%.0f,%.0f\n", (unsigned long)i + 1,
        claim ? "claim" : "opinion", (unsigned long)(7000 + i), (unsigned long)(5 + i % 55),
        claim ? kClaims[i % 4] : kOpinions[i % 4], kTopics[(i / 4) % 4],
        (i % 5) == 0 ? "verified" : "not verified", (i % 7) == 0 ? "under review" : "active", views,
        views * 0.3, views * 0.05, views * 0.01, views * 0.002 + (double)(i % 3));
  }
  *len = used;
  return csv;
}

static claimlens_video report(const char* text, const char* verified, double views) {
  claimlens_video v = CLAIMLENS_VIDEO_INIT;
  v.transcription = text;
  v.verified_status = verified;
  v.author_ban_status = "active";
  v.duration_sec = 31;
  v.view_count = views;
  v.like_count = views * 0.3;
  v.share_count = views * 0.05;
  v.download_count = views * 0.01;
  v.comment_count = views * 0.002;
  return v;
}

static void classifier_calls(const claimlens_classifier* clf) {
  /* The records sit in a struct with a canary after them: a library that wrote past the
     caller's records, or stepped by its own sizeof, would show here. */
  struct {
    claimlens_video videos[4];
    double canary;
  } lent;
  double p[4], p_claim[4], priority[4], contributions[64], residual[1];
  size_t order[4], features = 0;
  const claimlens_model* model = NULL;
  lent.videos[0] = report("someone shared with me that honey never spoils", "not verified", 5e5);
  lent.videos[1] = report("i think that honey never spoils", "verified", 2e3);
  lent.videos[2] = report("a friend read online that bananas are berries", "verified", 9e4);
  lent.videos[3] = report("i believe that the moon has moonquakes", "not verified", 7e3);
  lent.canary = 1234.5;
  require_ok(claimlens_classifier_predict(clf, lent.videos, 4, p), "classifier_predict");
  print_doubles("classifier_predict", p, 4);
  require_ok(claimlens_classifier_triage(clf, lent.videos, 4, order, p_claim, priority), "triage");
  printf("triage order: %lu %lu %lu %lu\n", (unsigned long)order[0], (unsigned long)order[1],
         (unsigned long)order[2], (unsigned long)order[3]);
  print_doubles("triage p_claim", p_claim, 4);
  print_doubles("triage priority", priority, 4);
  require_ok(claimlens_classifier_as_model(clf, &model), "as_model");
  require_ok(claimlens_model_num_features(model, &features), "num_features");
  if (features + 1 <= sizeof contributions / sizeof contributions[0]) {
    require_ok(claimlens_classifier_explain(clf, &lent.videos[2], 1, contributions, features + 1,
                                            residual, 1),
               "classifier_explain");
    print_doubles("classifier_explain", contributions, features + 1);
  }
  if (lent.canary != 1234.5) {
    fprintf(stderr, "the library wrote past the records it was lent\n");
    ++failures;
  }
#ifdef CLAIMLENS_ABI_NEXT
  /* A field of the next header: a library that does not know it must refuse a record that sets
     it (naming the record), one that knows it must accept it. */
  lent.videos[1].next_field = 1.0;
  {
    const claimlens_status status = claimlens_classifier_predict(clf, lent.videos, 4, p);
#ifdef CLAIMLENS_ABI_NEXT_KNOWN
    if (status != CLAIMLENS_OK) {
      fprintf(stderr, "a library knowing next_field refused it: %s\n", claimlens_last_error());
      ++failures;
    }
#else
    if (status != CLAIMLENS_E_INVALID_ARGUMENT ||
        strstr(claimlens_last_error(), "videos[1]: byte ") == NULL ||
        strstr(claimlens_last_error(), "a field of a newer claimlens.h") == NULL) {
      fprintf(stderr, "next_field set: expected a refusal naming videos[1], got %s: %s\n",
              claimlens_status_name(status), claimlens_last_error());
      ++failures;
    } else {
      fprintf(stderr, "refused as expected: %s\n", claimlens_last_error());
    }
#endif
  }
#endif
}

static void model_calls(void) {
  double x[2 * ROWS], y[ROWS], p[ROWS], importances[2];
  claimlens_model* model = NULL;
  size_t i;
  for (i = 0; i < ROWS; ++i) {
    x[2 * i] = fmod((double)i * 0.37, 2.0);
    x[2 * i + 1] = fmod((double)i * 0.71, 1.5);
    y[i] = x[2 * i] + 0.5 * x[2 * i + 1] > 1.0 ? 1.0 : 0.0;
  }
  require_ok(claimlens_model_train(x, ROWS, 2, y,
                                   "{\"algorithm\": \"gradient_boosting\", \"n_estimators\": 20, "
                                   "\"n_jobs\": 0}",
                                   &model),
             "model_train");
  require_ok(claimlens_model_predict_proba(model, x, ROWS, 2, p), "model_predict_proba");
  print_doubles("model_predict_proba[0:8]", p, 8);
  require_ok(claimlens_model_feature_importances(model, importances, 2), "feature_importances");
  print_doubles("feature_importances", importances, 2);
  claimlens_model_free(model);
}

static void ttest_calls(void) {
  const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 6, 8, 10, 12};
  struct {
    claimlens_ttest result;
    double canary;
  } lent;
  claimlens_ttest_init(&lent.result);
  lent.canary = 99.0;
  require_ok(claimlens_ttest_ind(a, 5, b, 6, 0, &lent.result), "ttest_ind");
  printf("ttest_ind: %.17g %.17g %.17g\n", lent.result.statistic, lent.result.df,
         lent.result.p_value);
  if (lent.canary != 99.0) {
    fprintf(stderr, "the library wrote past the caller's claimlens_ttest\n");
    ++failures;
  }
}

int main(void) {
  size_t len = 0;
  char* csv = make_csv(&len);
  claimlens_frame* frame = NULL;
  claimlens_classifier* clf = NULL;
  if (csv == NULL) return 2;
  require_ok(claimlens_frame_read_csv_buffer(csv, len, &frame), "read_csv_buffer");
  require_ok(
      claimlens_classifier_train(
          frame, "{\"grid\": \"none\", \"algorithm\": \"random_forest\", \"n_jobs\": 1}", &clf),
      "classifier_train");
  if (failures == 0) classifier_calls(clf);
  model_calls();
  ttest_calls();
  claimlens_classifier_free(clf);
  claimlens_frame_free(frame);
  free(csv);
  return failures == 0 ? 0 : 1;
}
