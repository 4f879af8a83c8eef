//===- MachinePeak.cpp - the FMA peak of this machine, measured now -------===//
//
// The kernels are compiled for their instruction set with target
// attributes and chosen at run time, so layerc itself runs on any x86-64.
// Each keeps its accumulators in registers (24 zmm of 32; 12 ymm of 16):
// enough independent chains to cover the FMA latency on two pipes.
//
//===----------------------------------------------------------------------===//
#include "MachinePeak.h"
#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace layerc::driver {
namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

#if defined(__x86_64__)
/// FLOPs done: iterations x 24 chains x 16 lanes x 2.
__attribute__((target("avx512f"), noinline)) float fmaLoop512(long iterations) {
  __m512 acc[24];
  for (int j = 0; j < 24; ++j)
    acc[j] = _mm512_set1_ps(float(j));
  const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 24
    for (int j = 0; j < 24; ++j)
      acc[j] = _mm512_fmadd_ps(acc[j], m, c);
  }
  __m512 sum = acc[0];
  for (int j = 1; j < 24; ++j)
    sum = _mm512_add_ps(sum, acc[j]);
  // Stored and summed by hand: GCC 12's _mm512_reduce_add_ps warns
  // (-Wuninitialized) in its own header.
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  float total = 0;
  for (float lane : lanes)
    total += lane;
  return total;
}

/// FLOPs done: iterations x 12 chains x 8 lanes x 2.
__attribute__((target("avx2,fma"), noinline)) float fmaLoop256(long iterations) {
  __m256 acc[12];
  for (int j = 0; j < 12; ++j)
    acc[j] = _mm256_set1_ps(float(j));
  const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int j = 0; j < 12; ++j)
      acc[j] = _mm256_fmadd_ps(acc[j], m, c);
  }
  __m256 sum = acc[0];
  for (int j = 1; j < 12; ++j)
    sum = _mm256_add_ps(sum, acc[j]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  return lanes[0] + lanes[7];
}
#endif

/// FLOPs done: iterations x 8 chains x 2.
__attribute__((noinline)) float fmaLoopScalar(long iterations) {
  float acc[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  for (long i = 0; i < iterations; ++i)
    for (float &a : acc)
      a = a * 0.999999f + 1e-7f;
  return acc[0] + acc[7];
}

struct Kernel {
  const char *name;
  float (*loop)(long);
  double flopsPerIteration;
};

Kernel bestKernel() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return {"AVX-512", fmaLoop512, 24.0 * 16 * 2};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {"AVX2", fmaLoop256, 12.0 * 8 * 2};
#endif
  return {"scalar", fmaLoopScalar, 8.0 * 2};
}
} // namespace

FmaPeak measureFmaPeak(int threads) {
  Kernel kernel = bestKernel();
  // Size one trial at ~10 ms on one thread.
  long iterations = 1 << 16;
  for (double t = 0; t < 0.005; iterations *= 2) {
    double start = now();
    volatile float sink = kernel.loop(iterations);
    (void)sink;
    t = now() - start;
  }
  double best = 0;
  for (int trial = 0; trial < 7; ++trial) {
    std::vector<double> rate(threads);
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
      pool.emplace_back([&, i] {
        double start = now();
        volatile float sink = kernel.loop(iterations);
        (void)sink;
        rate[i] = kernel.flopsPerIteration * double(iterations) / (now() - start);
      });
    for (std::thread &t : pool)
      t.join();
    double total = 0;
    for (double r : rate)
      total += r;
    best = std::max(best, total);
  }
  return {best * 1e-9, kernel.name};
}

} // namespace layerc::driver
