/* abidemo.h: a miniature of claimlens.h for the test abi.check_catches_breaks (tests/abi/): a
   status enum, an opaque handle, an extensible record (struct_size first) and functions of the
   same shapes. The test edits scratch copies of this file, abidemo.c and abidemo.map, one change
   at a time, and runs scripts/abi_check on the rebuilt library against the original's baseline. */
#ifndef ABIDEMO_H
#define ABIDEMO_H

#include <stddef.h>

#define ABIDEMO_API __attribute__((visibility("default")))

typedef enum abidemo_status {
  ABIDEMO_OK = 0,
  ABIDEMO_E_INVALID_ARGUMENT = 1,
  ABIDEMO_E_IO = 2
} abidemo_status;

typedef struct abidemo_model abidemo_model;

typedef struct abidemo_video {
  size_t struct_size;
  double duration_sec;
  int verified;
} abidemo_video;

ABIDEMO_API abidemo_status abidemo_train(const abidemo_video* videos, size_t n,
                                         abidemo_model** out);
ABIDEMO_API abidemo_status abidemo_predict(const abidemo_model* model, const double* x, size_t n,
                                           double* out);
ABIDEMO_API void abidemo_free(abidemo_model* model);

#endif
