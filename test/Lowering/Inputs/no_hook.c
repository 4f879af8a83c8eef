/* Without an error hook, a wrong shape still returns a non-zero code (the
 * runtime's default handler prints the message and never aborts). */
#include "model.h"
#include "layerc/runtime.h"
#include <stdio.h>

int main(void) {
  float in[2 * 5] = {0}, out[2 * 4];
  layerc_tensor x = {in, 2, {2, 5}}, y = {out, 2, {2, 4}};
  struct halide_buffer_t xb, yb;
  struct halide_dimension_t xd[2], yd[2];
  layerc_tensor_buffer(&x, &xb, xd);
  layerc_tensor_buffer(&y, &yb, yd);
  int status = shaped(&xb, &yb);
  printf("returned %s\n", status != 0 ? "non-zero" : "zero");
  return 0;
}
