/*
 * libFuzzer harness for the analyzer: whatever the bytes, tokens must lie
 * inside the input, start and end on character boundaries, be at most
 * BL_MAX_TOKEN bytes of valid UTF-8, and take increasing positions.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byline/analysis.h"

typedef struct check {
    const uint8_t *data;
    size_t size;
    uint32_t last_pos;
    int seen;
    int gaps; /* Stopwords leave gaps in the positions. */
} check_t;

/* Non-zero if the LEN bytes at S are valid UTF-8. */
static int valid_utf8(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = s[i] < 0x80 ? 1 : s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : 2;
        if (s[i] >= 0x80 && (s[i] < 0xc2 || s[i] > 0xf4))
            return 0;
        if (i + n > len)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
        }
        i += n;
    }
    return 1;
}

static int on_token(const bl_token_t *t, void *p)
{
    check_t *c = p;
    if (t->start >= t->end || t->end > c->size)
        abort();
    /* Tokens are made of whole, valid characters: the span is valid UTF-8
     * (so it neither starts nor ends inside a character). */
    if (!valid_utf8(c->data + t->start, t->end - t->start))
        abort();
    if (t->word_len == 0 || t->word_len > BL_MAX_TOKEN ||
        t->stem_len == 0 || strlen(t->word) != t->word_len ||
        !valid_utf8((const unsigned char *)t->word, t->word_len))
        abort();
    if (t->flags & BL_TOKEN_VARIANT) {
        if (!c->seen || t->pos > c->last_pos)
            abort();
    } else {
        if (c->seen && (c->gaps ? t->pos <= c->last_pos
                                 : t->pos != c->last_pos + 1))
            abort();
        c->last_pos = t->pos;
        c->seen = 1;
    }
    return 0;
}

/* libFuzzer's entry point: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bl_analyzer_t *keep, *fold;
    if (!keep) {
        bl_analyzer_options_t k = {"english", 0, 0, 0}, f = {"english", 1, 1, 0};
        if (bl_analyzer_new_with(&k, &keep) != BL_OK ||
            bl_analyzer_new_with(&f, &fold) != BL_OK)
            abort();
    }
    bl_analyzer_t *both[2] = {keep, fold};
    for (int i = 0; i < 2; i++) {
        check_t c = {data, size, 0, 0, i == 1};
        uint32_t next = 0;
        if (bl_analyze(both[i], (const char *)data, size, 1, on_token, &c,
                       &next) != BL_OK)
            abort();
        if (c.seen && (c.gaps ? next <= c.last_pos : next != c.last_pos + 1))
            abort();
    }
    return 0;
}
