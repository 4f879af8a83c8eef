/* Sizes known only at run time get the checks the compiler could not make:
 * reflect padding below the input size. A bad call returns non-zero with a
 * message; a good one returns 0. */
#include "model.h"
#include "layerc/runtime.h"
#include <stdio.h>

static void hook(const char *message) { printf("hook: %s\n", message); }

static int call(int n, int h, int w) {
  static float in[4 * 2 * 8 * 8], out[4 * 3 * 8 * 8];
  int oh = h + 2 * 2 - 2, ow = w + 2 * 2 - 2; /* kernel 3, padding 2 */
  layerc_tensor x = {in, 4, {n, 2, h, w}}, y = {out, 4, {n, 3, oh, ow}};
  struct halide_buffer_t xb, yb;
  struct halide_dimension_t xd[4], yd[4];
  layerc_tensor_buffer(&x, &xb, xd);
  layerc_tensor_buffer(&y, &yb, yd);
  return checked(&xb, &yb);
}

int main(void) {
  layerc_set_error_hook(hook);
  printf("2x5: %s\n", call(2, 2, 5) ? "error" : "ok");
  printf("3x5: %s\n", call(2, 3, 5) ? "error" : "ok");
  return 0;
}
