/*
 * Stored fields: the article's fields in the document data, compressed.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Format: "BL1" then the zlib stream of the fields, each as a one-byte tag,
 * a little-endian 32-bit length and the bytes.  Unknown tags are skipped,
 * so fields can be added without breaking older readers.
 */
#include "byline/index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/buf.h"

#define MAGIC "BL1"
#define MAGIC_LEN 3
#define MAX_STORED (256u << 20) /* Refuse to inflate past 256 MiB. */

enum { F_ID = 1, F_TITLE, F_AUTHOR, F_DATE, F_UPDATED, F_CAPTION, F_BODY,
       F_PATH, F_URL, F_SOURCE, F_CATEGORY /* repeated */ };

/* The article field for TAG, or NULL for an unknown tag. */
static char **field(bl_article_t *a, unsigned tag)
{
    switch (tag) {
    case F_ID: return &a->id;
    case F_TITLE: return &a->title;
    case F_AUTHOR: return &a->author;
    case F_DATE: return &a->date;
    case F_UPDATED: return &a->updated;
    case F_CAPTION: return &a->caption;
    case F_BODY: return &a->body;
    case F_PATH: return &a->path;
    case F_URL: return &a->url;
    case F_SOURCE: return &a->source;
    }
    return NULL;
}

/* Append one field: tag, 32-bit little-endian length, bytes. */
static bl_status_t put_field(bl_buf_t *raw, unsigned tag, const char *v)
{
    uint32_t n = (uint32_t)strlen(v);
    unsigned char hdr[5] = {(unsigned char)tag, (unsigned char)n,
                            (unsigned char)(n >> 8), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 24)};
    bl_status_t rc = bl_buf_append(raw, hdr, sizeof hdr);
    if (rc == BL_OK)
        rc = bl_buf_append(raw, v, n);
    return rc;
}

bl_status_t bl_docdata_encode(const bl_article_t *article, char **out,
                              size_t *len)
{
    bl_buf_t raw = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    char *z = NULL;
    bl_article_t *a = (bl_article_t *)article; /* field() only reads here. */
    *out = NULL;
    *len = 0;
    for (unsigned tag = F_ID; tag <= F_SOURCE && rc == BL_OK; tag++) {
        const char *v = *field(a, tag);
        if (v)
            rc = put_field(&raw, tag, v);
    }
    for (size_t i = 0; i < a->ncategories && rc == BL_OK; i++)
        rc = put_field(&raw, F_CATEGORY, a->categories[i]);
    if (rc != BL_OK)
        goto done;
    uLongf zlen = compressBound((uLong)raw.len);
    z = malloc(MAGIC_LEN + zlen);
    if (!z) {
        rc = bl_fail(BL_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(z, MAGIC, MAGIC_LEN);
    if (compress2((Bytef *)z + MAGIC_LEN, &zlen, (const Bytef *)raw.data,
                  (uLong)raw.len, 6) != Z_OK) {
        rc = bl_fail(BL_ENOMEM, "zlib could not compress the stored fields");
        goto done;
    }
    *out = z;
    *len = MAGIC_LEN + zlen;
    z = NULL;
done:
    free(z);
    bl_buf_free(&raw);
    return rc;
}

bl_status_t bl_docdata_decode(const char *data, size_t len,
                              bl_article_t *out)
{
    z_stream zs;
    bl_buf_t raw = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    memset(out, 0, sizeof *out);
    if (len < MAGIC_LEN || memcmp(data, MAGIC, MAGIC_LEN) != 0)
        return bl_fail(BL_ECORRUPT, "document data is not Byline's");
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return bl_fail(BL_ENOMEM, "zlib could not start");
    zs.next_in = (Bytef *)data + MAGIC_LEN;
    zs.avail_in = (uInt)(len - MAGIC_LEN);
    for (;;) {
        rc = bl_buf_reserve(&raw, 4 * (len + 64));
        if (rc != BL_OK)
            break;
        zs.next_out = (Bytef *)raw.data + raw.len;
        zs.avail_out = (uInt)(raw.cap - raw.len - 1);
        int zr = inflate(&zs, Z_NO_FLUSH);
        raw.len = raw.cap - 1 - zs.avail_out;
        if (zr == Z_STREAM_END)
            break;
        if ((zr != Z_OK && zr != Z_BUF_ERROR) || raw.len > MAX_STORED ||
            (zr == Z_BUF_ERROR && zs.avail_in == 0)) {
            rc = bl_fail(BL_ECORRUPT, "stored fields are damaged");
            break;
        }
    }
    inflateEnd(&zs);
    for (size_t i = 0; rc == BL_OK && i < raw.len;) {
        if (raw.len - i < 5) {
            rc = bl_fail(BL_ECORRUPT, "stored fields are truncated");
            break;
        }
        const unsigned char *h = (const unsigned char *)raw.data + i;
        size_t n = (size_t)h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 |
                   (size_t)h[4] << 24;
        i += 5;
        if (n > raw.len - i) {
            rc = bl_fail(BL_ECORRUPT, "stored fields are truncated");
            break;
        }
        char **f = field(out, h[0]);
        if (h[0] == F_CATEGORY) {
            rc = bl_article_add_category(out, raw.data + i, n);
        } else if (f && !*f) {
            *f = malloc(n + 1);
            if (!*f) {
                rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            memcpy(*f, raw.data + i, n);
            (*f)[n] = '\0';
        }
        i += n;
    }
    bl_buf_free(&raw);
    if (rc != BL_OK)
        bl_article_clear(out);
    return rc;
}
