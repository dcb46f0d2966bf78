/*
 * Folding field values as their terms hold them.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/schema.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

size_t bl_fold_value(const char *value, size_t len, char *out, size_t size)
{
    size_t n = 0;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)value;
    if (size == 0)
        return 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i),
                                              &cp);
        utf8proc_uint8_t enc[4 * 4];
        size_t elen = 0;
        if (k <= 0) {
            /* Not UTF-8: the byte as it is. */
            enc[0] = s[i];
            elen = 1;
            k = 1;
        } else {
            utf8proc_int32_t folded[4];
            int last = 0;
            utf8proc_ssize_t m = utf8proc_decompose_char(
                cp, folded, 4, UTF8PROC_CASEFOLD, &last);
            if (m <= 0 || m > 4) {
                folded[0] = cp;
                m = 1;
            }
            for (utf8proc_ssize_t j = 0; j < m; j++)
                elen += (size_t)utf8proc_encode_char(folded[j], enc + elen);
        }
        if (n + elen + 1 > size)
            break; /* Cut, on a character boundary. */
        memcpy(out + n, enc, elen);
        n += elen;
        i += (size_t)k;
    }
    out[n] = '\0';
    return n;
}
