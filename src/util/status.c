/*
 * Status codes and the per-thread failure detail.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/status.h"
#include "util/fail.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[1024];

const char *bl_status_to_string(bl_status_t status)
{
    switch (status) {
    case BL_OK: return "ok";
    case BL_END: return "end";
    case BL_ENOMEM: return "out of memory";
    case BL_EIO: return "I/O error";
    case BL_EARG: return "invalid argument";
    case BL_EFORMAT: return "bad input format";
    case BL_ENOTFOUND: return "not found";
    case BL_ELOCKED: return "index is locked by another writer";
    case BL_ECORRUPT: return "index is corrupt";
    case BL_EMODIFIED: return "index was modified while reading";
    case BL_ENETWORK: return "network error";
    case BL_ESYNTAX: return "query syntax error";
    case BL_EINTERNAL: return "internal error";
    case BL_ELIMIT: return "query over a limit";
    }
    return "unknown status";
}

const char *bl_last_error(void)
{
    return last_error;
}

bl_status_t bl_fail(bl_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}
