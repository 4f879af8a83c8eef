/* layerc/workspace.h — the allocator behind every model call's intermediate
 * tensors (see runtime/src/workspace.c). Applications need none of this:
 * the runtime installs it as Halide's allocator. The compiler's `bench` and
 * `run` commands use it too, so they measure what an application gets. */
#ifndef LAYERC_WORKSPACE_H
#define LAYERC_WORKSPACE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A 64-byte aligned block of `size` bytes, from the cache of freed blocks
 *  when one fits, else new. NULL when out of memory. Thread-safe. */
void *layerc_workspace_alloc(size_t size);
/** Returns a block to the cache (it is kept for the next call). */
void layerc_workspace_free(void *data);
/** Frees every cached block (memory back to the system). */
void layerc_workspace_release(void);
/** Bytes held in cached (free) blocks. */
size_t layerc_workspace_cached_bytes(void);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* LAYERC_WORKSPACE_H */
