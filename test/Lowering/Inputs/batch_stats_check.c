/* Batch statistics over a run-time batch: one value per channel is an
 * error (as in torch), two values are fine. */
#include "model.h"
#include "layerc/runtime.h"
#include <stdio.h>

static void hook(const char *message) { printf("hook: %s\n", message); }

static int call(int n) {
  static float in[2 * 3], out[2 * 3];
  layerc_tensor x = {in, 2, {n, 3}}, y = {out, 2, {n, 3}};
  struct halide_buffer_t xb, yb;
  struct halide_dimension_t xd[2], yd[2];
  layerc_tensor_buffer(&x, &xb, xd);
  layerc_tensor_buffer(&y, &yb, yd);
  return stats(&xb, &yb);
}

int main(void) {
  layerc_set_error_hook(hook);
  printf("N=1: %s\n", call(1) ? "error" : "ok");
  printf("N=2: %s\n", call(2) ? "error" : "ok");
  return 0;
}
