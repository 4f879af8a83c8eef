/* examples/cmake_app/main.c: runs the digits model (../digits.nn) on one
 * fixed image and prints its 10 outputs and the best class.
 *
 * digits.h comes from layerc_add_model(digits ...) in CMakeLists.txt; its
 * include directory, the layerc runtime and the system libraries come with
 * target_link_libraries(app PRIVATE digits).
 */
#include "digits.h"          /* int digits_run(const float *image, float *fc2); */
#include "layerc/runtime.h"  /* layerc_set_num_threads(), layerc_status_string() */

#include <stdio.h>

int main(void) {
  /* A "digit": a bright vertical stroke on a dark 28x28 background (the
   * image examples/digits_reference.py uses). */
  static float image[1 * 1 * 28 * 28];
  for (int y = 4; y < 24; ++y)
    for (int x = 12; x < 16; ++x)
      image[y * 28 + x] = 1.0f;

  layerc_status status = layerc_set_num_threads(1);
  if (status != LAYERC_OK) {
    fprintf(stderr, "layerc_set_num_threads: %s\n", layerc_status_string(status));
    return 1;
  }
  float logits[10];
  int error = digits_run(image, logits); /* 0 on success */
  if (error) {
    fprintf(stderr, "digits_run failed with %d\n", error);
    return 1;
  }
  int best = 0;
  printf("digits:");
  for (int i = 0; i < 10; ++i) {
    printf(" %+.5g", logits[i]);
    if (logits[i] > logits[best])
      best = i;
  }
  printf("\nclass %d\n", best);
  return 0;
}
