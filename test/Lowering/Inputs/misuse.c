/* Calls a compiled model the ways a new user might get wrong: every misuse
 * must return non-zero, pass a message naming the argument as the header
 * does to the error hook, and leave the outputs untouched. */
#include "model.h"
#include "layerc/runtime.h"
#include <stdio.h>
#include <string.h>

enum { X = 2 * 6, ACT = 2 * 4, PROBS = 2 * 3 };
static const float kUntouched = -7.0f;

static void hook(const char *message) { printf("hook: %s\n", message); }

static float x_data[X], act_data[ACT], probs_data[PROBS];
static struct halide_buffer_t xb, actb, probsb;
static struct halide_dimension_t xd[3], actd[2], probsd[2];

/* Dense buffers over the static arrays, as the header describes them. */
static void reset(void) {
  layerc_tensor x = {x_data, 2, {2, 6}}, act = {act_data, 2, {2, 4}},
                probs = {probs_data, 2, {2, 3}};
  layerc_tensor_buffer(&x, &xb, xd);
  layerc_tensor_buffer(&act, &actb, actd);
  layerc_tensor_buffer(&probs, &probsb, probsd);
  for (int i = 0; i < ACT; ++i)
    act_data[i] = kUntouched;
  for (int i = 0; i < PROBS; ++i)
    probs_data[i] = kUntouched;
}

static int untouched(void) {
  for (int i = 0; i < ACT; ++i)
    if (act_data[i] != kUntouched)
      return 0;
  for (int i = 0; i < PROBS; ++i)
    if (probs_data[i] != kUntouched)
      return 0;
  return 1;
}

static void report(const char *what, int status) {
  printf("%s: %s, outputs %s\n", what, status ? "error" : "ok",
         untouched() ? "untouched" : "written");
}

int main(void) {
  layerc_set_error_hook(hook);
  for (int i = 0; i < X; ++i)
    x_data[i] = (float)i / X - 0.5f;

  reset();
  report("null buffer", misuse(NULL, &actb, &probsb));
  reset();
  xb.host = NULL;
  report("null input host", misuse(&xb, &actb, &probsb));
  reset();
  report("run with null input", misuse_run(NULL, act_data, probs_data));
  reset();
  probsb.host = NULL;
  report("null output host", misuse(&xb, &actb, &probsb));
  reset();
  xb.dimensions = 3;
  xd[2] = (struct halide_dimension_t){0, 1, X, 0};
  report("wrong rank", misuse(&xb, &actb, &probsb));
  reset();
  xb.type.code = halide_type_int;
  report("wrong dtype", misuse(&xb, &actb, &probsb));
  reset();
  xd[1].stride = -6; /* rows in reverse order */
  xb.host = (uint8_t *)(x_data + 6);
  report("negative stride", misuse(&xb, &actb, &probsb));
  reset();
  probsd[1].extent = 1;
  report("wrong output shape", misuse(&xb, &actb, &probsb));
  reset();
  actb.host = (uint8_t *)(x_data + 4); /* act would overwrite x's tail */
  report("output overlaps input", misuse(&xb, &actb, &probsb));
  reset();
  actb.host = xb.host;
  report("output is the input", misuse(&xb, &actb, &probsb));
  reset();
  probsb.host = (uint8_t *)(act_data + ACT - 1);
  report("outputs overlap", misuse(&xb, &actb, &probsb));

  reset();
  report("right buffers", misuse(&xb, &actb, &probsb));
  float sum = 0;
  for (int i = 0; i < PROBS; ++i)
    sum += probs_data[i];
  printf("probability rows sum to %.3f\n", sum / 2);
  return 0;
}
