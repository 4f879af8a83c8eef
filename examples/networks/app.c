/* examples/networks/app.c — runs a compiled model (one input, one output)
 * on an .npy tensor, times it, and writes the output as .npy.
 *
 *   cc -DMODEL=resnet18 -I. -I<layerc>/runtime/include -I<build>/runtime/include \
 *      app.c resnet18.o <build>/lib/liblayerc_runtime.a -lpthread -ldl -lm -o app
 *   ./app INPUT.npy OUTPUT.npy D0,D1,...   (the output's shape)
 *
 * It calls the model's buffer entry point, MODEL(in, out), which takes any
 * size of the model's size symbols (the batch N of an exported network):
 * once to check it, then repeatedly for at least a second, and prints the
 * median time of a call.
 */
#include "layerc/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define STRINGIFY(x) #x
#define HEADER(m) STRINGIFY(m.h)
#include HEADER(MODEL)

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int parse_shape(const char *text, layerc_tensor *t) {
  t->rank = 0;
  for (char *end; *text; text = *end ? end + 1 : end) {
    if (t->rank == LAYERC_MAX_RANK)
      return 0;
    t->shape[t->rank] = strtol(text, &end, 10);
    if (end == text || t->shape[t->rank++] <= 0 || (*end && *end != ','))
      return 0;
  }
  return t->rank > 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s INPUT.npy OUTPUT.npy D0,D1,...\n", argv[0]);
    return 1;
  }
  layerc_tensor in, out = {0};
  layerc_status status = layerc_npy_read(argv[1], &in);
  if (status != LAYERC_OK) {
    fprintf(stderr, "%s: %s\n", argv[1], layerc_status_string(status));
    return 1;
  }
  if (!parse_shape(argv[3], &out)) {
    fprintf(stderr, "bad output shape '%s'\n", argv[3]);
    return 1;
  }
  out.data = calloc((size_t)layerc_tensor_size(&out), sizeof(float));
  struct halide_buffer_t in_buffer, out_buffer;
  struct halide_dimension_t in_dims[LAYERC_MAX_RANK], out_dims[LAYERC_MAX_RANK];
  layerc_tensor_buffer(&in, &in_buffer, in_dims);
  layerc_tensor_buffer(&out, &out_buffer, out_dims);
  if (MODEL(&in_buffer, &out_buffer) != 0)
    return 1;  /* the runtime printed why */

  enum { kMaxCalls = 1000 };
  static double seconds[kMaxCalls];
  int calls = 0;
  for (double end = now() + 1.0; calls < kMaxCalls && (now() < end || calls < 5); ++calls) {
    double start = now();
    MODEL(&in_buffer, &out_buffer);
    seconds[calls] = now() - start;
  }
  qsort(seconds, (size_t)calls, sizeof(double), compare_doubles);
  printf("layerc: %.3f ms per call (median of %d)\n", 1e3 * seconds[calls / 2], calls);
  status = layerc_npy_write(argv[2], &out);
  layerc_tensor_free(&in);
  free(out.data);
  if (status != LAYERC_OK) {
    fprintf(stderr, "%s: %s\n", argv[2], layerc_status_string(status));
    return 1;
  }
  return 0;
}
