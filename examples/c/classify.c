/* A C99 moderation tool in miniature: train the claim classifier on a CSV of reported videos,
   classify two hand-written reports, save the classifier and check a reload predicts the same.
   Usage: classify DATA.csv MODEL_OUT [OPTIONS_JSON] */
#include <stdio.h>
#include <stdlib.h>

#include "claimlens.h"

static int check(claimlens_status status, const char* what) {
  if (status != CLAIMLENS_OK) {
    fprintf(stderr, "%s failed: %s: %s\n", what, claimlens_status_name(status),
            claimlens_last_error());
    return 0;
  }
  return 1;
}

int main(int argc, char** argv) {
  claimlens_frame* videos = NULL;
  claimlens_classifier *clf = NULL, *reloaded = NULL;
  claimlens_video reports[2];
  double p[2], q[2];
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
  ok = 1;
done:
  claimlens_classifier_free(reloaded);
  claimlens_classifier_free(clf);
  claimlens_frame_free(videos);
  return ok ? 0 : 1;
}
