/* A steady stream of calls takes no fresh memory: after a warm-up, the
 * intermediates come from the workspace kept between calls, so calls cause
 * no minor page faults (getrusage). The warm-up is the first call plus a
 * few more: a worker thread of Halide's pool that joins late touches its
 * stack the first time it runs a task (a page or two, seen at call 2).
 * The host itself reclaims pages now and then (a fault or two in a minute,
 * seen under load), so the check takes the quietest of several windows of
 * calls: a model that allocated per call would fault in every window.
 * Also: layerc_set_num_threads()
 * between calls gives the same results, and layerc_release_workspace()
 * frees the workspace, after which the next call allocates it again. */
#include "layerc/runtime.h"
#include "model.h"
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

enum { IN = 1 * 16 * 96 * 96, OUT = 1 * 16 * 96 * 96, WARMUP = 5, WINDOWS = 5, CALLS = 20 };

static long minor_faults(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

int main(void) {
  static float in[IN], out[OUT], first[OUT];
  for (int i = 0; i < IN; ++i)
    in[i] = (float)(i % 23) / 23.0f - 0.5f;
  if (faults_run(in, first) != 0)
    return 1;
  for (int c = 0; c < WARMUP; ++c)
    if (faults_run(in, out) != 0)
      return 1;
  int failures = 0;
  long fewest = -1;
  for (int w = 0; w < WINDOWS; ++w) {
    long before = minor_faults();
    for (int c = 0; c < CALLS; ++c)
      failures += faults_run(in, out) != 0;
    long faults = minor_faults() - before;
    if (fewest < 0 || faults < fewest)
      fewest = faults;
  }
  printf("%d x %d calls, %d failures, fewest page faults in %d calls: %ld\n",
         WINDOWS, CALLS, failures, CALLS, fewest);

  int same = 1;
  for (int threads = 1; threads <= 3; ++threads) {
    if (layerc_set_num_threads(threads) != LAYERC_OK || faults_run(in, out) != 0)
      return 1;
    same &= memcmp(out, first, sizeof out) == 0;
  }
  printf("same result at 1, 2, 3 threads: %d\n", same);
  printf("0 threads: %s\n", layerc_status_string(layerc_set_num_threads(0)));

  layerc_release_workspace();
  long before = minor_faults();
  if (faults_run(in, out) != 0)
    return 1;
  printf("after release, the next call allocates again: %d\n",
         minor_faults() - before > 0);
  printf("and computes the same: %d\n", memcmp(out, first, sizeof out) == 0);
  return 0;
}
