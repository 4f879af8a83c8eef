/* layerc/runtime.h — the small C runtime of layerc-compiled models.
 *
 * A model compiled by `layerc compile model.nn -o model` is model.o plus
 * model.h. Link it with liblayerc_runtime.a (which also carries the one
 * Halide runtime all models share) and -lpthread -ldl -lm:
 *
 *     #include "model.h"
 *     #include "layerc/runtime.h"
 *
 *     layerc_tensor x;
 *     if (layerc_npy_read("x.npy", &x) != LAYERC_OK) { ... }
 *     float y[10];
 *     int status = model_run(x.data, y);       // static shapes: plain arrays
 *     layerc_tensor_free(&x);
 *
 * With symbolic dims, call the buffer entry `model(&in_buf, &out_buf)`;
 * layerc_tensor_buffer() fills a halide_buffer_t for a tensor.
 *
 * Every function returns a layerc_status; none calls exit(). Halide reports
 * run-time errors (a wrong shape, ...) through an error handler: set yours
 * with layerc_set_error_hook().
 *
 * Memory and threads: intermediate tensors live in a workspace kept between
 * calls (one per concurrent call; layerc_release_workspace() frees it), and
 * each call runs on up to layerc_set_num_threads() threads.
 */
#ifndef LAYERC_RUNTIME_H
#define LAYERC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum layerc_status {
  LAYERC_OK = 0,
  LAYERC_ERROR_IO = 1,        /* cannot open, read or write the file */
  LAYERC_ERROR_FORMAT = 2,    /* not a little-endian float32 C-order .npy */
  LAYERC_ERROR_MEMORY = 3,    /* out of memory */
  LAYERC_ERROR_ARGUMENT = 4,  /* a null pointer or a bad rank */
} layerc_status;

/** Most dims a layerc_tensor holds. */
#define LAYERC_MAX_RANK 8

/** A dense float32 tensor in C (row-major) order. */
typedef struct layerc_tensor {
  float *data;                      /* shape[0] * ... * shape[rank-1] floats */
  int rank;
  int64_t shape[LAYERC_MAX_RANK];   /* outermost first, as in torch */
} layerc_tensor;

/** Number of elements of `t`: 0 when a dimension is 0; -1 when a dimension
 *  is negative or the non-zero dimensions multiply past INT64_MAX. */
int64_t layerc_tensor_size(const layerc_tensor *t);

/** Reads a .npy file ('<f4', C order). On success `t->data` is malloc'ed;
 *  release it with layerc_tensor_free(). */
layerc_status layerc_npy_read(const char *path, layerc_tensor *t);

/** The same on a .npy image held in memory (`size` bytes at `bytes`). */
layerc_status layerc_npy_read_memory(const void *bytes, size_t size,
                                     layerc_tensor *t);

/** Writes `t` as a .npy file ('<f4', C order). */
layerc_status layerc_npy_write(const char *path, const layerc_tensor *t);

/** Frees `t->data` and clears `t`. */
void layerc_tensor_free(layerc_tensor *t);

/** A readable text for a status. */
const char *layerc_status_string(layerc_status status);

/** Called with each error message of a model run (the Halide runtime's
 *  error handler); the call then returns its non-zero code. NULL restores
 *  the default, which prints the message to stderr (and never aborts). */
typedef void (*layerc_error_hook)(const char *message);
void layerc_set_error_hook(layerc_error_hook hook);

/** Threads each model call may use (default: every core, or the
 *  HL_NUM_THREADS variable). Takes effect from the next call. n < 1 is
 *  LAYERC_ERROR_ARGUMENT. */
layerc_status layerc_set_num_threads(int n);

/** Model calls keep their intermediate tensors' memory between calls, so
 *  that a steady stream of calls takes no fresh memory from the system (no
 *  page faults). This returns that memory to the system; the next call
 *  allocates it again. Call it when no model call is running. */
void layerc_release_workspace(void);

struct halide_buffer_t;
struct halide_dimension_t;
/** Describes `t` as a Halide buffer for a model's buffer entry point.
 *  `dims` must hold t->rank entries; both must outlive the call. */
layerc_status layerc_tensor_buffer(const layerc_tensor *t,
                                   struct halide_buffer_t *buffer,
                                   struct halide_dimension_t *dims);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* LAYERC_RUNTIME_H */
