//===- SafeTensors.cpp - reading .safetensors weight files ---------------===//
#include "layerc/Support/SafeTensors.h"
#include "llvm/Support/JSON.h"
#include <cstring>

using namespace layerc;

namespace {
size_t dtypeBytes(const std::string &dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL") return 1;
  return 0;
}

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h >> 15) << 31, exponent = (h >> 10) & 0x1f,
           mantissa = h & 0x3ff, bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else { // subnormal: normalize
      exponent = 127 - 15 + 1;
      while (!(mantissa & 0x400)) {
        mantissa <<= 1;
        --exponent;
      }
      bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
    }
  } else if (exponent == 31) {
    bits = sign | 0x7f800000 | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bf16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
} // namespace

std::unique_ptr<SafeTensorsFile> SafeTensorsFile::open(const std::string &path,
                                                       std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = "cannot open weights file '" + path + "': " + buffer.getError().message();
    return nullptr;
  }
  return parse(std::move(*buffer), path, error);
}

std::unique_ptr<SafeTensorsFile>
SafeTensorsFile::parse(std::unique_ptr<llvm::MemoryBuffer> contents,
                       const std::string &path, std::string &error) {
  auto file = std::make_unique<SafeTensorsFile>();
  file->filePath = path;
  file->buffer = std::move(contents);
  llvm::StringRef bytes = file->buffer->getBuffer();
  std::string corrupt = "weights file '" + path + "' is truncated or corrupt: ";
  if (bytes.size() < 8) {
    error = corrupt + "it has " + std::to_string(bytes.size()) +
            " bytes, fewer than the 8-byte header length";
    return nullptr;
  }
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = (headerSize << 8) | uint8_t(bytes[i]);
  if (headerSize > kMaxHeaderBytes) {
    error = corrupt + "the header claims " + std::to_string(headerSize) +
            " bytes, more than the limit of " + std::to_string(kMaxHeaderBytes) +
            " (100 MB)";
    return nullptr;
  }
  if (headerSize > bytes.size() - 8) {
    error = corrupt + "the header claims " + std::to_string(headerSize) +
            " bytes but the file has " + std::to_string(bytes.size() - 8) +
            " after the length";
    return nullptr;
  }
  file->dataStart = 8 + headerSize;
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse(bytes.substr(8, headerSize));
  if (!json) {
    error = corrupt + "the header is not valid JSON (" +
            llvm::toString(json.takeError()) + ")";
    return nullptr;
  }
  const llvm::json::Object *object = json->getAsObject();
  if (!object) {
    error = corrupt + "the header is not a JSON object";
    return nullptr;
  }
  for (const auto &[key, value] : *object) {
    if (key == "__metadata__")
      continue;
    std::string name = key.str();
    const llvm::json::Object *info = value.getAsObject();
    auto fail = [&](const std::string &what) {
      error = corrupt + "tensor '" + name + "' " + what;
      return nullptr;
    };
    if (!info)
      return fail("is not described by a JSON object");
    SafeTensorEntry entry;
    std::optional<llvm::StringRef> dtype = info->getString("dtype");
    const llvm::json::Array *shape = info->getArray("shape");
    const llvm::json::Array *offsets = info->getArray("data_offsets");
    if (!dtype || !shape || !offsets || offsets->size() != 2)
      return fail("lacks dtype, shape or data_offsets");
    entry.dtype = dtype->str();
    for (const llvm::json::Value &dim : *shape) {
      std::optional<int64_t> d = dim.getAsInteger();
      if (!d || *d < 0)
        return fail("has an invalid shape");
      entry.shape.push_back(*d);
    }
    std::optional<int64_t> begin = (*offsets)[0].getAsInteger(),
                           end = (*offsets)[1].getAsInteger();
    if (!begin || !end || *begin < 0 || *end < *begin)
      return fail("has invalid data_offsets");
    entry.begin = uint64_t(*begin);
    entry.end = uint64_t(*end);
    file->table[name] = std::move(entry);
  }
  return file;
}

bool SafeTensorsFile::read(const SafeTensorEntry &entry, std::vector<float> &values,
                           std::string &error) const {
  size_t width = dtypeBytes(entry.dtype);
  if (!isFloatDtype(entry.dtype)) {
    error = "has dtype " + entry.dtype + " in '" + filePath +
            "'; layerc reads F32, F16 and BF16";
    return false;
  }
  uint64_t available = buffer->getBufferSize() - dataStart;
  if (entry.end > available) {
    error = "data [" + std::to_string(entry.begin) + ", " +
            std::to_string(entry.end) + ") lies past the end of '" + filePath +
            "' (" + std::to_string(available) + " data bytes): truncated file";
    return false;
  }
  // The element count, without overflow: it cannot exceed the bytes there
  // are (a zero dim makes it 0 whatever follows).
  uint64_t count = 1, bytes = entry.end - entry.begin;
  bool tooMany = false;
  for (int64_t d : entry.shape) {
    if (d == 0) {
      count = 0;
      tooMany = false;
      break;
    }
    if (!tooMany && count > bytes / uint64_t(d))
      tooMany = true;
    else if (!tooMany)
      count *= uint64_t(d);
  }
  if (tooMany || bytes != count * width) {
    error = "has " + std::to_string(bytes) + " data bytes in '" + filePath +
            "', not the " + entry.dtype + " elements of its shape";
    if (!tooMany)
      error += " (" + std::to_string(count) + " elements, " +
               std::to_string(count * width) + " bytes)";
    return false;
  }
  const unsigned char *data =
      reinterpret_cast<const unsigned char *>(buffer->getBufferStart()) +
      dataStart + entry.begin;
  values.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (entry.dtype == "F32") {
      std::memcpy(&values[i], data + 4 * i, 4); // little-endian host
    } else {
      uint16_t h = uint16_t(data[2 * i] | (data[2 * i + 1] << 8));
      values[i] = entry.dtype == "F16" ? halfToFloat(h) : bf16ToFloat(h);
    }
  }
  return true;
}
