/*
 * Stored fields: the article's fields in the document data, compressed.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Format: "BL2", the little-endian 32-bit lengths of the head and of the
 * tail and a 32-bit hash of the head (FNV-1a; the tail has zlib's own
 * check), the head:
 * every field but the body, each as a one-byte tag, a little-endian 32-bit
 * length and the bytes; then the tail: the body as a zlib stream (nothing
 * when there is no body).  Unknown tags are skipped, so fields can be added without
 * breaking older readers.  The body is apart so that results shown without
 * passages never inflate it.
 */
#include "byline/index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/hash.h"

#define MAGIC "BL2"
#define MAGIC_LEN 3
#define HEADER 12 /* Head length, tail length, head hash. */
#define MAX_STORED (256u << 20) /* Refuse to inflate past 256 MiB. */

enum { F_ID = 1, F_TITLE, F_AUTHOR, F_DATE, F_UPDATED, F_CAPTION, F_BODY,
       F_PATH, F_URL, F_SOURCE, F_CATEGORY /* repeated */ };

/* The little-endian 32-bit number at P.  Cannot fail. */
static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

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

struct bl_deflater {
    z_stream zs;
};

bl_status_t bl_deflater_new(bl_deflater_t **out)
{
    bl_deflater_t *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return bl_fail(BL_ENOMEM, "out of memory");
    /* A small hash table (memLevel 4): deflateReset() clears it for every
     * article, and with zlib's default (64 KB) that clearing cost more
     * than compressing a few kilobytes of text. */
    if (deflateInit2(&d->zs, 6, Z_DEFLATED, 15, 4, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        free(d);
        return bl_fail(BL_ENOMEM, "zlib could not start");
    }
    *out = d;
    return BL_OK;
}

void bl_deflater_free(bl_deflater_t *d)
{
    if (!d)
        return;
    deflateEnd(&d->zs);
    free(d);
}

bl_status_t bl_docdata_encode(const bl_article_t *article, char **out,
                              size_t *len)
{
    bl_deflater_t *d = NULL;
    bl_status_t rc = bl_deflater_new(&d);
    if (rc == BL_OK)
        rc = bl_docdata_encode_with(d, article, out, len);
    bl_deflater_free(d);
    return rc;
}

bl_status_t bl_docdata_encode_with(bl_deflater_t *d,
                                   const bl_article_t *article, char **out,
                                   size_t *len)
{
    bl_buf_t raw = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    bl_article_t *a = (bl_article_t *)article; /* field() only reads here. */
    unsigned char hl[HEADER] = {0};
    *out = NULL;
    *len = 0;
    rc = bl_buf_append(&raw, MAGIC, MAGIC_LEN);
    if (rc == BL_OK)
        rc = bl_buf_append(&raw, hl, sizeof hl);
    for (unsigned tag = F_ID; tag <= F_SOURCE && rc == BL_OK; tag++) {
        const char *v = *field(a, tag);
        if (v && tag != F_BODY)
            rc = put_field(&raw, tag, v);
    }
    for (size_t i = 0; i < a->ncategories && rc == BL_OK; i++)
        rc = put_field(&raw, F_CATEGORY, a->categories[i]);
    if (rc != BL_OK)
        goto done;
    size_t head = raw.len - MAGIC_LEN - HEADER, tail = 0;
    if (a->body && *a->body) {
        size_t blen = strlen(a->body);
        uLong zlen = deflateBound(&d->zs, (uLong)blen);
        rc = bl_buf_reserve(&raw, zlen + 1);
        if (rc == BL_OK && deflateReset(&d->zs) != Z_OK)
            rc = bl_fail(BL_ENOMEM, "zlib could not restart");
        if (rc == BL_OK) {
            d->zs.next_in = (Bytef *)a->body;
            d->zs.avail_in = (uInt)blen;
            d->zs.next_out = (Bytef *)raw.data + raw.len;
            d->zs.avail_out = (uInt)zlen;
            if (deflate(&d->zs, Z_FINISH) != Z_STREAM_END)
                rc = bl_fail(BL_ENOMEM,
                             "zlib could not compress the stored text");
        }
        if (rc == BL_OK) {
            tail = zlen - d->zs.avail_out;
            raw.len += tail;
        }
    }
    if (rc != BL_OK)
        goto done;
    uint32_t check = (uint32_t)bl_fnv1a(raw.data + MAGIC_LEN + HEADER, head);
    for (int i = 0; i < 4; i++) {
        raw.data[MAGIC_LEN + i] = (char)(head >> (8 * i));
        raw.data[MAGIC_LEN + 4 + i] = (char)(tail >> (8 * i));
        raw.data[MAGIC_LEN + 8 + i] = (char)(check >> (8 * i));
    }
    *out = raw.data;
    *len = raw.len;
    return BL_OK;
done:
    bl_buf_free(&raw);
    return rc;
}

/* Inflate the LEN bytes at Z into a new malloc'ed string *OUT. */
static bl_status_t inflate_all(const char *z, size_t len, char **out)
{
    z_stream zs;
    bl_buf_t raw = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    *out = NULL;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return bl_fail(BL_ENOMEM, "zlib could not start");
    zs.next_in = (Bytef *)z;
    zs.avail_in = (uInt)len;
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
            rc = bl_fail(BL_ECORRUPT, "the stored text is damaged");
            break;
        }
    }
    inflateEnd(&zs);
    if (rc == BL_OK && zs.avail_in != 0)
        rc = bl_fail(BL_ECORRUPT, "the stored text is damaged");
    if (rc == BL_OK) {
        raw.data[raw.len] = '\0';
        *out = raw.data;
        return BL_OK;
    }
    bl_buf_free(&raw);
    return rc;
}

bl_status_t bl_docdata_decode(const char *data, size_t len,
                              bl_article_t *out)
{
    return bl_docdata_decode_fields(data, len, 1, out);
}

bl_status_t bl_docdata_decode_fields(const char *data, size_t len, int body,
                                     bl_article_t *out)
{
    bl_status_t rc = BL_OK;
    memset(out, 0, sizeof *out);
    if (len < MAGIC_LEN + HEADER || memcmp(data, MAGIC, MAGIC_LEN) != 0)
        return bl_fail(BL_ECORRUPT, "document data is not Byline's");
    const unsigned char *hl = (const unsigned char *)data + MAGIC_LEN;
    size_t head = get32(hl), tail = get32(hl + 4);
    const char *h = data + MAGIC_LEN + HEADER;
    if (head > len - MAGIC_LEN - HEADER ||
        tail != len - MAGIC_LEN - HEADER - head)
        return bl_fail(BL_ECORRUPT, "stored fields are truncated");
    if (get32(hl + 8) != (uint32_t)bl_fnv1a(h, head))
        return bl_fail(BL_ECORRUPT, "stored fields are damaged");
    for (size_t i = 0; rc == BL_OK && i < head;) {
        if (head - i < 5) {
            rc = bl_fail(BL_ECORRUPT, "stored fields are truncated");
            break;
        }
        const unsigned char *f5 = (const unsigned char *)h + i;
        size_t n = (size_t)f5[1] | (size_t)f5[2] << 8 | (size_t)f5[3] << 16 |
                   (size_t)f5[4] << 24;
        i += 5;
        if (n > head - i) {
            rc = bl_fail(BL_ECORRUPT, "stored fields are truncated");
            break;
        }
        char **f = field(out, f5[0]);
        if (f5[0] == F_CATEGORY) {
            rc = bl_article_add_category(out, h + i, n);
        } else if (f && !*f && f5[0] != F_BODY) {
            *f = malloc(n + 1);
            if (!*f) {
                rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            memcpy(*f, h + i, n);
            (*f)[n] = '\0';
        }
        i += n;
    }
    if (rc == BL_OK && body && tail > 0)
        rc = inflate_all(h + head, tail, &out->body);
    if (rc != BL_OK)
        bl_article_clear(out);
    return rc;
}
