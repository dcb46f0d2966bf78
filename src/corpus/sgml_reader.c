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
#include "util/fail.h"

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

/* The decoded, trimmed text of the LEN bytes at S into *OUT (left NULL
 * when it is empty). */
static bl_status_t text_of(const char *s, size_t len, bl_buf_t *tmp,
                           char **out)
{
    bl_status_t rc = bl_sgml_text(s, len, tmp);
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

/* The decoded, trimmed text of the first element NAME in REC into *FIELD
 * (left NULL when absent or empty). */
static bl_status_t field(const char *rec, size_t len, const char *name,
                         bl_buf_t *tmp, char **out)
{
    size_t s, e, after;
    if (*out || bl_sgml_element(rec, len, name, 0, &s, &e, &after) != BL_OK)
        return BL_OK;
    return text_of(rec + s, e - s, tmp, out);
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

/* Every element named in NAMES (a NULL-terminated list) in REC, in the
 * order they come, decoded and joined as paragraphs into *OUT (left NULL
 * when they hold no text). */
static bl_status_t joined(const char *rec, size_t len,
                          const char *const *names, bl_buf_t *tmp,
                          char **out)
{
    bl_buf_t all = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    size_t from = 0;
    for (;;) {
        /* The next element of any of the names. */
        size_t best = len, bs = 0, be = 0, bafter = 0;
        for (size_t k = 0; names[k]; k++) {
            size_t s, e, after;
            if (bl_sgml_element(rec, len, names[k], from, &s, &e, &after) ==
                    BL_OK && s < best) {
                best = s;
                bs = s;
                be = e;
                bafter = after;
            }
        }
        if (best == len)
            break;
        rc = bl_sgml_text(rec + bs, be - bs, tmp);
        if (rc == BL_OK && tmp->len > 0) {
            if (all.len > 0)
                rc = bl_buf_puts(&all, "\n\n");
            if (rc == BL_OK)
                rc = bl_buf_append(&all, tmp->data, tmp->len);
        }
        if (rc != BL_OK)
            break;
        from = bafter;
    }
    if (rc == BL_OK && all.len > 0) {
        *out = bl_clean_dup(all.data, all.len);
        if (!*out)
            rc = bl_fail(BL_ENOMEM, "out of memory");
        else if (!**out) {
            free(*out);
            *out = NULL;
        }
    }
    bl_buf_free(&all);
    return rc;
}

/* AQUAINT's byline is a loose line inside <BODY>, between the headline
 * and the text: "By JANE DOE" (then "c.2000 N.Y. Times News Service").
 * The first such line goes to *OUT unless it is set already. */
static bl_status_t loose_byline(const char *rec, size_t len, bl_buf_t *tmp,
                                char **out)
{
    size_t s, e, after, hs, he, hafter, ts, te, tafter;
    if (*out || bl_sgml_element(rec, len, "BODY", 0, &s, &e, &after) != BL_OK)
        return BL_OK;
    size_t from = s, to = e;
    if (bl_sgml_element(rec, e, "HEADLINE", s, &hs, &he, &hafter) == BL_OK)
        from = hafter;
    if (bl_sgml_element(rec, e, "TEXT", from, &ts, &te, &tafter) == BL_OK)
        to = ts;
    for (size_t i = from; i < to;) {
        const char *nl = memchr(rec + i, '\n', to - i);
        size_t end = nl ? (size_t)(nl - rec) : to, b = i;
        while (b < end && isspace((unsigned char)rec[b]))
            b++;
        if (end - b > 3 && strncasecmp(rec + b, "by ", 3) == 0 &&
            !memchr(rec + b, '<', end - b))
            return text_of(rec + b, end - b, tmp, out);
        i = end + 1;
    }
    return BL_OK;
}

/* Split a TREC <SUBJECT> ("<P>MONEY; CREDIT CARDS</P>") into categories. */
static bl_status_t subjects(const char *rec, size_t len, bl_buf_t *tmp,
                            bl_article_t *a)
{
    size_t s, e, after;
    for (size_t from = 0; bl_sgml_element(rec, len, "SUBJECT", from, &s, &e,
                                          &after) == BL_OK;
         from = after) {
        bl_status_t rc = bl_sgml_text(rec + s, e - s, tmp);
        const char *p = tmp->data ? tmp->data : "";
        while (rc == BL_OK && *p) {
            size_t n = strcspn(p, ";\n");
            size_t b = 0;
            while (b < n && p[b] == ' ')
                b++;
            size_t t = n;
            while (t > b && p[t - 1] == ' ')
                t--;
            if (t > b)
                rc = bl_article_add_category(a, p + b, t - b);
            p += n;
            while (*p == ';' || *p == '\n')
                p++;
        }
        if (rc != BL_OK)
            return rc;
    }
    return BL_OK;
}

/* Non-zero if an AP <HEAD> is a desk note rather than a headline:
 * "$adv05", "Eds: Also in Monday AMs report", "With LaserPhoto", "For
 * release Sunday, Jan. 15", "An AP Extra", or one in capitals only
 * ("URGENT", "AGENCIES AND RADIO OUT", "BC-SPECIAL EDITION"). */
static int desk_note(const char *h)
{
    static const char *const NOTES[] = {"$", "eds:", "eds ", "with ",
                                        "for release", "laserphoto",
                                        "an ap extra", "from ap "};
    for (size_t i = 0; i < sizeof NOTES / sizeof *NOTES; i++) {
        if (strncasecmp(h, NOTES[i], strlen(NOTES[i])) == 0)
            return 1;
    }
    for (const char *c = h; *c; c++) {
        if (*c >= 'a' && *c <= 'z')
            return 0;
    }
    return 1;
}

/* The first <HEAD> of an AP document that is a headline (else the first
 * one) into *OUT, unless it is set already. */
static bl_status_t ap_head(const char *rec, size_t len, bl_buf_t *tmp,
                           char **out)
{
    size_t s, e, after;
    char *first = NULL;
    bl_status_t rc = BL_OK;
    for (size_t from = 0; !*out && rc == BL_OK &&
                          bl_sgml_element(rec, len, "HEAD", from, &s, &e,
                                          &after) == BL_OK;
         from = after) {
        char *h = NULL;
        rc = text_of(rec + s, e - s, tmp, &h);
        if (!h)
            continue;
        if (!desk_note(h))
            *out = h;
        else if (!first)
            first = h;
        else
            free(h);
    }
    if (!*out) {
        *out = first;
        first = NULL;
    }
    free(first);
    return rc;
}

/* The fields of a TREC document.  The collections' documentation and
 * what IR toolkits index decide which element is which:
 *   title    the first of <HEADLINE> (LA Times, AQUAINT, FT), <HL> (WSJ),
 *            <HEAD> (AP: the first that is not a desk note such as
 *            "$adv05" or "Eds: ..."), <TITLE>, <TTL> (Federal Register,
 *            Ziff)
 *   author   <BYLINE>, <AUTHOR>, or AQUAINT's loose "By ..." line
 *   caption  every <GRAPHIC> (LA Times photo captions)
 *   body     every <LP>, <LEADPARA>, <TEXT> and <CORRECTION>, in document
 *            order, as paragraphs (AP repeats <TEXT>: a dateline, a note
 *            and the story; the first may be empty)
 *   categories  <SUBJECT> headings, split at ';' (and the body when
 *            the document has no other text)
 * Left out: <NOTE> (AP's desk notes), <FILEID>, <FIRST>, <SECOND>,
 * <DATELINE>, <SLUG>, <TRAILER>, <DOCTYPE> (wire routing, not text). */
static bl_status_t parse_trec(const char *rec, size_t len, bl_buf_t *tmp,
                              bl_article_t *a)
{
    static const char *const BODY[] = {"LP", "LEADPARA", "TEXT",
                                       "CORRECTION", NULL};
    static const char *const CAPTION[] = {"GRAPHIC", NULL};
    bl_status_t rc = field(rec, len, "DOCNO", tmp, &a->id);
    if (rc == BL_OK)
        rc = field(rec, len, "HEADLINE", tmp, &a->title);
    if (rc == BL_OK)
        rc = field(rec, len, "HL", tmp, &a->title);
    if (rc == BL_OK)
        rc = ap_head(rec, len, tmp, &a->title);
    if (rc == BL_OK)
        rc = field(rec, len, "TITLE", tmp, &a->title);
    if (rc == BL_OK)
        rc = field(rec, len, "TTL", tmp, &a->title);
    if (rc == BL_OK)
        rc = field(rec, len, "BYLINE", tmp, &a->author);
    if (rc == BL_OK)
        rc = field(rec, len, "AUTHOR", tmp, &a->author);
    if (rc == BL_OK)
        rc = loose_byline(rec, len, tmp, &a->author);
    if (rc == BL_OK)
        rc = field(rec, len, "SOURCE", tmp, &a->source);
    if (rc == BL_OK)
        rc = joined(rec, len, CAPTION, tmp, &a->caption);
    if (rc == BL_OK)
        rc = joined(rec, len, BODY, tmp, &a->body);
    if (rc == BL_OK)
        rc = subjects(rec, len, tmp, a);
    /* A document whose only words are its subject headings is found by
     * them. */
    static const char *const SUBJECT[] = {"SUBJECT", NULL};
    if (rc == BL_OK && !a->title && !a->body && !a->caption)
        rc = joined(rec, len, SUBJECT, tmp, &a->body);
    return rc;
}

/* The date of a TREC document whose <DATE> is not one by itself: the LA
 * Times' "March 1, 1989, Wednesday, Home Edition" (up to the second
 * comma), or else the one its DOCNO holds: AP and WSJ
 * YYMMDD ("AP890301-0001"), LA Times MMDDYY ("LA030189-0001").  Returns
 * non-zero with the date in ISO. */
static int trec_date(const char *date, const char *id, char iso[11])
{
    if (date) {
        const char *c = strchr(date, ',');
        c = c ? strchr(c + 1, ',') : NULL;
        char head[64];
        if (c && (size_t)(c - date) < sizeof head) {
            memcpy(head, date, (size_t)(c - date));
            head[c - date] = '\0';
            if (bl_date_normalize(head, iso))
                return 1;
        }
    }
    if (!id)
        return 0;
    size_t p = strncmp(id, "AP", 2) == 0 || strncmp(id, "LA", 2) == 0 ? 2
               : strncmp(id, "WSJ", 3) == 0                          ? 3
                                                                      : 0;
    if (p == 0 || strlen(id) < p + 7 || id[p + 6] != '-')
        return 0;
    for (size_t i = p; i < p + 6; i++) {
        if (!isdigit((unsigned char)id[i]))
            return 0;
    }
    int a = (id[p] - '0') * 10 + id[p + 1] - '0';
    int b = (id[p + 2] - '0') * 10 + id[p + 3] - '0';
    int c = (id[p + 4] - '0') * 10 + id[p + 5] - '0';
    int y = id[0] == 'L' ? c : a, m = id[0] == 'L' ? a : b,
        d = id[0] == 'L' ? b : c;
    char text[40];
    snprintf(text, sizeof text, "%04d-%02d-%02d", y < 50 ? 2000 + y : 1900 + y,
             m, d);
    return bl_date_normalize(text, iso);
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
        rc = parse_trec(rec, len, tmp, a);
    }
    /* Dates: Reuters' and TREC's <DATE> (TREC also DATE_TIME). */
    char *date = NULL;
    if (rc == BL_OK)
        rc = field(rec, len, "DATE", tmp, &date);
    if (rc == BL_OK && !date)
        rc = field(rec, len, "DATE_TIME", tmp, &date);
    char iso[11];
    int dated = date && bl_date_normalize(date, iso);
    if (!dated && kind == BL_FORMAT_TREC)
        dated = trec_date(date, a->id, iso);
    if (rc == BL_OK && dated && !(a->date = strdup(iso)))
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
