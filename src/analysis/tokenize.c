/*
 * The tokenizer: Unicode tokens with byte offsets, news-aware joining,
 * each token folded (chars.c) and stemmed (stems.c) as the analyzer says.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * How text becomes tokens
 * -----------------------
 * Word characters are letters, digits and combining marks (Unicode
 * categories L, N and M).  Han, kana and other scripts written without
 * spaces give one token per character.  A *segment* is a run of word
 * characters joined by single joiners (apostrophe, '.', ',', '-', '/') with
 * word characters on both sides.  Within a segment:
 *
 *   Trump's     possessive "'s" dropped          -> trump
 *   don't       apostrophes kept (as ')          -> don't
 *   U.S.        single letters and dots          -> us
 *   3.5  1,000  decimals kept, thousands joined  -> 3.5, 1000
 *   9/11        digits around '/' kept           -> 9/11
 *   right-wing  hyphenated parts, each a token, plus the joined word at the
 *               first part's position            -> right, wing (+ rightwing)
 *   COVID-19    the same rule                    -> covid, 19 (+ covid19)
 *   and/or, a.b other joins split                -> and, or
 *
 * Extra forms at the same position as the token before them (flagged
 * BL_TOKEN_VARIANT): "@handle" and "#hashtag" for a word after '@' or '#',
 * "$5" (also £ and €) and "3.5%" for numbers.  A URL (http://, https://,
 * www.) or e-mail address is one token, lower-cased and unstemmed, followed
 * by its words as ordinary tokens.
 *
 * Only tokens without digits are stemmed.  Invalid UTF-8 bytes and control
 * characters separate tokens.  Offsets always fall on character
 * boundaries.
 */
#include "analysis/analyzer_internal.h"
#include "util/fail.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_PARTS 32

typedef struct part {
    size_t start, end; /* Bytes of the text. */
    int digits;        /* All ASCII digits. */
    int has_digit;
    int single;        /* Exactly one letter. */
} part_t;

/* State of one bl_analyze() call. */
typedef struct run {
    bl_analyzer_t *a;
    const unsigned char *s;
    size_t len;
    uint32_t pos;
    bl_token_fn fn;
    void *ctx;
    bl_status_t rc; /* BL_END when the callback stopped, BL_ENOMEM. */
    int base_dropped; /* The last word was a stopword, left out. */
    const bl_stem_filter_t *want; /* Stem only words that may match. */
    size_t emitted;   /* Words (not variants) given so far. */
} run_t;

/* The class of the character at byte I (and its length in *CL). */
static inline int class_at(const run_t *r, size_t i, size_t *cl)
{
    return char_class(r->s + i, r->len - i, cl);
}

/* ---- emitting tokens ----------------------------------------------------- */

/* Give the callback the token TEXT (N bytes, NUL-terminated) covering
 * [START, END), stemmed if STEM.  A variant keeps the previous position.
 * Returns non-zero when the run must stop. */
static int emit(run_t *r, const char *text, size_t n, size_t start,
                size_t end, int stem, int variant)
{
    bl_token_t t;
    if (n == 0 || n > BL_MAX_TOKEN)
        return 0;
    if (!variant && r->a->drop_stopwords && is_stopword(r->a, text)) {
        r->pos++; /* Left out, but phrases keep their distances. */
        r->base_dropped = 1;
        return 0;
    }
    if (!variant) {
        r->base_dropped = 0;
        r->emitted++;
    }
    t.word = text;
    t.word_len = n;
    t.stem = text;
    t.stem_len = n;
    t.start = start;
    t.end = end;
    t.flags = variant ? BL_TOKEN_VARIANT : 0;
    if (stem && r->want && r->a->keeps_first) {
        unsigned char b = (unsigned char)text[0];
        if (!(r->want->first[b >> 3] & (1u << (b & 7)))) {
            stem = 0; /* No stem it could have is wanted. */
            t.flags |= BL_TOKEN_UNSTEMMED;
        }
    }
    if (stem) {
        t.stem = bl_analyzer_stem(r->a, text, n, &t.stem_len);
        if (!t.stem) {
            r->rc = BL_ENOMEM;
            return 1;
        }
    }
    t.pos = variant ? r->pos - 1 : r->pos++;
    if (r->fn(&t, r->ctx) != 0) {
        r->rc = BL_END;
        return 1;
    }
    return 0;
}

/* Emit TEXT with a PREFIX (or SUFFIX) as a variant of the word just given;
 * when that word was a stopword left out ("#the"), the affixed form takes
 * its place as a word of its own. */
static int emit_affixed(run_t *r, const char *prefix, const char *text,
                        size_t n, const char *suffix, size_t start,
                        size_t end)
{
    char *x = r->a->extra;
    int k = snprintf(x, WORD_BUF, "%s%.*s%s", prefix, (int)n, text, suffix);
    if (k <= 0 || k >= WORD_BUF)
        return 0;
    if (r->base_dropped) {
        r->pos--;
        return emit(r, x, (size_t)k, start, end, 0, 0);
    }
    return emit(r, x, (size_t)k, start, end, 0, 1);
}

/* A group: parts [FIRST, LAST] of a segment merged into one token. */
typedef struct group {
    size_t first, last;
    int has_digit;
    int possessive; /* Followed by a dropped "'s". */
} group_t;

/* Fold group G of PARTS (with the joiners JOINS between them) into OUT. */
static int fold_group(const run_t *r, const part_t *parts, const int *joins,
                      const group_t *g, char *out, size_t *n)
{
    *n = 0;
    for (size_t k = g->first; k <= g->last; k++) {
        if (k > g->first) {
            int j = joins[k];
            char sep = j == C_APOS ? '\'' : j == C_DOT && parts[k].digits
                                                ? '.'
                                            : j == C_SLASH ? '/' : 0;
            if (sep) {
                if (*n + 1 >= WORD_BUF)
                    return 0;
                out[(*n)++] = sep;
            }
        }
        if (!fold_append(r->a, r->s, parts[k].start, parts[k].end, out, n))
            return 0;
    }
    out[*n] = '\0';
    return 1;
}

/* Non-zero if the joiner J between parts A and B keeps them one token. */
static int joins_group(const run_t *r, const part_t *parts, size_t first,
                       size_t k, int j)
{
    const part_t *a = &parts[k - 1], *b = &parts[k];
    switch (j) {
    case C_APOS:
        return 1;
    case C_DOT:
        if (a->digits && b->digits)
            return 1;
        /* An acronym: single letters separated by dots. */
        for (size_t i = first; i < k; i++) {
            if (!parts[i].single)
                return 0;
        }
        return b->single;
    case C_COMMA:
        return a->digits && b->digits && b->end - b->start == 3 &&
               (k - 1 > first || a->end - a->start <= 3);
    case C_SLASH:
        return a->digits && b->digits;
    }
    (void)r;
    return 0;
}

/* Merge the NP PARTS of a segment (with the joiners JOINS between them)
 * into GROUPS, the tokens they make; returns how many. */
static size_t group_parts(const run_t *r, const part_t *parts,
                          const int *joins, size_t np, group_t *groups)
{
    size_t ng = 0;
    for (size_t k = 0; k < np; k++) {
        if (k > 0 && !groups[ng - 1].possessive &&
            joins_group(r, parts, groups[ng - 1].first, k, joins[k])) {
            /* A possessive "'s" ends its group and is dropped. */
            if (joins[k] == C_APOS && parts[k].end - parts[k].start == 1 &&
                (r->s[parts[k].start] | 0x20) == 's' &&
                (k + 1 == np || joins[k + 1] != C_APOS)) {
                groups[ng - 1].possessive = 1;
                continue;
            }
            groups[ng - 1].last = k;
            groups[ng - 1].has_digit |= parts[k].has_digit;
            continue;
        }
        if (k > 0 && groups[ng - 1].possessive && joins[k] == C_APOS)
            continue; /* Nothing follows a dropped possessive. */
        groups[ng].first = groups[ng].last = k;
        groups[ng].has_digit = parts[k].has_digit;
        groups[ng].possessive = 0;
        ng++;
    }
    return ng;
}

/* The variant of the segment's first token W (N bytes, [START, END))
 * that the character before it makes: "@handle", "#tag", and for a
 * number "$5", "£3.5", "€20".  Returns non-zero when the run must stop. */
static int emit_prefixed(run_t *r, const char *w, size_t n, size_t start,
                         size_t end, int has_digit)
{
    const unsigned char *s = r->s;
    unsigned char pre = s[start - 1];
    int word_before = 0;
    if (start > 1) {
        size_t cl;
        size_t b = start - 2;
        while (b > 0 && (s[b] & 0xc0) == 0x80)
            b--;
        word_before = class_at(r, b, &cl) == C_WORD;
    }
    if ((pre == '@' || pre == '#') && !word_before) {
        char p[2] = {(char)pre, 0};
        return emit_affixed(r, p, w, n, "", start - 1, end);
    }
    if (!has_digit)
        return 0;
    if (pre == '$')
        return emit_affixed(r, "$", w, n, "", start - 1, end);
    if (start >= 2 && s[start - 2] == 0xc2 && pre == 0xa3)
        return emit_affixed(r, "\xc2\xa3", w, n, "", start - 2, end);
    if (start >= 3 && s[start - 3] == 0xe2 && s[start - 2] == 0x82 &&
        pre == 0xac)
        return emit_affixed(r, "\xe2\x82\xac", w, n, "", start - 3, end);
    return 0;
}

/* The joined form of a compound of groups G..H ("e-mail": "email"), JN
 * bytes in r->a->joined, a variant at the first part's position.
 * Returns non-zero when the run must stop. */
static int emit_joined(run_t *r, const part_t *parts, const group_t *groups,
                       size_t g, size_t h, size_t jn, int has_digit)
{
    uint32_t saved = r->pos;
    size_t nparts = h - g + 1;
    r->pos = saved - (uint32_t)nparts + 1;
    r->a->joined[jn] = '\0';
    int stop = emit(r, r->a->joined, jn, parts[groups[g].first].start,
                    parts[groups[h].last].end, !has_digit, 1);
    r->pos = saved;
    return stop;
}

/* Emit the compound of groups G..H (joined by hyphens) of the NG GROUPS of
 * a segment: each group a token with its variants ("#tag", "$5", "3.5%"),
 * then their joined form.  Returns non-zero when the run must stop. */
static int emit_compound(run_t *r, const part_t *parts, const int *joins,
                         const group_t *groups, size_t ng, size_t g, size_t h)
{
    char *w = r->a->word;
    size_t n, jn = 0, emitted = r->emitted;
    int joined_ok = h > g, joined_digit = 0;
    for (size_t k = g; k <= h; k++) {
        const group_t *gr = &groups[k];
        size_t start = parts[gr->first].start, end = parts[gr->last].end;
        if (!fold_group(r, parts, joins, gr, w, &n) || n > BL_MAX_TOKEN) {
            joined_ok = 0; /* Too long to be a token: skipped. */
            continue;
        }
        /* An acronym's final dot belongs to it ("U.S."). */
        if (gr->last > gr->first && joins[gr->last] == C_DOT &&
            !parts[gr->last].digits && end < r->len && r->s[end] == '.')
            end++;
        if (joined_ok && jn + n < WORD_BUF) {
            memcpy(r->a->joined + jn, w, n);
            jn += n;
        } else {
            joined_ok = 0;
        }
        joined_digit |= gr->has_digit;
        if (emit(r, w, n, start, end, !gr->has_digit, 0))
            return 1;
        if (k == 0 && start > 0 &&
            emit_prefixed(r, w, n, start, end, gr->has_digit))
            return 1;
        /* "3.5%". */
        if (k + 1 == ng && gr->has_digit && end < r->len &&
            r->s[end] == '%' &&
            emit_affixed(r, "", w, n, "%", start, end + 1))
            return 1;
    }
    /* (Not when every part was a stopword: nothing to be a form of.) */
    if (joined_ok && jn > 0 && jn <= BL_MAX_TOKEN && r->emitted > emitted)
        return emit_joined(r, parts, groups, g, h, jn, joined_digit);
    return 0;
}

/* Emit the tokens of one segment: its parts grouped into tokens, and the
 * groups joined by hyphens as compounds. */
static int emit_segment(run_t *r, const part_t *parts, const int *joins,
                        size_t np)
{
    group_t groups[MAX_PARTS];
    size_t ng = group_parts(r, parts, joins, np, groups);
    for (size_t g = 0; g < ng;) {
        size_t h = g;
        while (h + 1 < ng && joins[groups[h + 1].first] == C_HYPHEN)
            h++;
        if (emit_compound(r, parts, joins, groups, ng, g, h))
            return 1;
        g = h + 1;
    }
    return 0;
}

/* ---- URLs and e-mail addresses ------------------------------------------ */

static int url_char(unsigned char c)
{
    return c > 0x20 && c != '<' && c != '>' && c != '"' && c != '\'' &&
           c != '(' && c != ')' && c != '[' && c != ']' && c != '{' &&
           c != '}' && c != 0x7f;
}

/* If a URL or e-mail address starts at byte I, return its end, else I.
 * NEXT_AT is the offset of the next '@' at or after I (or the length). */
static size_t address_end(const run_t *r, size_t i, size_t next_at)
{
    const char *s = (const char *)r->s + i;
    size_t left = r->len - i, e = i;
    unsigned char c0 = r->s[i] | 0x20;
    if (c0 != 'h' && c0 != 'w' && next_at - i > 64)
        return i; /* Neither a URL nor an address can start here. */
    if ((left > 7 && strncasecmp(s, "http://", 7) == 0) ||
        (left > 8 && strncasecmp(s, "https://", 8) == 0) ||
        (left > 4 && strncasecmp(s, "www.", 4) == 0)) {
        /* Up to a space, a bracket or quote, or an invalid byte. */
        while (e < r->len) {
            int32_t cp;
            size_t cl = decode(r->s + e, r->len - e, &cp);
            if (cp < 0 || (cp < 0x80 && !url_char((unsigned char)cp)))
                break;
            e += cl;
        }
    } else {
        /* local@domain.tld */
        size_t k = i, at = 0, dot = 0;
        if (next_at - i > 64)
            return i;
        while (k < r->len) {
            unsigned char c = r->s[k];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
                c == '+') {
                if (c == '.' && at)
                    dot = k;
                k++;
            } else if (c == '@' && !at && k > i) {
                at = k++;
            } else {
                break;
            }
        }
        if (!at || !dot || dot <= at + 1)
            return i;
        e = k;
    }
    /* Trailing punctuation belongs to the sentence. */
    while (e > i && strchr(".,;:!?", r->s[e - 1]))
        e--;
    return e;
}

/* ---- the tokenizer ------------------------------------------------------- */

bl_status_t bl_analyze(bl_analyzer_t *a, const char *text, size_t len,
                       uint32_t first_pos, bl_token_fn fn, void *ctx,
                       uint32_t *next_pos)
{
    return bl_analyze_some(a, text, len, first_pos, NULL, fn, ctx, next_pos);
}

bl_status_t bl_analyze_some(bl_analyzer_t *a, const char *text, size_t len,
                            uint32_t first_pos, const bl_stem_filter_t *want,
                            bl_token_fn fn, void *ctx, uint32_t *next_pos)
{
    run_t r = {a, (const unsigned char *)text, len, first_pos, fn, ctx,
               BL_OK, 0, want, 0};
    part_t parts[MAX_PARTS];
    int joins[MAX_PARTS];
    size_t i = 0, no_address_before = 0;
    const char *at = memchr(text, '@', len);
    size_t next_at = at ? (size_t)(at - text) : len;
    while (i < len && r.rc == BL_OK) {
        size_t cl;
        int c = class_at(&r, i, &cl);
        if (c == C_CJK) {
            size_t n = 0;
            if (fold_append(a, r.s, i, i + cl, a->word, &n))
                emit(&r, a->word, n, i, i + cl, 0, 0);
            i += cl;
            continue;
        }
        if (c != C_WORD) {
            i += cl;
            continue;
        }
        /* A URL or address: the whole as one token at its own position,
         * before its words, which are then read as ordinary words. */
        if (next_at < i) {
            at = memchr(text + i, '@', len - i);
            next_at = at ? (size_t)(at - text) : len;
        }
        if (i >= no_address_before) {
            size_t e = address_end(&r, i, next_at);
            if (e > i) {
                size_t n = 0;
                no_address_before = e;
                if (e - i <= BL_MAX_TOKEN &&
                    fold_append(a, r.s, i, e, a->extra, &n) &&
                    n <= BL_MAX_TOKEN) {
                    /* Emitted as its own position, before its words. */
                    emit(&r, a->extra, n, i, e, 0, 0);
                }
                continue;
            }
        }
        /* Read a segment: word parts joined by single joiners. */
        size_t np = 0;
        for (;;) {
            part_t *p = &parts[np];
            size_t letters = 0;
            p->start = i;
            p->digits = 1;
            p->has_digit = 0;
            while (i < len) {
                int k = class_at(&r, i, &cl);
                if (k != C_WORD && k != C_MARK && k != C_SOFT)
                    break;
                if (k == C_WORD) {
                    unsigned char b = r.s[i];
                    if (b >= '0' && b <= '9')
                        p->has_digit = 1;
                    else
                        p->digits = 0;
                    letters++;
                }
                i += cl;
            }
            p->end = i;
            p->single = letters == 1 && !p->has_digit;
            if (letters == 0)
                p->digits = 0;
            np++;
            if (i >= len || np == MAX_PARTS)
                break;
            int j = class_at(&r, i, &cl);
            size_t cl2;
            if (j < C_APOS || i + cl >= len ||
                class_at(&r, i + cl, &cl2) != C_WORD)
                break;
            joins[np] = j;
            i += cl;
        }
        joins[0] = C_SEP;
        emit_segment(&r, parts, joins, np);
    }
    if (next_pos)
        *next_pos = r.pos;
    if (r.rc == BL_ENOMEM)
        return bl_fail(BL_ENOMEM, "out of memory");
    return r.rc;
}
