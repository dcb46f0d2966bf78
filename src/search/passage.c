/*
 * Highlighting and passage selection, with the index's own analyzer.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A passage is a window of whole tokens.  Windows are scored by the query
 * terms they cover: each distinct term adds its weight, each repeat a tenth
 * of it, and a window that starts a sentence gets a small bonus.  Offsets
 * come from the tokenizer, so a passage never cuts a UTF-8 character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byline/search.h"
#include "search/tokens.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/fail.h"

typedef struct tok {
    size_t start, end;
    int term;  /* Index into the query terms of a marked word, or -1. */
    int cand;  /* A query term its stem (or a variant over it) is, or -1. */
    int join;  /* Marked together with the next token (inside a phrase). */
} tok_t;

typedef struct collect {
    const bl_qterm_t *terms;
    size_t nterms;
    tok_t *toks;
    size_t n, cap;
    int nomem;
} collect_t;

/* The index of the first query term with the stem of T (or, for a
 * quoted word, its form), or -1. */
static int term_of(const collect_t *c, const bl_token_t *t)
{
    for (size_t i = 0; i < c->nterms; i++) {
        if (c->terms[i].exact) {
            if (strlen(c->terms[i].stem) == t->word_len &&
                memcmp(c->terms[i].stem, t->word, t->word_len) == 0)
                return (int)i;
            continue;
        }
        if (t->flags & BL_TOKEN_UNSTEMMED)
            continue; /* Its stem would start with no term's first byte. */
        if (c->terms[i].stem[0] == t->stem[0] &&
            strlen(c->terms[i].stem) == t->stem_len &&
            memcmp(c->terms[i].stem, t->stem, t->stem_len) == 0)
            return (int)i;
    }
    return -1;
}

/* Record one token and which query term (if any) its stem is.  A variant
 * is not a token of its own: when it matches, the words it covers ("right"
 * and "wing" for "rightwing") are marked. */
static int collect_token(const bl_token_t *t, void *p)
{
    collect_t *c = p;
    if (t->flags & BL_TOKEN_VARIANT) {
        int term = term_of(c, t);
        for (size_t i = c->n; term >= 0 && i-- > 0;) {
            if (c->toks[i].end <= t->start)
                break;
            if (c->toks[i].cand < 0 && c->toks[i].start >= t->start)
                c->toks[i].cand = term;
        }
        return 0;
    }
    tok_t *nt = bl_grow(c->toks, &c->cap, c->n + 1, sizeof *nt, 256);
    if (!nt) {
        c->nomem = 1;
        return 1;
    }
    c->toks = nt;
    tok_t *k = &c->toks[c->n++];
    k->start = t->start;
    k->end = t->end;
    k->cand = term_of(c, t);
    k->term = -1;
    k->join = 0;
    return 0;
}

/* Non-zero if STEM is a query word on its own (not only inside phrases). */
static int standalone(const collect_t *c, const char *stem)
{
    for (size_t i = 0; i < c->nterms; i++) {
        if (c->terms[i].phrase == 0 && strcmp(c->terms[i].stem, stem) == 0)
            return 1; /* (A word and a stem that read alike count so.) */
    }
    return 0;
}

/* Non-zero if token I holds the stem of query term T. */
static int token_is(const collect_t *c, size_t i, size_t t)
{
    int k = c->toks[i].cand;
    return k >= 0 && strcmp(c->terms[k].stem, c->terms[t].stem) == 0 &&
           c->terms[k].exact == c->terms[t].exact;
}

/* Decide which tokens are marked: words on their own wherever they are,
 * the words of a phrase only where the whole phrase stands (as one span:
 * each but the last joined to the next). */
static void resolve(collect_t *c)
{
    for (size_t i = 0; i < c->n; i++) {
        int k = c->toks[i].cand;
        if (k >= 0 && standalone(c, c->terms[k].stem))
            c->toks[i].term = k;
    }
    for (size_t t = 0; t < c->nterms; t++) {
        if (c->terms[t].phrase == 0 || c->terms[t].phrase_pos != 0)
            continue;
        /* The words of this phrase, in order. */
        size_t words[64], m = 0;
        for (unsigned pos = 0; m < 64; pos++) {
            size_t found = c->nterms;
            for (size_t u = 0; u < c->nterms && found == c->nterms; u++) {
                if (c->terms[u].phrase == c->terms[t].phrase &&
                    c->terms[u].phrase_pos == pos)
                    found = u;
            }
            if (found == c->nterms)
                break;
            words[m++] = found;
        }
        for (size_t i = 0; m > 0 && i + m <= c->n; i++) {
            size_t j = 0;
            while (j < m && token_is(c, i + j, words[j]))
                j++;
            if (j < m)
                continue;
            for (j = 0; j < m; j++) {
                c->toks[i + j].term = (int)words[j];
                c->toks[i + j].join = j + 1 < m;
            }
            i += m - 1;
        }
    }
}

/* Tokenize TEXT into C and mark the query's words.  Returns BL_OK or
 * BL_ENOMEM. */
static bl_status_t tokenize(bl_analyzer_t *a, const char *text, size_t len,
                            collect_t *c)
{
    /* Only words that may stem to a query term's stem are stemmed. */
    bl_stem_filter_t want;
    memset(&want, 0, sizeof want);
    for (size_t i = 0; i < c->nterms; i++)
        if (c->terms[i].stem[0])
            bl_stem_filter_add(&want, c->terms[i].stem);
    bl_status_t rc =
        bl_analyze_some(a, text, len, 1, &want, collect_token, c, NULL);
    if (c->nomem)
        return bl_fail(BL_ENOMEM, "out of memory");
    resolve(c);
    return rc == BL_END ? BL_OK : rc;
}

/* The marked spans of tokens [S, E) of C into HL (relative to FROM): a
 * phrase is one span.  Returns how many. */
static size_t spans(const collect_t *c, size_t s, size_t e, size_t from,
                    bl_span_t *hl)
{
    size_t n = 0;
    for (size_t i = s; i < e; i++) {
        if (c->toks[i].term < 0)
            continue;
        hl[n].start = c->toks[i].start - from;
        while (c->toks[i].join && i + 1 < e)
            i++;
        hl[n].end = c->toks[i].end - from;
        n++;
    }
    return n;
}

bl_status_t bl_highlight(bl_analyzer_t *a, const char *text, size_t len,
                         const bl_qterm_t *terms, size_t n, bl_span_t **hl,
                         size_t *nhl)
{
    collect_t c = {terms, n, NULL, 0, 0, 0};
    bl_status_t rc = tokenize(a, text, len, &c);
    size_t k = 0;
    (void)k;
    *hl = NULL;
    *nhl = 0;
    if (rc == BL_OK && c.n > 0) {
        *hl = malloc(c.n * sizeof **hl);
        if (!*hl)
            rc = bl_fail(BL_ENOMEM, "out of memory");
    }
    if (rc == BL_OK && c.n > 0)
        k = spans(&c, 0, c.n, 0, *hl);
    *nhl = k;
    free(c.toks);
    return rc;
}

/* Non-zero if token I of C begins a sentence or paragraph. */
static int sentence_start(const char *text, const collect_t *c, size_t i)
{
    if (i == 0)
        return 1;
    for (size_t p = c->toks[i - 1].end; p < c->toks[i].start; p++) {
        char ch = text[p];
        if (ch == '.' || ch == '!' || ch == '?' || ch == '\n')
            return 1;
    }
    return 0;
}

/* Score the window of W tokens from S. */
static double score_window(const collect_t *c, const char *text, size_t s,
                           size_t w, unsigned char *seen)
{
    double score = 0;
    memset(seen, 0, c->nterms);
    for (size_t i = s; i < s + w && i < c->n; i++) {
        int t = c->toks[i].term;
        if (t < 0)
            continue;
        score += seen[t] ? c->terms[t].weight * 0.1 : c->terms[t].weight;
        seen[t] = 1;
    }
    if (score > 0 && sentence_start(text, c, s))
        score += 0.05 * score + 0.01;
    return score;
}

/* Fill P with tokens [S, S+W) of TEXT. */
static bl_status_t make_passage(const char *text, size_t len,
                                const collect_t *c, size_t s, size_t w,
                                bl_passage_t *p)
{
    size_t e = s + w < c->n ? s + w : c->n;
    size_t from = c->toks[s].start, to = c->toks[e - 1].end;
    size_t nhl = 0;
    /* A URL or address is a token before its words: it may end after the
     * last of them in the window (its span would pass the passage's end). */
    for (size_t k = s; k < e; k++)
        if (c->toks[k].end > to)
            to = c->toks[k].end;
    /* Keep the punctuation that ends the last word ("said."), up to the
     * next space: spaces are ASCII, so this never cuts a character. */
    while (to < len && text[to] != ' ' && text[to] != '\n' &&
           text[to] != '\t' && (e >= c->n || to < c->toks[e].start))
        to++;
    /* Likewise keep an opening quote or bracket before the first word. */
    while (from > 0 && text[from - 1] != ' ' && text[from - 1] != '\n' &&
           text[from - 1] != '\t' && (s == 0 || from > c->toks[s - 1].end))
        from--;
    memset(p, 0, sizeof *p);
    p->text = malloc(to - from + 1);
    p->hl = malloc(w * sizeof *p->hl);
    if (!p->text || !p->hl) {
        bl_passage_clear(p);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    memcpy(p->text, text + from, to - from);
    p->text[to - from] = '\0';
    nhl = spans(c, s, e, from, p->hl);
    p->nhl = nhl;
    p->offset = from;
    p->cut_before = s > 0;
    p->cut_after = e < c->n;
    return BL_OK;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Choose up to MAX passages of WORDS words from TEXT (LEN bytes) over the
 * tokens of C (their query terms resolved), as bl_passages() does, into
 * OUT and *NOUT. */
static bl_status_t choose(const char *text, size_t len, const collect_t *c,
                          unsigned max, unsigned words, bl_passage_t *out,
                          size_t *nout)
{
    unsigned char *seen = NULL;
    size_t chosen[BL_MAX_PASSAGES];
    size_t nchosen = 0;
    bl_status_t rc = BL_OK;
    if (c->n == 0 || max == 0)
        return BL_OK;
    seen = malloc(c->nterms ? c->nterms : 1);
    if (!seen)
        return bl_fail(BL_ENOMEM, "out of memory");
    /* Greedy: the best window, then the best that does not overlap it... */
    while (nchosen < max) {
        double best = 0;
        size_t best_s = 0;
        for (size_t i = 0; i < c->n; i++) {
            if (c->toks[i].term < 0)
                continue;
            /* Candidate starts for a window around the match at I: a
             * sentence start shortly before it, else a few words before. */
            size_t lead = words / 4, s = i > lead ? i - lead : 0;
            for (size_t k = i; k + words / 3 >= i && k <= i; k--) {
                if (sentence_start(text, c, k)) {
                    s = k;
                    break;
                }
                if (k == 0)
                    break;
            }
            int overlaps = 0;
            for (size_t j = 0; j < nchosen; j++) {
                if (s < chosen[j] + words && chosen[j] < s + words)
                    overlaps = 1;
            }
            if (overlaps)
                continue;
            double sc = score_window(c, text, s, words, seen);
            if (sc > best) {
                best = sc;
                best_s = s;
            }
        }
        if (best <= 0)
            break;
        chosen[nchosen++] = best_s;
    }
    if (nchosen == 0)
        chosen[nchosen++] = 0; /* No match: the start of the text. */
    qsort(chosen, nchosen, sizeof chosen[0], cmp_size);
    for (size_t j = 0; j < nchosen && rc == BL_OK; j++) {
        rc = make_passage(text, len, c, chosen[j], words, &out[j]);
        if (rc == BL_OK)
            (*nout)++;
    }
    free(seen);
    return rc;
}

bl_status_t bl_passages(bl_analyzer_t *a, const char *text, size_t len,
                        const bl_qterm_t *terms, size_t n, unsigned max,
                        unsigned words, bl_passage_t *out, size_t *nout)
{
    collect_t c = {terms, n, NULL, 0, 0, 0};
    *nout = 0;
    bl_status_t rc = tokenize(a, text, len, &c);
    if (rc == BL_OK)
        rc = choose(text, len, &c, max > BL_MAX_PASSAGES ? BL_MAX_PASSAGES : max,
                    words ? words : 30, out, nout);
    free(c.toks);
    return rc;
}

/* ---- recorded tokens ------------------------------------------------------ */

typedef struct rec {
    uint32_t start, end; /* Offsets in the text. */
    uint32_t stem;       /* Offset of the stem in the pool. */
    uint16_t stem_len;
    uint16_t flags;      /* BL_TOKEN_* */
} rec_t;

struct bl_tokens {
    rec_t *t;
    size_t n, cap;
    bl_buf_t pool;       /* The stems, each NUL-terminated. */
    int nomem;
};

static int record_token(const bl_token_t *t, void *p)
{
    bl_tokens_t *k = p;
    rec_t *nt = bl_grow(k->t, &k->cap, k->n + 1, sizeof *nt, 256);
    if (!nt) {
        k->nomem = 1;
        return 1;
    }
    k->t = nt;
    size_t at = k->pool.len;
    if (bl_buf_append(&k->pool, t->stem, t->stem_len) != BL_OK ||
        bl_buf_putc(&k->pool, '\0') != BL_OK) {
        k->nomem = 1;
        return 1;
    }
    rec_t *r = &k->t[k->n++];
    r->start = (uint32_t)t->start;
    r->end = (uint32_t)t->end;
    r->stem = (uint32_t)at;
    r->stem_len = (uint16_t)t->stem_len; /* (At most BL_MAX_TOKEN.) */
    r->flags = (uint16_t)t->flags;
    return 0;
}

bl_status_t bl_tokens_record(bl_analyzer_t *a, const char *text, size_t len,
                             bl_tokens_t **out)
{
    *out = NULL;
    if (len >= UINT32_MAX)
        return bl_fail(BL_EARG, "text too long to record");
    bl_tokens_t *k = calloc(1, sizeof *k);
    if (!k)
        return bl_fail(BL_ENOMEM, "out of memory");
    bl_status_t rc = bl_analyze(a, text, len, 1, record_token, k, NULL);
    if (rc == BL_END)
        rc = BL_OK;
    if (rc == BL_OK && k->nomem)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc != BL_OK) {
        bl_tokens_free(k);
        return rc;
    }
    *out = k;
    return BL_OK;
}

size_t bl_tokens_size(const bl_tokens_t *t)
{
    return sizeof *t + t->cap * sizeof *t->t + t->pool.cap;
}

bl_status_t bl_passages_recorded(const bl_tokens_t *t, const char *text,
                                 size_t len, const bl_qterm_t *terms,
                                 size_t n, unsigned max, unsigned words,
                                 bl_passage_t *out, size_t *nout)
{
    collect_t c = {terms, n, NULL, 0, 0, 0};
    bl_status_t rc = BL_OK;
    *nout = 0;
    for (size_t i = 0; i < t->n && !c.nomem; i++) {
        const rec_t *r = &t->t[i];
        bl_token_t k;
        memset(&k, 0, sizeof k);
        k.stem = k.word = t->pool.data + r->stem;
        k.stem_len = k.word_len = r->stem_len;
        k.start = r->start;
        k.end = r->end;
        k.flags = r->flags;
        collect_token(&k, &c);
    }
    if (c.nomem)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc == BL_OK) {
        resolve(&c);
        rc = choose(text, len, &c, max > BL_MAX_PASSAGES ? BL_MAX_PASSAGES : max,
                    words ? words : 30, out, nout);
    }
    free(c.toks);
    return rc;
}

void bl_tokens_free(bl_tokens_t *t)
{
    if (!t)
        return;
    free(t->t);
    bl_buf_free(&t->pool);
    free(t);
}

void bl_passage_clear(bl_passage_t *p)
{
    free(p->text);
    free(p->hl);
    memset(p, 0, sizeof *p);
}
