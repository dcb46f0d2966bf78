/*
 * Fault injection points (see fault.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/fault.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[BL_FAULT_NPOINTS] = {
    "segment-create", "segment-commit", "compact",  "part-commit",
    "stub-write",     "stub-rename",    "fsync",    "manifest",
    "meta-commit"};

const char *bl_fault_name(bl_fault_point_t p)
{
    return p < BL_FAULT_NPOINTS ? NAMES[p] : NULL;
}

/* The rest is in test builds only (fault.h). */
#ifdef BYLINE_FAULT_POINTS

static atomic_int armed;                         /* Any point armed. */
static atomic_ulong passes[BL_FAULT_NPOINTS];
static atomic_ulong fail_at[BL_FAULT_NPOINTS];   /* 0: never. */
static atomic_int fail_with[BL_FAULT_NPOINTS];
static pthread_once_t env_once = PTHREAD_ONCE_INIT;

/* Arm the point BYLINE_FAULT names, if any. */
static void read_env(void)
{
    const char *v = getenv("BYLINE_FAULT");
    if (!v || !*v)
        return;
    for (int p = 0; p < BL_FAULT_NPOINTS; p++) {
        size_t n = strlen(NAMES[p]);
        if (strncmp(v, NAMES[p], n) != 0 || (v[n] && v[n] != ':'))
            continue;
        unsigned long nth = v[n] == ':' ? strtoul(v + n + 1, NULL, 10) : 1;
        const char *e = v[n] == ':' ? strchr(v + n + 1, ':') : NULL;
        int err = e && strcmp(e + 1, "enospc") == 0 ? ENOSPC : EIO;
        bl_fault_arm((bl_fault_point_t)p, nth ? (unsigned)nth : 1, err);
    }
}

int bl_fault(bl_fault_point_t p)
{
    pthread_once(&env_once, read_env);
    unsigned long n = atomic_fetch_add(&passes[p], 1) + 1;
    if (!atomic_load_explicit(&armed, memory_order_relaxed))
        return 0;
    unsigned long at = atomic_load(&fail_at[p]);
    if (at == 0 || n != at)
        return 0;
    atomic_store(&fail_at[p], 0);
    return atomic_load(&fail_with[p]);
}

void bl_fault_arm(bl_fault_point_t p, unsigned nth, int err)
{
    if (p >= BL_FAULT_NPOINTS)
        return;
    atomic_store(&fail_with[p], err ? err : EIO);
    atomic_store(&fail_at[p], nth ? atomic_load(&passes[p]) + nth : 0);
    atomic_store(&armed, 1);
}

void bl_fault_reset(void)
{
    for (int p = 0; p < BL_FAULT_NPOINTS; p++) {
        atomic_store(&fail_at[p], 0);
        atomic_store(&passes[p], 0);
    }
    atomic_store(&armed, 0);
}

unsigned long bl_fault_passes(bl_fault_point_t p)
{
    return p < BL_FAULT_NPOINTS ? atomic_load(&passes[p]) : 0;
}

#endif /* BYLINE_FAULT_POINTS */
