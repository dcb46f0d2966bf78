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

#include "xapian-c/xapian-c.h"

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
    printf("%s %s (xapian %s)\n", cli_prog, BYLINE_VERSION,
           xc_xapian_version());
    printf("Copyright (C) 2026 The Byline authors.\n"
           "License GPL-2.0-or-later: this is free software; see the "
           "source.\n");
}

void cli_json_stringn(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

void cli_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    cli_json_stringn(f, s, strlen(s));
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
                  "K, M, G: 512M)", opt, value);
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
