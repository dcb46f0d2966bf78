/*
 * A small JSON reader for one object per line: top-level members with
 * string, number and boolean values, and arrays of those, are handed out;
 * nested objects are skipped.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_JSON_H
#define BYLINE_JSON_H

#include <stddef.h>

#include "byline/status.h"

/* Called for each scalar of a top-level member KEY (each element of an
 * array in turn, with INDEX counting them; 0 for a plain value).  VALUE is
 * valid UTF-8 (invalid bytes and lone surrogates become U+FFFD), NUL-
 * terminated, valid during the call.  Return non-zero to stop. */
typedef int (*bl_json_member_fn)(const char *key, const char *value,
                                 size_t len, size_t index, void *ctx);

/* Parse the JSON object in LEN bytes of TEXT.  Returns BL_OK, BL_END (FN
 * stopped), BL_EFORMAT (not a JSON object; bl_last_error() says what and at
 * which column) or BL_ENOMEM. */
bl_status_t bl_json_object(const char *text, size_t len, bl_json_member_fn fn,
                           void *ctx);

#endif
