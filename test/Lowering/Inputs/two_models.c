/* Two compiled models (and their shared runtime) in one program: both run
 * and give the results of their own `layerc run`. */
#include "first.h"
#include "second.h"
#include "layerc/runtime.h"
#include <stdio.h>

int main(void) {
  layerc_tensor x;
  if (layerc_npy_read("x.npy", &x) != LAYERC_OK)
    return 1;
  float a[2 * 3], b[2 * 5];
  int sa = first_run(x.data, a), sb = second_run(x.data, b);
  layerc_tensor ta = {a, 2, {2, 3}}, tb = {b, 2, {2, 5}};
  layerc_npy_write("a.npy", &ta);
  layerc_npy_write("b.npy", &tb);
  layerc_tensor_free(&x);
  printf("first: %d, second: %d\n", sa, sb);
  return 0;
}
