/*
 * Recording a failure: the library's side of bl_last_error().  Not public
 * API (byline/status.h is): programs read failures, only the library
 * records them.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_FAIL_H
#define BYLINE_FAIL_H

#include "byline/status.h"

/* Record a formatted detail of a failure in this thread (what
 * bl_last_error() then says) and return STATUS.  Thread-safe: each thread
 * has its own detail.  Cannot fail (a long detail is cut). */
__attribute__((visibility("hidden"))) bl_status_t
bl_fail(bl_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
