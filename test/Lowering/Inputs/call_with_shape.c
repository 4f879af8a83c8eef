/* Calls the model `sized` (one input, one output) once on zeros of the
 * shapes given as arguments, `app 2,8 2,2`, and prints whether the call
 * succeeded; the runtime's error hook prints the message. */
#include "model.h"
#include "layerc/runtime.h"
#include <stdio.h>
#include <stdlib.h>

static void hook(const char *message) { printf("hook: %s\n", message); }

static float *tensor_of(const char *shape, layerc_tensor *t) {
  size_t count = 1;
  t->rank = 0;
  for (char *end; *shape; shape = *end ? end + 1 : end) {
    t->shape[t->rank] = strtol(shape, &end, 10);
    count *= (size_t)t->shape[t->rank++];
  }
  t->data = calloc(count, sizeof(float));
  return t->data;
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  layerc_tensor in, out;
  struct halide_buffer_t inb, outb;
  struct halide_dimension_t ind[LAYERC_MAX_RANK], outd[LAYERC_MAX_RANK];
  float *a = tensor_of(argv[1], &in), *b = tensor_of(argv[2], &out);
  layerc_tensor_buffer(&in, &inb, ind);
  layerc_tensor_buffer(&out, &outb, outd);
  layerc_set_error_hook(hook);
  printf("%s -> %s: %s\n", argv[1], argv[2], sized(&inb, &outb) ? "error" : "ok");
  free(a);
  free(b);
  return 0;
}
