/*
 * Out of memory, as SQLite's malloc tests do it: every allocation of the
 * analyzer, of each corpus reader and of the query parser made to fail in
 * turn (the Nth, for N = 1, 2, ... until a run makes fewer than N), once
 * and then for good (the Nth and every later one).  Each call either
 * fails with BL_ENOMEM or does exactly what it does with all the memory
 * it wants (a cache may do without), never crashes, and leaks nothing:
 * the sanitized build runs this under LeakSanitizer.
 *
 * The allocator is wrapped at link time (-Wl,--wrap=malloc and the
 * others, tests/CMakeLists.txt): every allocation in the static layer
 * libraries this test links comes here.  Those inside other libraries
 * (zlib, utf8proc, libstemmer, the C library's own) do not: their
 * failures are theirs to test.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__)
#define BYLINE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BYLINE_LSAN 1
#endif
#endif
#ifdef BYLINE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#include "byline/analysis.h"
#include "byline/corpus.h"
#include "byline/search.h"
#include "testutil.h"
#include "util/hash.h"

/* ---- the failing allocator ------------------------------------------------ */

static int armed;            /* Count and fail allocations. */
static int for_good;         /* Fail every one from the FAIL_AT'th on. */
static unsigned long count;  /* Allocations since armed. */
static unsigned long fail_at;
static unsigned long failed; /* Allocations that failed since armed. */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* Non-zero if this allocation is to fail. */
static int fails_now(void)
{
    if (!armed)
        return 0;
    count++;
    if (count == fail_at || (for_good && count > fail_at)) {
        failed++;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return fails_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return fails_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fails_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return fails_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return fails_now() ? NULL : __real_strndup(s, n);
}

/* ---- what a run did, without allocating -------------------------------- */

/* An FNV-1a hash of what a run produced, and how much. */
typedef struct digest {
    uint64_t h;
    unsigned long n;
} digest_t;

static void digest_init(digest_t *d)
{
    d->h = BL_FNV64_BASIS;
    d->n = 0;
}

static void digest_bytes(digest_t *d, const void *data, size_t len)
{
    static const unsigned char sep = 0xff;
    d->h = bl_fnv1a_more(d->h, data, len);
    /* A separator: "ab","c" differs from "a","bc". */
    d->h = bl_fnv1a_more(d->h, &sep, 1);
}

static void digest_str(digest_t *d, const char *s)
{
    digest_bytes(d, s ? s : "(null)", s ? strlen(s) : 6);
}

/* Non-zero if memory leaked so far: LeakSanitizer looks now, in the
 * sanitized build, so that a leak is pinned on the run that made it
 * (it reports the stacks); 0 elsewhere.  */
static int leaked(void)
{
#ifdef BYLINE_LSAN
    return __lsan_do_recoverable_leak_check() != 0;
#else
    return 0;
#endif
}

/* A run of one operation: its status, and what it produced into *D. */
typedef bl_status_t (*run_fn)(const void *arg, digest_t *d);

/* Run RUN on ARG with the Nth allocation failing (and every later one
 * when FOR_GOOD), for N = 1, 2, ..., until a run makes fewer than N
 * allocations: each must end in BL_ENOMEM, or in what the run with all
 * its memory gives.  NAME names the case in a failure.  Returns the
 * number of runs in which an allocation failed. */
static unsigned long fail_each(const char *name, run_fn run, const void *arg,
                               int good)
{
    digest_t ref, d;
    digest_init(&ref);
    bl_status_t want = run(arg, &ref);
    assert_int_equal(want, BL_OK);
    unsigned long runs = 0;
    for (unsigned long n = 1;; n++) {
        digest_init(&d);
        count = failed = 0;
        fail_at = n;
        for_good = good;
        armed = 1;
        bl_status_t rc = run(arg, &d);
        armed = 0;
        if (leaked())
            fail_msg("%s: allocation %lu%s failed: memory leaked", name, n,
                     good ? " on" : "");
        if (failed == 0) {
            /* Past the last allocation: the run is the reference run. */
            if (rc != BL_OK || d.h != ref.h || d.n != ref.n)
                fail_msg("%s: a run with all its memory differs", name);
            break;
        }
        runs++;
        if (rc == BL_ENOMEM)
            continue;
        if (rc != BL_OK)
            fail_msg("%s: allocation %lu%s failed: status %d (%s), want "
                     "BL_ENOMEM: %s",
                     name, n, good ? " on" : "", (int)rc,
                     bl_status_to_string(rc), bl_last_error());
        if (d.h != ref.h || d.n != ref.n)
            fail_msg("%s: allocation %lu%s failed and the run went on with "
                     "a different result (%lu items, want %lu)",
                     name, n, good ? " on" : "", d.n, ref.n);
    }
    return runs;
}

/* ---- the analyzer ---------------------------------------------------------- */

/* Text that takes every path of the analyzer: stopwords, accents,
 * compounds, handles, numbers, apostrophes, long words, other scripts. */
static const char TEXT[] =
    "The harbor pilots' union said on Monday that the strike would go on. "
    "Caf\xc3\xa9 owners in Z\xc3\xbcrich and S\xc3\xa3o Paulo protested; "
    "right-wing groups, @portwatch and #harbor2019 said $5.2 billion was "
    "at stake (U.S. officials, e-mail: info@example.org). "
    "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xe6\x9d\xb1\xe4\xba\xac "
    "Antidisestablishmentarianism supercalifragilisticexpialidocious "
    "it's the pilots' and the workers' choice: 1,200 ships, 3.5% more.";

typedef struct analyzer_case {
    bl_analyzer_options_t o;
    int some; /* bl_analyze_some(), with a filter. */
} analyzer_case_t;

static int on_token(const bl_token_t *t, void *ctx)
{
    digest_t *d = ctx;
    digest_bytes(d, t->word, t->word_len);
    digest_bytes(d, t->stem, t->stem_len);
    size_t at[3] = {t->start, t->end, (size_t)t->pos * 4 + t->flags};
    digest_bytes(d, at, sizeof at);
    d->n++;
    return 0;
}

static bl_status_t run_analyzer(const void *arg, digest_t *d)
{
    const analyzer_case_t *c = arg;
    bl_analyzer_t *a = NULL;
    bl_status_t rc = bl_analyzer_new_with(&c->o, &a);
    if (rc == BL_OK && c->some) {
        bl_stem_filter_t want;
        memset(&want, 0, sizeof want);
        bl_stem_filter_add(&want, "harbor");
        bl_stem_filter_add(&want, "pilot");
        rc = bl_analyze_some(a, TEXT, sizeof TEXT - 1, 1, &want, on_token, d,
                             NULL);
    } else if (rc == BL_OK) {
        rc = bl_analyze(a, TEXT, sizeof TEXT - 1, 1, on_token, d, NULL);
    }
    /* Twice: the second time from the stem cache. */
    if (rc == BL_OK)
        rc = bl_analyze(a, TEXT, sizeof TEXT - 1, 1, on_token, d, NULL);
    bl_analyzer_free(a);
    return rc;
}

static void test_analyzer(void **state)
{
    (void)state;
    static const analyzer_case_t CASES[] = {
        {{"english", 0, 0, 0}, 0},
        {{"english", 1, 1, 1}, 0},
        {{"german", 1, 1, 0}, 0},
        {{"none", 0, 0, 0}, 0},
        {{"english", 0, 1, 0}, 1},
    };
    unsigned long runs = 0;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "analyzer %s #%zu", CASES[i].o.language,
                 i);
        runs += fail_each(name, run_analyzer, &CASES[i], 0);
        runs += fail_each(name, run_analyzer, &CASES[i], 1);
    }
    print_message("analyzer: %lu runs with a failed allocation\n", runs);
}

/* ---- every corpus reader --------------------------------------------------- */

typedef struct reader_case {
    bl_format_t format;
    const char *file; /* Under tests/fuzz/seeds/. */
    const char *columns, *fields;
    char *data; /* Its text (read before the runs). */
    size_t len;
} reader_case_t;

static int on_article(bl_article_t *a, void *ctx)
{
    digest_t *d = ctx;
    const char *fields[] = {a->id,      a->title, a->author, a->date,
                            a->updated, a->caption, a->body, a->path,
                            a->url,     a->source};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        digest_str(d, fields[i]);
    for (size_t i = 0; i < a->ncategories; i++)
        digest_str(d, a->categories[i]);
    d->n++;
    return 0;
}

static void on_problem(const char *path, unsigned long line,
                       const char *message, void *ctx)
{
    digest_t *d = ctx;
    (void)path;
    digest_bytes(d, &line, sizeof line);
    digest_str(d, message);
    d->n++;
}

static bl_status_t run_reader(const void *arg, digest_t *d)
{
    const reader_case_t *c = arg;
    bl_read_options_t o = {c->format, 1 << 20, c->columns, c->fields};
    bl_source_t *src = NULL;
    bl_status_t rc = bl_source_open_memory(c->data, c->len, 256, &src);
    if (rc == BL_OK)
        rc = bl_read_source(src, c->format, "oom", "oom", &o, on_article,
                            on_problem, d);
    bl_source_close(src);
    return rc;
}

static void test_readers(void **state)
{
    (void)state;
    reader_case_t cases[] = {
        {BL_FORMAT_TEXT, "reader_text/text.txt", NULL, NULL, NULL, 0},
        {BL_FORMAT_JSONL, "reader_jsonl/jsonl.txt", NULL, "title=t,body=b",
         NULL, 0},
        {BL_FORMAT_REUTERS, "reader_reuters/reuters.txt", NULL, NULL, NULL,
         0},
        {BL_FORMAT_TREC, "reader_trec/trec.txt", NULL, NULL, NULL, 0},
        {BL_FORMAT_CSV, "reader_csv/csv.txt", NULL, NULL, NULL, 0},
        {BL_FORMAT_CSV, "reader_csvcols/csvcols.txt",
         "category,title,body,date", NULL, NULL, 0},
        {BL_FORMAT_MAIL, "reader_mail/mail.txt", NULL, NULL, NULL, 0},
        {BL_FORMAT_HTML, "reader_html/html.txt", NULL, NULL, NULL, 0},
        {BL_FORMAT_SMART, "reader_smart/seed1", NULL, NULL, NULL, 0},
    };
    const char *seeds = getenv("BYLINE_FUZZ_SEEDS");
    assert_non_null(seeds);
    unsigned long runs = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reader_case_t *c = &cases[i];
        char *path = tu_join(seeds, c->file);
        c->data = tu_read_file(path, &c->len);
        assert_non_null(c->data);
        runs += fail_each(c->file, run_reader, c, 0);
        runs += fail_each(c->file, run_reader, c, 1);
        free(c->data);
        free(path);
    }
    print_message("readers: %lu runs with a failed allocation\n", runs);
}

/* ---- the query parser ------------------------------------------------------- */

typedef struct query_case {
    const char *text;
    unsigned flags;
    int plain;
} query_case_t;

static bl_status_t run_query(const void *arg, digest_t *d)
{
    const query_case_t *c = arg;
    bl_analyzer_options_t ao = {"english", 1, 1, 1};
    bl_analyzer_t *a = NULL;
    bl_query_t *q = NULL;
    bl_status_t rc = bl_analyzer_new_with(&ao, &a);
    if (rc == BL_OK && c->plain)
        rc = bl_query_parse_plain(a, c->text, c->flags, &q);
    else if (rc == BL_OK)
        rc = bl_query_parse(a, c->text, c->flags, &q, NULL);
    if (rc == BL_OK) {
        /* Described with all the memory it wants. */
        int was = armed;
        armed = 0;
        char *s = bl_query_describe(q);
        armed = was;
        assert_non_null(s);
        digest_str(d, s);
        d->n++;
        free(s);
    }
    bl_query_free(q);
    bl_analyzer_free(a);
    return rc;
}

static void test_query_parser(void **state)
{
    (void)state;
    static const query_case_t CASES[] = {
        {"harbor pilots strike", 0, 0},
        {"+harbor -strike \"pilots union\" title:ferry author:\"marta vance\" "
         "(immig* OR migra*) AND NOT storm",
         BL_QUERY_ALL | BL_QUERY_STOP, 0},
        {"pilots NEAR/5 strike && !fishing || \"the \\\"port\\\" of call\" "
         "source:reuters category:cocoa date:2018-07-01..2018-07-31 "
         "year:2016..2018 date:..2019-01 the of",
         BL_QUERY_STOP | BL_QUERY_EXACT, 0},
        {"Caf\xc3\xa9 owners' \"right-wing\" protest $5 @portwatch", 0, 0},
        {"What did the harbor pilots say about the strike? (title:x", 0, 1},
    };
    unsigned long runs = 0;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        runs += fail_each(CASES[i].text, run_query, &CASES[i], 0);
        runs += fail_each(CASES[i].text, run_query, &CASES[i], 1);
    }
    print_message("query parser: %lu runs with a failed allocation\n", runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analyzer),
        cmocka_unit_test(test_readers),
        cmocka_unit_test(test_query_parser),
    };
    return cmocka_run_group_tests_name("oom", tests, NULL, NULL);
}
