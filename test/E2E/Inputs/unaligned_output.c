/* Calls the model of unaligned_output.nn with its output buffer at several
 * byte offsets from a 64-byte boundary: 16 (all glibc malloc promises on
 * x86-64) and 4 (float alignment). Each result must equal the 64-byte-aligned
 * one; a misaligned vector access would crash instead. */
#include "model.h"
#include "layerc/runtime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN_COUNT (2 * 4 * 8 * 8)
#define OUT_COUNT (2 * 8 * 8 * 16)

static int call(const float *in, float *out) {
  layerc_tensor xt = {0}, yt = {0};
  xt.rank = 4; xt.shape[0] = 2; xt.shape[1] = 4; xt.shape[2] = 8; xt.shape[3] = 8;
  xt.data = (float *)in;
  yt.rank = 4; yt.shape[0] = 2; yt.shape[1] = 8; yt.shape[2] = 8; yt.shape[3] = 16;
  yt.data = out;
  struct halide_buffer_t xb, yb;
  struct halide_dimension_t xd[LAYERC_MAX_RANK], yd[LAYERC_MAX_RANK];
  layerc_tensor_buffer(&xt, &xb, xd);
  layerc_tensor_buffer(&yt, &yb, yd);
  return unaligned(&xb, &yb);
}

int main(void) {
  static float in[IN_COUNT];
  for (int i = 0; i < IN_COUNT; ++i)
    in[i] = (float)((i * 37) % 17) / 8.0f - 1.0f;
  float *ref = aligned_alloc(64, OUT_COUNT * sizeof(float));
  printf("aligned: %d\n", call(in, ref));
  fflush(stdout);
  const int offsets[] = {16, 4};
  for (int k = 0; k < 2; ++k) {
    char *raw = aligned_alloc(64, OUT_COUNT * sizeof(float) + 64);
    float *out = (float *)(raw + offsets[k]);
    int status = call(in, out);
    printf("offset %d: %d, same: %d\n", offsets[k], status,
           memcmp(out, ref, OUT_COUNT * sizeof(float)) == 0);
    fflush(stdout);
    free(raw);
  }
  free(ref);
  return 0;
}
