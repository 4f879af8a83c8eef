/* examples/app/main.c — runs the compiled digits model on one .npy image.
 *
 *   layerc compile examples/digits.nn --weights digits.safetensors -o digits
 *   cc -I. -I<layerc>/runtime/include -I<build>/runtime/include \
 *      examples/app/main.c digits.o <build>/lib/liblayerc_runtime.a \
 *      -lpthread -ldl -lm -o digits_app
 *   ./digits_app image.npy
 */
#include "digits.h"
#include "layerc/runtime.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s IMAGE.npy  (float32, shape [1, 1, 28, 28])\n", argv[0]);
    return 1;
  }
  layerc_tensor image;
  layerc_status status = layerc_npy_read(argv[1], &image);
  if (status != LAYERC_OK) {
    fprintf(stderr, "%s: %s\n", argv[1], layerc_status_string(status));
    return 1;
  }
  if (layerc_tensor_size(&image) != 28 * 28) {
    fprintf(stderr, "%s: expected 784 values, got %lld\n", argv[1],
            (long long)layerc_tensor_size(&image));
    layerc_tensor_free(&image);
    return 1;
  }
  float logits[10];
  int error = digits_run(image.data, logits);  /* 0 on success */
  layerc_tensor_free(&image);
  if (error) {
    fprintf(stderr, "digits_run failed with %d\n", error);
    return 1;
  }
  int best = 0;
  printf("layerc:");
  for (int i = 0; i < 10; ++i) {
    printf(" %+.5f", logits[i]);
    if (logits[i] > logits[best])
      best = i;
  }
  printf("\nclass %d\n", best);
  return 0;
}
