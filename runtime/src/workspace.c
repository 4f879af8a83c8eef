/* workspace.c — the memory a model call works in, kept between calls.
 *
 * Every intermediate tensor of a model call is a Halide heap allocation
 * (halide_malloc). Fresh pages cost ~12 us per 4 KiB to touch on the
 * machines we measure on, and glibc hands large blocks back to the OS on
 * free, so a model that allocated per call would page-fault on every call.
 * Instead, a freed block goes to a cache and the next request of a size it
 * fits is served from there: after the first call, a steady stream of calls
 * takes no fresh memory. Concurrent calls each take their own blocks, so the
 * cache grows to one workspace per concurrent call, no more.
 *
 * Blocks are 64-byte aligned (an AVX-512 vector) with 64 readable bytes on
 * each side (Halide may read a little before and after a buffer).
 */
#include "layerc/workspace.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

enum { kAlign = 64, kMaxCached = 256 };

/* Before each block's data: its capacity (bytes usable from data). */
typedef struct block_header {
  size_t capacity;
  void *base; /* what malloc returned */
} block_header;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static void *cached[kMaxCached]; /* data pointers of free blocks */
static int cached_count = 0;

static block_header *header_of(void *data) {
  return (block_header *)((char *)data - kAlign);
}

static void release(void *data) { free(header_of(data)->base); }

void *layerc_workspace_alloc(size_t size) {
  /* Best fit among the cached blocks, not more than twice the size, so a
   * small request does not pin a large block. */
  pthread_mutex_lock(&cache_lock);
  int best = -1;
  for (int i = 0; i < cached_count; ++i) {
    size_t capacity = header_of(cached[i])->capacity;
    if (capacity >= size && capacity / 2 <= size &&
        (best < 0 || capacity < header_of(cached[best])->capacity))
      best = i;
  }
  void *data = NULL;
  if (best >= 0) {
    data = cached[best];
    cached[best] = cached[--cached_count];
  }
  pthread_mutex_unlock(&cache_lock);
  if (data)
    return data;

  /* header + padding before, kAlign readable bytes after. */
  size_t total = size + 3 * kAlign;
  if (total < size)
    return NULL;
  void *base = malloc(total);
  if (!base)
    return NULL;
  uintptr_t start = ((uintptr_t)base + 2 * kAlign - 1) & ~(uintptr_t)(kAlign - 1);
  data = (void *)start;
  header_of(data)->capacity = size;
  header_of(data)->base = base;
  return data;
}

void layerc_workspace_free(void *data) {
  if (!data)
    return;
  pthread_mutex_lock(&cache_lock);
  if (cached_count == kMaxCached) {
    /* Full: drop the smallest cached block to keep the larger ones. */
    int smallest = 0;
    for (int i = 1; i < cached_count; ++i)
      if (header_of(cached[i])->capacity < header_of(cached[smallest])->capacity)
        smallest = i;
    void *dropped = cached[smallest];
    cached[smallest] = cached[--cached_count];
    pthread_mutex_unlock(&cache_lock);
    release(dropped);
    pthread_mutex_lock(&cache_lock);
  }
  cached[cached_count++] = data;
  pthread_mutex_unlock(&cache_lock);
}

void layerc_workspace_release(void) {
  pthread_mutex_lock(&cache_lock);
  for (int i = 0; i < cached_count; ++i)
    release(cached[i]);
  cached_count = 0;
  pthread_mutex_unlock(&cache_lock);
}

size_t layerc_workspace_cached_bytes(void) {
  size_t total = 0;
  pthread_mutex_lock(&cache_lock);
  for (int i = 0; i < cached_count; ++i)
    total += header_of(cached[i])->capacity;
  pthread_mutex_unlock(&cache_lock);
  return total;
}
