/*
 * What Byline's programs share: messages, exit codes, JSON output.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "byline/schema.h"

const char *cli_prog = "byline";
_Atomic int cli_progress_shown;

void cli_error(const char *fmt, ...)
{
    va_list ap;
    /* One message at a time from several threads, on a line of its own. */
    flockfile(stderr);
    if (cli_progress_shown)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "%s: ", cli_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    funlockfile(stderr);
}

void cli_version(void)
{
    printf("%s %s (xapian %s)\n", cli_prog, bl_version(), bl_xapian_version());
    printf("Copyright (C) 2026 The Byline authors.\n"
           "License GPL-2.0-or-later: this is free software; see the "
           "source.\n");
}

unsigned cli_shard_timeout(const char *arg)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v > 0) || v > 3600) {
        cli_error("--shard-timeout: not a number of seconds above 0 and "
                  "at most 3600: '%s'", arg);
        exit(EXIT_FATAL);
    }
    unsigned ms = (unsigned)(v * 1000 + 0.5);
    return ms ? ms : 1;
}

unsigned cli_uint(const char *opt, const char *value)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (errno || !*value || *end || value[0] == '-' || v > 1000000000ul) {
        cli_error("%s: not a valid number: '%s'", opt, value);
        exit(EXIT_FATAL);
    }
    return (unsigned)v;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned cli_choice(const char *opt, const char *value,
                    const char *const *names)
{
    char expected[256] = "";
    size_t n = 0, len = 0;
    for (; names[n]; n++)
        if (strcmp(value, names[n]) == 0)
            return (unsigned)n;
    for (size_t i = 0; i < n && len < sizeof expected; i++)
        len += (size_t)snprintf(expected + len, sizeof expected - len, "%s%s",
                                i == 0      ? ""
                                : i + 1 < n ? ", "
                                            : " or ",
                                names[i]);
    cli_error("%s: expected %s, not '%s'", opt, expected, value);
    exit(EXIT_FATAL);
}

unsigned long cli_size(const char *opt, const char *value)
{
    static const char units[] = "KMGT";
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    unsigned shift = 0;
    const char *u = *end ? strchr(units, *end & ~0x20) : NULL;
    if (u) {
        shift = 10 * (unsigned)(u - units + 1);
        end++;
        if (*end == 'i')
            end++;
        if (*end == 'B')
            end++;
    }
    /* The limit (1 PiB) is checked before the shift, which would wrap
     * ("16777217T" is not 1 TiB). */
    if (errno || !*value || *end || value[0] == '-' ||
        v > ((1ull << 50) >> shift)) {
        cli_error("%s: not a valid size: '%s' (a number of bytes, or with "
                  "K, M, G: 512M)",
                  opt, value);
        exit(EXIT_FATAL);
    }
    return (unsigned long)(v << shift);
}

double cli_double(const char *opt, const char *value)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(value, &end);
    if (errno || !*value || *end) {
        cli_error("%s: not a valid number: '%s'", opt, value);
        exit(EXIT_FATAL);
    }
    return v;
}

const char *cli_db_path(const char *value)
{
    const char *env = getenv("BYLINE_DB");
    if (value)
        return value;
    if (env && *env)
        return env;
    return "byline.db";
}
