/*
 * UTF-8 helpers shared by the analysis and corpus layers.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_UTF8_H
#define BYLINE_UTF8_H

#include <stddef.h>

/* Length (2 to 4) of the well-formed multi-byte UTF-8 sequence at P, with N
 * bytes available, or 0 when the bytes there are not one (an ASCII byte, a
 * stray continuation byte, a truncated, overlong or surrogate sequence, or
 * a value past U+10FFFF).  Cannot fail. */
size_t bl_utf8_seq_len(const unsigned char *p, size_t n);

/* Encode code point CP (at most U+10FFFF) as UTF-8 into OUT; returns the
 * length (1 to 4).  Cannot fail. */
size_t bl_utf8_encode(unsigned cp, char out[4]);

/* The number of characters in the first N bytes of S: bytes that are not
 * UTF-8 continuation bytes (a column, as a terminal shows it).  Cannot
 * fail. */
size_t bl_utf8_chars(const char *s, size_t n);

#endif
