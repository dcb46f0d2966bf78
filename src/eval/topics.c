/*
 * Topic files: TREC <top> records, the SMART layout of the classic
 * collections (.I/.W), and "qid<TAB>query" (or "qid query") lines.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/eval.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/fail.h"
#include "util/array.h"

typedef struct list {
    bl_topic_t *t;
    size_t n, cap;
} list_t;

/* A malloc'ed copy of the LEN bytes at S with runs of white space made one
 * space and the ends trimmed; NULL when out of memory. */
static char *squeeze(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    size_t o = 0;
    int space = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (isspace((unsigned char)s[i])) {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        out[o++] = s[i];
    }
    out[o] = '\0';
    return out;
}

/* Append the topic ID (taken) with QUERY (taken). */
static bl_status_t add(list_t *l, char *id, char *query)
{
    if (!id || !query) {
        free(id);
        free(query);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    bl_topic_t *nt = bl_grow(l->t, &l->cap, l->n + 1, sizeof *nt, 64);
    if (!nt) {
        free(id);
        free(query);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    l->t = nt;
    l->t[l->n].id = id;
    l->t[l->n].query = query;
    l->n++;
    return BL_OK;
}

/* The text of section TAG (e.g. "<title>") in [S, END): up to the next
 * '<' that starts a tag.  *LEN gets its length; NULL if absent. */
static const char *section(const char *s, const char *end, const char *tag,
                           size_t *len)
{
    size_t tl = strlen(tag);
    for (const char *p = s; p + tl <= end; p++) {
        if (strncasecmp(p, tag, tl) != 0)
            continue;
        const char *b = p + tl, *e = b;
        while (e < end && *e != '<')
            e++;
        *len = (size_t)(e - b);
        return b;
    }
    return NULL;
}

/* Line number of P in TEXT. */
static unsigned long line_of(const char *text, const char *p)
{
    unsigned long n = 1;
    for (const char *c = text; c < p; c++)
        n += *c == '\n';
    return n;
}

/* Drop a leading label ("Number:", "Description:", "Topic:"). */
static const char *unlabel(const char *s, size_t *len)
{
    static const char *const labels[] = {"Number:", "Description:", "Topic:",
                                         "Title:"};
    while (*len && isspace((unsigned char)*s)) {
        s++;
        (*len)--;
    }
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t ll = strlen(labels[i]);
        if (*len >= ll && strncasecmp(s, labels[i], ll) == 0) {
            *len -= ll;
            return s + ll;
        }
    }
    return s;
}

static bl_status_t read_trec(const char *path, const char *text,
                             bl_topic_field_t field, list_t *l)
{
    const char *p = text, *end = text + strlen(text);
    bl_status_t rc = BL_OK;
    while (rc == BL_OK) {
        const char *top = strstr(p, "<top>");
        if (!top)
            break;
        const char *close = strstr(top, "</top>");
        const char *stop = close ? close : end;
        size_t nl = 0, tl = 0, dl = 0;
        const char *num = section(top, stop, "<num>", &nl);
        const char *title = section(top, stop, "<title>", &tl);
        const char *desc = section(top, stop, "<desc>", &dl);
        if (num)
            num = unlabel(num, &nl);
        if (title)
            title = unlabel(title, &tl);
        if (desc)
            desc = unlabel(desc, &dl);
        char *id = num ? squeeze(num, nl) : NULL;
        bl_buf_t q = BL_BUF_INIT;
        if (field != BL_TOPIC_DESC && title)
            bl_buf_append(&q, title, tl);
        if (field != BL_TOPIC_TITLE && desc) {
            bl_buf_puts(&q, " ");
            bl_buf_append(&q, desc, dl);
        }
        char *query = q.data ? squeeze(q.data, q.len) : NULL;
        bl_buf_free(&q);
        if (!id || !*id || !query || !*query) {
            const char *what = !id || !*id ? "a <num>" : "query text";
            free(id);
            free(query);
            return bl_fail(BL_EFORMAT, "%s:%lu: a topic without %s", path,
                           line_of(text, top), what);
        }
        rc = add(l, id, query);
        p = close ? close + 6 : end;
    }
    return rc;
}

static bl_status_t read_lines(const char *path, char *text, list_t *l)
{
    unsigned long line = 0;
    bl_status_t rc = BL_OK;
    for (char *s = text; rc == BL_OK && s && *s;) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        line++;
        size_t len = strlen(s);
        if (len && s[len - 1] == '\r')
            s[--len] = '\0';
        if (len && s[0] != '#' && strspn(s, " \t") != len) {
            /* "qid<TAB>query", or "qid query" (lucene4ir's CACM
             * title.query): the id is the first word. */
            char *tab = strpbrk(s, " \t");
            if (!tab || tab == s || !tab[1 + strspn(tab + 1, " \t")])
                return bl_fail(BL_EFORMAT,
                               "%s:%lu: expected a topic id and a query",
                               path, line);
            rc = add(l, squeeze(s, (size_t)(tab - s)),
                     squeeze(tab + 1, strlen(tab + 1)));
        }
        s = nl ? nl + 1 : NULL;
    }
    return rc;
}

/* SMART query files (CACM query.text, cran.qry, CISI.QRY): ".I <id>"
 * records whose ".W" section is the query, numbered 1, 2, ... in file
 * order. */
static bl_status_t read_smart(const char *path, char *text, list_t *l)
{
    char *id = NULL;
    bl_buf_t q = BL_BUF_INIT;
    int in_w = 0;
    unsigned long line = 0, start = 0;
    bl_status_t rc = BL_OK;
    for (char *s = text; rc == BL_OK && s;) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        line++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
            s[--len] = '\0';
        int opens = strncmp(s, ".I ", 3) == 0;
        if (opens || !nl) {
            if (!opens && in_w && len) {
                rc = bl_buf_puts(&q, " ");
                if (rc == BL_OK)
                    rc = bl_buf_puts(&q, s);
            }
            if (id) {
                char *query = q.data ? squeeze(q.data, q.len) : NULL;
                if (!query || !*query) {
                    free(query);
                    free(id);
                    bl_buf_free(&q);
                    return bl_fail(BL_EFORMAT, "%s:%lu: a query without "
                                               "text (.W)", path, start);
                }
                rc = add(l, id, query);
                id = NULL;
            }
            bl_buf_clear(&q);
            in_w = 0;
            if (opens) {
                /* The judgments of these collections number queries by
                 * their place in the file: Cranfield's own .I numbers
                 * skip (001, 002, 004, ...), its cran.qrels does not. */
                char num[24];
                snprintf(num, sizeof num, "%zu", l->n + 1);
                id = strdup(num);
                start = line;
                if (!id)
                    rc = bl_fail(BL_ENOMEM, "out of memory");
            }
        } else if (s[0] == '.' && len >= 2 && (len == 2 || s[2] == ' ')) {
            in_w = s[1] == 'W';
        } else if (in_w && len) {
            rc = bl_buf_puts(&q, " ");
            if (rc == BL_OK)
                rc = bl_buf_puts(&q, s);
        }
        s = nl ? nl + 1 : NULL;
    }
    free(id);
    bl_buf_free(&q);
    return rc;
}

bl_status_t bl_topics_read(const char *path, bl_topic_field_t field,
                           bl_topic_t **out, size_t *n)
{
    list_t l = {NULL, 0, 0};
    bl_buf_t b = BL_BUF_INIT;
    char chunk[65536];
    size_t got;
    bl_status_t rc = BL_OK;
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bl_fail(errno == ENOENT ? BL_ENOTFOUND : BL_EIO, "%s: %s",
                       path, strerror(errno));
    while (rc == BL_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = bl_buf_append(&b, chunk, got);
    if (rc == BL_OK && ferror(f))
        rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
    fclose(f);
    if (rc == BL_OK)
        rc = bl_buf_puts(&b, "");
    if (rc == BL_OK) {
        const char *first = b.data + strspn(b.data, " \t\r\n");
        if (strstr(b.data, "<top>"))
            rc = read_trec(path, b.data, field, &l);
        else if (strncmp(first, ".I ", 3) == 0)
            rc = read_smart(path, b.data, &l);
        else
            rc = read_lines(path, b.data, &l);
    }
    bl_buf_free(&b);
    if (rc == BL_OK && l.n == 0)
        rc = bl_fail(BL_EFORMAT, "%s: no topics", path);
    if (rc != BL_OK) {
        bl_topics_free(l.t, l.n);
        return rc;
    }
    *out = l.t;
    *n = l.n;
    return BL_OK;
}

void bl_topics_free(bl_topic_t *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++) {
        free(t[i].id);
        free(t[i].query);
    }
    free(t);
}
