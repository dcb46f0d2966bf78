/*
 * Fault injection: named points of the index layer's writes that tests
 * make fail on demand, to check that every failure leaves the index as of
 * its last commit and records nothing as done that is not.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The points exist only in a test build: one configured with
 * -DBYLINE_FAULT_POINTS=ON (tools/test.sh does).  Elsewhere, a release
 * build or the Debian packages, bl_fault() is the constant 0 below: a
 * point compiles to nothing, nothing reads BYLINE_FAULT, and the other
 * functions are not there (a test that needs them skips, saying why).
 *
 * In a test build a point fails when armed: by bl_fault_arm() from a unit
 * test, or by the environment variable BYLINE_FAULT="POINT[:N[:ERRNO]]"
 * (read at the first pass through any point), which makes the Nth pass
 * (default the first) through POINT fail once, with ERRNO "eio" (default)
 * or "enospc".  A pass costs a pthread_once() check and an atomic
 * increment (passes are counted, armed or not).  Safe from several
 * threads.
 */
#ifndef BYLINE_FAULT_H
#define BYLINE_FAULT_H

typedef enum bl_fault_point {
    BL_FAULT_SEGMENT_CREATE, /* "segment-create": a new segment database */
    BL_FAULT_SEGMENT_COMMIT, /* "segment-commit": a writer's segment */
    BL_FAULT_COMPACT,        /* "compact": a merge of parts */
    BL_FAULT_PART_COMMIT,    /* "part-commit": deletions in older parts */
    BL_FAULT_STUB_WRITE,     /* "stub-write": writing the new stub */
    BL_FAULT_STUB_RENAME,    /* "stub-rename": renaming it into place */
    BL_FAULT_FSYNC,          /* "fsync": the stub file or its directory */
    BL_FAULT_MANIFEST,       /* "manifest": a file's manifest entry */
    BL_FAULT_META_COMMIT,    /* "meta-commit": the meta database */
    BL_FAULT_NPOINTS
} bl_fault_point_t;

/* The name of P ("stub-write"), or NULL past the last.  Cannot fail. */
const char *bl_fault_name(bl_fault_point_t p);

#ifndef BYLINE_FAULT_POINTS
/* No fault points in this build: every pass goes on.  Cannot fail. */
static inline int bl_fault(bl_fault_point_t p)
{
    (void)p;
    return 0;
}
#else
/* The errno value point P is to fail with now (EIO, ENOSPC), or 0: go on.
 * Cannot fail. */
int bl_fault(bl_fault_point_t p);

/* Make the NTH pass (1 = the next) through P fail with errno ERR (0 for
 * EIO); NTH 0 disarms P.  Cannot fail. */
void bl_fault_arm(bl_fault_point_t p, unsigned nth, int err);

/* Disarm every point and forget the passes counted.  Cannot fail. */
void bl_fault_reset(void);

/* How many times P was passed since the last reset.  Cannot fail. */
unsigned long bl_fault_passes(bl_fault_point_t p);

#endif /* BYLINE_FAULT_POINTS */

#endif
