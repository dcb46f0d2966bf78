/*
 * Tests of the corpus layer: dates, the text reader, file reading, walking.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "byline/corpus.h"
#include "testutil.h"

/* The path of fixture NAME (malloc'ed). */
static char *fixture(const char *name)
{
    const char *dir = getenv("BYLINE_TEST_DATA");
    assert_non_null(dir);
    return tu_join(dir, name);
}

/* Parse fixture NAME into A. */
static bl_status_t parse_fixture(const char *name, bl_article_t *a)
{
    char *path = fixture(name), *data = NULL;
    size_t len = 0;
    bl_status_t rc = bl_read_file(path, 1 << 20, &data, &len);
    if (rc == BL_OK)
        rc = bl_parse_text_article(data, len, name, path, a);
    free(data);
    free(path);
    return rc;
}

static void test_dates(void **state)
{
    static const char *const cases[][2] = {
        {"7/31/2018", "2018-07-31"},
        {" 12/1/1999 ", "1999-12-01"},
        {"2018-07-31", "2018-07-31"},
        {"July 31, 2018", "2018-07-31"},
        {"Jul 31, 2018", "2018-07-31"},
        {"Sept. 3, 2020", "2020-09-03"},
        {"2/29/2020", "2020-02-29"},
        {"26-FEB-1987 15:01:01.79", "1987-02-26"},
        {" 3-MAR-1987 09:12:38.21", "1987-03-03"},
        {"Tue, 31 Jul 2018 10:00:00 +0000", "2018-07-31"},
        {"31 Jul 2018", "2018-07-31"},
        {"Wed, 1 Aug 2018 09:05:00 -0400 (EDT)", "2018-08-01"},
        {"2018-07-31T10:00:00Z", "2018-07-31"},
        {"2018-07-31 10:00:00+02:00", "2018-07-31"},
        /* Not dates. */
        {"2/29/2019", NULL},
        {"13/1/2018", NULL},
        {"7/31/18", NULL},
        {"Updated:", NULL},
        {"Bowen Xiao", NULL},
        {"7/31/2018 and more", NULL},
        {"2018-07-31T", NULL},
        {"31-FOO-2018", NULL},
        {"31 Jul 2018 is when", NULL},
        {"Smarch 3, 2020", NULL},
        {"", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11] = "";
        int ok = bl_date_normalize(cases[i][0], out);
        if (cases[i][1] == NULL) {
            if (ok)
                fail_msg("\"%s\" taken as date %s", cases[i][0], out);
        } else {
            if (!ok || strcmp(out, cases[i][1]) != 0)
                fail_msg("\"%s\": got %s, want %s", cases[i][0],
                         ok ? out : "(none)", cases[i][1]);
        }
    }
}

static void test_scraped_layout(void **state)
{
    bl_article_t a;
    (void)state;
    assert_int_equal(parse_fixture("articles/scraped.txt", &a), BL_OK);
    assert_string_equal(a.id, "articles/scraped.txt");
    assert_string_equal(a.title, "Harbor Pilots Strike Halts Night Shipping "
                                 "at Port of Sandmouth");
    assert_string_equal(a.author, "Marta Vance");
    assert_string_equal(a.date, "2019-03-04");
    assert_string_equal(a.updated, "2019-03-05");
    assert_non_null(a.caption);
    assert_non_null(strstr(a.caption, "(Lena Okafor/Coastal Wire)"));
    /* The body: first paragraph first, the repeated title, caption, bio
     * and share junk kept out. */
    assert_int_equal(strncmp(a.body, "Harbor pilots at the Port", 25), 0);
    assert_non_null(strstr(a.body, "Talks are due to resume on Thursday."));
    assert_null(strstr(a.body, "Container ships wait"));
    assert_null(strstr(a.body, "business reporter"));
    assert_null(strstr(a.body, "twitter"));
    assert_null(strstr(a.body, "facebook"));
    /* Paragraphs are separated by blank lines. */
    assert_non_null(strstr(a.body, "idle until dawn.\n\nThe pilots"));
    bl_article_clear(&a);
    assert_null(a.title);
}

static void test_plain_layout(void **state)
{
    bl_article_t a;
    (void)state;
    assert_int_equal(parse_fixture("articles/plain.txt", &a), BL_OK);
    assert_string_equal(a.title, "Village bakery wins national bread prize");
    assert_null(a.author);
    assert_null(a.date);
    assert_null(a.caption);
    assert_int_equal(strncmp(a.body, "A family bakery", 15), 0);
    assert_non_null(strstr(a.body, "thirty hours."));
    bl_article_clear(&a);

    assert_int_equal(parse_fixture("articles/nested/deeper/flood.txt", &a),
                     BL_OK);
    assert_string_equal(a.author, "Tom Hale");
    assert_string_equal(a.date, "2019-11-20");
    assert_null(a.updated);
    assert_int_equal(strncmp(a.body, "Flood water", 11), 0);
    bl_article_clear(&a);
}

/* An article of more lines than the text reader holds at first (64). */
static void test_many_lines(void **state)
{
    char text[4096] = "A title of many lines\n\n";
    bl_article_t a;
    (void)state;
    for (int i = 0; i < 100; i++) {
        char l[32];
        snprintf(l, sizeof l, "Line %d of the body.\n", i);
        strcat(text, l);
    }
    assert_int_equal(bl_parse_text_article(text, strlen(text), "many",
                                           "many.txt", &a),
                     BL_OK);
    assert_string_equal(a.title, "A title of many lines");
    assert_int_equal(strncmp(a.body, "Line 0 of the body.", 19), 0);
    assert_non_null(strstr(a.body, "Line 99 of the body."));
    bl_article_clear(&a);
}

static void test_latin1_and_controls(void **state)
{
    bl_article_t a;
    (void)state;
    assert_int_equal(parse_fixture("articles/latin1.txt", &a), BL_OK);
    /* 0xe9 read as Latin-1 é; 0x93/0x94 as Windows-1252 curly quotes. */
    assert_string_equal(a.title, "Caf\xc3\xa9 owners protest new rules");
    assert_non_null(strstr(a.body, "\xe2\x80\x9cnew rules\xe2\x80\x9d"));
    bl_article_clear(&a);

    const char text[] = "Title\x01 here\r\n\r\nBody\x7f text\x0b end\n";
    assert_int_equal(bl_parse_text_article(text, sizeof text - 1, "x", "x",
                                           &a),
                     BL_OK);
    assert_string_equal(a.title, "Title  here");
    assert_string_equal(a.body, "Body  text  end");
    bl_article_clear(&a);
}

static void test_empty_and_blank(void **state)
{
    bl_article_t a;
    (void)state;
    assert_int_equal(parse_fixture("articles/empty.txt", &a), BL_EFORMAT);
    assert_null(a.title);
    assert_int_equal(bl_parse_text_article(" \n\n\t\n", 5, "x", "x", &a),
                     BL_EFORMAT);
    /* A title alone is an article with an empty body. */
    assert_int_equal(bl_parse_text_article("Just a title", 12, "x", "x", &a),
                     BL_OK);
    assert_string_equal(a.title, "Just a title");
    assert_string_equal(a.body, "");
    bl_article_clear(&a);
}

static void test_read_file(void **state)
{
    char *data = NULL, *path = fixture("articles/archive.txt");
    size_t len = 0;
    (void)state;
    assert_int_equal(bl_read_file(path, 1 << 20, &data, &len), BL_EFORMAT);
    assert_non_null(strstr(bl_last_error(), "binary"));
    assert_null(data);
    free(path);
    path = fixture("articles/plain.txt");
    assert_int_equal(bl_read_file(path, 100, &data, &len), BL_EFORMAT);
    assert_non_null(strstr(bl_last_error(), "larger"));
    assert_int_equal(bl_read_file(path, 1 << 20, &data, &len), BL_OK);
    assert_int_equal(len, strlen(data));
    assert_true(len > 100);
    free(data);
    free(path);
    assert_int_equal(bl_read_file("/nonexistent/file", 100, &data, &len),
                     BL_EIO);
}

typedef struct seen {
    char log[4096];
} seen_t;

static int log_walk(bl_walk_event_t ev, const char *path, const char *rel,
                    const char *message, void *ctx)
{
    seen_t *s = ctx;
    char line[512];
    (void)path;
    snprintf(line, sizeof line, "%s %s%s%s\n",
             ev == BL_WALK_FILE ? "F" : ev == BL_WALK_SKIP ? "S" : "E", rel,
             message ? ": " : "", message ? message : "");
    strcat(s->log, line);
    return 0;
}

static void test_walk(void **state)
{
    seen_t s = {""};
    char *dir = fixture("articles");
    (void)state;
    assert_int_equal(bl_walk(dir, log_walk, &s), BL_OK);
    /* Sorted, hidden files skipped, nested directories walked. */
    assert_string_equal(s.log, "F README.md\n"
                               "F archive.txt\n"
                               "F empty.txt\n"
                               "F latin1.txt\n"
                               "F nested/deeper/flood.txt\n"
                               "F plain.txt\n"
                               "F scraped.txt\n");
    free(dir);
    /* A single file is walked as itself. */
    s.log[0] = '\0';
    dir = fixture("articles/plain.txt");
    assert_int_equal(bl_walk(dir, log_walk, &s), BL_OK);
    assert_string_equal(s.log, "F plain.txt\n");
    free(dir);
    assert_int_equal(bl_walk("/nonexistent", log_walk, &s), BL_ENOTFOUND);
}

static void test_walk_globs(void **state)
{
    seen_t s = {""};
    char *dir = fixture("articles");
    const char *inc[] = {"*.txt"}, *exc[] = {"nested", "e*"};
    bl_walk_options_t o = {1, inc, 1, exc, 2};
    (void)state;
    /* Hidden files walked, README.md not included, nested/ and e* left
     * out. */
    assert_int_equal(bl_walk_with(dir, &o, log_walk, &s), BL_OK);
    assert_string_equal(s.log, "F .hidden.txt\n"
                               "F archive.txt\n"
                               "F latin1.txt\n"
                               "F plain.txt\n"
                               "F scraped.txt\n");
    /* A pattern with '/' matches the path under the root. */
    const char *inc2[] = {"nested/*/*.txt"};
    bl_walk_options_t o2 = {0, inc2, 1, NULL, 0};
    s.log[0] = '\0';
    assert_int_equal(bl_walk_with(dir, &o2, log_walk, &s), BL_OK);
    assert_string_equal(s.log, "F nested/deeper/flood.txt\n");
    free(dir);
}

static void test_walk_loops_and_errors(void **state)
{
    seen_t s = {""};
    char *dir = tu_mkdtemp();
    char *sub = tu_join(dir, "a"), *loop = tu_join(dir, "a/loop");
    char *file = tu_join(dir, "a/x.txt"), *dangling = tu_join(dir, "b");
    char *locked = tu_join(dir, "c");
    (void)state;
    assert_int_equal(mkdir(sub, 0755), 0);
    tu_write_file(file, "x", 1);
    assert_int_equal(symlink("..", loop), 0);
    assert_int_equal(symlink("nowhere", dangling), 0);
    assert_int_equal(mkdir(locked, 0), 0);
    assert_int_equal(bl_walk(dir, log_walk, &s), BL_OK);
    /* The loop is reported once and not followed; the dangling link and
     * the unreadable directory are errors; the walk goes on. */
    assert_non_null(strstr(s.log, "S a/loop: symbolic link loop"));
    assert_non_null(strstr(s.log, "F a/x.txt\n"));
    assert_non_null(strstr(s.log, "E b: No such file or directory\n"));
    if (geteuid() != 0)
        assert_non_null(strstr(s.log, "E c: Permission denied\n"));
    else
        print_message("note: running as root, so directory permissions "
                      "cannot be tested\n");
    chmod(locked, 0755);
    tu_rmrf(dir);
    free(dir);
    free(sub);
    free(loop);
    free(file);
    free(dangling);
    free(locked);
}

static int stop_first(bl_walk_event_t ev, const char *path, const char *rel,
                      const char *message, void *ctx)
{
    (void)ev;
    (void)path;
    (void)rel;
    (void)message;
    ++*(int *)ctx;
    return 1;
}

/* Count the files walked and keep the first one's REL in CTX. */
typedef struct counted {
    int files;
    char first[256];
} counted_t;

static int count_walk(bl_walk_event_t ev, const char *path, const char *rel,
                      const char *message, void *ctx)
{
    counted_t *c = ctx;
    (void)path;
    (void)message;
    if (ev == BL_WALK_FILE && c->files++ == 0)
        snprintf(c->first, sizeof c->first, "%s", rel);
    return 0;
}

/* A directory of more names, and a tree deeper, than the walk's arrays
 * hold at first (64 names, 16 levels). */
static void test_walk_grows(void **state)
{
    char *dir = tu_mkdtemp();
    char path[1024], want[256] = "";
    counted_t c = {0, ""};
    (void)state;
    for (int i = 0; i < 100; i++) {
        snprintf(path, sizeof path, "%s/f%03d.txt", dir, i);
        tu_write_file(path, "x\n", 2);
    }
    snprintf(path, sizeof path, "%s", dir);
    for (int d = 0; d < 20; d++) {
        strcat(path, "/d");
        strcat(want, "d/");
        assert_int_equal(mkdir(path, 0755), 0);
    }
    strcat(path, "/deep.txt");
    strcat(want, "deep.txt");
    tu_write_file(path, "x\n", 2);
    assert_int_equal(bl_walk(dir, count_walk, &c), BL_OK);
    assert_int_equal(c.files, 101);
    assert_string_equal(c.first, want); /* "d" sorts before "f000.txt". */
    tu_rmrf(dir);
    free(dir);
}

static void test_walk_stop(void **state)
{
    int n = 0;
    char *dir = fixture("articles");
    (void)state;
    assert_int_equal(bl_walk(dir, stop_first, &n), BL_END);
    assert_int_equal(n, 1);
    free(dir);
}

/* ---- sources and gzip ----------------------------------------------------- */

/* Write TEXT gzip-compressed to PATH. */
static void write_gz(const char *path, const char *text, size_t len)
{
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, text, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
}

static void test_source_lines(void **state)
{
    char *dir = tu_mkdtemp();
    char *plain = tu_join(dir, "a.txt"), *gz = tu_join(dir, "a.txt.gz");
    const char *text = "one\r\ntwo\n\nthree-is-a-long-line\nfour";
    bl_source_t *s = NULL;
    const char *line;
    size_t len;
    int trunc;
    (void)state;
    tu_write_file(plain, text, strlen(text));
    write_gz(gz, text, strlen(text));
    for (int k = 0; k < 2; k++) {
        assert_int_equal(bl_source_open(k ? gz : plain, 8, &s), BL_OK);
        const char *want[] = {"one", "two", "", "three-is", "four"};
        for (int i = 0; i < 5; i++) {
            assert_int_equal(bl_source_getline(s, &line, &len, &trunc),
                             BL_OK);
            assert_string_equal(line, want[i]);
            assert_int_equal(len, strlen(want[i]));
            assert_int_equal(trunc, i == 3);
            assert_int_equal(bl_source_lineno(s), (unsigned long)i + 1);
        }
        assert_int_equal(bl_source_getline(s, &line, &len, &trunc), BL_END);
        bl_source_close(s);
    }
    /* Read whole, decompressed. */
    char *data = NULL;
    assert_int_equal(bl_read_file(gz, 1000, &data, &len), BL_OK);
    assert_string_equal(data, text);
    free(data);
    assert_int_equal(bl_source_open("/nonexistent", 0, &s), BL_EIO);
    assert_null(s);
    tu_rmrf(dir);
    free(plain);
    free(gz);
    free(dir);
}

/* Lines longer than the source's buffer (64 KB) and its line (256 bytes)
 * at first, plain and gzip-compressed. */
static void test_source_long_lines(void **state)
{
    char *dir = tu_mkdtemp();
    char *plain = tu_join(dir, "long.txt"), *gz = tu_join(dir, "long.txt.gz");
    size_t big = 200000, tlen = 6 + big + 4;
    char *text = malloc(tlen);
    bl_source_t *s = NULL;
    const char *line;
    size_t len;
    (void)state;
    assert_non_null(text);
    memcpy(text, "short\n", 6);
    memset(text + 6, 'x', big);
    memcpy(text + 6 + big, "\nend", 4);
    tu_write_file(plain, text, tlen);
    write_gz(gz, text, tlen);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(bl_source_open(k ? gz : plain, 0, &s), BL_OK);
        assert_int_equal(bl_source_getline(s, &line, &len, NULL), BL_OK);
        assert_string_equal(line, "short");
        assert_int_equal(bl_source_getline(s, &line, &len, NULL), BL_OK);
        assert_int_equal(len, big);
        assert_int_equal(strlen(line), big);
        assert_memory_equal(line, text + 6, big);
        assert_int_equal(bl_source_getline(s, &line, &len, NULL), BL_OK);
        assert_string_equal(line, "end");
        assert_int_equal(bl_source_getline(s, &line, &len, NULL), BL_END);
        bl_source_close(s);
    }
    tu_rmrf(dir);
    free(text);
    free(plain);
    free(gz);
    free(dir);
}

static void test_truncated_gzip(void **state)
{
    char *dir = tu_mkdtemp();
    char *gz = tu_join(dir, "cut.jsonl.gz");
    char big[200000];
    size_t n = 0, zlen = 0;
    bl_source_t *s = NULL;
    const char *line;
    size_t len;
    (void)state;
    /* Many distinct lines, so the compressed stream is long enough to cut
     * in the middle. */
    for (int i = 0; n + 64 < sizeof big; i++)
        n += (size_t)snprintf(big + n, sizeof big - n,
                              "line %d %x %x\n", i, i * 2654435761u, i * 7u);
    write_gz(gz, big, n);
    char *z = tu_read_file(gz, &zlen);
    tu_write_file(gz, z, zlen / 2);
    free(z);
    assert_int_equal(bl_source_open(gz, 0, &s), BL_OK);
    unsigned long good = 0;
    bl_status_t rc;
    while ((rc = bl_source_getline(s, &line, &len, NULL)) == BL_OK) {
        char want[64];
        snprintf(want, sizeof want, "line %lu ", good);
        assert_int_equal(strncmp(line, want, strlen(want)), 0);
        good++;
    }
    /* The intact lines came out, then the break is reported. */
    assert_int_equal(rc, BL_EFORMAT);
    assert_non_null(strstr(bl_last_error(), "gzip"));
    assert_true(good > 100);
    bl_source_close(s);
    char *data = NULL;
    assert_int_equal(bl_read_file(gz, 1u << 20, &data, &len), BL_EFORMAT);
    tu_rmrf(dir);
    free(gz);
    free(dir);
}

/* Offsets of the articles of a file, for progress. */
typedef struct offsets {
    uint64_t first, last;
    int articles, problems, ordered;
} offsets_t;

static int note_offset(bl_article_t *a, void *ctx)
{
    offsets_t *o = ctx;
    if (o->articles == 0)
        o->first = a->offset;
    o->ordered &= a->offset >= o->last;
    o->last = a->offset;
    o->articles++;
    return 0;
}

static void note_problem(const char *path, unsigned long line,
                         const char *message, void *ctx)
{
    (void)path;
    (void)message;
    offsets_t *o = ctx;
    assert_int_equal(line, 151);
    o->problems++;
}

/* Each article carries how much of its file was read (compressed bytes for
 * gzip), rising to the file's size; problems still reach their callback
 * with the caller's context. */
static void test_article_offsets(void **state)
{
    /* 400 KB: more than zlib's and the source's buffers hold. */
    char *dir = tu_mkdtemp(), *text = malloc(1500 * 700);
    char *plain = tu_join(dir, "o.jsonl"), *gz = tu_join(dir, "o.jsonl.gz");
    (void)state;
    size_t len = 0;
    struct stat st;
    assert_non_null(text);
    for (int i = 0; i < 1500; i++) {
        if (i == 150) {
            len += (size_t)sprintf(text + len, "{\"title\": broken\n");
            continue;
        }
        len += (size_t)sprintf(text + len, "{\"id\":\"r%d\",\"title\":"
                               "\"Record %d\",\"body\":\"", i, i);
        for (int w = 0; w < 60; w++)
            len += (size_t)sprintf(text + len, "w%d ", (i * 7 + w) % 97);
        len += (size_t)sprintf(text + len, "\"}\n");
    }
    tu_write_file(plain, text, len);
    write_gz(gz, text, len);
    const char *paths[] = {plain, gz};
    for (int k = 0; k < 2; k++) {
        offsets_t o = {0, 0, 0, 0, 1};
        assert_int_equal(bl_read_articles(paths[k], "o", NULL, note_offset,
                                          note_problem, &o),
                         BL_OK);
        assert_int_equal(stat(paths[k], &st), 0);
        assert_int_equal(o.articles, 1499);
        assert_int_equal(o.problems, 1);
        assert_true(o.ordered);
        assert_true(o.first > 0);
        assert_true(o.first < o.last);
        assert_int_equal(o.last, (uint64_t)st.st_size);
    }
    free(text);
    free(plain);
    free(gz);
    tu_rmrf(dir);
    free(dir);
}

/* ---- JSON lines -------------------------------------------------------- */

typedef struct collected {
    char log[8192];
    int articles, problems;
} collected_t;

static int collect_article(bl_article_t *a, void *ctx)
{
    collected_t *c = ctx;
    char one[1024];
    snprintf(one, sizeof one, "[%s|%s|%s|%s|%s|%s|%s|%lu|", a->id,
             a->title ? a->title : "-", a->body ? a->body : "-",
             a->date ? a->date : "-", a->author ? a->author : "-",
             a->url ? a->url : "-", a->source ? a->source : "-", a->line);
    strcat(c->log, one);
    for (size_t i = 0; i < a->ncategories; i++) {
        strcat(c->log, a->categories[i]);
        strcat(c->log, ",");
    }
    strcat(c->log, "]\n");
    c->articles++;
    return 0;
}

static void collect_problem(const char *path, unsigned long line,
                            const char *message, void *ctx)
{
    collected_t *c = ctx;
    char one[512];
    const char *base = strrchr(path, '/');
    snprintf(one, sizeof one, "! %s:%lu: %s\n", base ? base + 1 : path,
             line, message);
    strcat(c->log, one);
    c->problems++;
}

static void test_jsonl(void **state)
{
    collected_t c = {"", 0, 0};
    char *path = fixture("jsonl/wire.jsonl");
    (void)state;
    assert_int_equal(bl_read_articles(path, "wire.jsonl", NULL, collect_article,
                                      collect_problem, &c),
                     BL_OK);
    assert_string_equal(
        c.log,
        "[w-1|Port strike ends after five days|Dock workers returned to "
        "work on Friday.|2019-03-12|Marta Vance, Tom Hale|"
        "https://example.org/port-strike|Coastal Wire|1|labour,shipping,]\n"
        "[wire.jsonl:3|Grain prices climb|Wheat futures rose 3.5% on drought "
        "fears.|1987-02-26|-|-|-|3|usa,canada,grain,wheat,]\n"
        "! wire.jsonl:4: bad JSON at column 64: unterminated string: record "
        "skipped\n"
        "! wire.jsonl:5: empty record (no title or body): skipped\n"
        "[w-5|Caf\xc3\xa9 owners \xf0\x9f\x98\x80 protest|The \"new rules\" "
        "would close them.\nOwners said so.|-|-|-|-|6|]\n"
        "! wire.jsonl:7: bad JSON at column 1: expected an object: record "
        "skipped\n"
        "[w-7|Lone surrogate \xef\xbf\xbd here|ok|-|-|-|-|8|]\n");
    assert_int_equal(c.articles, 4);
    assert_int_equal(c.problems, 3);

    /* The same, gzip-compressed, found by name. */
    char *dir = tu_mkdtemp(), *gz = tu_join(dir, "wire.jsonl.gz");
    size_t len = 0;
    char *text = tu_read_file(path, &len);
    write_gz(gz, text, len);
    collected_t c2 = {"", 0, 0};
    assert_int_equal(bl_read_articles(gz, "wire.jsonl", NULL, collect_article,
                                      collect_problem, &c2),
                     BL_OK);
    /* Same records; problems name the compressed file. */
    assert_int_equal(c2.articles, c.articles);
    assert_int_equal(c2.problems, c.problems);
    assert_non_null(strstr(c2.log, "! wire.jsonl.gz:4: bad JSON"));
    assert_non_null(strstr(c2.log, "[w-7|Lone surrogate"));
    free(text);
    tu_rmrf(dir);
    free(gz);
    free(dir);
    free(path);
}

static void test_jsonl_fields(void **state)
{
    collected_t c = {"", 0, 0};
    char *dir = tu_mkdtemp(), *p = tu_join(dir, "feed.jsonl");
    const char *text = "{\"hed\":\"Own names\",\"story\":\"Mapped by "
                       "the user.\",\"title\":\"ignored\",\"when\":"
                       "\"2020-01-02\"}\n";
    bl_read_options_t o = {BL_FORMAT_UNKNOWN, 0, NULL,
                           "title=hed,body=story,date=when"};
    (void)state;
    tu_write_file(p, text, strlen(text));
    /* The user's names come first: "hed" wins over the common "title". */
    assert_int_equal(bl_read_articles(p, "feed.jsonl", &o, collect_article,
                                      collect_problem, &c),
                     BL_OK);
    assert_string_equal(c.log, "[feed.jsonl:1|Own names|Mapped by the "
                               "user.|2020-01-02|-|-|-|1|]\n");
    assert_int_equal(bl_check_fields("title=hed"), BL_OK);
    assert_int_equal(bl_check_fields("headline=hed"), BL_EARG);
    assert_int_equal(bl_check_fields("title"), BL_EARG);
    assert_int_equal(bl_check_fields("title="), BL_EARG);
    o.fields = "nonsense=x";
    assert_int_equal(bl_read_articles(p, "feed.jsonl", &o, collect_article,
                                      collect_problem, &c),
                     BL_EARG);
    tu_rmrf(dir);
    free(p);
    free(dir);
}

static void test_json_values(void **state)
{
    const bl_read_options_t jsonl_opts = {BL_FORMAT_JSONL, 0, NULL, NULL};
    static const struct {
        const char *in;
        int ok;
    } cases[] = {
        {"{}", 1},
        {" { \"a\" : \"b\" } ", 1},
        {"{\"a\":1,\"b\":-2.5e3,\"c\":true,\"d\":false,\"e\":null}", 1},
        {"{\"a\":[],\"b\":[\"x\",1,[2],{\"y\":[]}]}", 1},
        /* Strings inside skipped values (a use-after-free the fuzzer
         * found). */
        {"{\"a\":{\"long key name here\":\"a longer string value that "
         "needs more room\",\"d\":[\"e\",{\"f\":\"g\"}]}}", 1},
        {"{\"a\":\"\\u00e9\\n\\t\\\"\\\\\\/\"}", 1},
        {"", 0},
        {"{", 0},
        {"{\"a\"}", 0},
        {"{\"a\":}", 0},
        {"{\"a\":1,}", 0},
        {"{\"a\":1} x", 0},
        {"{\"a\":tru}", 0},
        {"{\"a\":\"\\x\"}", 0},
        {"{\"a\":\"\\u12\"}", 0},
        {"{a:1}", 0},
        {"{\"a\":[1 2]}", 0},
        {"{\"a\":01x}", 0},
    };
    (void)state;
    /* Valid objects parse (and, having no title or body, are reported as
     * empty records); invalid ones are reported as bad JSON. */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        collected_t c = {"", 0, 0};
        char *dir = tu_mkdtemp(), *p = tu_join(dir, "x.jsonl");
        char rec[300];
        snprintf(rec, sizeof rec, "%s\n", cases[i].in);
        tu_write_file(p, rec, strlen(rec));
        assert_int_equal(bl_read_articles(p, "x.jsonl", &jsonl_opts, collect_article,
                                          collect_problem, &c),
                         BL_OK);
        const char *want = !*cases[i].in ? NULL
                           : cases[i].ok ? "empty record"
                                         : "bad JSON";
        if (want ? !strstr(c.log, want) : c.log[0] != '\0')
            fail_msg("case %zu (%s): %s", i, cases[i].in, c.log);
        tu_rmrf(dir);
        free(p);
        free(dir);
    }
}

static void test_sgml(void **state)
{
    collected_t c = {"", 0, 0};
    char *path = fixture("sgml/wire.sgm");
    (void)state;
    assert_int_equal(bl_read_articles(path, "wire.sgm", NULL, collect_article,
                                      collect_problem, &c),
                     BL_OK);
    assert_string_equal(
        c.log,
        "[101|PILOTS <SPA> END STRIKE|Harbor pilots ended their strike on "
        "Tuesday after the port agreed to shorter shifts.\n\nThe union said "
        "ships would move again & cranes would restart by noon.|2019-03-12|"
        "Marta Vance, Coastal Wire|-|-|2|shipping,labour,sandmouth,]\n"
        "[102|PORT REOPENS TO NIGHT TRAFFIC|-|2019-03-13|-|-|-|16|]\n"
        "[103|-|Unprocessed wire copy about tug boats \xc3\xa9t\xc3\xa9 and "
        "&bogus; entities.|2019-03-13|-|-|-|25|]\n"
        "! wire.sgm:31: empty record (no title or body): skipped\n"
        "! wire.sgm:37: record without </REUTERS>: skipped\n"
        "[106|LAST RECORD|It ends properly.|2019-03-14|-|-|-|40|]\n");
    free(path);

    /* TREC, recognised by its first <DOC> although the name has no
     * extension. */
    collected_t t = {"", 0, 0};
    path = fixture("sgml/ap880212");
    assert_int_equal(bl_read_articles(path, "ap880212", NULL, collect_article,
                                      collect_problem, &t),
                     BL_OK);
    assert_string_equal(
        t.log,
        "[AP880212-0001|Storm Closes Mountain Passes|A winter storm closed "
        "three mountain passes on Friday.\n\nSnowplows worked through the "
        "night \xe2\x80\x94 crews said the roads would open by morning.|"
        "1988-02-12|TOM HALE|-|-|1|]\n"
        "[AP880212-0002|Council & Mayor Agree Budget|The council approved the "
        "budget.\n\nThe mayor signed it.|1988-02-12|-|-|-|15|]\n");
    free(path);
}

/* Collect title, caption and body of each article: every word of a TREC
 * document's text elements must be there. */
static int collect_texts(bl_article_t *a, void *ctx)
{
    collected_t *c = ctx;
    char one[1024];
    snprintf(one, sizeof one, "[%s|%s|%s|%s|%s|", a->id,
             a->title ? a->title : "-", a->author ? a->author : "-",
             a->date ? a->date : "-", a->caption ? a->caption : "-");
    strcat(c->log, one);
    for (size_t i = 0; i < a->ncategories; i++) {
        strcat(c->log, a->categories[i]);
        strcat(c->log, ",");
    }
    strcat(c->log, "|");
    strcat(c->log, a->body ? a->body : "-");
    strcat(c->log, "]\n");
    c->articles++;
    return 0;
}

/* The three TREC layouts: every <DOCNO> is one article, and no text
 * element's words are lost. */
static void test_trec_layouts(void **state)
{
    (void)state;
    /* AP: desk-note HEADs, an empty first <TEXT>, several <TEXT>s, the
     * date from the DOCNO. */
    collected_t c = {"", 0, 0};
    char *path = fixture("trec/ap890301");
    assert_int_equal(bl_read_articles(path, "ap890301", NULL, collect_texts,
                                      collect_problem, &c),
                     BL_OK);
    assert_string_equal(
        c.log,
        "[AP890301-0001|Harbor Pilots Return to the Night Shift|MARTA VANCE|"
        "1989-03-01|-||Harbor pilots went back to the night shift on "
        "Tuesday, ending a walkout that had stranded forty freighters.\n\n"
        "The union said cranes would restart by noon; the port agreed to "
        "shorter shifts.]\n"
        "[AP890301-0002|URGENT|-|1989-03-01|-||A correction moved on the "
        "wires: the tugboat was named Kestrel.]\n");
    free(path);

    /* LA Times: <P> paragraphs, the photo caption, subject headings, a
     * correction; a document with only a caption and one with only
     * subjects are articles too. */
    collected_t l = {"", 0, 0};
    path = fixture("trec/la030189");
    assert_int_equal(bl_read_articles(path, "la030189", NULL, collect_texts,
                                      collect_problem, &l),
                     BL_OK);
    assert_string_equal(
        l.log,
        "[LA030189-0001|DOCKS QUIET AS PILOTS WEIGH OFFER|TOM HALE, Times "
        "Staff Writer|1989-03-01|Photo, A freighter waits outside the "
        "breakwater. JANE ROE / Los Angeles Times|STRIKES,HARBORS,LABOR "
        "UNIONS,|The docks at Sandmouth were quiet Tuesday as pilots weighed "
        "the port's latest offer.\n\nA vote is expected Friday.\n\nAn "
        "earlier version misstated the number of freighters waiting.]\n"
        "[LA030189-0002|-|-|1989-03-01|Photo, Lighthouse keepers repaint "
        "the beacon at Gull Point.||-]\n"
        "[LA030189-0003|-|-|1989-03-01|-|TIDES,WEATHER,|TIDES; WEATHER]\n");
    assert_int_equal(l.problems, 0);
    free(path);

    /* AQUAINT: <DATE_TIME>, the headline inside <BODY>, the loose byline
     * line, <TEXT> with <P>; slug and trailer left out. */
    collected_t q = {"", 0, 0};
    path = fixture("trec/19990301_NYT");
    assert_int_equal(bl_read_articles(path, "19990301_NYT", NULL,
                                      collect_texts, collect_problem, &q),
                     BL_OK);
    assert_string_equal(
        q.log,
        "[NYT19990301.0001|PILOTS AND PORT REACH A DEAL|JANE ROE|1999-03-01|"
        "-||SANDMOUTH _ The pilots and the port reached a deal late Sunday."
        "\n\nNight shipping resumes on Monday.]\n");
    free(path);
}

static void test_smart(void **state)
{
    collected_t c = {"", 0, 0};
    char *path = fixture("smart/collection.all");
    (void)state;
    /* CRLF lines; authors one per line; text lines run on, a blank line
     * keeps the paragraph; keywords become categories; .N and .X are
     * left out; "002" is id 2; a record with neither title nor text is
     * skipped. */
    assert_int_equal(bl_read_articles(path, "collection.all", NULL,
                                      collect_article, collect_problem, &c),
                     BL_OK);
    assert_string_equal(
        c.log,
        "[1|Harbor Pilots and Night Shifts|Pilots at the port walked off "
        "the night shift.\n\nThe union spoke of fatigue.|-|Vance, M.; "
        "Okafor, L.|-|Coastal Wire March, 2019|1|shipping,labour,ports,]\n"
        "[2|Tugboat crews (title only)|-|-|-|-|-|20|]\n"
        "! collection.all:23: empty record (no title or body): skipped\n");
    free(path);
}

static void test_csv(void **state)
{
    collected_t c = {"", 0, 0};
    char *path = fixture("csv/header.csv");
    (void)state;
    assert_int_equal(bl_read_articles(path, "header.csv", NULL,
                                      collect_article, collect_problem, &c),
                     BL_OK);
    assert_string_equal(
        c.log,
        "[7|Storm hits coast|High winds, \"record\" rain.|2019-03-12|"
        "Jonah Reyes|-|-|2|weather,]\n"
        "[8|Multi-line|First line\nsecond line|2019-03-13|-|-|-|3|weather,]\n"
        "! header.csv:5: empty row (no title or body): skipped\n"
        "[10|Broken entities|Price $10 and it's \"new \" & back\nslash|-|-|"
        "-|-|6|]\n"
        "! header.csv:7: quoted field not closed before the end of the "
        "file: row skipped\n");
    free(path);

    /* No header: the columns are declared; AG News quirks are mended. */
    collected_t g = {"", 0, 0};
    bl_read_options_t o = {BL_FORMAT_UNKNOWN, 0, "category,title,body",
                           NULL};
    path = fixture("csv/agnews-like.csv");
    assert_int_equal(bl_read_articles(path, "ag.csv", &o, collect_article,
                                      collect_problem, &g),
                     BL_OK);
    assert_string_equal(
        g.log, "[ag.csv:1|Fears for pension|Unions say they are "
               "'disappointed'.|-|-|-|-|1|3,]\n"
               "[ag.csv:2|Rocket team|A second\nteam of rocketeers|-|-|-|-|"
               "2|4,]\n");
    /* Without the columns, the file is refused with a hint. */
    collected_t n = {"", 0, 0};
    assert_int_equal(bl_read_articles(path, "ag.csv", NULL, collect_article,
                                      collect_problem, &n),
                     BL_EFORMAT);
    assert_non_null(strstr(bl_last_error(), "--columns"));
    o.columns = "category,headline,nonsense";
    assert_int_equal(bl_read_articles(path, "ag.csv", &o, collect_article,
                                      collect_problem, &n),
                     BL_EARG);
    assert_non_null(strstr(bl_last_error(), "nonsense"));
    free(path);
}

static void test_mail_and_html(void **state)
{
    collected_t c = {"", 0, 0};
    char *path = fixture("mail/52901");
    (void)state;
    /* A Usenet article without an extension: recognised by its headers. */
    assert_int_equal(bl_read_articles(path, "52901", NULL, collect_article,
                                      collect_problem, &c),
                     BL_OK);
    free(path);
    path = fixture("mail/desk.mbox");
    assert_int_equal(bl_read_articles(path, "desk.mbox", NULL,
                                      collect_article, collect_problem, &c),
                     BL_OK);
    free(path);
    assert_string_equal(
        c.log,
        "[1993Apr5.120000.1@example.edu|Re: Lunar lander launch window|In "
        "article <abc@example.org> someone writes:\n> When does the window "
        "open?\n\nThe window opens on the 14th and stays open\nfor six "
        "days, weather permitting.|1993-04-05|Rosa Reyes|-|sci.space|1|"
        "sci.space,sci.astro,]\n"
        "[desk.mbox:1|Ferry service suspended after engine fault|The island "
        "ferry is out of service for ten days.\nFrom now on, a chartered "
        "boat carries medical cases.|2018-07-31|Desk Editor|-|-|1|]\n"
        "! desk.mbox:11: empty message (no title or body): skipped\n"
        "[desk.mbox:16|Second note|Only a body here.|-|Desk Editor|-|-|16|]"
        "\n");

    /* A single message is one article, whatever its body holds: a
     * forwarded note's "From " line does not split it (20 Newsgroups:
     * 12 of 18,846 files became two articles). */
    collected_t one = {"", 0, 0};
    path = fixture("mail/60211");
    assert_int_equal(bl_read_articles(path, "60211", NULL, collect_article,
                                      collect_problem, &one),
                     BL_OK);
    free(path);
    assert_int_equal(one.articles, 1);
    assert_int_equal(one.problems, 0);
    assert_non_null(strstr(one.log, "From harbormaster@example.org Sat May  1"
                                    " 17:20:11 1993\nTugs leave the "
                                    "breakwater at six."));

    /* Titles that begin like mail are still articles (the generator's
     * "From ..." titles were read as an mbox once). */
    collected_t t = {"", 0, 0};
    char *dir = tu_mkdtemp(), *p1 = tu_join(dir, "a.txt"),
         *p2 = tu_join(dir, "b");
    const char *t1 = "From The Archive 12 Ships Lost\n\nA body.\n";
    const char *t2 = "Subject: Leaks at the port\n\nAnother body.\n";
    tu_write_file(p1, t1, strlen(t1));
    tu_write_file(p2, t2, strlen(t2));
    assert_int_equal(bl_read_articles(p1, "a.txt", NULL, collect_article,
                                      collect_problem, &t),
                     BL_OK);
    assert_int_equal(bl_read_articles(p2, "b", NULL, collect_article,
                                      collect_problem, &t),
                     BL_OK);
    assert_string_equal(t.log,
                        "[a.txt|From The Archive 12 Ships Lost|A body.|-|-|"
                        "-|-|0|]\n[b|Subject: Leaks at the port|Another "
                        "body.|-|-|-|-|0|]\n");
    tu_rmrf(dir);
    free(p1);
    free(p2);
    free(dir);

    collected_t h = {"", 0, 0};
    path = fixture("html/story.html");
    assert_int_equal(bl_read_articles(path, "story.html", NULL,
                                      collect_article, collect_problem, &h),
                     BL_OK);
    free(path);
    /* Meta tags win over <title>; navigation, header, footer, aside,
     * scripts, styles, comments and the <h1> stay out of the body. */
    assert_string_equal(
        h.log,
        "[story.html|Footbridge collapse injures nine & prompts inquiry|A "
        "pedestrian footbridge over the ring road collapsed on Saturday "
        "evening.\n\nEngineers said corrosion in the supports may have "
        "been missed\xe2\x80\xa6|2022-09-03|Jonah Reyes|"
        "https://valley.example/bridge|Valley Post|0|Transport,bridges,"
        "safety,]\n");
}

static void test_format_of_path(void **state)
{
    static const struct {
        const char *path;
        bl_format_t want;
    } cases[] = {
        {"a/b/story.txt", BL_FORMAT_TEXT},
        {"story.TXT", BL_FORMAT_TEXT},
        {"story.txt.gz", BL_FORMAT_TEXT},
        {"sport/199", BL_FORMAT_TEXT},
        {"feed.jsonl", BL_FORMAT_JSONL},
        {"feed.ndjson.gz", BL_FORMAT_JSONL},
        {"feed.json", BL_FORMAT_JSONL},
        {"README.TXT", BL_FORMAT_UNKNOWN},
        {"corpus/LICENSE", BL_FORMAT_UNKNOWN},
        {"README.md", BL_FORMAT_UNKNOWN},
        {"readme-first.txt", BL_FORMAT_TEXT},
        {"photo.jpg", BL_FORMAT_UNKNOWN},
        {"data.csv", BL_FORMAT_CSV},
        {"data.csv.gz", BL_FORMAT_CSV},
        {"reut2-000.sgm", BL_FORMAT_REUTERS},
        {"inbox.mbox", BL_FORMAT_MAIL},
        {"msg.eml.gz", BL_FORMAT_MAIL},
        {"story.HTML", BL_FORMAT_HTML},
        {"page.htm", BL_FORMAT_HTML},
        {"la010189.sgml.gz", BL_FORMAT_REUTERS},
        {"glasgow-cacm/cacm.all", BL_FORMAT_SMART},
        {"CISI.ALL", BL_FORMAT_SMART},
        {"cran.all.1400", BL_FORMAT_SMART},
        {"overall.txt", BL_FORMAT_TEXT},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (bl_format_of_path(cases[i].path) != cases[i].want)
            fail_msg("%s: got %s, want %s", cases[i].path,
                     bl_format_name(bl_format_of_path(cases[i].path)),
                     bl_format_name(cases[i].want));
    }
    assert_int_equal(bl_format_from_name("jsonl"), BL_FORMAT_JSONL);
    assert_int_equal(bl_format_from_name("text"), BL_FORMAT_TEXT);
    assert_int_equal(bl_format_from_name("trec"), BL_FORMAT_TREC);
    assert_int_equal(bl_format_from_name("reuters"), BL_FORMAT_REUTERS);
    assert_int_equal(bl_format_from_name("xml"), BL_FORMAT_UNKNOWN);
}

static int count_article(bl_article_t *a, void *ctx)
{
    (void)a;
    ++*(int *)ctx;
    return 0;
}

/* bl_read_last_reason() after bl_read_source() says why that read failed,
 * and BL_READ_OK after one that did not: never a reason left from an
 * earlier read of the thread. */
static void test_read_source_reason(void **state)
{
    (void)state;
    int n = 0;
    bl_source_t *src = NULL;
    /* A file that fails: too large, say. */
    char *dir = tu_mkdtemp();
    char *big = tu_join(dir, "big.txt");
    tu_write_file(big, "Title\n\nA body of some length here.\n", 34);
    bl_read_options_t o;
    memset(&o, 0, sizeof o);
    o.max_bytes = 10;
    assert_int_not_equal(bl_read_articles(big, "big.txt", &o, count_article,
                                          NULL, &n),
                         BL_OK);
    assert_int_equal(bl_read_last_reason(), BL_READ_TOO_LARGE);
    /* A good read through bl_read_source(): the reason is OK again. */
    static const char text[] = "Harbor strike\n\nPilots walked off.\n";
    assert_int_equal(bl_source_open_memory(text, sizeof text - 1, 0, &src),
                     BL_OK);
    assert_int_equal(bl_read_source(src, BL_FORMAT_TEXT, "mem.txt",
                                    "mem.txt", NULL, count_article, NULL,
                                    &n),
                     BL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(bl_read_last_reason(), BL_READ_OK);
    bl_source_close(src);
    /* And one that fails through it says its own reason. */
    static const char csv[] = "";
    assert_int_equal(bl_source_open_memory(csv, 0, 0, &src), BL_OK);
    bl_status_t rc = bl_read_source(src, BL_FORMAT_UNKNOWN, "x", "x", NULL,
                                    count_article, NULL, &n);
    assert_int_equal(rc, BL_EFORMAT);
    assert_int_equal(bl_read_last_reason(), BL_READ_BAD_FORMAT);
    bl_source_close(src);
    tu_rmrf(dir);
    free(big);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_scraped_layout),
        cmocka_unit_test(test_plain_layout),
        cmocka_unit_test(test_many_lines),
        cmocka_unit_test(test_latin1_and_controls),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_walk_globs),
        cmocka_unit_test(test_walk_loops_and_errors),
        cmocka_unit_test(test_walk_grows),
        cmocka_unit_test(test_walk_stop),
        cmocka_unit_test(test_source_lines),
        cmocka_unit_test(test_source_long_lines),
        cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_article_offsets),
        cmocka_unit_test(test_jsonl_fields),
        cmocka_unit_test(test_json_values),
        cmocka_unit_test(test_sgml),
        cmocka_unit_test(test_trec_layouts),
        cmocka_unit_test(test_smart),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_mail_and_html),
        cmocka_unit_test(test_format_of_path),
        cmocka_unit_test(test_read_source_reason),
    };
    return cmocka_run_group_tests_name("corpus", tests, NULL, NULL);
}
