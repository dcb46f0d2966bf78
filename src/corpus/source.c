/*
 * Sources: files read as a stream of bytes or lines, gzip-compressed or
 * not (zlib tells by the magic bytes), with bounded memory.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/corpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "corpus/corpus_internal.h"
#include "util/array.h"
#include "util/fail.h"
#include "util/hash.h"

#define CHUNK 65536

struct bl_source {
    gzFile gz;           /* NULL for a source in memory. */
    const char *mem;     /* A source in memory, and what is left of it. */
    size_t mem_left, mem_total;
    char *buf;           /* Bytes read but not yet handed out. */
    size_t start, end;   /* The unread part of BUF. */
    size_t cap;
    char *line;          /* The line handed out last. */
    size_t line_cap;
    size_t max_line;
    unsigned long lineno;
    int eof, failed;
};

/* A new source with its buffer, reading nothing yet; NULL when out of
 * memory (recorded). */
static bl_source_t *new_source(size_t max_line)
{
    bl_source_t *s = calloc(1, sizeof *s);
    if (s) {
        s->max_line = max_line ? max_line : (16u << 20);
        s->cap = CHUNK;
        s->buf = malloc(s->cap);
    }
    if (!s || !s->buf) {
        free(s);
        bl_fail(BL_ENOMEM, "out of memory");
        return NULL;
    }
    return s;
}

bl_status_t bl_source_open_memory(const char *data, size_t len,
                                  size_t max_line, bl_source_t **out)
{
    bl_source_t *s = new_source(max_line);
    *out = s;
    if (!s)
        return BL_ENOMEM;
    s->mem = data;
    s->mem_left = s->mem_total = len;
    return BL_OK;
}

bl_status_t bl_source_open(const char *path, size_t max_line,
                           bl_source_t **out)
{
    bl_source_t *s = new_source(max_line);
    *out = NULL;
    if (!s)
        return BL_ENOMEM;
    errno = 0;
    s->gz = gzopen(path, "rb");
    if (!s->gz) {
        bl_status_t rc = errno ? bl_fail(BL_EIO, "%s", strerror(errno))
                               : bl_fail(BL_ENOMEM, "out of memory");
        free(s->buf);
        free(s);
        return rc;
    }
    gzbuffer(s->gz, CHUNK);
    *out = s;
    return BL_OK;
}

/* Refill BUF after its unread part.  Returns BL_OK (maybe at EOF), or
 * BL_EFORMAT / BL_EIO when the stream breaks (what came before stays). */
static bl_status_t fill(bl_source_t *s)
{
    if (s->eof || s->failed)
        return BL_OK;
    if (s->start > 0) {
        memmove(s->buf, s->buf + s->start, s->end - s->start);
        s->end -= s->start;
        s->start = 0;
    }
    char *nb = bl_grow(s->buf, &s->cap, s->end + 1, 1, CHUNK);
    if (!nb)
        return bl_fail(BL_ENOMEM, "out of memory");
    s->buf = nb;
    if (!s->gz) {
        size_t n = s->cap - s->end < s->mem_left ? s->cap - s->end
                                                 : s->mem_left;
        memcpy(s->buf + s->end, s->mem, n);
        s->mem += n;
        s->mem_left -= n;
        s->end += n;
        s->eof = n == 0;
        return BL_OK;
    }
    int got = gzread(s->gz, s->buf + s->end, (unsigned)(s->cap - s->end));
    if (got < 0) {
        int zerr = 0;
        const char *msg = gzerror(s->gz, &zerr);
        s->failed = 1;
        if (zerr == Z_ERRNO)
            return bl_fail(BL_EIO, "%s", strerror(errno));
        return bl_fail(BL_EFORMAT, "corrupt gzip data (%s)", msg);
    }
    if (got == 0) {
        int zerr = 0;
        const char *msg = gzerror(s->gz, &zerr);
        s->eof = 1;
        if (zerr != Z_OK && zerr != Z_STREAM_END) {
            s->failed = 1;
            return bl_fail(BL_EFORMAT, "truncated gzip data (%s)", msg);
        }
    }
    s->end += (size_t)got;
    return BL_OK;
}

bl_status_t bl_source_getline(bl_source_t *s, const char **line, size_t *len,
                              int *truncated)
{
    size_t scanned = 0;
    *line = NULL;
    *len = 0;
    if (truncated)
        *truncated = 0;
    for (;;) {
        char *nl = memchr(s->buf + s->start + scanned, '\n',
                          s->end - s->start - scanned);
        size_t n = nl ? (size_t)(nl - (s->buf + s->start))
                      : s->end - s->start;
        if (nl || ((s->eof || s->failed) && n > 0) || n >= s->max_line) {
            size_t keep = n < s->max_line ? n : s->max_line;
            char *nb = bl_grow(s->line, &s->line_cap, keep + 1, 1, 256);
            if (!nb)
                return bl_fail(BL_ENOMEM, "out of memory");
            s->line = nb;
            memcpy(s->line, s->buf + s->start, keep);
            if (keep > 0 && s->line[keep - 1] == '\r')
                keep--;
            s->line[keep] = '\0';
            s->lineno++;
            *line = s->line;
            *len = keep;
            if (truncated && n > s->max_line)
                *truncated = 1;
            if (nl) {
                s->start += n + 1;
                return BL_OK;
            }
            if (n < s->max_line) {
                s->start = s->end; /* The last line, without '\n'. */
                return BL_OK;
            }
            /* Too long: hand out its head, skip to the end of it. */
            if (truncated)
                *truncated = 1;
            s->start = s->end;
            for (;;) {
                bl_status_t rc = fill(s);
                if (rc != BL_OK)
                    return rc;
                char *e = memchr(s->buf, '\n', s->end);
                if (e) {
                    s->start = (size_t)(e - s->buf) + 1;
                    break;
                }
                s->start = s->end;
                if (s->eof || s->failed)
                    break;
            }
            return BL_OK;
        }
        if (s->eof || s->failed)
            return s->failed ? BL_EFORMAT : BL_END;
        scanned = n;
        bl_status_t rc = fill(s);
        if (rc != BL_OK)
            return rc;
    }
}

unsigned long bl_source_lineno(const bl_source_t *s)
{
    return s->lineno;
}

uint64_t bl_source_offset(const bl_source_t *s)
{
    if (!s->gz)
        return s->mem_total - s->mem_left;
    z_off_t o = gzoffset(s->gz);
    return o > 0 ? (uint64_t)o : 0;
}

bl_status_t bl_source_read_all(bl_source_t *s, size_t max_bytes, char **data,
                               size_t *len)
{
    *data = NULL;
    *len = 0;
    for (;;) {
        if (s->end - s->start > max_bytes) {
            bl_read_note_reason(BL_READ_TOO_LARGE);
            return bl_fail(BL_EFORMAT, "larger than %zu bytes", max_bytes);
        }
        if (s->eof || s->failed)
            break;
        bl_status_t rc = fill(s);
        if (rc != BL_OK)
            return rc;
    }
    char *out = malloc(s->end - s->start + 1);
    if (!out)
        return bl_fail(BL_ENOMEM, "out of memory");
    memcpy(out, s->buf + s->start, s->end - s->start);
    *len = s->end - s->start;
    out[*len] = '\0';
    s->start = s->end;
    *data = out;
    return BL_OK;
}

bl_status_t bl_file_digest(const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "rb");
    unsigned char buf[CHUNK];
    uint64_t h = BL_FNV64_BASIS;
    size_t got;
    if (!f)
        return bl_fail(BL_EIO, "%s", strerror(errno));
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        h = bl_fnv1a_more(h, buf, got);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return bl_fail(BL_EIO, "read error");
    *out = h ? h : 1;
    return BL_OK;
}

void bl_source_close(bl_source_t *s)
{
    if (!s)
        return;
    if (s->gz)
        gzclose(s->gz);
    free(s->buf);
    free(s->line);
    free(s);
}
