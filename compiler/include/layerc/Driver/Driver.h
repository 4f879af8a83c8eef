//===- Driver.h - the layerc command line -----------------------*- C++ -*-===//
#ifndef LAYERC_DRIVER_DRIVER_H
#define LAYERC_DRIVER_DRIVER_H

namespace layerc::driver {

/// Runs `layerc COMMAND ...`; returns the process exit status (0 success,
/// 1 user error).
int run(int argc, char **argv);

} // namespace layerc::driver

#endif // LAYERC_DRIVER_DRIVER_H
