/* Calls a compiled model with a buffer of the wrong shape: the call must
 * return non-zero and pass a readable message to the error hook. */
#include "model.h"
#include "layerc/runtime.h"
#include <stdio.h>

static void hook(const char *message) { printf("hook: %s\n", message); }

int main(void) {
  layerc_set_error_hook(hook);
  float in[2 * 5] = {0}, out[3 * 4];
  layerc_tensor x = {in, 2, {2, 5}}, y = {out, 2, {3, 4}};
  struct halide_buffer_t xb, yb;
  struct halide_dimension_t xd[2], yd[2];
  layerc_tensor_buffer(&x, &xb, xd);
  layerc_tensor_buffer(&y, &yb, yd);
  printf("wrong input: %d\n", shaped(&xb, &yb));
  x.shape[1] = 6; /* the right feature count, but a batch mismatch below */
  float in2[2 * 6] = {0};
  x.data = in2;
  layerc_tensor_buffer(&x, &xb, xd);
  printf("batch mismatch: %d\n", shaped(&xb, &yb));
  y.shape[0] = 2;
  layerc_tensor_buffer(&y, &yb, yd);
  printf("right shapes: %d\n", shaped(&xb, &yb));
  return 0;
}
