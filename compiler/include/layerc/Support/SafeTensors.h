//===- SafeTensors.h - reading .safetensors weight files --------*- C++ -*-===//
//
// Format: 8-byte little-endian header length N, N bytes of JSON mapping each
// tensor name to {"dtype", "shape", "data_offsets": [begin, end)} (offsets
// relative to the data after the header), then the data. F32 is read as is;
// F16 and BF16 are converted to f32.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_SUPPORT_SAFETENSORS_H
#define LAYERC_SUPPORT_SAFETENSORS_H

#include "llvm/Support/MemoryBuffer.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace layerc {

struct SafeTensorEntry {
  std::string dtype;             // "F32", "F16", "BF16", "I64", ...
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;   // byte range in the data section
};

class SafeTensorsFile {
public:
  /// Opens and validates the header; on failure returns null and sets
  /// `error` (the message names the file and what is wrong).
  static std::unique_ptr<SafeTensorsFile> open(const std::string &path,
                                               std::string &error);
  /// The same on bytes already in memory, named `path` in messages.
  static std::unique_ptr<SafeTensorsFile>
  parse(std::unique_ptr<llvm::MemoryBuffer> contents, const std::string &path,
        std::string &error);

  /// The largest JSON header accepted: a longer one is refused before it
  /// is parsed (a header describes tensors; 100 MB is far more than any
  /// model needs).
  static constexpr uint64_t kMaxHeaderBytes = 100u * 1000 * 1000;

  const std::map<std::string, SafeTensorEntry> &entries() const { return table; }
  const std::string &path() const { return filePath; }

  /// True for dtypes read() converts.
  static bool isFloatDtype(const std::string &dtype) {
    return dtype == "F32" || dtype == "F16" || dtype == "BF16";
  }

  /// Reads a float tensor as f32. Fails (with `error`) when its bytes lie
  /// past the end of the file or do not match dtype x shape.
  bool read(const SafeTensorEntry &entry, std::vector<float> &values,
            std::string &error) const;

private:
  std::string filePath;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  uint64_t dataStart = 0;
  std::map<std::string, SafeTensorEntry> table;
};

} // namespace layerc

#endif // LAYERC_SUPPORT_SAFETENSORS_H
