/*
 * The article model, dates, and UTF-8 cleaning.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/corpus.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corpus/corpus_internal.h"
#include "util/utf8.h"
#include "util/fail.h"

void bl_article_clear(bl_article_t *a)
{
    free(a->id);
    free(a->title);
    free(a->author);
    free(a->date);
    free(a->updated);
    free(a->caption);
    free(a->body);
    free(a->path);
    free(a->url);
    free(a->source);
    for (size_t i = 0; i < a->ncategories; i++)
        free(a->categories[i]);
    free(a->categories);
    memset(a, 0, sizeof *a);
}

bl_status_t bl_deliver(bl_article_t *a, const char *path, const char *rel,
                       unsigned long line, const char *what,
                       bl_article_fn fn, bl_problem_fn problem, void *ctx)
{
    bl_status_t rc = BL_OK;
    /* An article needs some text: a title, a body or a caption (an LA
     * Times photo's <GRAPHIC> may be all a document has). */
    if (!(a->title && *a->title) && !(a->body && *a->body) &&
        !(a->caption && *a->caption)) {
        char msg[128];
        snprintf(msg, sizeof msg, "empty %s (no title or body): skipped",
                 what);
        problem(path, line, msg, ctx);
        bl_article_clear(a);
        return BL_OK;
    }
    if (a->id && !*a->id) {
        free(a->id); /* A blank id is no id. */
        a->id = NULL;
    }
    if (!a->id) {
        a->id = malloc(strlen(rel) + 24);
        if (a->id)
            sprintf(a->id, "%s:%lu", rel, line);
    }
    free(a->path);
    a->path = strdup(path);
    a->line = line;
    if (!a->id || !a->path)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    else if (fn(a, ctx) != 0)
        rc = BL_END;
    bl_article_clear(a);
    return rc;
}

bl_status_t bl_article_add_category(bl_article_t *a, const char *category,
                                    size_t len)
{
    char *c = bl_clean_dup(category, len);
    if (!c)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->ncategories; i++) {
        if (strcmp(a->categories[i], c) == 0)
            *c = '\0';
    }
    if (!*c) {
        free(c);
        return BL_OK;
    }
    char **nc = realloc(a->categories, (a->ncategories + 1) * sizeof *nc);
    if (!nc) {
        free(c);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    a->categories = nc;
    a->categories[a->ncategories++] = c;
    return BL_OK;
}

static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

/* Days in MONTH (1-12) of YEAR.  Cannot fail. */
static int days_in(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30,
                               31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* Write Y-M-D to OUT if it is a real calendar date; returns 1 if so. */
static int put_date(int y, int m, int d, char out[11])
{
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > days_in(y, m))
        return 0;
    /* The ranges are checked above, so this always fits in 11 bytes. */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
             (unsigned)m % 100u, (unsigned)d % 100u);
    return 1;
}

/* Month number (1-12) of the English month name or abbreviation NAME, or
 * 0.  Cannot fail. */
static int month_of(const char *name)
{
    if (strlen(name) < 3)
        return 0;
    for (int i = 0; i < 12; i++) {
        if (strncasecmp(name, MONTHS[i], 3) == 0)
            return i + 1;
    }
    return 0;
}

/* Non-zero if REST (what follows a date) is empty or a time of day: a
 * space or 'T', then digits, ':', '.', ',', zone offsets and up to five
 * zone letters ("15:01:01.79", "T10:00:00Z", " 10:00 +0200 (GMT)"). */
static int time_rest(const char *rest)
{
    int letters = 0;
    while (*rest == ' ')
        rest++;
    if (*rest == '\0')
        return 1;
    if (*rest == 'T')
        rest++;
    if (!isdigit((unsigned char)*rest))
        return 0;
    for (; *rest; rest++) {
        unsigned char c = (unsigned char)*rest;
        if (isdigit(c) || strchr(":.,+- ()", c))
            continue;
        if (isalpha(c) && ++letters <= 5)
            continue;
        return 0;
    }
    return 1;
}

int bl_date_normalize(const char *text, char out[11])
{
    int y = 0, m = 0, d = 0, n = 0;
    char mon[16];
    while (isspace((unsigned char)*text))
        text++;
    /* An RFC 2822 weekday ("Tue, 31 Jul 2018 ...") is skipped. */
    if (isalpha((unsigned char)text[0]) && isalpha((unsigned char)text[1]) &&
        isalpha((unsigned char)text[2]) && text[3] == ',')
        text += 4;
    while (isspace((unsigned char)*text))
        text++;
    /* M/D/YYYY (the US order news sites use). */
    if (sscanf(text, "%2d/%2d/%4d%n", &m, &d, &y, &n) == 3 && n >= 8 &&
        text[n - 5] == '/')
        goto check;
    /* YYYY-MM-DD, possibly with a time. */
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10)
        goto check;
    /* D-MON-YYYY (Reuters: "26-FEB-1987 15:01:01.79"), D MON YYYY (RFC
     * 2822: "31 Jul 2018 10:00:00 +0000"). */
    if ((sscanf(text, "%2d-%15[A-Za-z]-%4d%n", &d, mon, &y, &n) == 3 ||
         sscanf(text, "%2d %15[A-Za-z] %4d%n", &d, mon, &y, &n) == 3) &&
        (m = month_of(mon)) != 0)
        goto check;
    /* Month D, YYYY (full or abbreviated month names). */
    if ((sscanf(text, "%15[A-Za-z]. %2d, %4d%n", mon, &d, &y, &n) == 3 ||
         sscanf(text, "%15[A-Za-z] %2d, %4d%n", mon, &d, &y, &n) == 3) &&
        (m = month_of(mon)) != 0)
        goto check;
    return 0;
check:
    if (!time_rest(text + n))
        return 0;
    return put_date(y, m, d, out);
}

/* Windows-1252's characters for bytes 0x80-0x9f (0 where it has none). */
static const unsigned short CP1252[32] = {
    0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
    0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178};


bl_status_t bl_utf8_clean(bl_buf_t *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    bl_status_t rc = bl_buf_reserve(out, len);
    size_t i = 0;
    while (rc == BL_OK && i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            /* Runs of plain ASCII go through in one copy. */
            size_t j = i;
            while (j < len && p[j] < 0x80 && (p[j] >= 0x20 || p[j] == '\n' ||
                                              p[j] == '\t') &&
                   p[j] != 0x7f)
                j++;
            if (j > i) {
                rc = bl_buf_append(out, s + i, j - i);
                i = j;
                continue;
            }
            if (c != '\r')
                rc = bl_buf_putc(out, ' ');
            i++;
            continue;
        }
        size_t sl = bl_utf8_seq_len(p + i, len - i);
        if (sl) {
            rc = bl_buf_append(out, s + i, sl);
            i += sl;
            continue;
        }
        unsigned cp = c < 0xa0 ? CP1252[c - 0x80] : c;
        rc = bl_buf_put_cp(out, cp ? cp : 0xfffd);
        i++;
    }
    return rc;
}

char *bl_clean_dup(const char *s, size_t len)
{
    bl_buf_t b = BL_BUF_INIT;
    char *out = NULL;
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (bl_utf8_clean(&b, s, len) != BL_OK ||
        bl_buf_steal(&b, &out) != BL_OK) {
        bl_buf_free(&b);
        return NULL;
    }
    return out;
}
