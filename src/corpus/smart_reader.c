/*
 * The SMART layout of the classic test collections (CACM, Cranfield, CISI,
 * MED, ...): records opened by ".I <id>", fields opened by a line ".T"
 * (title), ".A" (author, one per line), ".B" (bibliographic note), ".W"
 * (abstract or text), ".K" (keywords), ".X", ".N", ".C" (references and
 * notes, left out).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "corpus/corpus_internal.h"
#include "corpus/readers.h"
#include "util/buf.h"
#include "util/fail.h"

#define MAX_RECORD (4u << 20)

typedef enum { S_NONE, S_TITLE, S_AUTHOR, S_SOURCE, S_BODY, S_KEYWORDS,
               S_SKIP } sfield_t;

typedef struct record {
    bl_buf_t id, f[S_SKIP];
    unsigned long start;
    int too_big;
} record_t;

/* The field a marker line (".T", ".W", ...) opens; S_NONE if LINE is no
 * marker. */
static sfield_t marker(const char *line, size_t len)
{
    if (len < 2 || line[0] != '.' || (len > 2 && line[2] != ' ' &&
                                      line[2] != '\t'))
        return S_NONE;
    switch (line[1]) {
    case 'T': return S_TITLE;
    case 'A': return S_AUTHOR;
    case 'B': return S_SOURCE;
    case 'W': return S_BODY;
    case 'K': return S_KEYWORDS;
    case 'X': case 'N': case 'C': case 'I': return S_SKIP;
    default: return S_NONE;
    }
}

int bl_looks_like_smart(const char *line, size_t len)
{
    return len > 3 && line[0] == '.' && line[1] == 'I' && line[2] == ' ';
}

/* The cleaned UTF-8 copy of buffer B, trimmed, into *OUT (NULL when
 * empty).  Returns BL_OK or BL_ENOMEM. */
static bl_status_t take(const bl_buf_t *b, char **out)
{
    size_t s = 0, e = b->len;
    *out = NULL;
    while (s < e && (b->data[s] == ' ' || b->data[s] == '\n'))
        s++;
    while (e > s && (b->data[e - 1] == ' ' || b->data[e - 1] == '\n'))
        e--;
    if (s == e)
        return BL_OK;
    *out = bl_clean_dup(b->data + s, e - s);
    return *out ? BL_OK : bl_fail(BL_ENOMEM, "out of memory");
}

/* Deliver the record R.  *STOPPED is set when FN says stop. */
static bl_status_t finish(record_t *r, const char *path, const char *rel,
                          bl_article_fn fn, bl_problem_fn problem, void *ctx,
                          int *stopped)
{
    bl_article_t a;
    bl_status_t rc = BL_OK;
    memset(&a, 0, sizeof a);
    if (r->too_big) {
        problem(path, r->start, "record larger than 4 MiB: skipped", ctx);
        return BL_OK;
    }
    char *k = NULL;
    rc = take(&r->id, &a.id);
    if (rc == BL_OK)
        rc = take(&r->f[S_TITLE], &a.title);
    if (rc == BL_OK)
        rc = take(&r->f[S_AUTHOR], &a.author);
    if (rc == BL_OK)
        rc = take(&r->f[S_SOURCE], &a.source);
    if (rc == BL_OK)
        rc = take(&r->f[S_BODY], &a.body);
    /* Keywords: separated by commas or semicolons. */
    if (rc == BL_OK)
        rc = take(&r->f[S_KEYWORDS], &k);
    for (char *p = k; rc == BL_OK && p && *p;) {
        size_t n = strcspn(p, ",;");
        while (n && (*p == ' ' || *p == '\n')) {
            p++;
            n--;
        }
        if (n)
            rc = bl_article_add_category(&a, p, n);
        p += n;
        if (*p)
            p++;
    }
    free(k);
    if (rc != BL_OK) {
        bl_article_clear(&a);
        return rc;
    }
    rc = bl_deliver(&a, path, rel, r->start, "record", fn, problem, ctx);
    *stopped = rc == BL_END;
    return rc == BL_END ? BL_OK : rc;
}

bl_status_t bl_read_smart(bl_source_t *src, const char *path, const char *rel,
                          bl_article_fn fn, bl_problem_fn problem, void *ctx)
{
    record_t r;
    const char *line;
    size_t len;
    sfield_t cur = S_NONE;
    int stopped = 0, started = 0;
    bl_status_t rc;
    memset(&r, 0, sizeof r);
    while ((rc = bl_source_getline(src, &line, &len, NULL)) == BL_OK) {
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            len--;
        if (bl_looks_like_smart(line, len)) {
            if (started) {
                rc = finish(&r, path, rel, fn, problem, ctx, &stopped);
                if (rc != BL_OK || stopped)
                    break;
            }
            started = 1;
            bl_buf_clear(&r.id);
            for (int i = 0; i < S_SKIP; i++)
                bl_buf_clear(&r.f[i]);
            r.too_big = 0;
            r.start = bl_source_lineno(src);
            size_t s = 3;
            while (s < len && (line[s] == ' ' || line[s] == '\t'))
                s++;
            /* Ids are numbers; "001" and "1" are one id, as in the
             * judgments. */
            while (s + 1 < len && line[s] == '0')
                s++;
            rc = bl_buf_append(&r.id, line + s, len - s);
            cur = S_NONE;
            if (rc != BL_OK)
                break;
            continue;
        }
        sfield_t m = marker(line, len);
        if (m != S_NONE) {
            cur = m;
            continue;
        }
        if (!started) {
            if (len)
                problem(path, bl_source_lineno(src),
                        "text before the first .I record: skipped", ctx);
            continue;
        }
        if (cur == S_NONE || cur == S_SKIP)
            continue;
        bl_buf_t *b = &r.f[cur];
        if (b->len + len + 2 > MAX_RECORD) {
            r.too_big = 1;
            continue;
        }
        /* Authors are one per line; text lines run on, and a blank line
         * keeps a paragraph break. */
        int after_break = b->len && b->data[b->len - 1] == '\n';
        if (len == 0) {
            if (b->len && !after_break && cur != S_AUTHOR)
                rc = bl_buf_puts(b, "\n\n");
        } else {
            if (b->len && !after_break)
                rc = bl_buf_puts(b, cur == S_AUTHOR ? "; " : " ");
            if (rc == BL_OK)
                rc = bl_buf_append(b, line, len);
        }
        if (rc != BL_OK)
            break;
    }
    if (rc == BL_END && started && !stopped)
        rc = finish(&r, path, rel, fn, problem, ctx, &stopped);
    else if (rc == BL_END)
        rc = BL_OK;
    bl_buf_free(&r.id);
    for (int i = 0; i < S_SKIP; i++)
        bl_buf_free(&r.f[i]);
    return rc;
}
