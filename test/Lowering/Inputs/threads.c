/* Two threads call one compiled model at once, many times, on their own
 * buffers: every result must equal a single-threaded reference run. */
#include "model.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { IN = 1 * 4 * 16 * 16, OUT = 1 * 8 * 16 * 16, ROUNDS = 200 };

struct job {
  float in[IN], out[OUT];
  const float *expected;
  int mismatches, failures;
};

static void *worker(void *arg) {
  struct job *j = arg;
  for (int r = 0; r < ROUNDS; ++r) {
    memset(j->out, 0, sizeof j->out);
    if (threaded_run(j->in, j->out) != 0)
      ++j->failures;
    if (memcmp(j->out, j->expected, sizeof j->out) != 0)
      ++j->mismatches;
  }
  return NULL;
}

int main(void) {
  static struct job jobs[2];
  static float expected[2][OUT];
  for (int t = 0; t < 2; ++t) {
    for (int i = 0; i < IN; ++i)
      jobs[t].in[i] = (float)((i * (t + 3)) % 17) / 17.0f - 0.5f;
    if (threaded_run(jobs[t].in, expected[t]) != 0)
      return 1;
    jobs[t].expected = expected[t];
  }
  pthread_t threads[2];
  for (int t = 0; t < 2; ++t)
    pthread_create(&threads[t], NULL, worker, &jobs[t]);
  for (int t = 0; t < 2; ++t)
    pthread_join(threads[t], NULL);
  printf("inputs differ: %d\n", memcmp(expected[0], expected[1], sizeof expected[0]) != 0);
  for (int t = 0; t < 2; ++t)
    printf("thread %d: %d calls, %d failures, %d mismatches\n", t, ROUNDS,
           jobs[t].failures, jobs[t].mismatches);
  return 0;
}
