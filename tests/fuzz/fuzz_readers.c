/*
 * libFuzzer harnesses for the corpus readers, one per reader: this file is
 * built once per format, BYLINE_FUZZ_READER naming it (0 text, 1 JSON
 * lines, 2 Reuters SGML, 3 TREC SGML, 4 CSV with a header, 5 CSV with
 * declared columns, 6 mail, 7 HTML, 8 SMART); the input is the file.  Whatever the bytes, every
 * article must come out as valid UTF-8 with an id, and nothing may crash or
 * leak.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byline/corpus.h"

/* Abort unless S is NULL or valid UTF-8 without NUL. */
static void check_utf8(const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
        if (*p >= 0x80 && (*p < 0xc2 || *p > 0xf4))
            abort();
        for (size_t k = 1; k < n; k++) {
            if ((p[k] & 0xc0) != 0x80)
                abort();
        }
        p += n;
    }
}

static int on_article(bl_article_t *a, void *ctx)
{
    (void)ctx;
    if (!a->id || !*a->id || !a->path)
        abort();
    /* Empty records are problems, not articles (a caption alone is text:
     * an LA Times photo). */
    if (!(a->title && *a->title) && !(a->body && *a->body) &&
        !(a->caption && *a->caption))
        abort();
    const char *fields[] = {a->id, a->title, a->author, a->date, a->updated,
                            a->caption, a->body, a->url, a->source};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        check_utf8(fields[i]);
    for (size_t i = 0; i < a->ncategories; i++)
        check_utf8(a->categories[i]);
    if (a->date && strlen(a->date) != 10)
        abort();
    return 0;
}

static void on_problem(const char *path, unsigned long line,
                       const char *message, void *ctx)
{
    (void)path;
    (void)ctx;
    if (!message || !*message || line == 0)
        abort();
}

/* libFuzzer's entry point: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bl_format_t FORMATS[] = {
        BL_FORMAT_TEXT, BL_FORMAT_JSONL, BL_FORMAT_REUTERS, BL_FORMAT_TREC,
        BL_FORMAT_CSV,  BL_FORMAT_CSV,   BL_FORMAT_MAIL,    BL_FORMAT_HTML,
        BL_FORMAT_SMART};
    bl_source_t *src = NULL;
    const unsigned which = BYLINE_FUZZ_READER;
    bl_read_options_t o = {FORMATS[which], 1 << 20,
                           which == 5 ? "category,title,body,date" : NULL,
                           which == 1 ? "title=t,body=b" : NULL};
    /* Short lines, so that the line limit is exercised too. */
    if (bl_source_open_memory((const char *)data, size, 256, &src) !=
        BL_OK)
        return 0;
    bl_read_source(src, o.format, "fuzz", "fuzz", &o, on_article,
                   on_problem, NULL);
    bl_source_close(src);
    return 0;
}
