/*
 * The words of the search options that take one of a few (sort, match,
 * duplicates, quotes, expand, weighting): parsed and spelled here only,
 * for byline-search, byline-serve's arguments and its page.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "byline/search.h"
#include "util/fail.h"

/* Each option's words, in the order of their values (0, 1, ...), and
 * words it also takes for a value. */
static const struct {
    const char *name;
    const char *words[4];
    struct {
        const char *word;
        int value;
    } also[2];
} OPTIONS[] = {
    [BL_OPTION_SORT] = {"sort", {"relevance", "date", "date-asc"}, {{0}}},
    [BL_OPTION_MATCH] = {"match", {"any", "all"}, {{0}}},
    [BL_OPTION_DUPLICATES] = {"duplicates", {"collapse", "show"}, {{0}}},
    [BL_OPTION_QUOTES] = {"quotes", {"exact", "stem"}, {{0}}},
    [BL_OPTION_EXPAND] = {"expand",
                          {"none", "rm3", "bo1"},
                          {{"0", BL_EXPAND_NONE}, {"1", BL_EXPAND_RM3}}},
    [BL_OPTION_WEIGHTING] = {"weighting", {"bm25", "dph", "pl2"}, {{0}}},
};
#define NOPTIONS (sizeof OPTIONS / sizeof *OPTIONS)
#define NWORDS (sizeof OPTIONS[0].words / sizeof *OPTIONS[0].words)
#define NALSO (sizeof OPTIONS[0].also / sizeof *OPTIONS[0].also)

bl_status_t bl_option_parse(bl_option_t opt, const char *word, int *value)
{
    if ((size_t)opt >= NOPTIONS)
        return bl_fail(BL_EARG, "no such option");
    const char *const *w = OPTIONS[opt].words;
    for (size_t i = 0; i < NWORDS && w[i]; i++) {
        if (strcmp(word, w[i]) == 0) {
            *value = (int)i;
            return BL_OK;
        }
    }
    for (size_t i = 0; i < NALSO && OPTIONS[opt].also[i].word; i++) {
        if (strcmp(word, OPTIONS[opt].also[i].word) == 0) {
            *value = OPTIONS[opt].also[i].value;
            return BL_OK;
        }
    }
    char list[128] = "";
    size_t n = 0, len = 0;
    while (n < NWORDS && w[n])
        n++;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                i == 0 ? "" : i + 1 < n ? ", " : " or ",
                                w[i]);
    /* (The word cut at 64 bytes, on a character's first byte.) */
    size_t wl = strlen(word), cut = wl > 64 ? 64 : wl;
    while (cut < wl && cut > 0 && (word[cut] & 0xC0) == 0x80)
        cut--;
    return bl_fail(BL_EARG, "%s: expected %s, not '%.*s%s'",
                   OPTIONS[opt].name, list, (int)cut, word,
                   cut < wl ? "..." : "");
}

const char *bl_option_word(bl_option_t opt, int value)
{
    if ((size_t)opt >= NOPTIONS || value < 0 || (size_t)value >= NWORDS)
        return NULL;
    return OPTIONS[opt].words[value];
}

const char *bl_option_name(bl_option_t opt)
{
    return (size_t)opt < NOPTIONS ? OPTIONS[opt].name : NULL;
}
