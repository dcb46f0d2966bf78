/*
 * Stored fields: the article's fields in the document data (which
 * Xapian compresses, not this codec: see below).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Format "BL3": the little-endian 32-bit lengths of the head and of the
 * tail, a 32-bit hash of each (FNV-1a), the head: every field but the
 * body, each as a one-byte tag, a little-endian 32-bit length and the
 * bytes; then the tail: the body's bytes.  Unknown tags are skipped, so
 * fields can be added without breaking older readers.
 *
 * The record is not compressed here: Xapian's glass backend deflates
 * every document's data with zlib when it is written (and inflates it when
 * read).  Compressing the body here first, as format "BL2" did, made Xapian
 * try, and fail, to deflate it again for every document and again at every
 * merge: measured on Reuters-21578 (1 thread), that failed work was 12% of
 * the indexer's time.  BL2 records (the body as a zlib stream, the head
 * hash only) are still read.
 */
#include "byline/schema.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST /* next_in: const. */
#include <zlib.h>

#include "util/buf.h"
#include "util/hash.h"
#include "util/fail.h"

#define MAGIC "BL3"
#define MAGIC_BL2 "BL2"
#define MAGIC_LEN 3
#define HEADER 16    /* Head length, tail length, head hash, tail hash. */
#define HEADER_BL2 12 /* Head length, tail length, head hash. */
#define MAX_STORED (256u << 20) /* Refuse to inflate past 256 MiB. */

enum { F_ID = 1, F_TITLE, F_AUTHOR, F_DATE, F_UPDATED, F_CAPTION, F_BODY,
       F_PATH, F_URL, F_SOURCE, F_CATEGORY /* repeated */ };

/* The little-endian 32-bit number at P.  Cannot fail. */
static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Where the field of each tag lives in an article, by tag (0: none). */
static const size_t FIELD_AT[] = {
    0, offsetof(bl_article_t, id), offsetof(bl_article_t, title),
    offsetof(bl_article_t, author), offsetof(bl_article_t, date),
    offsetof(bl_article_t, updated), offsetof(bl_article_t, caption),
    offsetof(bl_article_t, body), offsetof(bl_article_t, path),
    offsetof(bl_article_t, url), offsetof(bl_article_t, source)};

/* The article field for TAG, or NULL for an unknown tag. */
static char **field(bl_article_t *a, unsigned tag)
{
    if (tag < F_ID || tag > F_SOURCE)
        return NULL;
    return (char **)((char *)a + FIELD_AT[tag]);
}

/* The value of the field for TAG (F_ID to F_SOURCE).  Cannot fail. */
static const char *field_value(const bl_article_t *a, unsigned tag)
{
    return *(char *const *)((const char *)a + FIELD_AT[tag]);
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

/* Store the little-endian 32-bit V at P.  Cannot fail. */
static void put32(char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (char)(v >> (8 * i));
}

bl_status_t bl_docdata_encode(const bl_article_t *article, char **out,
                              size_t *len)
{
    bl_buf_t raw = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    const bl_article_t *a = article;
    unsigned char hl[HEADER] = {0};
    size_t blen = a->body ? strlen(a->body) : 0;
    *out = NULL;
    *len = 0;
    rc = bl_buf_reserve(&raw, MAGIC_LEN + HEADER + 256 + blen);
    if (rc == BL_OK)
        rc = bl_buf_append(&raw, MAGIC, MAGIC_LEN);
    if (rc == BL_OK)
        rc = bl_buf_append(&raw, hl, sizeof hl);
    for (unsigned tag = F_ID; tag <= F_SOURCE && rc == BL_OK; tag++) {
        const char *v = field_value(a, tag);
        if (v && tag != F_BODY)
            rc = put_field(&raw, tag, v);
    }
    for (size_t i = 0; i < a->ncategories && rc == BL_OK; i++)
        rc = put_field(&raw, F_CATEGORY, a->categories[i]);
    size_t head = raw.len - MAGIC_LEN - HEADER;
    if (rc == BL_OK && blen > MAX_STORED)
        rc = bl_fail(BL_EARG, "the article text is over 256 MiB");
    if (rc == BL_OK)
        rc = bl_buf_append(&raw, a->body, blen);
    if (rc != BL_OK) {
        bl_buf_free(&raw);
        return rc;
    }
    const char *h = raw.data + MAGIC_LEN + HEADER;
    put32(raw.data + MAGIC_LEN, (uint32_t)head);
    put32(raw.data + MAGIC_LEN + 4, (uint32_t)blen);
    put32(raw.data + MAGIC_LEN + 8, (uint32_t)bl_fnv1a(h, head));
    put32(raw.data + MAGIC_LEN + 12, (uint32_t)bl_fnv1a(h + head, blen));
    *out = raw.data;
    *len = raw.len;
    return BL_OK;
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
    zs.next_in = (const Bytef *)z;
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

/* Copy the LEN bytes of stored text at T, whose hash should be CHECK,
 * into a new malloc'ed string *OUT.  Returns BL_OK, BL_ECORRUPT or
 * BL_ENOMEM. */
static bl_status_t copy_body(const char *t, size_t len, uint32_t check,
                             char **out)
{
    *out = NULL;
    if ((uint32_t)bl_fnv1a(t, len) != check)
        return bl_fail(BL_ECORRUPT, "the stored text is damaged");
    char *b = malloc(len + 1);
    if (!b)
        return bl_fail(BL_ENOMEM, "out of memory");
    memcpy(b, t, len);
    b[len] = '\0';
    *out = b;
    return BL_OK;
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
    if (len < MAGIC_LEN)
        return bl_fail(BL_ECORRUPT, "document data is not Byline's");
    int bl2 = memcmp(data, MAGIC_BL2, MAGIC_LEN) == 0;
    size_t hsize = bl2 ? HEADER_BL2 : HEADER;
    if (len < MAGIC_LEN + hsize ||
        (!bl2 && memcmp(data, MAGIC, MAGIC_LEN) != 0))
        return bl_fail(BL_ECORRUPT, "document data is not Byline's");
    const unsigned char *hl = (const unsigned char *)data + MAGIC_LEN;
    size_t head = get32(hl), tail = get32(hl + 4);
    const char *h = data + MAGIC_LEN + hsize;
    if (head > len - MAGIC_LEN - hsize ||
        tail != len - MAGIC_LEN - hsize - head)
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
    if (rc == BL_OK && body && tail > 0 && bl2)
        rc = inflate_all(h + head, tail, &out->body);
    if (rc == BL_OK && body && tail > 0 && !bl2)
        rc = copy_body(h + head, tail, get32(hl + 12), &out->body);
    if (rc != BL_OK)
        bl_article_clear(out);
    return rc;
}
