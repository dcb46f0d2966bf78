/*
 * The mail and Usenet reader: RFC 822 messages (one per file, or many in an
 * mbox), Subject as the title, From as the author, Date, Newsgroups as the
 * source and categories, Message-ID as the id, and the body.
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

#define MAX_MESSAGE (16u << 20)

/* Non-zero if LINE (LEN bytes) is a header field ("Name: value"). */
static int is_header(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && i < 64 &&
           (isalnum((unsigned char)line[i]) || line[i] == '-'))
        i++;
    return i > 0 && i < len && line[i] == ':';
}

/* Non-zero if LINE is an mbox separator: "From ADDRESS DATE", with a time
 * of day in it. */
static int mbox_from(const char *line, size_t len)
{
    if (len < 6 || strncmp(line, "From ", 5) != 0)
        return 0;
    for (size_t i = 5; i + 4 < len; i++) {
        if (isdigit((unsigned char)line[i]) &&
            isdigit((unsigned char)line[i + 1]) && line[i + 2] == ':' &&
            isdigit((unsigned char)line[i + 3]) &&
            isdigit((unsigned char)line[i + 4]))
            return 1;
    }
    return 0;
}

int bl_looks_like_mail(const char *line, size_t len, const char *next,
                       size_t next_len)
{
    static const char *const NAMES[] = {"from:", "subject:", "newsgroups:",
                                        "path:", "message-id:", "date:",
                                        "xref:", "received:", "return-path:",
                                        "to:", "article:", "relay-version:"};
    if (mbox_from(line, len))
        return 1;
    /* A known header field, and the line after it a header field too (a
     * title such as "Subject: ..." is not enough). */
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
        if (strncasecmp(line, NAMES[i], strlen(NAMES[i])) == 0)
            return next && is_header(next, next_len);
    }
    return 0;
}

/* The display name of a From value, malloc'ed: "Jane Doe <jane@x>" and
 * "jane@x (Jane Doe)" give "Jane Doe"; a bare address is kept.  NULL
 * only when out of memory. */
static char *display_name(const char *v)
{
    const char *lt = strchr(v, '<'), *lp = strchr(v, '(');
    const char *rp = lp ? strchr(lp, ')') : NULL;
    if (lt && lt > v) {
        size_t n = (size_t)(lt - v);
        char *name = bl_clean_dup(v, n);
        if (!name)
            return NULL; /* Not the address instead: the run fails. */
        if (name[0] == '"') {
            size_t k = strlen(name);
            memmove(name, name + 1, k);
            if (k > 1 && name[k - 2] == '"')
                name[k - 2] = '\0';
        }
        if (*name)
            return name;
        free(name);
    }
    if (lp && rp && rp > lp + 1)
        return bl_clean_dup(lp + 1, (size_t)(rp - lp - 1));
    return bl_clean_dup(v, strlen(v));
}

typedef struct msg {
    bl_buf_t head; /* Unfolded header fields, one per line. */
    bl_buf_t body;
    unsigned long start;
    int in_body, too_big;
} msg_t;

/* The value of header NAME in the unfolded header block, or NULL. */
static const char *header(const msg_t *m, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    const char *h = m->head.data;
    while (h && *h) {
        const char *e = strchr(h, '\n');
        size_t l = e ? (size_t)(e - h) : strlen(h);
        if (l > nl && strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
            const char *v = h + nl + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            *len = (size_t)(h + l - v);
            return v;
        }
        h = e ? e + 1 : h + l;
    }
    return NULL;
}

/* Turn the message in M into an article and hand it to FN. */
static bl_status_t finish(msg_t *m, const char *path, const char *rel,
                          bl_article_fn fn, bl_problem_fn problem, void *ctx,
                          int *stopped)
{
    bl_article_t a;
    bl_status_t rc = BL_OK;
    size_t len;
    const char *v;
    char tmp[1024];
    memset(&a, 0, sizeof a);
    if (m->too_big) {
        problem(path, m->start, "message larger than 16 MiB: skipped", ctx);
        return BL_OK;
    }
    if ((v = header(m, "Subject", &len)) && !(a.title = bl_clean_dup(v, len)))
        rc = BL_ENOMEM;
    if (rc == BL_OK && (v = header(m, "From", &len))) {
        snprintf(tmp, sizeof tmp, "%.*s", (int)len, v);
        if (!(a.author = display_name(tmp)))
            rc = BL_ENOMEM;
    }
    if (rc == BL_OK && (v = header(m, "Date", &len))) {
        char iso[11];
        snprintf(tmp, sizeof tmp, "%.*s", (int)len, v);
        if (bl_date_normalize(tmp, iso) && !(a.date = strdup(iso)))
            rc = BL_ENOMEM;
    }
    if (rc == BL_OK && (v = header(m, "Message-ID", &len))) {
        while (len > 0 && (*v == '<' || *v == ' ')) {
            v++;
            len--;
        }
        while (len > 0 && (v[len - 1] == '>' || v[len - 1] == ' '))
            len--;
        if (len > 0 && !(a.id = bl_clean_dup(v, len)))
            rc = BL_ENOMEM;
    }
    if (rc == BL_OK && (v = header(m, "Newsgroups", &len))) {
        /* The first group is the source; all are categories. */
        for (size_t i = 0; i < len && rc == BL_OK;) {
            size_t j = i;
            while (j < len && v[j] != ',' && v[j] != ' ')
                j++;
            if (j > i) {
                if (!a.source && !(a.source = bl_clean_dup(v + i, j - i)))
                    rc = BL_ENOMEM;
                if (rc == BL_OK)
                    rc = bl_article_add_category(&a, v + i, j - i);
            }
            i = j + 1;
        }
    }
    if (rc == BL_OK) {
        char *body = bl_clean_dup(m->body.data ? m->body.data : "",
                                  m->body.len);
        if (!body)
            rc = BL_ENOMEM;
        a.body = body;
    }
    if (rc == BL_ENOMEM) {
        bl_article_clear(&a);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    rc = bl_deliver(&a, path, rel, m->start, "message", fn, problem, ctx);
    *stopped = rc == BL_END;
    return rc == BL_END ? BL_OK : rc;
}

bl_status_t bl_read_mail(bl_source_t *src, const char *path, const char *rel,
                         bl_article_fn fn, bl_problem_fn problem, void *ctx)
{
    msg_t m;
    const char *line;
    size_t len;
    int stopped = 0, started = 0, prev_blank = 1, mbox = -1;
    bl_status_t rc;
    memset(&m, 0, sizeof m);
    while ((rc = bl_source_getline(src, &line, &len, NULL)) == BL_OK) {
        /* A file is an mbox when its first line is a "From " separator;
         * only then does "From " after a blank line start the next
         * message (in a single message it is text: a quoted or forwarded
         * note). */
        if (mbox < 0 && len > 0)
            mbox = mbox_from(line, len);
        int mbox_sep = mbox > 0 && prev_blank && mbox_from(line, len);
        prev_blank = len == 0;
        if (mbox_sep || !started) {
            if (started) {
                rc = finish(&m, path, rel, fn, problem, ctx, &stopped);
                if (rc != BL_OK || stopped)
                    break;
            }
            started = 1;
            bl_buf_clear(&m.head);
            bl_buf_clear(&m.body);
            m.in_body = m.too_big = 0;
            m.start = bl_source_lineno(src);
            if (mbox_sep)
                continue;
        }
        if (m.head.len + m.body.len + len > MAX_MESSAGE) {
            m.too_big = 1;
            continue;
        }
        if (!m.in_body) {
            if (len == 0) {
                m.in_body = 1;
            } else if ((line[0] == ' ' || line[0] == '\t') && m.head.len) {
                /* A folded header line continues the last field. */
                m.head.len--; /* Its '\n'. */
                rc = bl_buf_putc(&m.head, ' ');
                if (rc == BL_OK)
                    rc = bl_buf_append(&m.head, line + 1, len - 1);
                if (rc == BL_OK)
                    rc = bl_buf_putc(&m.head, '\n');
            } else if (is_header(line, len)) {
                rc = bl_buf_append(&m.head, line, len);
                if (rc == BL_OK)
                    rc = bl_buf_putc(&m.head, '\n');
            } else {
                m.in_body = 1; /* No blank line: the body starts here. */
            }
            if (!m.in_body || len == 0) {
                if (rc != BL_OK)
                    break;
                continue;
            }
        }
        /* Body lines; an mbox escapes "From " as ">From ". */
        if (len > 5 && strncmp(line, ">From ", 6) == 0) {
            line++;
            len--;
        }
        /* Blank lines separate paragraphs; other line breaks are kept. */
        rc = bl_buf_append(&m.body, line, len);
        if (rc == BL_OK)
            rc = bl_buf_putc(&m.body, '\n');
        if (rc != BL_OK)
            break;
    }
    if (rc == BL_END && started && !stopped)
        rc = finish(&m, path, rel, fn, problem, ctx, &stopped);
    bl_buf_free(&m.head);
    bl_buf_free(&m.body);
    if (stopped)
        return BL_END;
    return rc == BL_END ? BL_OK : rc;
}
