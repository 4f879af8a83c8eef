/* npy_fuzzer.c - bytes through the runtime's .npy reader.
 *
 * A tensor it accepts must hold the elements its shape claims: every one
 * is read, so ASan catches a buffer shorter than the shape. */
#include "layerc/runtime.h"

#include <stdint.h>

/* Where the sum of the elements goes, so the reads are not optimized away. */
volatile float layerc_fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  layerc_tensor t;
  if (layerc_npy_read_memory(data, size, &t) != LAYERC_OK)
    return 0;
  float sum = 0;
  int64_t count = layerc_tensor_size(&t);
  for (int64_t i = 0; i < count; ++i)
    sum += t.data[i];
  layerc_fuzz_sink = sum;
  layerc_tensor_free(&t);
  return 0;
}
