/*
 * A growable byte buffer.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/buf.h"
#include "util/utf8.h"
#include "util/array.h"
#include "util/fail.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bl_status_t bl_buf_reserve(bl_buf_t *b, size_t n)
{
    if (n > SIZE_MAX - 1 - b->len)
        return bl_fail(BL_ENOMEM, "out of memory");
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return BL_OK;
    char *p = bl_grow(b->data, &b->cap, need, 1, 64);
    if (!p)
        return bl_fail(BL_ENOMEM, "out of memory");
    p[b->len] = '\0';
    b->data = p;
    return BL_OK;
}

bl_status_t bl_buf_append(bl_buf_t *b, const void *s, size_t len)
{
    bl_status_t rc = bl_buf_reserve(b, len);
    if (rc != BL_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return BL_OK;
}

bl_status_t bl_buf_puts(bl_buf_t *b, const char *s)
{
    return bl_buf_append(b, s, strlen(s));
}

bl_status_t bl_buf_putc(bl_buf_t *b, char c)
{
    return bl_buf_append(b, &c, 1);
}

bl_status_t bl_buf_put_cp(bl_buf_t *b, unsigned cp)
{
    char u[4];
    return bl_buf_append(b, u, bl_utf8_encode(cp, u));
}

void bl_buf_clear(bl_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

bl_status_t bl_buf_steal(bl_buf_t *b, char **out)
{
    bl_status_t rc = bl_buf_reserve(b, 0);
    if (rc != BL_OK)
        return rc;
    *out = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return BL_OK;
}

void bl_buf_free(bl_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
