/*
 * Reading a Xapian stub file: one database per line, "TYPE TARGET"
 * ("auto s0-12", "remote host:8101"), blank lines and '#' comments
 * skipped.  The index's own list of parts, and the list of remote shards,
 * are stubs; the indexer and the searcher read them through this.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_STUB_H
#define BYLINE_STUB_H

#include "byline/status.h"

/* The name of a stub in an index directory. */
#define BL_STUB_FILE "XAPIANDB"

/* The longest stub line read whole (longer: BL_ECORRUPT). */
#define BL_STUB_LINE_MAX 1024

/* Called with each entry: TYPE (the first word) and TARGET (the rest,
 * leading blanks skipped; "" when the line has one word), both valid
 * during the call; LINE is the 1-based line number.  Returns 0 to go on,
 * non-zero to stop (bl_stub_each() then returns BL_END). */
typedef int (*bl_stub_fn)(const char *type, const char *target, unsigned line,
                          void *ctx);

/* Call FN for each entry of the stub at PATH: PATH/XAPIANDB when PATH is
 * a directory holding one, else PATH itself when it is a file.  Returns
 * BL_OK, BL_END (FN stopped), BL_ENOTFOUND (no stub there), BL_EIO or
 * BL_ECORRUPT (a line too long). */
bl_status_t bl_stub_each(const char *path, bl_stub_fn fn, void *ctx);

#endif
