/*
 * libFuzzer harness for passages: whatever the text and the query words,
 * passages chosen from the text's recorded tokens (as a searcher does for
 * a story it has cached) are exactly those chosen from the text, and lie
 * inside it with their highlights inside them.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Input: the query words up to the first newline, the text after it (up
 * to a NUL: a stored body is a C string).  The
 * first byte picks the analyzer (English as it comes, English with accents
 * folded and stopwords dropped, German: no stem filter), how many passages
 * and of how many words, and which words form a phrase.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byline/analysis.h"
#include "byline/search.h"
#include "search/tokens.h"

#define MAX_TERMS 8

typedef struct terms {
    bl_qterm_t qt[MAX_TERMS];
    char stems[MAX_TERMS][BL_MAX_TOKEN + 1];
    size_t n;
} terms_t;

static int add_term(const bl_token_t *t, void *p)
{
    terms_t *q = p;
    if (q->n == MAX_TERMS)
        return 1;
    memcpy(q->stems[q->n], t->stem, t->stem_len);
    q->stems[q->n][t->stem_len] = '\0';
    memset(&q->qt[q->n], 0, sizeof q->qt[q->n]);
    q->qt[q->n].stem = q->stems[q->n];
    q->qt[q->n].weight = 1.0 + (double)q->n;
    q->n++;
    return 0;
}

static void same(const bl_passage_t *a, size_t na, const bl_passage_t *b,
                 size_t nb, size_t len)
{
    if (na != nb)
        abort();
    for (size_t i = 0; i < na; i++) {
        size_t tl = strlen(a[i].text);
        if (strcmp(a[i].text, b[i].text) != 0 || a[i].offset != b[i].offset ||
            a[i].cut_before != b[i].cut_before ||
            a[i].cut_after != b[i].cut_after || a[i].nhl != b[i].nhl ||
            a[i].offset + tl > len)
            abort();
        for (size_t k = 0; k < a[i].nhl; k++) {
            if (a[i].hl[k].start != b[i].hl[k].start ||
                a[i].hl[k].end != b[i].hl[k].end ||
                a[i].hl[k].start >= a[i].hl[k].end || a[i].hl[k].end > tl)
                abort();
        }
    }
}

/* libFuzzer's entry point: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bl_analyzer_t *an[3];
    if (!an[0]) {
        bl_analyzer_options_t o[3] = {
            {"english", 0, 0, 0}, {"english", 1, 1, 0}, {"german", 0, 0, 0}};
        for (int i = 0; i < 3; i++)
            if (bl_analyzer_new_with(&o[i], &an[i]) != BL_OK)
                abort();
    }
    if (size < 1)
        return 0;
    unsigned pick = data[0];
    const char *in = (const char *)data + 1;
    size_t left = size - 1;
    const char *nl = memchr(in, '\n', left);
    size_t qlen = nl ? (size_t)(nl - in) : 0;
    const char *text = nl ? nl + 1 : in;
    size_t len = left - (nl ? qlen + 1 : 0);
    len = strnlen(text, len); /* A stored body is a C string. */
    bl_analyzer_t *a = an[pick % 3];
    terms_t q;
    q.n = 0;
    bl_analyze(a, in, qlen, 1, add_term, &q, NULL);
    /* Words 2.. of the query form a phrase when asked. */
    if (pick & 8) {
        for (size_t i = 1; i < q.n; i++) {
            q.qt[i].phrase = 1;
            q.qt[i].phrase_pos = (unsigned)(i - 1);
        }
    }
    unsigned max = (pick >> 4) & 3, words = 3 + ((pick >> 6) * 9);
    bl_passage_t p1[BL_MAX_PASSAGES], p2[BL_MAX_PASSAGES];
    size_t n1 = 0, n2 = 0;
    bl_tokens_t *tk = NULL;
    if (bl_passages(a, text, len, q.qt, q.n, max, words, p1, &n1) != BL_OK)
        return 0; /* (Out of memory.) */
    if (bl_tokens_record(a, text, len, &tk) == BL_OK &&
        bl_passages_recorded(tk, text, len, q.qt, q.n, max, words, p2, &n2) ==
            BL_OK) {
        same(p1, n1, p2, n2, len);
        for (size_t i = 0; i < n2; i++)
            bl_passage_clear(&p2[i]);
    }
    bl_tokens_free(tk);
    for (size_t i = 0; i < n1; i++)
        bl_passage_clear(&p1[i]);
    return 0;
}
