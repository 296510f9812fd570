/* The implementation of abidemo.h (tests/abi/): just enough to have a body per function. */
#include "abidemo.h"

#include <stdlib.h>

struct abidemo_model {
  double weight;
  int trained;
};

abidemo_status abidemo_train(const abidemo_video* videos, size_t n, abidemo_model** out) {
  if (videos == NULL || out == NULL) return ABIDEMO_E_INVALID_ARGUMENT;
  *out = malloc(sizeof **out);
  if (*out == NULL) return ABIDEMO_E_IO;
  (*out)->weight = n > 0 ? videos[0].duration_sec : 0.0;
  (*out)->trained = 1;
  return ABIDEMO_OK;
}

abidemo_status abidemo_predict(const abidemo_model* model, const double* x, size_t n, double* out) {
  size_t i;
  if (model == NULL || x == NULL || out == NULL) return ABIDEMO_E_INVALID_ARGUMENT;
  for (i = 0; i < n; ++i) out[i] = model->weight * x[i];
  return ABIDEMO_OK;
}

void abidemo_free(abidemo_model* model) {
  free(model);
}
