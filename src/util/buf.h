/*
 * A growable byte buffer, always NUL-terminated.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_BUF_H
#define BYLINE_BUF_H

#include <stddef.h>

#include "byline/status.h"

typedef struct bl_buf {
    char *data; /* NULL until something is appended. */
    size_t len;
    size_t cap;
} bl_buf_t;

#define BL_BUF_INIT {NULL, 0, 0}

/* Make room for N more bytes.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_buf_reserve(bl_buf_t *b, size_t n);

/* Append LEN bytes of S.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_buf_append(bl_buf_t *b, const void *s, size_t len);

/* Append the NUL-terminated S.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_buf_puts(bl_buf_t *b, const char *s);

/* Append one byte.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_buf_putc(bl_buf_t *b, char c);

/* Append code point CP as UTF-8.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_buf_put_cp(bl_buf_t *b, unsigned cp);

/* Empty the buffer, keeping its memory.  Cannot fail. */
void bl_buf_clear(bl_buf_t *b);

/* Hand the contents to the caller (never NULL on BL_OK; free with free())
 * and reset B.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_buf_steal(bl_buf_t *b, char **out);

/* Release the memory.  Cannot fail. */
void bl_buf_free(bl_buf_t *b);

#endif
