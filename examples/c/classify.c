/* A C99 moderation tool in miniature: train the claim classifier on a CSV of reported videos,
   classify two hand-written reports, save the classifier and check a reload predicts the same,
   say why the first report scored as it did (its largest contributions by input column), then
   feed the library bad arguments and check each gets a status and a clear message.
   Usage: classify DATA.csv MODEL_OUT [OPTIONS_JSON] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claimlens.h"

static int check(claimlens_status status, const char* what) {
  if (status != CLAIMLENS_OK) {
    fprintf(stderr, "%s failed: %s: %s\n", what, claimlens_status_name(status),
            claimlens_last_error());
    return 0;
  }
  return 1;
}

/* A call that must fail with `want` and leave a message. */
static int refused(claimlens_status got, claimlens_status want, const char* what) {
  const char* message = claimlens_last_error();
  if (got != want || message[0] == '\0') {
    fprintf(stderr, "%s: expected %s, got %s (\"%s\")\n", what, claimlens_status_name(want),
            claimlens_status_name(got), message);
    return 0;
  }
  printf("  %-34s -> %s: %s\n", what, claimlens_status_name(got), message);
  return 1;
}

/* Every kind of bad argument a caller can make, against a trained classifier. */
static int bad_arguments(const claimlens_classifier* clf, const char* data_path,
                         const char* model_path) {
  const char ragged[] = "a,b\n1,2\n3\n";
  const char no_claims[] = "a,b\n1,2\n";
  claimlens_frame *frame = NULL, *small = NULL;
  claimlens_classifier* out = NULL;
  claimlens_video bad = CLAIMLENS_VIDEO_INIT;
  double p = 0, p_claim = 0, priority = 0;
  size_t order = 0;
  int ok = 1;

  bad.transcription = "hello";
  bad.verified_status = "sort of";
  bad.author_ban_status = "active";
  printf("bad arguments:\n");
  ok &= refused(claimlens_frame_read_csv(NULL, &frame), CLAIMLENS_E_INVALID_ARGUMENT,
                "read_csv(NULL path)");
  ok &= refused(claimlens_frame_read_csv("/nonexistent/videos.csv", &frame), CLAIMLENS_E_IO,
                "read_csv(missing file)");
  ok &= refused(claimlens_frame_read_csv_buffer(ragged, sizeof ragged - 1, &frame),
                CLAIMLENS_E_PARSE, "read_csv_buffer(ragged row)");
  if (!check(claimlens_frame_read_csv_buffer(no_claims, sizeof no_claims - 1, &small), "read"))
    return 0;
  ok &= refused(claimlens_classifier_train(small, NULL, &out), CLAIMLENS_E_SCHEMA,
                "train(frame without the columns)");
  ok &= refused(claimlens_classifier_train(small, "{\"grid\": \"huge\"}", &out),
                CLAIMLENS_E_INVALID_ARGUMENT, "train(bad option value)");
  ok &= refused(claimlens_classifier_train(small, "{\"folds\": 3}", &out),
                CLAIMLENS_E_INVALID_ARGUMENT, "train(unknown option)");
  ok &= refused(claimlens_classifier_train(small, "{\"grid\": ", &out), CLAIMLENS_E_PARSE,
                "train(malformed JSON)");
  ok &= refused(claimlens_classifier_train(NULL, NULL, &out), CLAIMLENS_E_INVALID_ARGUMENT,
                "train(NULL frame)");
  claimlens_frame_free(small);
  ok &= refused(claimlens_classifier_predict(clf, &bad, 1, &p), CLAIMLENS_E_INVALID_ARGUMENT,
                "predict(verified_status \"sort of\")");
  bad.verified_status = "verified";
  bad.author_ban_status = NULL;
  ok &= refused(claimlens_classifier_predict(clf, &bad, 1, &p), CLAIMLENS_E_INVALID_ARGUMENT,
                "predict(NULL author_ban_status)");
  ok &= refused(claimlens_classifier_predict(clf, NULL, 1, &p), CLAIMLENS_E_INVALID_ARGUMENT,
                "predict(NULL records)");
  bad.author_ban_status = "active";
  bad.view_count = -10;
  ok &= refused(claimlens_classifier_predict(clf, &bad, 1, &p), CLAIMLENS_E_INVALID_ARGUMENT,
                "predict(negative view_count)");
  bad.view_count = 10;
  bad.struct_size = 0;
  ok &= refused(claimlens_classifier_predict(clf, &bad, 1, &p), CLAIMLENS_E_INVALID_ARGUMENT,
                "predict(struct_size not set)");
  claimlens_video_init(&bad);
  bad.verified_status = "verified";
  ok &= refused(claimlens_classifier_predict(clf, &bad, 1, NULL), CLAIMLENS_E_INVALID_ARGUMENT,
                "predict(NULL output)");
  ok &= refused(claimlens_classifier_predict(NULL, &bad, 1, &p), CLAIMLENS_E_INVALID_ARGUMENT,
                "predict(NULL classifier)");
  ok &= refused(claimlens_classifier_triage(clf, &bad, 1, &order, &p_claim, &priority),
                CLAIMLENS_E_INVALID_ARGUMENT, "triage(NULL author_ban_status)");
  ok &= refused(claimlens_classifier_save(clf, "/nonexistent/dir/model.cbor"), CLAIMLENS_E_IO,
                "save(to a missing folder)");
  ok &= refused(claimlens_classifier_load("/nonexistent/model.cbor", &out), CLAIMLENS_E_IO,
                "load(missing file)");
  ok &= refused(claimlens_classifier_load(data_path, &out), CLAIMLENS_E_MODEL_FORMAT,
                "load(a CSV file)");
  ok &= refused(claimlens_classifier_load(model_path, NULL), CLAIMLENS_E_INVALID_ARGUMENT,
                "load(NULL output)");
  return ok && out == NULL && frame == NULL;
}

static double magnitude(double x) {
  return x < 0 ? -x : x;
}

/* The three input columns that moved the report's score most (exact Shapley values, summed per
   column: all n-grams of the transcript under video_transcription_text), and the additivity. */
static int explain_report(const claimlens_classifier* clf, const claimlens_video* report) {
  enum { kMaxFeatures = 64 };
  const claimlens_model* model = NULL;
  const char* scale = NULL;
  double out[kMaxFeatures + 1], grouped[kMaxFeatures], residual, sum = 0;
  size_t n = 0, groups = 0, j, k, g, shown[3] = {0, 0, 0};
  char name[128];
  if (!check(claimlens_classifier_as_model(clf, &model), "as_model") ||
      !check(claimlens_model_num_features(model, &n), "num_features") ||
      !check(claimlens_model_num_groups(model, &groups), "num_groups") ||
      !check(claimlens_model_explain_scale(model, &scale), "explain_scale"))
    return 0;
  if (n > kMaxFeatures) return 0;
  if (!check(claimlens_classifier_explain(clf, report, 1, out, n + 1, &residual, 1), "explain"))
    return 0;
  for (g = 0; g < groups; ++g) grouped[g] = 0;
  for (j = 0; j < n; ++j) {
    if (!check(claimlens_model_feature_group(model, j, &g), "feature_group")) return 0;
    grouped[g] += out[j];
    sum += out[j];
  }
  printf("why: %s %.4f = bias %.4f", scale, sum + out[n], out[n]);
  for (k = 0; k < 3 && k < groups; ++k) { /* the k-th largest |grouped| not shown yet */
    size_t best = groups;
    for (g = 0; g < groups; ++g) {
      int taken = 0;
      size_t i;
      for (i = 0; i < k; ++i) taken |= shown[i] == g;
      if (!taken && (best == groups || magnitude(grouped[g]) > magnitude(grouped[best]))) best = g;
    }
    shown[k] = best;
    if (!check(claimlens_model_group_name(model, best, name, sizeof name, NULL), "group_name"))
      return 0;
    printf(", %s %+.4f", name, grouped[best]);
  }
  printf(", ... (residual %.1e)\n", residual);
  return residual < 1e-9;
}

int main(int argc, char** argv) {
  claimlens_frame* videos = NULL;
  claimlens_classifier *clf = NULL, *reloaded = NULL;
  claimlens_video reports[2] = {CLAIMLENS_VIDEO_INIT, CLAIMLENS_VIDEO_INIT};
  double p[2], q[2], p_claim[2], priority[2];
  size_t order[2];
  char* report = NULL;
  int major, minor, patch, ok = 0;

  if (argc < 3) {
    fprintf(stderr, "usage: %s DATA.csv MODEL_OUT [OPTIONS_JSON]\n", argv[0]);
    return 2;
  }
  claimlens_version(&major, &minor, &patch);
  printf("claimlens %d.%d.%d\n", major, minor, patch);

  reports[0].transcription = "someone shared with me that octopuses have three hearts";
  reports[0].verified_status = "not verified";
  reports[0].author_ban_status = "active";
  reports[0].duration_sec = 32;
  reports[0].view_count = 500000;
  reports[0].like_count = 160000;
  reports[0].share_count = 30000;
  reports[0].download_count = 2500;
  reports[0].comment_count = 600;
  reports[1] = reports[0];
  reports[1].transcription = "i think that octopuses have three hearts";
  reports[1].view_count = 5000;
  reports[1].like_count = 1200;
  reports[1].share_count = 150;
  reports[1].download_count = 10;
  reports[1].comment_count = 2;

  if (!check(claimlens_frame_read_csv(argv[1], &videos), "read_csv")) goto done;
  printf("read %lu rows x %lu columns\n", (unsigned long)claimlens_frame_num_rows(videos),
         (unsigned long)claimlens_frame_num_columns(videos));
  if (!check(claimlens_classifier_train(videos, argc > 3 ? argv[3] : NULL, &clf), "train"))
    goto done;
  if (!check(claimlens_classifier_predict(clf, reports, 2, p), "predict")) goto done;
  printf("p_claim(claim-like)   = %.4f\np_claim(opinion-like) = %.4f\n", p[0], p[1]);
  if (!check(claimlens_classifier_save(clf, argv[2]), "save")) goto done;
  if (!check(claimlens_classifier_load(argv[2], &reloaded), "load")) goto done;
  if (!check(claimlens_classifier_predict(reloaded, reports, 2, q), "predict (reloaded)"))
    goto done;
  if (p[0] != q[0] || p[1] != q[1]) {
    fprintf(stderr, "reloaded classifier predicts differently\n");
    goto done;
  }
  if (!(p[0] > 0.5 && p[1] < 0.5)) {
    fprintf(stderr, "unexpected predictions\n");
    goto done;
  }
  printf("saved, reloaded, identical predictions\n");
  if (!explain_report(clf, &reports[0])) goto done;
  /* Review order: p_claim x views puts the viral claim-like report first; the queue comes with
     each report's p_claim and priority (by report index). */
  if (!check(claimlens_classifier_triage(clf, reports, 2, order, p_claim, priority), "triage"))
    goto done;
  if (!check(claimlens_classifier_report_json(clf, &report), "report_json")) goto done;
  if (order[0] != 0 || p_claim[0] != p[0] || priority[0] != p[0] * reports[0].view_count ||
      strstr(report, "\"champion\"") == NULL) {
    fprintf(stderr, "unexpected triage or training report\n");
    goto done;
  }
  printf(
      "review order: %lu (priority %.0f), %lu (priority %.0f); training report: %lu bytes of "
      "JSON (docs/classifier-report.md)\n",
      (unsigned long)order[0], priority[order[0]], (unsigned long)order[1], priority[order[1]],
      (unsigned long)strlen(report));
  ok = bad_arguments(clf, argv[1], argv[2]);
done:
  claimlens_free(report);
  claimlens_classifier_free(reloaded);
  claimlens_classifier_free(clf);
  claimlens_frame_free(videos);
  return ok ? 0 : 1;
}
