/*
 * The analyzer: its language and options, its stopwords (folded and
 * sorted from the lists of stopwords.c), its lifetime.  What it does with
 * text is tokenize.c's (the rules of how text becomes tokens are at its
 * top), with chars.c's characters and stems.c's stemmers.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analysis/analyzer_internal.h"
#include "analysis/stopwords.h"
#include "util/fail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- stopwords ----------------------------------------------------------- */

static int cmp_str(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Give A its stopwords: LANGUAGE's list, folded as A folds words, sorted.
 * Returns BL_OK, BL_EARG (no list for LANGUAGE) or BL_ENOMEM. */
static bl_status_t load_stopwords(bl_analyzer_t *a, const char *language)
{
    size_t n = 0;
    const char *const *list = bl_stoplist(language, &n);
    if (!list)
        return bl_fail(BL_EARG, "no stopword list for '%s'", language);
    char **words = calloc(n, sizeof *words);
    char *store = malloc(n * WORD_BUF);
    if (!words || !store) {
        free(words);
        free(store);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const char *w = list[i];
        size_t len = 0;
        words[i] = store + i * WORD_BUF;
        if (!fold_append(a, (const unsigned char *)w, 0, strlen(w), words[i],
                         &len))
            words[i][0] = '\0';
    }
    qsort(words, n, sizeof *words, cmp_strp);
    a->stopwords = words;
    a->stop_store = store;
    a->nstopwords = n;
    return BL_OK;
}

int is_stopword(const bl_analyzer_t *a, const char *word)
{
    return a->stopwords && bsearch(word, a->stopwords, a->nstopwords,
                                   sizeof a->stopwords[0], cmp_str) != NULL;
}

int bl_analyzer_is_stopword(const bl_analyzer_t *a, const char *word)
{
    return is_stopword(a, word);
}

/* ---- lifetime ------------------------------------------------------------ */

bl_status_t bl_analyzer_new(const char *language, bl_analyzer_t **out)
{
    bl_analyzer_options_t o = {language, 0, 0, 0};
    return bl_analyzer_new_with(&o, out);
}

bl_status_t bl_analyzer_new_with(const bl_analyzer_options_t *o,
                                 bl_analyzer_t **out)
{
    bl_analyzer_t *a = NULL;
    const char *language = o ? o->language : NULL;
    *out = NULL;
    if (!language || !*language)
        return bl_fail(BL_EARG, "no language given");
    if (strlen(language) >= sizeof a->language)
        return bl_fail(BL_EARG, "unknown stemming language '%.40s...' (too "
                       "long)", language);
    chars_init();
    a = calloc(1, sizeof *a);
    if (!a)
        return bl_fail(BL_ENOMEM, "out of memory");
    snprintf(a->language, sizeof a->language, "%s", language);
    a->fold_accents = o->fold_accents != 0;
    a->exact_forms = o->exact_forms != 0;
    a->keeps_first = keeps_first_byte(language);
    /* The list is loaded whenever the language has one: queries may leave
     * stopwords out (bl_analyzer_is_stopword()) even where the index
     * keeps them. */
    size_t nstop = 0;
    bl_status_t lrc = bl_stoplist(language, &nstop)
                          ? load_stopwords(a, language)
                      : o->stopwords
                          ? bl_fail(BL_EARG, "no stopword list for '%s'",
                                    language)
                          : BL_OK;
    if (lrc != BL_OK) {
        free(a);
        return lrc;
    }
    a->drop_stopwords = o->stopwords != 0;
    bl_status_t src = stems_open(a);
    if (src != BL_OK) {
        bl_analyzer_free(a);
        return src;
    }
    *out = a;
    return BL_OK;
}

const char *bl_analyzer_language(const bl_analyzer_t *a)
{
    return a->language;
}

int bl_analyzer_folds_accents(const bl_analyzer_t *a)
{
    return a->fold_accents;
}

int bl_analyzer_drops_stopwords(const bl_analyzer_t *a)
{
    return a->drop_stopwords;
}

void bl_analyzer_free(bl_analyzer_t *a)
{
    if (!a)
        return;
    stems_close(a);
    free(a->stopwords);
    free(a->stop_store);
    free(a);
}

int bl_analyzer_exact_forms(const bl_analyzer_t *a)
{
    return a->exact_forms;
}
