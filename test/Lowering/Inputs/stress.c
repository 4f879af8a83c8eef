/* Eight threads call compiled models at once, 1000 calls each, on their
 * own inputs, changing the runtime's thread count as they go: every result
 * must be bit-identical to a single-threaded run of the same input.
 *   stress one   all threads call stress_a
 *   stress two   even threads call stress_a, odd ones stress_b */
#include "stress_a.h"
#include "stress_b.h"
#include "layerc/runtime.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { THREADS = 8, CALLS = 1000, IN = 4 * 32 * 32, OUT_MAX = 8 * 16 * 16 };
enum { OUT_A = 8 * 16 * 16, OUT_B = 10 };

struct job {
  int index, use_b;
  float in[IN], out[OUT_MAX], expected[OUT_MAX];
  int failures, mismatches;
};

static int call(const struct job *j, float *out) {
  return j->use_b ? stress_b_run(j->in, out) : stress_a_run(j->in, out);
}

static void *worker(void *arg) {
  struct job *j = arg;
  size_t bytes = sizeof(float) * (j->use_b ? OUT_B : OUT_A);
  for (int c = 0; c < CALLS; ++c) {
    if (c % 100 == 0) /* 1, 2 or 3 threads per call from here on */
      layerc_set_num_threads(1 + (j->index + c / 100) % 3);
    memset(j->out, 0, bytes);
    if (call(j, j->out) != 0)
      ++j->failures;
    else if (memcmp(j->out, j->expected, bytes) != 0)
      ++j->mismatches;
  }
  return NULL;
}

int main(int argc, char **argv) {
  int two = argc > 1 && strcmp(argv[1], "two") == 0;
  static struct job jobs[THREADS];
  layerc_set_num_threads(1);
  for (int t = 0; t < THREADS; ++t) {
    struct job *j = &jobs[t];
    j->index = t;
    j->use_b = two && t % 2 == 1;
    for (int i = 0; i < IN; ++i)
      j->in[i] = (float)((i * (t + 3)) % 29) / 29.0f - 0.5f;
    if (call(j, j->expected) != 0)
      return 1;
  }
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; ++t)
    pthread_create(&threads[t], NULL, worker, &jobs[t]);
  int failures = 0, mismatches = 0;
  for (int t = 0; t < THREADS; ++t) {
    pthread_join(threads[t], NULL);
    failures += jobs[t].failures;
    mismatches += jobs[t].mismatches;
  }
  printf("%d threads x %d calls (%s): %d failures, %d mismatches\n", THREADS,
         CALLS, two ? "two models" : "one model", failures, mismatches);
  return 0;
}
