/*
 * SGML readers: Reuters-21578 (<REUTERS NEWID=...>) and TREC (<DOC>
 * <DOCNO>), many records per file, read as a stream record by record.
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
#include "util/utf8.h"

#define MAX_RECORD (16u << 20) /* A record larger than this is skipped. */

/* Named entities beyond XML's five that news SGML and HTML use. */
static const struct {
    const char *name;
    unsigned cp;
} ENTITIES[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
    {"nbsp", 0xa0}, {"mdash", 0x2014}, {"ndash", 0x2013},
    {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"ldquo", 0x201c}, {"rdquo", 0x201d}, {"laquo", 0xab}, {"raquo", 0xbb},
    {"copy", 0xa9}, {"reg", 0xae}, {"deg", 0xb0}, {"pound", 0xa3},
    {"euro", 0x20ac}, {"cent", 0xa2}, {"yen", 0xa5}, {"sect", 0xa7},
    {"eacute", 0xe9}, {"egrave", 0xe8}, {"aacute", 0xe1}, {"agrave", 0xe0},
    {"iacute", 0xed}, {"oacute", 0xf3}, {"uacute", 0xfa}, {"ntilde", 0xf1},
    {"ccedil", 0xe7}, {"auml", 0xe4}, {"ouml", 0xf6}, {"uuml", 0xfc},
    {"Auml", 0xc4}, {"Ouml", 0xd6}, {"Uuml", 0xdc}, {"szlig", 0xdf},
    {"Eacute", 0xc9}, {"acirc", 0xe2}, {"ecirc", 0xea}, {"ocirc", 0xf4},
    {"times", 0xd7}, {"frac12", 0xbd}, {"middot", 0xb7}, {"bull", 0x2022},
};


/* Decode the entity at S (LEN bytes left, S[0] == '&') into OUT; returns
 * the bytes it took, or 0 when it is not one (the '&' is then kept). */
static size_t entity(const char *s, size_t len, bl_buf_t *tmp,
                     bl_status_t *rc)
{
    size_t end = 1;
    while (end < len && end < 12 && s[end] != ';' &&
           (isalnum((unsigned char)s[end]) || s[end] == '#'))
        end++;
    if (end >= len || s[end] != ';' || end == 1)
        return 0;
    unsigned cp = 0;
    if (s[1] == '#') {
        char *stop = NULL;
        unsigned long v = s[2] == 'x' || s[2] == 'X'
                              ? strtoul(s + 3, &stop, 16)
                              : strtoul(s + 2, &stop, 10);
        if (stop != s + end || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
            return 0;
        /* Control characters (Reuters' &#2; &#3;) become spaces. */
        cp = v < 0x20 || (v >= 0x7f && v < 0xa0) ? ' ' : (unsigned)v;
    } else {
        for (size_t i = 0; i < sizeof ENTITIES / sizeof ENTITIES[0]; i++) {
            if (strlen(ENTITIES[i].name) == end - 1 &&
                strncmp(ENTITIES[i].name, s + 1, end - 1) == 0)
                cp = ENTITIES[i].cp;
        }
        if (cp == 0)
            return 0; /* Unknown: kept readable as written. */
    }
    *rc = bl_buf_put_cp(tmp, cp);
    return end + 1;
}

bl_status_t bl_sgml_entities(const char *s, size_t len, bl_buf_t *out)
{
    bl_status_t rc = BL_OK;
    bl_buf_clear(out);
    for (size_t i = 0; i < len && rc == BL_OK;) {
        if (s[i] == '&') {
            size_t took = entity(s + i, len - i, out, &rc);
            if (took) {
                i += took;
                continue;
            }
        }
        rc = bl_buf_putc(out, s[i]);
        i++;
    }
    if (rc == BL_OK)
        rc = bl_buf_reserve(out, 0);
    return rc;
}

bl_status_t bl_sgml_text(const char *s, size_t len, bl_buf_t *out)
{
    bl_buf_t tmp = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    for (size_t i = 0; i < len && rc == BL_OK;) {
        if (s[i] == '<') {
            const char *gt = memchr(s + i, '>', len - i);
            if (gt) {
                /* Paragraph-like tags break paragraphs; others a space. */
                const char *t = s + i + 1;
                if (*t == '/')
                    t++;
                static const char *const BLOCKS[] = {
                    "p>", "p ", "br", "div", "h1", "h2", "h3", "h4", "h5",
                    "h6", "li>", "li ", "tr", "blockquote", "section",
                    "figcaption", "pre"};
                int para = 0;
                for (size_t b = 0; b < sizeof BLOCKS / sizeof BLOCKS[0]; b++)
                    para |= strncasecmp(t, BLOCKS[b], strlen(BLOCKS[b])) == 0;
                rc = bl_buf_puts(&tmp, para ? "\n\n" : " ");
                i = (size_t)(gt - s) + 1;
                continue;
            }
        }
        if (s[i] == '&') {
            size_t took = entity(s + i, len - i, &tmp, &rc);
            if (took) {
                i += took;
                continue;
            }
        }
        rc = bl_buf_putc(&tmp, s[i]);
        i++;
    }
    /* Tidy: paragraphs separated by one blank line, runs of spaces and
     * lines inside a paragraph joined by single spaces. */
    size_t n = 0;
    char *t = tmp.data;
    for (size_t i = 0; rc == BL_OK && i < tmp.len; i++) {
        if (t[i] == '\n' || t[i] == ' ' || t[i] == '\t' || t[i] == '\r') {
            size_t j = i, nl = 0;
            while (j < tmp.len && strchr("\n \t\r", t[j])) {
                nl += t[j] == '\n';
                j++;
            }
            if (n > 0 && j < tmp.len) {
                /* Reuters indents paragraphs: a newline followed by
                 * spaces starts one. */
                int indent = nl > 0 && j > i + 1 && t[j - 1] == ' ';
                const char *sep = nl > 1 || indent ? "\n\n" : " ";
                memcpy(t + n, sep, strlen(sep));
                n += strlen(sep);
            }
            i = j - 1;
            continue;
        }
        t[n++] = t[i];
    }
    bl_buf_clear(out);
    if (rc == BL_OK)
        rc = bl_utf8_clean(out, t ? t : "", n);
    if (rc == BL_OK)
        rc = bl_buf_reserve(out, 0);
    bl_buf_free(&tmp);
    return rc;
}

bl_status_t bl_sgml_element(const char *rec, size_t len, const char *name,
                            size_t from, size_t *start, size_t *end,
                            size_t *after)
{
    size_t nl = strlen(name);
    for (size_t i = from; i + nl + 2 <= len; i++) {
        if (rec[i] != '<' || strncasecmp(rec + i + 1, name, nl) != 0 ||
            (rec[i + 1 + nl] != '>' && !isspace((unsigned char)rec[i + 1 + nl])))
            continue;
        const char *gt = memchr(rec + i, '>', len - i);
        if (!gt)
            return BL_END;
        size_t cs = (size_t)(gt - rec) + 1;
        for (size_t k = cs; k + nl + 3 <= len; k++) {
            if (rec[k] == '<' && rec[k + 1] == '/' &&
                strncasecmp(rec + k + 2, name, nl) == 0 &&
                rec[k + 2 + nl] == '>') {
                *start = cs;
                *end = k;
                *after = k + nl + 3;
                return BL_OK;
            }
        }
        /* No closing tag (SGML allows leaving some out): to the end. */
        *start = cs;
        *end = len;
        *after = len;
        return BL_OK;
    }
    return BL_END;
}

/* The decoded, trimmed text of the first element NAME in REC into *FIELD
 * (left NULL when absent or empty). */
static bl_status_t field(const char *rec, size_t len, const char *name,
                         bl_buf_t *tmp, char **out)
{
    size_t s, e, after;
    if (*out || bl_sgml_element(rec, len, name, 0, &s, &e, &after) != BL_OK)
        return BL_OK;
    bl_status_t rc = bl_sgml_text(rec + s, e - s, tmp);
    if (rc != BL_OK)
        return rc;
    char *v = bl_clean_dup(tmp->data, tmp->len);
    if (!v)
        return bl_fail(BL_ENOMEM, "out of memory");
    if (!*v) {
        free(v);
        return BL_OK;
    }
    *out = v;
    return BL_OK;
}

/* Every <D>...</D> inside element NAME becomes a category. */
static bl_status_t categories(const char *rec, size_t len, const char *name,
                              bl_buf_t *tmp, bl_article_t *a)
{
    size_t s, e, after, ds, de, dafter;
    if (bl_sgml_element(rec, len, name, 0, &s, &e, &after) != BL_OK)
        return BL_OK;
    for (size_t from = s; bl_sgml_element(rec, e, "D", from, &ds, &de,
                                          &dafter) == BL_OK;
         from = dafter) {
        bl_status_t rc = bl_sgml_text(rec + ds, de - ds, tmp);
        if (rc == BL_OK)
            rc = bl_article_add_category(a, tmp->data, tmp->len);
        if (rc != BL_OK)
            return rc;
    }
    return BL_OK;
}

/* The value of attribute NAME in the start tag at REC, into OUT. */
static int attribute(const char *rec, size_t len, const char *name,
                     char *out, size_t outlen)
{
    const char *gt = memchr(rec, '>', len);
    size_t tag = gt ? (size_t)(gt - rec) : len, nl = strlen(name);
    for (size_t i = 0; i + nl + 2 < tag; i++) {
        if (strncasecmp(rec + i, name, nl) == 0 && rec[i + nl] == '=' &&
            (i == 0 || isspace((unsigned char)rec[i - 1]))) {
            const char *v = rec + i + nl + 1;
            char q = *v == '"' || *v == '\'' ? *v++ : 0;
            size_t k = 0;
            while (v < rec + tag && k + 1 < outlen &&
                   (q ? *v != q : !isspace((unsigned char)*v)))
                out[k++] = *v++;
            out[k] = '\0';
            return k > 0;
        }
    }
    return 0;
}

/* Build an article from one Reuters or TREC record. */
static bl_status_t parse_record(bl_format_t kind, const char *rec, size_t len,
                                bl_buf_t *tmp, bl_article_t *a)
{
    bl_status_t rc = BL_OK;
    char id[256];
    if (kind == BL_FORMAT_REUTERS) {
        if (attribute(rec, len, "NEWID", id, sizeof id) &&
            !(a->id = bl_clean_dup(id, strlen(id))))
            return bl_fail(BL_ENOMEM, "out of memory");
        if (a->id && !*a->id) {
            free(a->id);
            a->id = NULL;
        }
        rc = field(rec, len, "TITLE", tmp, &a->title);
        if (rc == BL_OK)
            rc = field(rec, len, "AUTHOR", tmp, &a->author);
        if (rc == BL_OK)
            rc = field(rec, len, "BODY", tmp, &a->body);
        if (rc == BL_OK && !a->body) {
            /* UNPROC records: the text without a BODY element. */
            size_t s, e, after, ts, te, tafter;
            if (bl_sgml_element(rec, len, "TEXT", 0, &s, &e, &after) ==
                    BL_OK &&
                bl_sgml_element(rec + s, e - s, "TITLE", 0, &ts, &te,
                                &tafter) != BL_OK)
                rc = field(rec, len, "TEXT", tmp, &a->body);
        }
        if (rc == BL_OK)
            rc = categories(rec, len, "TOPICS", tmp, a);
        if (rc == BL_OK)
            rc = categories(rec, len, "PLACES", tmp, a);
    } else {
        rc = field(rec, len, "DOCNO", tmp, &a->id);
        if (rc == BL_OK)
            rc = field(rec, len, "HEADLINE", tmp, &a->title);
        if (rc == BL_OK)
            rc = field(rec, len, "HL", tmp, &a->title);
        if (rc == BL_OK)
            rc = field(rec, len, "HEAD", tmp, &a->title);
        if (rc == BL_OK)
            rc = field(rec, len, "TITLE", tmp, &a->title);
        if (rc == BL_OK)
            rc = field(rec, len, "BYLINE", tmp, &a->author);
        if (rc == BL_OK)
            rc = field(rec, len, "AUTHOR", tmp, &a->author);
        if (rc == BL_OK)
            rc = field(rec, len, "SOURCE", tmp, &a->source);
        if (rc == BL_OK)
            rc = field(rec, len, "TEXT", tmp, &a->body);
    }
    /* Dates: Reuters' and TREC's <DATE> (TREC also DATE_TIME). */
    char *date = NULL;
    if (rc == BL_OK)
        rc = field(rec, len, "DATE", tmp, &date);
    if (rc == BL_OK && !date)
        rc = field(rec, len, "DATE_TIME", tmp, &date);
    char iso[11];
    if (rc == BL_OK && date && bl_date_normalize(date, iso) &&
        !(a->date = strdup(iso)))
        rc = bl_fail(BL_ENOMEM, "out of memory");
    free(date);
    /* "By Jane Doe, Reuters" -> "Jane Doe, Reuters". */
    if (rc == BL_OK && a->author && strncasecmp(a->author, "by ", 3) == 0)
        memmove(a->author, a->author + 3, strlen(a->author + 3) + 1);
    /* Reuters bodies end with the signature "Reuter" (and &#3;). */
    if (rc == BL_OK && a->body) {
        size_t n = strlen(a->body);
        while (n > 0 && isspace((unsigned char)a->body[n - 1]))
            n--;
        if (n >= 6 && strncmp(a->body + n - 6, "Reuter", 6) == 0 &&
            (n == 6 || isspace((unsigned char)a->body[n - 7])))
            n -= 6;
        while (n > 0 && isspace((unsigned char)a->body[n - 1]))
            n--;
        a->body[n] = '\0';
    }
    return rc;
}

bl_status_t bl_read_sgml(bl_source_t *src, bl_format_t kind,
                         const char *path, const char *rel, bl_article_fn fn,
                         bl_problem_fn problem, void *ctx)
{
    const char *open_tag = kind == BL_FORMAT_REUTERS ? "<REUTERS" : "<DOC>";
    const char *close_tag = kind == BL_FORMAT_REUTERS ? "</REUTERS>"
                                                       : "</DOC>";
    bl_buf_t rec = BL_BUF_INIT, tmp = BL_BUF_INIT;
    const char *line;
    size_t len;
    int in = 0, too_big = 0, stopped = 0;
    unsigned long start = 0;
    bl_status_t rc;
    char msg[256];
    while ((rc = bl_source_getline(src, &line, &len, NULL)) == BL_OK) {
        if (!in) {
            const char *o = len >= strlen(open_tag)
                                ? strstr(line, open_tag) : NULL;
            if (!o)
                continue;
            in = 1;
            too_big = 0;
            start = bl_source_lineno(src);
            bl_buf_clear(&rec);
            len -= (size_t)(o - line);
            line = o;
        } else if (strstr(line, open_tag)) {
            /* A new record before the end of the last: report, restart. */
            snprintf(msg, sizeof msg, "record without %s: skipped",
                     close_tag);
            problem(path, start, msg, ctx);
            start = bl_source_lineno(src);
            bl_buf_clear(&rec);
            const char *o = strstr(line, open_tag);
            len -= (size_t)(o - line);
            line = o;
        }
        if (!too_big) {
            if (rec.len + len + 1 > MAX_RECORD) {
                too_big = 1;
            } else {
                rc = bl_buf_append(&rec, line, len);
                if (rc == BL_OK)
                    rc = bl_buf_putc(&rec, '\n');
                if (rc != BL_OK)
                    break;
            }
        }
        if (!strstr(line, close_tag))
            continue;
        in = 0;
        if (too_big) {
            problem(path, start, "record larger than 16 MiB: skipped", ctx);
            continue;
        }
        bl_article_t a;
        memset(&a, 0, sizeof a);
        rc = parse_record(kind, rec.data, rec.len, &tmp, &a);
        if (rc == BL_OK)
            rc = bl_deliver(&a, path, rel, start, "record", fn, problem, ctx);
        bl_article_clear(&a);
        if (rc == BL_END)
            stopped = 1;
        if (rc != BL_OK)
            break;
    }
    if (stopped)
        rc = BL_END;
    else if (rc == BL_END && in) {
        snprintf(msg, sizeof msg, "record without %s at the end of the "
                                  "file: skipped", close_tag);
        problem(path, start, msg, ctx);
    }
    bl_buf_free(&rec);
    bl_buf_free(&tmp);
    if (rc == BL_END && !stopped)
        rc = BL_OK; /* The end of the file. */
    return rc;
}
