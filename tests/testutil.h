/*
 * Helpers shared by Byline's tests: temporary directories, files, and
 * xapian-tcpsrv servers on loopback.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_TESTUTIL_H
#define BYLINE_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* S lent to a field that is char * because its owner frees it (an
 * article's, an argv's), where the test never frees nor writes it. */
static inline char *tu_lend(const char *s)
{
    return (char *)(uintptr_t)s;
}

/* Make a fresh temporary directory; returns its malloc'ed path (aborts on
 * failure). */
char *tu_mkdtemp(void);

/* Remove PATH and everything under it.  Returns 0 on success. */
int tu_rmrf(const char *path);

/* malloc'ed "DIR/NAME". */
char *tu_join(const char *dir, const char *name);

/* Write LEN bytes of DATA to PATH (aborts on failure). */
void tu_write_file(const char *path, const void *data, size_t len);

/* Read the whole file at PATH, NUL-terminated, malloc'ed; NULL on error. */
char *tu_read_file(const char *path, size_t *len);

/* A TCP port on 127.0.0.1 that nothing listens on right now. */
unsigned tu_free_port(void);

/* Non-zero if xapian-tcpsrv can be run. */
int tu_have_tcpsrv(void);

/* Start xapian-tcpsrv on 127.0.0.1 serving the N databases in PATHS (with
 * --writable if WRITABLE), wait until it accepts connections; the port goes
 * to *PORT.  Returns the server's pid, or -1 on failure. */
pid_t tu_start_tcpsrv(const char *const *paths, size_t n, int writable,
                      unsigned *port);

/* As tu_start_tcpsrv(), read-only, on PORT (a shard coming back);
 * tries for about 5 s while PORT is still taken. */
pid_t tu_start_tcpsrv_at(const char *const *paths, size_t n, unsigned port);

/* Stop a server started by tu_start_tcpsrv(). */
void tu_stop_server(pid_t pid);

/* Stop every server still running (for test teardown, so that a failed
 * test leaves no server behind). */
void tu_stop_all_servers(void);

/* Run ARGV (NULL-terminated) with stdin from /dev/null, capturing stdout and
 * stderr into malloc'ed strings (either may be NULL to discard).  Returns the
 * exit status, or -1 if the program did not exit normally. */
int tu_run(char *const argv[], char **out, char **err);

#endif
