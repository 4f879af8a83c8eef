//===- MachinePeak.h - the FMA peak of this machine, measured now -*- C++ -*-===//
//
// `layerc bench` reports each model's speed as a share of what this CPU can
// do, measured in the same run: CPUs of one name differ (Zen 4 issues a
// 512-bit FMA as two halves, Zen 5 has two full pipes: 2x apart), and a
// shared host's speed drifts.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_DRIVER_MACHINEPEAK_H
#define LAYERC_DRIVER_MACHINEPEAK_H

#include <string>

namespace layerc::driver {

struct FmaPeak {
  double gflops = 0;       // all threads together
  std::string vector;      // "AVX-512", "AVX2" or "scalar"
};

/// Float32 FMA throughput of `threads` threads running at once, each a
/// register-only loop of 24 (AVX-512) or 12 (AVX2) independent FMA chains:
/// the best of several short trials (about 0.1 s in all).
FmaPeak measureFmaPeak(int threads);

} // namespace layerc::driver

#endif // LAYERC_DRIVER_MACHINEPEAK_H
