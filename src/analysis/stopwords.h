/*
 * The stopword lists (stopwords.c), for the analyzer.  Not for use
 * outside src/analysis.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_STOPWORDS_H
#define BYLINE_STOPWORDS_H

#include <stddef.h>

/* The stopword list of LANGUAGE (a name, "english", or its code, "en"):
 * *N words, unfolded and in no order, static; NULL (and 0) when LANGUAGE
 * has none.  Cannot fail; thread-safe. */
__attribute__((visibility("hidden"))) const char *const *
bl_stoplist(const char *language, size_t *n);

#endif
