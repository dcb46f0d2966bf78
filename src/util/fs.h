/*
 * File-system helpers.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_FS_H
#define BYLINE_FS_H

#include <stddef.h>

/* The longest path Byline takes for an index, a corpus or a file in them
 * (Linux's PATH_MAX): longer ones are refused with a message. */
#define BL_PATH_MAX 4096

/* A buffer for such a path with a name of up to 255 bytes (NAME_MAX)
 * and a suffix ("/", ".tmp") joined to it. */
#define BL_PATH_BUF (BL_PATH_MAX + 256 + 64)

/* Remove PATH and, if it is a directory, everything under it (symbolic
 * links are removed, not followed).  A missing PATH is no error.  Returns 0,
 * or -1 with errno set. */
int bl_rmtree(const char *path);

/* Flush the directory entry list of DIR to disk (after a rename in it).
 * Returns 0, or -1 with errno set. */
int bl_fsync_dir(const char *dir);

/* Replace the file PATH by LEN bytes of DATA, atomically: written to
 * PATH.tmp, flushed to disk, renamed into place, the directory flushed.
 * Readers see the old file or the new one, never a part.  Returns 0; -1
 * with errno set (ENOSPC when the disk is full), PATH then as it was; or
 * 1 with errno set when PATH is the new file but its directory could not
 * be flushed (the new name may not survive a power cut).
 * Fault points: stub-write, fsync, stub-rename. */
int bl_write_atomic(const char *path, const char *data, size_t len);

#endif
