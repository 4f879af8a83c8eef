/* halide_glue.c — the parts of the runtime that talk to the Halide runtime:
 * the error hook, the workspace allocator, the thread count and
 * tensor-to-buffer descriptors. */
#include "HalideRuntime.h"
#include "layerc/runtime.h"
#include "layerc/workspace.h"

#include <stdio.h>
#include <string.h>

static layerc_error_hook current_hook = NULL;

/* Halide's own default handler aborts the process; a model call must
 * instead return its error code (SPEC §4), so this one only reports. */
static void forward_error(void *user_context, const char *message) {
  (void)user_context;
  /* layerc's own run-time checks are Halide requirements, whose messages
   * start with this prefix: the rest is the whole message. */
  static const char requirement[] = "Requirement Failed: (false) ";
  if (strncmp(message, requirement, sizeof requirement - 1) == 0)
    message += sizeof requirement - 1;
  /* Some Halide messages end in a newline: pass them on without it. */
  char line[4096];
  size_t length = strlen(message);
  while (length > 0 && message[length - 1] == '\n')
    --length;
  if (length >= sizeof line)
    length = sizeof line - 1;
  memcpy(line, message, length);
  line[length] = '\0';
  if (current_hook)
    current_hook(line);
  else
    fprintf(stderr, "layerc: %s\n", line);
}

static void *workspace_malloc(void *user_context, size_t size) {
  (void)user_context;
  return layerc_workspace_alloc(size);
}

static void workspace_free(void *user_context, void *data) {
  (void)user_context;
  layerc_workspace_free(data);
}

/* Installed when the program starts: this file is linked into the same
 * object as the Halide runtime (see runtime/CMakeLists.txt). */
__attribute__((constructor)) static void install_handlers(void) {
  halide_set_error_handler(forward_error);
  halide_set_custom_malloc(workspace_malloc);
  halide_set_custom_free(workspace_free);
}

layerc_status layerc_set_num_threads(int n) {
  if (n < 1)
    return LAYERC_ERROR_ARGUMENT;
  halide_set_num_threads(n);
  return LAYERC_OK;
}

void layerc_release_workspace(void) { layerc_workspace_release(); }

void layerc_set_error_hook(layerc_error_hook hook) {
  current_hook = hook;
  halide_set_error_handler(forward_error);
}

layerc_status layerc_tensor_buffer(const layerc_tensor *t,
                                   struct halide_buffer_t *buffer,
                                   struct halide_dimension_t *dims) {
  if (!t || !buffer || !dims || t->rank < 0 || t->rank > LAYERC_MAX_RANK)
    return LAYERC_ERROR_ARGUMENT;
  memset(buffer, 0, sizeof(*buffer));
  int32_t stride = 1;
  for (int d = 0; d < t->rank; ++d) { /* Halide dim 0 = last torch dim */
    int64_t extent = t->shape[t->rank - 1 - d];
    dims[d].min = 0;
    dims[d].extent = (int32_t)extent;
    dims[d].stride = stride;
    dims[d].flags = 0;
    stride *= (int32_t)extent;
  }
  buffer->host = (uint8_t *)t->data;
  buffer->type.code = halide_type_float;
  buffer->type.bits = 32;
  buffer->type.lanes = 1;
  buffer->dimensions = t->rank;
  buffer->dim = dims;
  return LAYERC_OK;
}
