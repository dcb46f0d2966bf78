/*
 * What Byline's programs share: messages, exit codes, option values.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_CLI_H
#define BYLINE_CLI_H

#include <stdio.h>

/* Exit codes of every Byline program. */
enum {
    EXIT_ALL_OK = 0,  /* Everything worked. */
    EXIT_PARTIAL = 1, /* Some input skipped (index) / no hits (search). */
    EXIT_FATAL = 2,   /* Usage error, or nothing could be done. */
    EXIT_SHARDS = 3   /* A search answered without some remote shards. */
};

/* --shard-timeout SECONDS (a decimal number, above 0 and at most an
 * hour) in milliseconds; exits with EXIT_FATAL and a message otherwise. */
unsigned cli_shard_timeout(const char *arg);

/* The program's name, for messages. */
extern const char *cli_prog;

/* Non-zero while a progress line (ending without a newline) is on a
 * terminal: messages then clear it first, and it is drawn again later. */
extern _Atomic int cli_progress_shown;

/* Print "prog: message\n" to stderr (clearing a progress line first). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Seconds on the monotonic clock (for intervals).  Cannot fail. */
double cli_now(void);

/* Print "prog version (xapian X)" to stdout. */
void cli_version(void);

/* Parse a non-negative integer option value; exits with EXIT_FATAL and a
 * message naming OPT on a bad one. */
unsigned cli_uint(const char *opt, const char *value);

/* VALUE as a size in bytes, with an optional K, M, G or T suffix (powers of
 * 1024; "512M", "1G", "1GiB"); exits with a message naming OPT if it is
 * not one. */
unsigned long cli_size(const char *opt, const char *value);

/* Parse a floating-point option value the same way. */
double cli_double(const char *opt, const char *value);

/* The index of VALUE in NAMES (NULL-terminated): one of a few words an
 * option takes; exits with EXIT_FATAL and "OPT: expected a, b or c, not
 * 'VALUE'" if it is none of them. */
unsigned cli_choice(const char *opt, const char *value,
                    const char *const *names);

/* The index path: VALUE if given, else $BYLINE_DB, else "byline.db". */
const char *cli_db_path(const char *value);

#endif
