/*
 * Tests of the analyzer: tokens, offsets, positions, folding, stemming.
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

#include "byline/analysis.h"

/* Tokens rendered as "word/stem@start-end#pos" joined by spaces. */
static int render(const bl_token_t *t, void *p)
{
    char *out = p;
    char one[256];
    snprintf(one, sizeof one, "%s%.*s/%.*s@%zu-%zu#%u", *out ? " " : "",
             (int)t->word_len, t->word, (int)t->stem_len, t->stem, t->start,
             t->end, t->pos);
    strcat(out, one);
    return 0;
}

static void check(bl_analyzer_t *a, const char *in, const char *want)
{
    char out[8192] = "";
    uint32_t next = 0;
    assert_int_equal(bl_analyze(a, in, strlen(in), 1, render, out, &next),
                     BL_OK);
    if (strcmp(out, want) != 0)
        fail_msg("input \"%s\":\n got  %s\n want %s", in, out, want);
}

static void test_tokens(void **state)
{
    bl_analyzer_t *a = NULL;
    (void)state;
    assert_int_equal(bl_analyzer_new("english", &a), BL_OK);
    assert_string_equal(bl_analyzer_language(a), "english");
    static const char *const cases[][2] = {
        {"", ""},
        {"   \n\t ", ""},
        {"Storm", "storm/storm@0-5#1"},
        {"Protesters protested", "protesters/protest@0-10#1 "
                                 "protested/protest@11-20#2"},
        {"ICE agents", "ice/ice@0-3#1 agents/agent@4-10#2"},
        /* Possessives: the "'s" is dropped, the offsets cover the name. */
        {"Trump's tweet", "trump/trump@0-5#1 tweet/tweet@8-13#2"},
        {"ICE\xe2\x80\x99s office", "ice/ice@0-3#1 office/offic@8-14#2"},
        /* Contractions stay one word. */
        {"don't", "don't/don't@0-5#1"},
        /* Numbers with decimals and thousands separators. */
        {"3.5 percent", "3.5/3.5@0-3#1 percent/percent@4-11#2"},
        {"1,000 people", "1000/1000@0-5#1 people/peopl@6-12#2"},
        {"501(c)(3)", "501/501@0-3#1 c/c@4-5#2 3/3@7-8#3"},
        /* Punctuation separates; sentence ends are not part of words. */
        {"Wheeler. He said", "wheeler/wheeler@0-7#1 he/he@9-11#2 "
                             "said/said@12-16#3"},
        {"right-wing", "right/right@0-5#1 wing/wing@6-10#2"},
        /* Curly quotes and dashes are separators, not letters. */
        {"\xe2\x80\x9czone of terror\xe2\x80\x9d",
         "zone/zone@3-7#1 of/of@8-10#2 terror/terror@11-17#3"},
        {"a\xe2\x80\x94" "b", "a/a@0-1#1 b/b@4-5#2"},
        /* Non-ASCII letters are word characters. */
        {"caf\xc3\xa9 cr\xc3\xa8me", "caf\xc3\xa9/caf\xc3\xa9@0-5#1 "
                                     "cr\xc3\xa8me/cr\xc3\xa8me@6-12#2"},
        /* Invalid UTF-8 bytes separate tokens and are never emitted. */
        {"ab\xff" "cd", "ab/ab@0-2#1 cd/cd@3-5#2"},
        {"\xc3", ""},
        {"x\xe2\x80", "x/x@0-1#1"},
        /* Over-long tokens are dropped, neighbours kept. */
        {"ok "
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         " end",
         "ok/ok@0-2#1 end/end@71-74#2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(a, cases[i][0], cases[i][1]);
    bl_analyzer_free(a);
}

static void test_no_stemming(void **state)
{
    bl_analyzer_t *a = NULL;
    (void)state;
    assert_int_equal(bl_analyzer_new("none", &a), BL_OK);
    check(a, "Running protests", "running/running@0-7#1 "
                                 "protests/protests@8-16#2");
    bl_analyzer_free(a);
    assert_int_equal(bl_analyzer_new("french", &a), BL_OK);
    check(a, "manifestations", "manifestations/manifest@0-14#1");
    bl_analyzer_free(a);
}

static void test_bad_language(void **state)
{
    bl_analyzer_t *a = (bl_analyzer_t *)0x1;
    (void)state;
    assert_int_equal(bl_analyzer_new("klingon", &a), BL_EARG);
    assert_null(a);
    assert_non_null(strstr(bl_last_error(), "klingon"));
    assert_int_equal(bl_analyzer_new("", &a), BL_EARG);
}

static int stop_after_two(const bl_token_t *t, void *p)
{
    (void)t;
    return ++*(int *)p == 2;
}

static void test_positions_and_stop(void **state)
{
    bl_analyzer_t *a = NULL;
    uint32_t next = 0;
    int n = 0;
    (void)state;
    assert_int_equal(bl_analyzer_new("english", &a), BL_OK);
    const char *text = "one two three four";
    assert_int_equal(bl_analyze(a, text, strlen(text), 100, stop_after_two,
                                &n, &next),
                     BL_END);
    assert_int_equal(n, 2);
    assert_int_equal(next, 102);
    char out[512] = "";
    assert_int_equal(bl_analyze(a, text, 7, 5, render, out, &next), BL_OK);
    assert_string_equal(out, "one/one@0-3#5 two/two@4-7#6");
    assert_int_equal(next, 7);
    size_t sl = 0;
    const char *stem = bl_analyzer_stem(a, "elections", 9, &sl);
    assert_int_equal(sl, 5);
    assert_memory_equal(stem, "elect", 5);
    bl_analyzer_free(a);
    bl_analyzer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_no_stemming),
        cmocka_unit_test(test_bad_language),
        cmocka_unit_test(test_positions_and_stop),
    };
    return cmocka_run_group_tests_name("analysis", tests, NULL, NULL);
}
