/*
 * Byline status codes, shared by every layer.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_STATUS_H
#define BYLINE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

typedef enum bl_status {
    BL_OK = 0,
    BL_END,          /* No more items. */
    BL_ENOMEM,       /* Out of memory. */
    BL_EIO,          /* A file or database could not be read or written. */
    BL_EARG,         /* A bad argument. */
    BL_EFORMAT,      /* Input that is not in the expected format. */
    BL_ENOTFOUND,    /* No such file, index or document. */
    BL_ELOCKED,      /* Another indexer holds the index. */
    BL_ECORRUPT,     /* The index is damaged or not a Byline index. */
    BL_EMODIFIED,    /* The index changed while being read: retry. */
    BL_ENETWORK,     /* A remote shard could not be reached. */
    BL_ESYNTAX,      /* A query could not be parsed. */
    BL_EINTERNAL,    /* Anything else. */
    BL_ELIMIT        /* A query over a limit its searcher was given
                        (bl_searcher_set_limits()): too broad to run. */
} bl_status_t;

/* A short constant description of STATUS.  This function cannot fail. */
const char *bl_status_to_string(bl_status_t status);

/* The detail of the last failure in this thread (a path, the engine's
 * message), or "".  Valid until the next failure in this thread. */
const char *bl_last_error(void);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
