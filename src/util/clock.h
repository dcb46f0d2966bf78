/*
 * The time on the monotonic clock, for deadlines and intervals.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_CLOCK_H
#define BYLINE_CLOCK_H

#include <time.h>

/* Now, on the monotonic clock, in nanoseconds.  Cannot fail. */
static inline long long bl_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The same in seconds. */
static inline double bl_now(void)
{
    return (double)bl_now_ns() / 1e9;
}

#endif
