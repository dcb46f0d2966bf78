/*
 * The scraped-news text reader (and plain "title, then body" text).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/corpus.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corpus/corpus_internal.h"
#include "util/array.h"
#include "util/fail.h"

/* How many non-empty lines after the title may hold the header (caption,
 * author, dates) before the body must have begun. */
#define HEADER_LINES 8

typedef struct line {
    const char *s;
    size_t len; /* Trimmed of surrounding space. */
} line_t;

/* Split DATA into its non-empty trimmed lines.  Returns the number of lines
 * (stored in a malloc'ed *OUT), or (size_t)-1 when out of memory. */
static size_t split_lines(const char *data, size_t len, line_t **out)
{
    size_t n = 0, cap = 0;
    line_t *lines = NULL;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;
        const char *s = data + i;
        size_t l = end - i;
        while (l > 0 && isspace((unsigned char)*s)) {
            s++;
            l--;
        }
        while (l > 0 && isspace((unsigned char)s[l - 1]))
            l--;
        if (l > 0) {
            line_t *nlines = bl_grow(lines, &cap, n + 1, sizeof *lines, 64);
            if (!nlines) {
                free(lines);
                return (size_t)-1;
            }
            lines = nlines;
            lines[n].s = s;
            lines[n].len = l;
            n++;
        }
        i = end + 1;
    }
    *out = lines;
    return n;
}

/* Non-zero if L is the same text as M. */
static int same(const line_t *l, const line_t *m)
{
    return l->len == m->len && memcmp(l->s, m->s, l->len) == 0;
}

/* Non-zero if L is a date; its ISO form goes to ISO. */
static int is_date(const line_t *l, char iso[11])
{
    char tmp[64];
    if (l->len >= sizeof tmp)
        return 0;
    memcpy(tmp, l->s, l->len);
    tmp[l->len] = '\0';
    return bl_date_normalize(tmp, iso);
}

/* Non-zero if L starts with "Updated:"; *REST is what follows it. */
static int is_updated(const line_t *l, line_t *rest)
{
    if (l->len < 8 || strncasecmp(l->s, "updated:", 8) != 0)
        return 0;
    rest->s = l->s + 8;
    rest->len = l->len - 8;
    while (rest->len > 0 && isspace((unsigned char)*rest->s)) {
        rest->s++;
        rest->len--;
    }
    return 1;
}

/* Non-zero if L ends in a parenthesised credit such as "(Name/Agency)" or
 * "(Photo: Agency)": the mark of a photo caption. */
static int is_caption(const line_t *l)
{
    if (l->len < 5 || l->s[l->len - 1] != ')')
        return 0;
    for (size_t i = l->len - 1; i-- > 0;) {
        if (l->s[i] == '(') {
            for (size_t k = i; k < l->len; k++) {
                if (l->s[k] == '/' || l->s[k] == ':')
                    return 1;
            }
            return 0;
        }
        if (l->s[i] == ')')
            return 0;
    }
    return 0;
}

/* Non-zero if L looks like a byline: one to six words, no sentence
 * punctuation, each word starting with an upper-case letter (or a joining
 * word such as "and", "de", "van"). */
static int is_author(const line_t *l)
{
    size_t words = 0;
    if (l->len > 80 || strchr(".!?:;", l->s[l->len - 1]) ||
        memchr(l->s, '(', l->len))
        return 0;
    for (size_t i = 0; i < l->len;) {
        while (i < l->len && l->s[i] == ' ')
            i++;
        if (i >= l->len)
            break;
        size_t start = i;
        while (i < l->len && l->s[i] != ' ')
            i++;
        size_t wl = i - start;
        const char *w = l->s + start;
        int joiner = (wl == 3 && strncmp(w, "and", 3) == 0) ||
                     (wl == 2 && strncmp(w, "de", 2) == 0) ||
                     (wl == 3 && strncmp(w, "van", 3) == 0) ||
                     (wl == 3 && strncmp(w, "von", 3) == 0) ||
                     (wl == 2 && strncmp(w, "By", 2) == 0);
        if (!joiner && !isupper((unsigned char)w[0]) &&
            (unsigned char)w[0] < 0x80)
            return 0;
        words++;
    }
    return words >= 1 && words <= 6;
}

/* Non-zero if L is share-link junk left by the scraper: only words such as
 * "twitter", "facebook", "share", "email", "print", "copy link". */
static int is_junk(const line_t *l)
{
    static const char *const JUNK[] = {
        "twitter", "facebook", "share", "email", "e-mail", "print", "copy",
        "link", "linkedin", "reddit", "whatsapp", "telegram", "pinterest",
        "tweet", "comments", "comment", "x", "|", "-", "·"};
    size_t i = 0, words = 0;
    while (i < l->len) {
        while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
            i++;
        if (i >= l->len)
            break;
        size_t start = i;
        while (i < l->len && l->s[i] != ' ' && l->s[i] != '\t')
            i++;
        size_t wl = i - start;
        int known = 0;
        for (size_t k = 0; k < sizeof JUNK / sizeof JUNK[0]; k++) {
            if (strlen(JUNK[k]) == wl &&
                strncasecmp(JUNK[k], l->s + start, wl) == 0)
                known = 1;
        }
        if (!known)
            return 0;
        words++;
    }
    return words > 0;
}

/* Non-zero if L is an author bio: it starts with the AUTHOR's name and
 * goes on with "is", "was" or "covers" (as the last paragraph of a scraped
 * article does: "Jane Roe is a reporter at ..."). */
static int is_bio(const line_t *l, const char *author)
{
    size_t al = author ? strlen(author) : 0;
    if (al == 0 || l->len <= al + 4 || strncmp(l->s, author, al) != 0)
        return 0;
    const char *rest = l->s + al;
    return strncmp(rest, " is ", 4) == 0 || strncmp(rest, " was ", 5) == 0 ||
           strncmp(rest, " covers ", 8) == 0 ||
           strncmp(rest, " writes ", 8) == 0;
}

/* Store a cleaned copy of L into *FIELD (replacing nothing). */
static bl_status_t set_field(char **field, const line_t *l)
{
    *field = bl_clean_dup(l->s, l->len);
    return *field ? BL_OK : bl_fail(BL_ENOMEM, "out of memory");
}

bl_status_t bl_parse_text_article(const char *data, size_t len,
                                  const char *id, const char *path,
                                  bl_article_t *out)
{
    line_t *lines = NULL;
    bl_buf_t body = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    char iso[11];
    size_t n, i, body_start, body_end;

    memset(out, 0, sizeof *out);
    n = split_lines(data, len, &lines);
    if (n == (size_t)-1)
        return bl_fail(BL_ENOMEM, "out of memory");
    if (n == 0) {
        free(lines);
        return bl_fail(BL_EFORMAT, "no text");
    }
    out->id = strdup(id ? id : "");
    out->path = strdup(path ? path : "");
    if (!out->id || !out->path) {
        rc = bl_fail(BL_ENOMEM, "out of memory");
        goto done;
    }
    rc = set_field(&out->title, &lines[0]);
    i = 1;
    if (i < n && same(&lines[i], &lines[0]))
        i++; /* The repeated title. */

    /* Find the publication date within the header zone.  Without one, the
     * text is plain "title, then body" and the body starts here. */
    body_start = i;
    size_t date_at = n;
    for (size_t k = i; k < n && k < i + HEADER_LINES; k++) {
        if (is_date(&lines[k], iso)) {
            date_at = k;
            break;
        }
    }
    if (rc == BL_OK && date_at < n) {
        for (size_t k = i; k < date_at && rc == BL_OK; k++) {
            if (!out->caption && is_caption(&lines[k]))
                rc = set_field(&out->caption, &lines[k]);
            else if (k == date_at - 1 && is_author(&lines[k]))
                rc = set_field(&out->author, &lines[k]);
        }
        if (rc == BL_OK) {
            out->date = strdup(iso);
            rc = out->date ? BL_OK : bl_fail(BL_ENOMEM, "out of memory");
        }
        body_start = date_at + 1;
        line_t rest;
        if (rc == BL_OK && body_start < n &&
            is_updated(&lines[body_start], &rest)) {
            body_start++;
            if (rest.len == 0 && body_start < n &&
                is_date(&lines[body_start], iso))
                body_start++;
            else if (rest.len > 0)
                is_date(&rest, iso);
            out->updated = strdup(iso);
            if (!out->updated)
                rc = bl_fail(BL_ENOMEM, "out of memory");
        }
    }
    if (rc != BL_OK)
        goto done;

    /* Drop trailing share-link junk, then the author bio. */
    body_end = n;
    while (body_end > body_start && is_junk(&lines[body_end - 1]))
        body_end--;
    if (body_end > body_start && is_bio(&lines[body_end - 1], out->author))
        body_end--;

    for (size_t k = body_start; k < body_end && rc == BL_OK; k++) {
        if (k > body_start)
            rc = bl_buf_append(&body, "\n\n", 2);
        if (rc == BL_OK)
            rc = bl_utf8_clean(&body, lines[k].s, lines[k].len);
    }
    if (rc == BL_OK)
        rc = bl_buf_steal(&body, &out->body);
done:
    bl_buf_free(&body);
    free(lines);
    if (rc != BL_OK)
        bl_article_clear(out);
    return rc;
}

bl_status_t bl_read_file(const char *path, size_t max_bytes, char **data,
                         size_t *len)
{
    bl_source_t *src = NULL;
    bl_status_t rc = bl_source_open(path, 0, &src);
    *data = NULL;
    *len = 0;
    if (rc == BL_OK)
        rc = bl_source_read_all(src, max_bytes, data, len);
    bl_source_close(src);
    if (rc == BL_OK && memchr(*data, '\0', *len < 8192 ? *len : 8192)) {
        free(*data);
        *data = NULL;
        *len = 0;
        rc = bl_fail(BL_EFORMAT, "binary file (it holds NUL bytes)");
    }
    return rc;
}
