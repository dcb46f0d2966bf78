/*
 * Characters as the analyzer sees them: the class of each (a word
 * character, a combining mark, a character that is a word by itself, a
 * joiner, a separator) and its folded form (case, and optionally accents).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analysis/analyzer_internal.h"

#include <pthread.h>

static int is_cjk(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30ff) || /* Hiragana, Katakana. */
           (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2fa1f);
}

int classify(int32_t cp)
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
            (cp >= '0' && cp <= '9'))
            return C_WORD;
        switch (cp) {
        case '\'': return C_APOS;
        case '.': return C_DOT;
        case ',': return C_COMMA;
        case '-': return C_HYPHEN;
        case '/': return C_SLASH;
        }
        return C_SEP;
    }
    switch (cp) {
    case 0x2019: return C_APOS;
    case 0x2010:
    case 0x2011: return C_HYPHEN;
    case 0x00ad:
    case 0x200c:
    case 0x200d: return C_SOFT;
    }
    if (is_cjk(cp))
        return C_CJK;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_WORD;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    default:
        return C_SEP;
    }
}

unsigned char ascii_class[128];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void init_ascii_class(void)
{
    for (int c = 0; c < 128; c++)
        ascii_class[c] = (unsigned char)classify(c);
}

void chars_init(void)
{
    pthread_once(&ascii_once, init_ascii_class);
}

int fold_append(const bl_analyzer_t *a, const unsigned char *s, size_t from,
                size_t to, char *out, size_t *n)
{
    for (size_t i = from; i < to;) {
        int32_t cp;
        size_t cl = decode(s + i, to - i, &cp);
        if (cp < 0x80 && cp >= 0) {
            if (*n + 1 >= WORD_BUF)
                return 0;
            out[(*n)++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            i += cl;
            continue;
        }
        i += cl;
        int cls = cp < 0 ? C_SEP : classify(cp);
        if (cls == C_SOFT || cls == C_SEP)
            continue;
        if (cls == C_APOS) {
            if (*n + 1 >= WORD_BUF)
                return 0;
            out[(*n)++] = '\'';
            continue;
        }
        /* Case-fold (and maybe strip marks from) this character. */
        utf8proc_int32_t buf[8];
        int last = 0;
        /* Without accent folding, no decomposition: precomposed letters
         * stay precomposed (as the stemmers expect). */
        utf8proc_option_t opt =
            UTF8PROC_CASEFOLD |
            (a->fold_accents ? UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK : 0);
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, buf, 8, opt, &last);
        if (k < 0 || k > 8) {
            buf[0] = cp;
            k = 1;
        }
        for (utf8proc_ssize_t j = 0; j < k; j++) {
            if (*n + 4 >= WORD_BUF)
                return 0;
            *n += (size_t)utf8proc_encode_char(buf[j],
                                              (utf8proc_uint8_t *)out + *n);
        }
    }
    out[*n] = '\0';
    return 1;
}
