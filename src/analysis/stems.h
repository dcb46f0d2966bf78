/*
 * What the analyzer knows of its Snowball stemmers, for the analysis
 * layer and its tests.  Not for use outside src/analysis and
 * tests/test_analysis.c.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_STEMS_H
#define BYLINE_STEMS_H

/* The languages (names and codes, and "none") whose stemmer only ever
 * changes the end of a word, never its first byte: the list that
 * bl_analyze_some()'s shortcut relies on.  NULL-terminated, static.
 * Cannot fail. */
const char *const *bl_stems_keeping_first_byte(void);

#endif
