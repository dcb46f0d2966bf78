/*
 * The analyzer: UTF-8 tokens with byte offsets, case folding and Snowball
 * stemming.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Words are runs of ASCII letters and digits and of well-formed non-ASCII
 * UTF-8 characters (treated as letters: full Unicode word boundaries and
 * case folding come with the Unicode tables).  Inside a word an apostrophe
 * (' or U+2019) followed by a letter joins ("don't" -> "don't"), except
 * that a possessive "'s" is dropped ("Trump's" -> "trump"); a '.' or ','
 * between digits joins numbers ("3.5", "1,000" -> "1000").
 */
#include "byline/analysis.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

struct bl_analyzer {
    struct sb_stemmer *stemmer; /* NULL for "none". */
    char language[32];
    char word[BL_MAX_TOKEN + 1];
};

bl_status_t bl_analyzer_new(const char *language, bl_analyzer_t **out)
{
    bl_analyzer_t *a = NULL;
    *out = NULL;
    if (!language || !*language || strlen(language) >= sizeof a->language)
        return bl_fail(BL_EARG, "no language given");
    a = calloc(1, sizeof *a);
    if (!a)
        return bl_fail(BL_ENOMEM, "out of memory");
    snprintf(a->language, sizeof a->language, "%s", language);
    if (strcmp(language, "none") != 0) {
        a->stemmer = sb_stemmer_new(language, "UTF_8");
        if (!a->stemmer) {
            free(a);
            return bl_fail(BL_EARG, "unknown stemming language '%s'",
                           language);
        }
    }
    *out = a;
    return BL_OK;
}

const char *bl_analyzer_language(const bl_analyzer_t *a)
{
    return a->language;
}

void bl_analyzer_free(bl_analyzer_t *a)
{
    if (!a)
        return;
    if (a->stemmer)
        sb_stemmer_delete(a->stemmer);
    free(a);
}

const char *bl_analyzer_stem(bl_analyzer_t *a, const char *word, size_t len,
                             size_t *stem_len)
{
    if (!a->stemmer) {
        *stem_len = len;
        return word;
    }
    const sb_symbol *s =
        sb_stemmer_stem(a->stemmer, (const sb_symbol *)word, (int)len);
    if (!s) {
        bl_fail(BL_ENOMEM, "out of memory while stemming");
        return NULL;
    }
    *stem_len = (size_t)sb_stemmer_length(a->stemmer);
    return (const char *)s;
}

/* Non-zero if the UTF-8 character of LEN bytes at P is punctuation or
 * space that must not join words (quotes, dashes, NBSP, ellipsis...). */
static int is_unicode_separator(const unsigned char *p, size_t len)
{
    if (len == 2)
        return p[0] == 0xc2; /* U+0080..U+00BF: NBSP, ©, «, », ... */
    if (len == 3 && p[0] == 0xe2 && (p[1] == 0x80 || p[1] == 0x81))
        return 1; /* U+2000..U+207F: spaces, dashes, quotes, bullets. */
    if (len == 3 && p[0] == 0xe3 && p[1] == 0x80)
        return 1; /* U+3000..U+303F: CJK punctuation. */
    if (len == 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        return 1; /* Byte order mark. */
    return 0;
}

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the word character at P (N bytes left), or 0 if there is none
 * there.  Cannot fail. */
static size_t word_char(const unsigned char *p, size_t n)
{
    if (is_alnum(p[0]))
        return 1;
    if (p[0] < 0x80)
        return 0;
    size_t len = bl_utf8_seq_len(p, n);
    if (len == 0 || is_unicode_separator(p, len))
        return 0;
    return len;
}

/* Length of an apostrophe at P (' or U+2019), or 0.  Cannot fail. */
static size_t apostrophe(const unsigned char *p, size_t n)
{
    if (p[0] == '\'')
        return 1;
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99)
        return 3;
    return 0;
}

bl_status_t bl_analyze(bl_analyzer_t *a, const char *text, size_t len,
                       uint32_t first_pos, bl_token_fn fn, void *ctx,
                       uint32_t *next_pos)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t pos = first_pos;
    size_t i = 0;
    bl_status_t rc = BL_OK;
    while (i < len) {
        size_t cl = word_char(s + i, len - i);
        if (cl == 0) {
            size_t skip = s[i] < 0x80 ? 1 : bl_utf8_seq_len(s + i, len - i);
            i += skip ? skip : 1;
            continue;
        }
        size_t start = i, wl = 0;
        int too_long = 0, possessive = 0;
        while (i < len) {
            cl = word_char(s + i, len - i);
            if (cl == 0) {
                /* Joiners: apostrophe + letter, digit [.,] digit. */
                size_t ap = apostrophe(s + i, len - i);
                if (ap && i + ap < len && word_char(s + i + ap, len - i - ap)) {
                    size_t after = i + ap;
                    if ((s[after] == 's' || s[after] == 'S') &&
                        (after + 1 >= len ||
                         !word_char(s + after + 1, len - after - 1))) {
                        possessive = 1; /* Drop "'s"; the token ends. */
                        break;
                    }
                    if (wl + ap <= BL_MAX_TOKEN) {
                        memcpy(a->word + wl, "'", 1);
                        wl += 1;
                    }
                    i += ap;
                    continue;
                }
                if ((s[i] == '.' || s[i] == ',') && i > start &&
                    is_digit(s[i - 1]) && i + 1 < len && is_digit(s[i + 1])) {
                    if (s[i] == '.' && wl < BL_MAX_TOKEN)
                        a->word[wl++] = '.';
                    i++;
                    continue;
                }
                break;
            }
            if (wl + cl > BL_MAX_TOKEN) {
                too_long = 1;
            } else {
                for (size_t k = 0; k < cl; k++) {
                    unsigned char c = s[i + k];
                    a->word[wl + k] =
                        (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
                }
                wl += cl;
            }
            i += cl;
        }
        size_t end = i;
        if (possessive)
            i += apostrophe(s + i, len - i) + 1;
        if (too_long || wl == 0)
            continue;
        a->word[wl] = '\0';
        bl_token_t tok;
        tok.word = a->word;
        tok.word_len = wl;
        tok.stem = bl_analyzer_stem(a, a->word, wl, &tok.stem_len);
        if (!tok.stem) {
            rc = BL_ENOMEM;
            break;
        }
        tok.start = start;
        tok.end = end;
        tok.pos = pos++;
        if (fn(&tok, ctx) != 0) {
            rc = BL_END;
            break;
        }
    }
    if (next_pos)
        *next_pos = pos;
    return rc;
}
