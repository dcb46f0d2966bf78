/*
 * File-system helpers.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include "util/fs.h"

#include "util/fault.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Remove one entry met by nftw() (children come before their
 * directory). */
static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type == FTW_DP)
        return rmdir(path);
    return unlink(path);
}

int bl_rmtree(const char *path)
{
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int bl_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The directory part of PATH into DIR (SIZE bytes). */
static void dir_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

int bl_write_atomic(const char *path, const char *data, size_t len)
{
    char tmp[BL_PATH_BUF], dir[BL_PATH_BUF];
    int err = 0;
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    for (size_t done = 0; !err && done < len;) {
        int injected = bl_fault(BL_FAULT_STUB_WRITE);
        ssize_t n = injected ? -1 : write(fd, data + done, len - done);
        if (n < 0 && !injected && errno == EINTR)
            continue;
        if (n < 0)
            err = injected ? injected : errno;
        else
            done += (size_t)n;
    }
    if (!err && len == 0)
        err = bl_fault(BL_FAULT_STUB_WRITE);
    if (!err) {
        int injected = bl_fault(BL_FAULT_FSYNC);
        if (injected || fsync(fd) != 0)
            err = injected ? injected : errno;
    }
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err) {
        int injected = bl_fault(BL_FAULT_STUB_RENAME);
        if (injected || rename(tmp, path) != 0)
            err = injected ? injected : errno;
    }
    if (err) {
        unlink(tmp);
        errno = err;
        return -1;
    }
    /* The rename is done: a failing directory flush means the new name may
     * not survive a power cut, and is reported so, apart (PATH is new). */
    dir_of(path, dir, sizeof dir);
    int injected = bl_fault(BL_FAULT_FSYNC);
    if (injected) {
        errno = injected;
        return 1;
    }
    return bl_fsync_dir(dir) == 0 ? 0 : 1;
}
