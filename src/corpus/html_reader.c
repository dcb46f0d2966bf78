/*
 * The HTML reader: an article page's title, author, date, site and section
 * from <meta> (Open Graph, article:*, schema.org itemprop) and <title>, and
 * its text from <article> (else <main>, else <body>) without scripts,
 * styles, navigation, headers, footers, asides and forms.
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

/* The value of attribute NAME in the tag [TAG, END), entities decoded,
 * into OUT (cleared).  Returns BL_OK, BL_END (no such attribute) or
 * BL_ENOMEM. */
static bl_status_t attr(const char *tag, const char *end, const char *name,
                        bl_buf_t *out)
{
    size_t nl = strlen(name);
    for (const char *p = tag; p + nl + 1 < end; p++) {
        if (strncasecmp(p, name, nl) != 0 || p[nl] != '=' ||
            !(isspace((unsigned char)p[-1])))
            continue;
        const char *v = p + nl + 1;
        char q = *v == '"' || *v == '\'' ? *v++ : 0;
        const char *e = v;
        while (e < end && (q ? *e != q : !isspace((unsigned char)*e) &&
                                             *e != '>' && *e != '/'))
            e++;
        return bl_sgml_entities(v, (size_t)(e - v), out);
    }
    return BL_END;
}

/* What a <meta> names, mapped to an article field. */
enum { M_NONE, M_TITLE, M_AUTHOR, M_DATE, M_UPDATED, M_SITE, M_URL,
       M_SECTION, M_KEYWORDS };

static int meta_kind(const char *name)
{
    static const struct {
        const char *name;
        int kind;
    } MAP[] = {
        {"og:title", M_TITLE}, {"twitter:title", M_TITLE},
        {"headline", M_TITLE}, {"author", M_AUTHOR},
        {"article:author", M_AUTHOR}, {"byl", M_AUTHOR},
        {"dc.creator", M_AUTHOR}, {"article:published_time", M_DATE},
        {"datepublished", M_DATE}, {"date", M_DATE}, {"pubdate", M_DATE},
        {"dc.date", M_DATE}, {"article:modified_time", M_UPDATED},
        {"datemodified", M_UPDATED}, {"og:site_name", M_SITE},
        {"og:url", M_URL}, {"article:section", M_SECTION},
        {"keywords", M_KEYWORDS}, {"news_keywords", M_KEYWORDS},
    };
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++) {
        if (strcasecmp(name, MAP[i].name) == 0)
            return MAP[i].kind;
    }
    return M_NONE;
}

/* Copy VALUE into *FIELD unless it is set already. */
static bl_status_t keep(char **field, const bl_buf_t *value)
{
    if (*field || !value->len)
        return BL_OK;
    *field = bl_clean_dup(value->data, value->len);
    if (*field && !**field) {
        free(*field);
        *field = NULL;
    }
    return *field || !value->len ? BL_OK : bl_fail(BL_ENOMEM, "out of memory");
}

/* The first NEEDLE (lower case) in [P, END), ignoring case, or NULL. */
static const char *find_ci(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++) {
        if (tolower((unsigned char)*p) == needle[0] &&
            strncasecmp(p, needle, n) == 0)
            return p;
    }
    return NULL;
}

/* Read every <meta> tag of the page into A. */
static bl_status_t read_meta(const char *html, size_t len, bl_article_t *a)
{
    bl_buf_t name = BL_BUF_INIT, content = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    char iso[11];
    for (const char *p = html; rc == BL_OK && p < html + len;) {
        const char *m = find_ci(p, html + len, "<meta");
        if (!m)
            break;
        const char *end = memchr(m, '>', (size_t)(html + len - m));
        if (!end)
            break;
        p = end + 1;
        bl_buf_clear(&name);
        bl_status_t r = attr(m, end, "property", &name);
        if (r == BL_END)
            r = attr(m, end, "name", &name);
        if (r == BL_END)
            r = attr(m, end, "itemprop", &name);
        if (r == BL_OK)
            r = attr(m, end, "content", &content);
        if (r == BL_ENOMEM) {
            rc = r;
            break;
        }
        if (r == BL_END || !name.data)
            continue;
        switch (meta_kind(name.data)) {
        case M_TITLE: rc = keep(&a->title, &content); break;
        case M_AUTHOR: rc = keep(&a->author, &content); break;
        case M_SITE: rc = keep(&a->source, &content); break;
        case M_URL: rc = keep(&a->url, &content); break;
        case M_DATE:
        case M_UPDATED: {
            char **f = meta_kind(name.data) == M_DATE ? &a->date : &a->updated;
            if (!*f && content.len < 64 &&
                bl_date_normalize(content.data, iso) && !(*f = strdup(iso)))
                rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        case M_SECTION:
            rc = bl_article_add_category(a, content.data, content.len);
            break;
        case M_KEYWORDS:
            for (size_t i = 0; i < content.len && rc == BL_OK;) {
                size_t j = i;
                while (j < content.len && content.data[j] != ',')
                    j++;
                rc = bl_article_add_category(a, content.data + i, j - i);
                i = j + 1;
            }
            break;
        }
    }
    bl_buf_free(&name);
    bl_buf_free(&content);
    return rc;
}

/* Blank out (with spaces) every element NAME in the buffer B. */
static void blank_elements(char *b, size_t len, const char *name)
{
    size_t s, e, after;
    for (size_t from = 0; bl_sgml_element(b, len, name, from, &s, &e,
                                          &after) == BL_OK;) {
        /* From its '<' to past its end tag. */
        size_t open = s;
        while (open > 0 && b[open] != '<')
            open--;
        memset(b + open, ' ', after - open);
        from = after;
    }
}

bl_status_t bl_parse_html(const char *data, size_t len, const char *id,
                          const char *path, bl_article_t *out)
{
    bl_buf_t tmp = BL_BUF_INIT;
    bl_status_t rc;
    char *copy = NULL;
    size_t s, e, after;
    memset(out, 0, sizeof *out);
    rc = read_meta(data, len, out);
    if (rc == BL_OK && !out->title &&
        bl_sgml_element(data, len, "title", 0, &s, &e, &after) == BL_OK) {
        rc = bl_sgml_text(data + s, e - s, &tmp);
        if (rc == BL_OK)
            rc = keep(&out->title, &tmp);
    }
    /* The text: <article>, else <main>, else <body>, else everything. */
    if (rc == BL_OK && !(copy = malloc(len + 1)))
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc == BL_OK) {
        memcpy(copy, data, len);
        copy[len] = '\0';
        static const char *const JUNK[] = {"script", "style", "noscript",
                                           "nav", "header", "footer",
                                           "aside", "form", "template",
                                           "svg", "iframe", "button"};
        for (size_t i = 0; i < sizeof JUNK / sizeof JUNK[0]; i++)
            blank_elements(copy, len, JUNK[i]);
        /* Comments too. */
        for (char *c = strstr(copy, "<!--"); c; c = strstr(c, "<!--")) {
            char *ce = strstr(c + 4, "-->");
            size_t n = ce ? (size_t)(ce + 3 - c) : strlen(c);
            memset(c, ' ', n);
        }
        size_t from = 0, to = len;
        if (bl_sgml_element(copy, len, "article", 0, &s, &e, &after) ==
                BL_OK ||
            bl_sgml_element(copy, len, "main", 0, &s, &e, &after) == BL_OK ||
            bl_sgml_element(copy, len, "body", 0, &s, &e, &after) == BL_OK) {
            from = s;
            to = e;
        }
        /* The headline inside the article is the title, not the body. */
        if (bl_sgml_element(copy + from, to - from, "h1", 0, &s, &e,
                            &after) == BL_OK) {
            size_t open = from + s;
            while (open > from && copy[open] != '<')
                open--;
            memset(copy + open, ' ', from + after - open);
        }
        rc = bl_sgml_text(copy + from, to - from, &tmp);
        if (rc == BL_OK)
            rc = bl_buf_steal(&tmp, &out->body);
    }
    if (rc == BL_OK && !(out->title && *out->title) &&
        !(out->body && *out->body))
        rc = bl_fail(BL_EFORMAT, "no text");
    if (rc == BL_OK && (!(out->id = strdup(id ? id : "")) ||
                        !(out->path = strdup(path ? path : ""))))
        rc = bl_fail(BL_ENOMEM, "out of memory");
    free(copy);
    bl_buf_free(&tmp);
    if (rc != BL_OK)
        bl_article_clear(out);
    return rc;
}
