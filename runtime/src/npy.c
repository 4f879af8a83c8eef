/* npy.c — reading and writing float32 .npy files (NumPy format 1.0-3.0). */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include "layerc/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t layerc_tensor_size(const layerc_tensor *t) {
  if (!t || t->rank < 0 || t->rank > LAYERC_MAX_RANK)
    return -1;
  /* The non-zero dimensions must multiply within int64_t (as NumPy asks),
   * also when a zero dimension makes the tensor empty. */
  int64_t n = 1;
  int empty = 0;
  for (int i = 0; i < t->rank; ++i) {
    int64_t d = t->shape[i];
    if (d < 0)
      return -1;
    if (d == 0) {
      empty = 1;
      continue;
    }
    if (n > INT64_MAX / d)
      return -1;
    n *= d;
  }
  return empty ? 0 : n;
}

void layerc_tensor_free(layerc_tensor *t) {
  if (!t)
    return;
  free(t->data);
  memset(t, 0, sizeof(*t));
}

const char *layerc_status_string(layerc_status status) {
  switch (status) {
  case LAYERC_OK: return "ok";
  case LAYERC_ERROR_IO: return "cannot read or write the file";
  case LAYERC_ERROR_FORMAT: return "not a little-endian float32 C-order .npy file";
  case LAYERC_ERROR_MEMORY: return "out of memory";
  case LAYERC_ERROR_ARGUMENT: return "invalid argument";
  }
  return "unknown status";
}

/* Parses the header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } */
static layerc_status parse_header(const char *h, layerc_tensor *t) {
  const char *descr = strstr(h, "'descr'");
  const char *order = strstr(h, "'fortran_order'");
  const char *shape = strstr(h, "'shape'");
  if (!descr || !order || !shape)
    return LAYERC_ERROR_FORMAT;
  descr = strchr(descr + 7, '\'');
  if (!descr || (strncmp(descr, "'<f4'", 5) != 0 && strncmp(descr, "'|f4'", 5) != 0))
    return LAYERC_ERROR_FORMAT;
  order = strchr(order + 15, ':');
  if (!order)
    return LAYERC_ERROR_FORMAT;
  ++order;
  while (*order == ' ')
    ++order;
  if (strncmp(order, "False", 5) != 0)
    return LAYERC_ERROR_FORMAT;
  shape = strchr(shape, '(');
  if (!shape)
    return LAYERC_ERROR_FORMAT;
  ++shape;
  t->rank = 0;
  for (;;) {
    while (*shape == ' ' || *shape == ',')
      ++shape;
    if (*shape == ')')
      break;
    char *end;
    long long d = strtoll(shape, &end, 10);
    if (end == shape || d < 0 || t->rank >= LAYERC_MAX_RANK)
      return LAYERC_ERROR_FORMAT;
    t->shape[t->rank++] = d;
    shape = end;
  }
  if (layerc_tensor_size(t) < 0)
    return LAYERC_ERROR_FORMAT;
  return LAYERC_OK;
}

/* Bytes left in `f` from its position (a file or a memory stream). */
static long remaining_bytes(FILE *f) {
  long here = ftell(f);
  if (here < 0 || fseek(f, 0, SEEK_END) != 0)
    return -1;
  long end = ftell(f);
  if (end < 0 || fseek(f, here, SEEK_SET) != 0)
    return -1;
  return end - here;
}

/* Reads a whole .npy from `f`; on failure `t` is left empty. */
static layerc_status read_stream(FILE *f, layerc_tensor *t) {
  unsigned char magic[10];
  layerc_status status = LAYERC_ERROR_FORMAT;
  char *header = NULL;
  if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "\x93NUMPY", 6) != 0)
    goto done;
  size_t header_len;
  if (magic[6] == 1) {
    unsigned char len[2];
    if (fread(len, 1, 2, f) != 2)
      goto done;
    header_len = len[0] | (len[1] << 8);
  } else if (magic[6] == 2 || magic[6] == 3) {
    unsigned char len[4];
    if (fread(len, 1, 4, f) != 4)
      goto done;
    header_len = len[0] | (len[1] << 8) | ((size_t)len[2] << 16) | ((size_t)len[3] << 24);
    if (header_len > (1u << 20))
      goto done;
  } else {
    goto done;
  }
  header = malloc(header_len + 1);
  if (!header) {
    status = LAYERC_ERROR_MEMORY;
    goto done;
  }
  if (fread(header, 1, header_len, f) != header_len)
    goto done;
  header[header_len] = '\0';
  if ((status = parse_header(header, t)) != LAYERC_OK)
    goto done;
  status = LAYERC_ERROR_FORMAT;
  /* The data must be there before anything is allocated for it: a shape
   * may claim more elements than the file has (or than size_t holds). */
  long available = remaining_bytes(f);
  if (available < 0)
    goto done;
  size_t count = 1;
  for (int i = 0; i < t->rank; ++i)
    if (t->shape[i] == 0)
      count = 0;
  for (int i = 0; i < t->rank && count; ++i) {
    size_t d = (size_t)t->shape[i];
    if (count > (size_t)available / sizeof(float) / d)
      goto done;
    count *= d;
  }
  t->data = malloc((count ? count : 1) * sizeof(float));
  if (!t->data) {
    status = LAYERC_ERROR_MEMORY;
    goto done;
  }
  if (fread(t->data, sizeof(float), count, f) != count)
    goto done;
  status = LAYERC_OK;
done:
  free(header);
  if (status != LAYERC_OK)
    layerc_tensor_free(t);
  return status;
}

layerc_status layerc_npy_read(const char *path, layerc_tensor *t) {
  if (!path || !t)
    return LAYERC_ERROR_ARGUMENT;
  memset(t, 0, sizeof(*t));
  FILE *f = fopen(path, "rb");
  if (!f)
    return LAYERC_ERROR_IO;
  layerc_status status = read_stream(f, t);
  fclose(f);
  return status;
}

layerc_status layerc_npy_read_memory(const void *bytes, size_t size,
                                     layerc_tensor *t) {
  if (!bytes || !t)
    return LAYERC_ERROR_ARGUMENT;
  memset(t, 0, sizeof(*t));
  if (size == 0)
    return LAYERC_ERROR_FORMAT;
  /* fmemopen takes a non-const buffer; in "rb" mode it only reads it. */
  FILE *f = fmemopen((void *)(uintptr_t)bytes, size, "rb");
  if (!f)
    return LAYERC_ERROR_MEMORY;
  layerc_status status = read_stream(f, t);
  fclose(f);
  return status;
}

layerc_status layerc_npy_write(const char *path, const layerc_tensor *t) {
  if (!path || !t || t->rank < 0 || t->rank > LAYERC_MAX_RANK)
    return LAYERC_ERROR_ARGUMENT;
  char dict[256];
  int n = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (");
  for (int i = 0; i < t->rank; ++i)
    n += snprintf(dict + n, sizeof dict - n, "%lld,%s", (long long)t->shape[i],
                  i + 1 < t->rank ? " " : "");
  n += snprintf(dict + n, sizeof dict - n, "), }");
  /* Pad with spaces so that magic + len + header + '\n' is a multiple of 64. */
  int total = 10 + n + 1;
  int pad = (64 - total % 64) % 64;
  FILE *f = fopen(path, "wb");
  if (!f)
    return LAYERC_ERROR_IO;
  unsigned header_len = (unsigned)(n + pad + 1);
  unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                              (unsigned char)(header_len & 0xff),
                              (unsigned char)(header_len >> 8)};
  int ok = fwrite(prefix, 1, 10, f) == 10 && fwrite(dict, 1, (size_t)n, f) == (size_t)n;
  for (int i = 0; i < pad && ok; ++i)
    ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF;
  int64_t count = layerc_tensor_size(t);
  ok = ok && (count == 0 ||
              fwrite(t->data, sizeof(float), (size_t)count, f) == (size_t)count);
  ok = (fclose(f) == 0) && ok;
  return ok ? LAYERC_OK : LAYERC_ERROR_IO;
}
