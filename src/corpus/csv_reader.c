/*
 * The CSV reader: one article per row, columns named by a header row or
 * declared by the caller ("category,title,body" for AG News).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "byline/corpus.h"
#include "corpus/corpus_internal.h"
#include "corpus/readers.h"
#include "util/buf.h"
#include "util/fail.h"

#define MAX_COLUMNS 64
#define MAX_ROW (16u << 20)

typedef enum { C_SKIP, C_ID, C_TITLE, C_BODY, C_DATE, C_AUTHOR, C_URL,
               C_SOURCE, C_CATEGORY } col_t;

static const struct {
    const char *name;
    col_t col;
} NAMES[] = {
    {"id", C_ID}, {"docid", C_ID}, {"title", C_TITLE},
    {"headline", C_TITLE}, {"body", C_BODY}, {"text", C_BODY},
    {"content", C_BODY}, {"description", C_BODY}, {"article", C_BODY},
    {"date", C_DATE}, {"published", C_DATE}, {"author", C_AUTHOR},
    {"authors", C_AUTHOR}, {"byline", C_AUTHOR}, {"url", C_URL},
    {"link", C_URL}, {"source", C_SOURCE}, {"publisher", C_SOURCE},
    {"category", C_CATEGORY}, {"class", C_CATEGORY}, {"label", C_CATEGORY},
    {"topic", C_CATEGORY}, {"section", C_CATEGORY}, {"skip", C_SKIP},
};

/* The column kind of NAME, or -1 for a name we do not know. */
static int column_of(const char *name, size_t len)
{
    while (len > 0 && isspace((unsigned char)*name)) {
        name++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)name[len - 1]))
        len--;
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
        if (strlen(NAMES[i].name) == len &&
            strncasecmp(NAMES[i].name, name, len) == 0)
            return (int)NAMES[i].col;
    }
    return -1;
}

typedef struct row {
    bl_buf_t text;             /* The fields, each NUL-terminated. */
    size_t start[MAX_COLUMNS]; /* Offsets into TEXT. */
    size_t len[MAX_COLUMNS];
    size_t n;
    int at_end;          /* The row ran into the end of the file. */
} row_t;

/* Read one CSV row (quoted fields may span lines) into R.  Returns BL_OK,
 * BL_END, BL_EFORMAT (unterminated quote at the end, or too many columns or
 * bytes; *LINE says where the row began) or an error of the source. */
static bl_status_t read_row(bl_source_t *src, row_t *r, unsigned long *line)
{
    const char *l;
    size_t len;
    int in_quotes = 0, field_open = 1;
    bl_status_t rc;
    bl_buf_clear(&r->text);
    r->n = 0;
    r->start[0] = 0;
    rc = bl_source_getline(src, &l, &len, NULL);
    if (rc != BL_OK)
        return rc;
    *line = bl_source_lineno(src);
    for (;;) {
        for (size_t i = 0; i < len; i++) {
            char c = l[i];
            if (in_quotes) {
                if (c == '"' && i + 1 < len && l[i + 1] == '"') {
                    rc = bl_buf_putc(&r->text, '"');
                    i++;
                } else if (c == '"') {
                    in_quotes = 0;
                } else {
                    rc = bl_buf_putc(&r->text, c);
                }
            } else if (c == '"' && field_open) {
                in_quotes = 1;
                field_open = 0;
            } else if (c == ',') {
                if (r->n + 1 >= MAX_COLUMNS)
                    return bl_fail(BL_EFORMAT, "more than %d columns",
                                   MAX_COLUMNS);
                r->len[r->n] = r->text.len - r->start[r->n];
                rc = bl_buf_putc(&r->text, '\0');
                r->n++;
                r->start[r->n] = r->text.len;
                field_open = 1;
            } else {
                rc = bl_buf_putc(&r->text, c);
                field_open = 0;
            }
            if (rc != BL_OK)
                return rc;
        }
        if (!in_quotes)
            break;
        /* A quoted field goes on on the next line. */
        if (r->text.len > MAX_ROW)
            return bl_fail(BL_EFORMAT, "row larger than 16 MiB");
        rc = bl_buf_putc(&r->text, '\n');
        if (rc == BL_OK)
            rc = bl_source_getline(src, &l, &len, NULL);
        if (rc == BL_END) {
            r->at_end = 1;
            return bl_fail(BL_EFORMAT, "quoted field not closed before the "
                                       "end of the file");
        }
        if (rc != BL_OK)
            return rc;
    }
    r->len[r->n] = r->text.len - r->start[r->n];
    rc = bl_buf_putc(&r->text, '\0');
    r->n++;
    return rc;
}

/* The field text cleaned for an article: entities decoded (including the
 * broken "#39;" and "quot;" that some corpora have), backslash line breaks
 * turned into newlines, UTF-8 made valid, trimmed.  NULL when out of
 * memory. */
static char *clean_field(const char *s, size_t len, bl_buf_t *tmp)
{
    bl_buf_t fixed = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    char *out = NULL;
    for (size_t i = 0; i < len && rc == BL_OK; i++) {
        int after_word = i > 0 && isalnum((unsigned char)s[i - 1]);
        if (s[i] == '\\') {
            while (i + 1 < len && s[i + 1] == '\\')
                i++;
            rc = bl_buf_putc(&fixed, '\n');
            continue;
        }
        /* A broken entity lost its '&': put it back ("#39;" anywhere,
         * "quot;" at the start of a word). */
        if ((s[i] == '#' || (!after_word && isalpha((unsigned char)s[i]))) &&
            (i == 0 || s[i - 1] != '&')) {
            static const char *const BROKEN[] = {"quot;", "amp;", "lt;",
                                                 "gt;", "apos;"};
            int fix = 0;
            if (s[i] == '#') {
                size_t k = i + 1;
                while (k < len && isdigit((unsigned char)s[k]))
                    k++;
                fix = k > i + 1 && k < len && s[k] == ';';
            }
            for (size_t b = 0; !fix && b < 5; b++)
                fix = strncmp(s + i, BROKEN[b], strlen(BROKEN[b])) == 0;
            if (fix)
                rc = bl_buf_putc(&fixed, '&');
        }
        if (rc == BL_OK)
            rc = bl_buf_putc(&fixed, s[i]);
    }
    if (rc == BL_OK)
        rc = bl_sgml_entities(fixed.data ? fixed.data : "", fixed.len, tmp);
    if (rc == BL_OK)
        out = bl_clean_dup(tmp->data, tmp->len);
    bl_buf_free(&fixed);
    return out;
}

/* Set the columns map COLS from the comma-separated NAMES; returns the
 * number, or -1 with the failure recorded. */
static int parse_columns(const char *names, int *cols)
{
    int n = 0;
    const char *p = names;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int c = column_of(p, len);
        if (c < 0 || n >= MAX_COLUMNS) {
            bl_fail(BL_EARG, "unknown column name '%.*s' (use id, title, "
                             "body, date, author, url, source, category or "
                             "skip)", (int)len, p);
            return -1;
        }
        cols[n++] = c;
        p += len;
        if (*p == ',')
            p++;
    }
    return n;
}

bl_status_t bl_read_csv(bl_source_t *src, const char *columns,
                        const char *path, const char *rel, bl_article_fn fn,
                        bl_problem_fn problem, void *ctx)
{
    row_t r;
    bl_buf_t tmp = BL_BUF_INIT;
    int cols[MAX_COLUMNS], ncols = -1, stopped = 0;
    unsigned long line = 0;
    bl_status_t rc;
    char msg[512];
    memset(&r, 0, sizeof r);
    if (columns) {
        ncols = parse_columns(columns, cols);
        if (ncols < 0)
            return BL_EARG;
    }
    while ((rc = read_row(src, &r, &line)) == BL_OK ||
           rc == BL_EFORMAT) {
        if (rc == BL_EFORMAT) {
            snprintf(msg, sizeof msg, "%s: row skipped", bl_last_error());
            problem(path, line, msg, ctx);
            if (r.at_end) {
                rc = BL_END;
                break;
            }
            rc = BL_OK;
            continue;
        }
        if (r.n == 1 && r.len[0] == 0)
            continue; /* A blank line. */
        if (ncols < 0) {
            /* The first row must name the columns. */
            int known = 0;
            for (size_t i = 0; i < r.n; i++) {
                int c = column_of(r.text.data + r.start[i], r.len[i]);
                cols[i] = c < 0 ? C_SKIP : c;
                known += c == C_TITLE || c == C_BODY;
            }
            ncols = (int)r.n;
            if (!known) {
                rc = bl_fail(BL_EFORMAT,
                             "CSV without a header row naming title or body "
                             "columns: give the columns (e.g. --columns "
                             "category,title,body)");
                break;
            }
            continue;
        }
        bl_article_t a;
        memset(&a, 0, sizeof a);
        for (size_t i = 0; i < r.n && i < (size_t)ncols && rc == BL_OK;
             i++) {
            const char *v = r.text.data + r.start[i];
            char **f = NULL;
            switch ((col_t)cols[i]) {
            case C_SKIP: break;
            case C_ID: f = &a.id; break;
            case C_TITLE: f = &a.title; break;
            case C_BODY: f = &a.body; break;
            case C_AUTHOR: f = &a.author; break;
            case C_URL: f = &a.url; break;
            case C_SOURCE: f = &a.source; break;
            case C_DATE: {
                char iso[11];
                if (!a.date && r.len[i] < 64 && bl_date_normalize(v, iso) &&
                    !(a.date = strdup(iso)))
                    rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            case C_CATEGORY:
                rc = bl_article_add_category(&a, v, r.len[i]);
                break;
            }
            if (f && !*f && !(*f = clean_field(v, r.len[i], &tmp)))
                rc = bl_fail(BL_ENOMEM, "out of memory");
            if (f && *f && !**f) {
                free(*f); /* An empty cell is no value. */
                *f = NULL;
            }
        }
        if (rc == BL_OK)
            rc = bl_deliver(&a, path, rel, line, "row", fn, problem, ctx);
        bl_article_clear(&a);
        if (rc == BL_END) {
            stopped = 1;
            break;
        }
        if (rc != BL_OK)
            break;
    }
    bl_buf_free(&r.text);
    bl_buf_free(&tmp);
    if (stopped)
        return BL_END;
    return rc == BL_END ? BL_OK : rc; /* BL_END: the end of the file. */
}
