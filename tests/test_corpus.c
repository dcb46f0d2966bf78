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

static void test_walk_stop(void **state)
{
    int n = 0;
    char *dir = fixture("articles");
    (void)state;
    assert_int_equal(bl_walk(dir, stop_first, &n), BL_END);
    assert_int_equal(n, 1);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_scraped_layout),
        cmocka_unit_test(test_plain_layout),
        cmocka_unit_test(test_latin1_and_controls),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_walk_loops_and_errors),
        cmocka_unit_test(test_walk_stop),
    };
    return cmocka_run_group_tests_name("corpus", tests, NULL, NULL);
}
