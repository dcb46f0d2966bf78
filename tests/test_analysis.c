/*
 * Tests of the analyzer: tokens, offsets, positions, variants, folding and
 * stemming, table-driven.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each expected token is written WORD[>STEM]@START-END#POS, with a leading
 * '+' for a variant (another form at the same position); ">STEM" is left out
 * when the stem is the word.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/stems.h"
#include "byline/analysis.h"
#include "util/hash.h"

typedef struct rendered {
    char buf[8192];
} rendered_t;

static int render(const bl_token_t *t, void *p)
{
    rendered_t *r = p;
    char one[512];
    int same = t->word_len == t->stem_len &&
               memcmp(t->word, t->stem, t->stem_len) == 0;
    snprintf(one, sizeof one, "%s%s%.*s%s%.*s@%zu-%zu#%u",
             r->buf[0] ? " " : "", t->flags & BL_TOKEN_VARIANT ? "+" : "",
             (int)t->word_len, t->word, same ? "" : ">",
             same ? 0 : (int)t->stem_len, t->stem, t->start, t->end, t->pos);
    if (strlen(r->buf) + strlen(one) < sizeof r->buf)
        strcat(r->buf, one);
    return 0;
}

/* Analyze LEN bytes of IN and compare with WANT. */
static void check(bl_analyzer_t *a, const char *in, size_t len,
                  const char *want)
{
    rendered_t r;
    uint32_t next = 0;
    r.buf[0] = '\0';
    assert_int_equal(bl_analyze(a, in, len, 1, render, &r, &next), BL_OK);
    if (strcmp(r.buf, want) != 0)
        fail_msg("input \"%.*s\":\n got  %s\n want %s", (int)len, in, r.buf,
                 want);
}

/* Input -> tokens, English stemming, accents kept. */
static const char *const CASES[][2] = {
    {"storm",
     "storm@0-5#1"},
    {"Storm",
     "storm@0-5#1"},
    {"STORM",
     "storm@0-5#1"},
    {"storms",
     "storms>storm@0-6#1"},
    {"Storms and storming",
     "storms>storm@0-6#1 and@7-10#2 storming>storm@11-19#3"},
    {"protesters protested protests",
     "protesters>protest@0-10#1 protested>protest@11-20#2 protests>protest@21-29#3"},
    {"The quick brown fox",
     "the@0-3#1 quick@4-9#2 brown@10-15#3 fox@16-19#4"},
    {"  leading and trailing spaces  ",
     "leading>lead@2-9#1 and@10-13#2 trailing>trail@14-22#3 spaces>space@23-29#4"},
    {"tab\x09separated\x09words",
     "tab@0-3#1 separated>separ@4-13#2 words>word@14-19#3"},
    {"line",
     "line@0-4#1"},
    {"break",
     "break@0-5#1"},
    {"Hello, world!",
     "hello@0-5#1 world@7-12#2"},
    {"(parenthesised) [bracketed] {braced}",
     "parenthesised>parenthesis@1-14#1 bracketed>bracket@17-26#2 braced>brace@29-35#3"},
    {"\"double quoted\"",
     "double>doubl@1-7#1 quoted>quot@8-14#2"},
    {"'single quoted'",
     "single>singl@1-7#1 quoted>quot@8-14#2"},
    {"\xe2\x80\x9c" "curly quoted\xe2\x80\x9d",
     "curly>cur@3-8#1 quoted>quot@9-15#2"},
    {"\xe2\x80\x98" "curly single\xe2\x80\x99",
     "curly>cur@3-8#1 single>singl@9-15#2"},
    {"em\xe2\x80\x94" "dash",
     "em@0-2#1 dash@5-9#2"},
    {"en\xe2\x80\x93" "dash",
     "en@0-2#1 dash@5-9#2"},
    {"a - b",
     "a@0-1#1 b@4-5#2"},
    {"x--y",
     "x@0-1#1 y@3-4#2"},
    {"ellipsis\xe2\x80\xa6 here",
     "ellipsis>ellipsi@0-8#1 here@12-16#2"},
    {"semi;colon:colon",
     "semi@0-4#1 colon@5-10#2 colon@11-16#3"},
    {"question? exclamation!",
     "question@0-8#1 exclamation>exclam@10-21#2"},
    {"U.S.",
     "us@0-4#1"},
    {"U.S. troops",
     "us@0-4#1 troops>troop@5-11#2"},
    {"the U.S.A. flag",
     "the@0-3#1 usa@4-10#2 flag@11-15#3"},
    {"U.K.",
     "uk@0-4#1"},
    {"e.g. this",
     "eg@0-4#1 this@5-9#2"},
    {"i.e.",
     "ie@0-4#1"},
    {"U.S.-led coalition",
     "us@0-4#1 led@5-8#2 coalition>coalit@9-18#3"},
    {"A.B.C.D.E.",
     "abcde>abcd@0-10#1"},
    {"Trump's",
     "trump@0-5#1"},
    {"Trump\xe2\x80\x99s",
     "trump@0-5#1"},
    {"ICE's office",
     "ice@0-3#1 office>offic@6-12#2"},
    {"ICE\xe2\x80\x99s office",
     "ice@0-3#1 office>offic@8-14#2"},
    {"the boss's car",
     "the@0-3#1 boss@4-8#2 car@11-14#3"},
    {"James' book",
     "james>jame@0-5#1 book@7-11#2"},
    {"don't",
     "don't@0-5#1"},
    {"can't",
     "can't@0-5#1"},
    {"won\xe2\x80\x99t",
     "won't@0-7#1"},
    {"it's",
     "it@0-2#1"},
    {"O'Brien",
     "o'brien@0-7#1"},
    {"O'Brien's car",
     "o'brien@0-7#1 car@10-13#2"},
    {"rock'n'roll",
     "rock'n'roll>rock'n'rol@0-11#1"},
    {"'90s music",
     "90s@1-4#1 music@5-10#2"},
    {"right-wing",
     "right@0-5#1 wing@6-10#2 +rightwing>rightw@0-10#1"},
    {"right\xe2\x80\x90wing",
     "right@0-5#1 wing@8-12#2 +rightwing>rightw@0-12#1"},
    {"far-right-wing",
     "far@0-3#1 right@4-9#2 wing@10-14#3 +farrightwing>farrightw@0-14#1"},
    {"mother-in-law",
     "mother@0-6#1 in@7-9#2 law@10-13#3 +motherinlaw@0-13#1"},
    {"well-known author",
     "well@0-4#1 known@5-10#2 +wellknown@0-10#1 author@11-17#3"},
    {"COVID-19",
     "covid@0-5#1 19@6-8#2 +covid19@0-8#1"},
    {"covid19",
     "covid19@0-7#1"},
    {"F-35",
     "f@0-1#1 35@2-4#2 +f35@0-4#1"},
    {"G7",
     "g7@0-2#1"},
    {"G-7",
     "g@0-1#1 7@2-3#2 +g7@0-3#1"},
    {"4x4",
     "4x4@0-3#1"},
    {"MP3",
     "mp3@0-3#1"},
    {"B2B",
     "b2b@0-3#1"},
    {"3.5",
     "3.5@0-3#1"},
    {"3.14159",
     "3.14159@0-7#1"},
    {"0.5",
     "0.5@0-3#1"},
    {".5",
     "5@1-2#1"},
    {"1,000",
     "1000@0-5#1"},
    {"1,000,000",
     "1000000@0-9#1"},
    {"12,345.67",
     "12345.67@0-9#1"},
    {"1,2,3",
     "1@0-1#1 2@2-3#2 3@4-5#3"},
    {"2018,2019",
     "2018@0-4#1 2019@5-9#2"},
    {"1,00",
     "1@0-1#1 00@2-4#2"},
    {"9/11",
     "9/11@0-4#1"},
    {"7/31/2018",
     "7/31/2018@0-9#1"},
    {"24/7",
     "24/7@0-4#1"},
    {"and/or",
     "and@0-3#1 or@4-6#2"},
    {"50/50",
     "50/50@0-5#1"},
    {"$5",
     "5@1-2#1 +$5@0-2#1"},
    {"$5.5 million",
     "5.5@1-4#1 +$5.5@0-4#1 million@5-12#2"},
    {"$1,000",
     "1000@1-6#1 +$1000@0-6#1"},
    {"\xc2\xa3" "300",
     "300@2-5#1 +\xc2\xa3" "300@0-5#1"},
    {"\xe2\x82\xac" "20",
     "20@3-5#1 +\xe2\x82\xac" "20@0-5#1"},
    {"3.5%",
     "3.5@0-3#1 +3.5%@0-4#1"},
    {"100%",
     "100@0-3#1 +100%@0-4#1"},
    {"% alone",
     "alone>alon@2-7#1"},
    {"$ alone",
     "alone>alon@2-7#1"},
    {"@nytimes",
     "nytimes>nytim@1-8#1 +@nytimes@0-8#1"},
    {"#MeToo",
     "metoo@1-6#1 +#metoo@0-6#1"},
    {"#metoo and @user",
     "metoo@1-6#1 +#metoo@0-6#1 and@7-10#2 user@12-16#3 +@user@11-16#3"},
    {"email@ handle",
     "email@0-5#1 handle>handl@7-13#2"},
    {"a@b",
     "a@0-1#1 b@2-3#2"},
    {"jane.doe@example.com",
     "jane.doe@example.com@0-20#1 jane@0-4#2 doe@5-8#3 example>exampl@9-16#4 com@17-20#5"},
    {"Email jane.doe@example.com now.",
     "email@0-5#1 jane.doe@example.com@6-26#2 jane@6-10#3 doe@11-14#4 example>exampl@15-22#5 com@23-26#6 now@27-30#7"},
    {"https://www.example.com/a/b.html",
     "https://www.example.com/a/b.html@0-32#1 https@0-5#2 www@8-11#3 example>exampl@12-19#4 com@20-23#5 a@24-25#6 b@26-27#7 html@28-32#8"},
    {"see https://example.com/x, ok",
     "see@0-3#1 https://example.com/x@4-25#2 https@4-9#3 example>exampl@12-19#4 com@20-23#5 x@24-25#6 ok@27-29#7"},
    {"www.bbc.co.uk/news",
     "www.bbc.co.uk/news@0-18#1 www@0-3#2 bbc@4-7#3 co@8-10#4 uk@11-13#5 news@14-18#6"},
    {"http://x.org.",
     "http://x.org@0-12#1 http@0-4#2 x@7-8#3 org@9-12#4"},
    {"AT&T",
     "at@0-2#1 t@3-4#2"},
    {"R&D",
     "r@0-1#1 d@2-3#2"},
    {"C++",
     "c@0-1#1"},
    {"C#",
     "c@0-1#1"},
    {".NET",
     "net@1-4#1"},
    {"node.js",
     "node@0-4#1 js@5-7#2"},
    {"example.com",
     "example>exampl@0-7#1 com@8-11#2"},
    {"a.b",
     "ab@0-3#1"},
    {"1st 2nd 3rd",
     "1st@0-3#1 2nd@4-7#2 3rd@8-11#3"},
    {"21st-century",
     "21st@0-4#1 century>centuri@5-12#2 +21stcentury@0-12#1"},
    {"Caf\xc3\xa9",
     "caf\xc3\xa9@0-5#1"},
    {"CR\xc3\x88ME",
     "cr\xc3\xa8me@0-6#1"},
    {"na\xc3\xafve",
     "na\xc3\xafve>na\xc3\xafv@0-6#1"},
    {"Z\xc3\xbcrich",
     "z\xc3\xbcrich@0-7#1"},
    {"S\xc3\xa3o Paulo",
     "s\xc3\xa3o@0-4#1 paulo@5-10#2"},
    {"\xc3\x86r\xc3\xb8sk\xc3\xb8" "bing",
     "\xc3\xa6r\xc3\xb8sk\xc3\xb8" "bing@0-13#1"},
    {"stra\xc3\x9f" "e",
     "strasse>strass@0-7#1"},
    {"STRASSE",
     "strasse>strass@0-7#1"},
    {"\xc4\xb0stanbul",
     "i\xcc\x87stanbul@0-9#1"},
    {"\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1",
     "\xce\xb5\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1@0-12#1"},
    {"\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
     "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0@0-12#1"},
    {"\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
     "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0@0-12#1"},
    {"\xe6\x97\xa5\xe6\x9c\xac",
     "\xe6\x97\xa5@0-3#1 \xe6\x9c\xac@3-6#2"},
    {"\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd",
     "\xe6\x9d\xb1@0-3#1 \xe4\xba\xac@3-6#2 \xe9\x83\xbd@6-9#3"},
    {"\xe3\x81\xb2\xe3\x82\x89\xe3\x81\x8c\xe3\x81\xaa",
     "\xe3\x81\xb2@0-3#1 \xe3\x82\x89@3-6#2 \xe3\x81\x8c@6-9#3 \xe3\x81\xaa@9-12#4"},
    {"\xe3\x82\xab\xe3\x82\xbf\xe3\x82\xab\xe3\x83\x8a",
     "\xe3\x82\xab@0-3#1 \xe3\x82\xbf@3-6#2 \xe3\x82\xab@6-9#3 \xe3\x83\x8a@9-12#4"},
    {"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4",
     "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4@0-9#1"},
    {"mixed\xe6\x97\xa5\xe6\x9c\xactext",
     "mixed>mix@0-5#1 \xe6\x97\xa5@5-8#2 \xe6\x9c\xac@8-11#3 text@11-15#4"},
    {"\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9",
     "\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9@0-14#1"},
    {"\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa",
     "\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa@0-10#1"},
    {"\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5\x80",
     "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5\x80@0-18#1"},
    {"ab\xe2\x80\x8b" "cd",
     "ab@0-2#1 cd@5-7#2"},
    {"soft\xc2\xadhyphen",
     "softhyphen@0-12#1"},
    {"zero\xe2\x80\x8dwidth",
     "zerowidth@0-12#1"},
    {"e\xcc\x81t\xcc\x81" "e",
     "e\xcc\x81t\xcc\x81" "e>e\xcc\x81t\xcc\x81@0-7#1"},
    {"emoji \xf0\x9f\x98\x80 here",
     "emoji@0-5#1 here@11-15#2"},
    {"x\xc2\xbdy",
     "x\xc2\xbdy>x\xc2\xbdi@0-4#1"},
    {"\xc2\xb2\xc2\xb3",
     "\xc2\xb2\xc2\xb3@0-4#1"},
    {"\xe2\x85\xab\xe2\x85\xa6",
     "\xe2\x85\xbb\xe2\x85\xb6@0-6#1"},
    {"underscore_joined",
     "underscore>underscor@0-10#1 joined>join@11-17#2"},
    {"hash#tag",
     "hash@0-4#1 tag@5-8#2"},
    {"a.",
     "a@0-1#1"},
    {".a",
     "a@1-2#1"},
    {"-a",
     "a@1-2#1"},
    {"a-",
     "a@0-1#1"},
    {"a'",
     "a@0-1#1"},
    {"'a",
     "a@1-2#1"},
    {"a''b",
     "a@0-1#1 b@3-4#2"},
    {"a..b",
     "a@0-1#1 b@3-4#2"},
    {"a,,b",
     "a@0-1#1 b@3-4#2"},
    {"a//b",
     "a@0-1#1 b@3-4#2"},
    {"a'-b",
     "a@0-1#1 b@3-4#2"},
};

/* Input -> tokens with accent folding. */
static const char *const FOLD_CASES[][2] = {
    {"Caf\xc3\xa9",
     "cafe@0-5#1"},
    {"CR\xc3\x88ME",
     "creme@0-6#1"},
    {"na\xc3\xafve",
     "naive>naiv@0-6#1"},
    {"Z\xc3\xbcrich",
     "zurich@0-7#1"},
    {"S\xc3\xa3o Paulo",
     "sao@0-4#1 paulo@5-10#2"},
    {"\xc3\x86r\xc3\xb8sk\xc3\xb8" "bing",
     "\xc3\xa6r\xc3\xb8sk\xc3\xb8" "bing@0-13#1"},
    {"\xc4\xb0stanbul",
     "istanbul@0-9#1"},
    {"\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1",
     "\xce\xb5\xce\xbb\xce\xbb\xce\xb1\xce\xb4\xce\xb1@0-12#1"},
    {"\xe1\xbd\x88\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x8d\xcf\x82",
     "\xce\xbf\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x85\xcf\x83@0-17#1"},
    {"r\xc3\xa9sum\xc3\xa9",
     "resume>resum@0-8#1"},
    {"R\xc3\x89SUM\xc3\x89",
     "resume>resum@0-8#1"},
    {"e\xcc\x81te\xcc\x81",
     "ete@0-7#1"},
    {"M\xc3\xb6tley Cr\xc3\xbc" "e",
     "motley@0-7#1 crue@8-13#2"},
    {"\xc5\x81\xc3\xb3" "d\xc5\xba",
     "\xc5\x82odz@0-7#1"},
    {"Dvo\xc5\x99\xc3\xa1k",
     "dvorak@0-8#1"},
    {"c\xc5\x93ur",
     "c\xc5\x93ur@0-5#1"},
    {"fa\xc3\xa7" "ade",
     "facade>facad@0-7#1"},
    {"jalape\xc3\xb1o",
     "jalapeno@0-9#1"},
    {"\xc3\x86sir",
     "\xc3\xa6sir@0-5#1"},
    {"pi\xc3\xb1" "ata",
     "pinata@0-7#1"},
};

/* Inputs with bytes that are not valid UTF-8, or control bytes; lengths are
 * given so that NUL bytes count. */
static const struct {
    const char *in;
    size_t len;
    const char *want;
} BYTE_CASES[] = {
    {"ab\xff" "cd", 5, "ab@0-2#1 cd@3-5#2"},
    {"\xc3", 1, ""},
    {"x\xe2\x80", 3, "x@0-1#1"},
    {"ab\xc3(cd", 6, "ab@0-2#1 cd@4-6#2"},
    {"\xed\xa0\x80" "ab", 5, "ab@3-5#1"},        /* A surrogate. */
    {"\xc0\xaf" "ab", 4, "ab@2-4#1"},            /* Overlong '/'. */
    {"\xf4\x90\x80\x80" "ab", 6, "ab@4-6#1"},    /* Past U+10FFFF. */
    {"\x80\x80\x80", 3, ""},
    {"a\0b", 3, "a@0-1#1 b@2-3#2"},
    {"a\x01" "b\x7f" "c", 5, "a@0-1#1 b@2-3#2 c@4-5#3"},
    {"caf\xc3\xa9\xff", 6, "caf\xc3\xa9@0-5#1"},
    {"\xe6\x97\xa5\xff\xe6\x9c\xac", 7, "\xe6\x97\xa5@0-3#1 \xe6\x9c\xac@4-7#2"},
    {"U.S\xff", 4, "us@0-3#1"},
    {"right-\xffwing", 11, "right@0-5#1 wing@7-11#2"},
    /* A URL ends at an invalid byte (found by the fuzzer). */
    {"see www.ab\xad" "cd x", 15,
     "see@0-3#1 www.ab@4-10#2 www@4-7#3 ab@8-10#4 cd@11-13#5 x@14-15#6"},
};

static void test_table(void **state)
{
    bl_analyzer_t *a = NULL;
    (void)state;
    assert_int_equal(bl_analyzer_new("english", &a), BL_OK);
    assert_string_equal(bl_analyzer_language(a), "english");
    assert_false(bl_analyzer_folds_accents(a));
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check(a, CASES[i][0], strlen(CASES[i][0]), CASES[i][1]);
    for (size_t i = 0; i < sizeof BYTE_CASES / sizeof BYTE_CASES[0]; i++)
        check(a, BYTE_CASES[i].in, BYTE_CASES[i].len, BYTE_CASES[i].want);
    /* Twice: the stem cache must give the same answers. */
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check(a, CASES[i][0], strlen(CASES[i][0]), CASES[i][1]);
    bl_analyzer_free(a);
}

static void test_fold_accents(void **state)
{
    bl_analyzer_t *a = NULL;
    bl_analyzer_options_t o = {"english", 1, 0, 0};
    (void)state;
    assert_int_equal(bl_analyzer_new_with(&o, &a), BL_OK);
    assert_true(bl_analyzer_folds_accents(a));
    for (size_t i = 0; i < sizeof FOLD_CASES / sizeof FOLD_CASES[0]; i++)
        check(a, FOLD_CASES[i][0], strlen(FOLD_CASES[i][0]),
              FOLD_CASES[i][1]);
    bl_analyzer_free(a);
}

static void test_stopwords(void **state)
{
    bl_analyzer_t *a = NULL;
    bl_analyzer_options_t o = {"english", 0, 1, 0};
    (void)state;
    assert_int_equal(bl_analyzer_new_with(&o, &a), BL_OK);
    assert_true(bl_analyzer_drops_stopwords(a));
    /* Left out, but their positions are kept for phrases. */
    check(a, "The storm of the century", 24,
          "storm@4-9#2 century>centuri@17-24#5");
    check(a, "THE Storm", 9, "storm@4-9#2");
    /* Parts of compounds too, but not the joined form. */
    check(a, "mother-in-law", 13,
          "mother@0-6#1 law@10-13#3 +motherinlaw@0-13#1");
    /* A tag of a stopword is a word of its own; a compound of stopwords
     * has no joined form. */
    check(a, "#the storm", 10, "#the@0-4#1 storm@5-10#2");
    check(a, "at @the", 7, "@the@3-7#2");
    check(a, "in-to storm", 11, "storm@6-11#3");
    check(a, "in-depth", 8, "depth@3-8#2 +indepth@0-8#1");
    bl_analyzer_free(a);
    assert_int_equal(bl_analyzer_new("english", &a), BL_OK);
    assert_false(bl_analyzer_drops_stopwords(a));
    check(a, "the storm", 9, "the@0-3#1 storm@4-9#2");
    bl_analyzer_free(a);
    /* Other languages' lists, folded like the words they must match. */
    o.language = "french";
    assert_int_equal(bl_analyzer_new_with(&o, &a), BL_OK);
    const char *fr = "Le Pr\xc3\xa9sident de la R\xc3\xa9publique est "
                     "\xc3\xa9lu";
    check(a, fr, strlen(fr),
          "pr\xc3\xa9sident@3-13#2 r\xc3\xa9publique>r\xc3\xa9publ@20-31#5 "
          "\xc3\xa9lu@36-40#7");
    bl_analyzer_free(a);
    o.fold_accents = 1;
    assert_int_equal(bl_analyzer_new_with(&o, &a), BL_OK);
    check(a, "\xc3\xa9t\xc3\xa9 \xc3\xa9lu", 10, "elu@6-10#2");
    bl_analyzer_free(a);
    o.language = "de";
    o.fold_accents = 0;
    assert_int_equal(bl_analyzer_new_with(&o, &a), BL_OK);
    check(a, "Die Stadt und das Land", 22,
          "stadt@4-9#2 land@18-22#5");
    bl_analyzer_free(a);
    o.language = "finnish";
    assert_int_equal(bl_analyzer_new_with(&o, &a), BL_EARG);
    assert_non_null(strstr(bl_last_error(), "stopword"));
}

static void test_long_tokens(void **state)
{
    bl_analyzer_t *a = NULL;
    char in[400], want[512];
    (void)state;
    assert_int_equal(bl_analyzer_new("english", &a), BL_OK);
    /* BL_MAX_TOKEN bytes is kept; one more is dropped, neighbours kept and
     * numbered without a gap. */
    memset(in, 'a', BL_MAX_TOKEN);
    in[BL_MAX_TOKEN] = '\0';
    snprintf(want, sizeof want, "%s@0-%d#1", in, BL_MAX_TOKEN);
    check(a, in, strlen(in), want);
    snprintf(in, sizeof in, "ok %0*d end", BL_MAX_TOKEN + 1, 0);
    snprintf(want, sizeof want, "ok@0-2#1 end@%d-%d#2", BL_MAX_TOKEN + 5,
             BL_MAX_TOKEN + 8);
    check(a, in, strlen(in), want);
    /* A compound with an over-long part has no joined form. */
    memset(in, 'b', sizeof in);
    memcpy(in, "x-", 2);
    in[2 + BL_MAX_TOKEN + 1] = '\0';
    check(a, in, strlen(in), "x@0-1#1");
    /* A segment of more parts than the tokenizer joins is still read. */
    char many[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(many, i ? "-a" : "a");
    rendered_t r;
    r.buf[0] = '\0';
    assert_int_equal(bl_analyze(a, many, strlen(many), 1, render, &r, NULL),
                     BL_OK);
    size_t plain = 0;
    for (char *p = strstr(r.buf, "a@"); p; p = strstr(p + 1, " a@"))
        plain++;
    assert_int_equal(plain, 40);
    bl_analyzer_free(a);
}

static void test_languages(void **state)
{
    bl_analyzer_t *a = NULL;
    (void)state;
    assert_int_equal(bl_analyzer_new("none", &a), BL_OK);
    check(a, "Running protests", 16,
          "running@0-7#1 protests@8-16#2");
    bl_analyzer_free(a);
    assert_int_equal(bl_analyzer_new("french", &a), BL_OK);
    check(a, "manifestations", 14, "manifestations>manifest@0-14#1");
    bl_analyzer_free(a);
    assert_int_equal(bl_analyzer_new("german", &a), BL_OK);
    /* Full case folding: "ß" is "ss". */
    check(a, "Stra\xc3\x9f" "en", 8, "strassen>strass@0-8#1");
    bl_analyzer_free(a);
    assert_int_equal(bl_analyzer_new("russian", &a), BL_OK);
    check(a, "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd1\x8b", 12,
          "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd1\x8b>"
          "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2@0-12#1");
    bl_analyzer_free(a);
    /* Every language the library lists can be made. */
    const char *const *langs = bl_analyzer_languages();
    size_t n = 0;
    for (; langs[n]; n++) {
        assert_int_equal(bl_analyzer_new(langs[n], &a), BL_OK);
        bl_analyzer_free(a);
    }
    assert_true(n >= 15);
}

static void test_bad_language(void **state)
{
    bl_analyzer_t *a = (bl_analyzer_t *)0x1;
    (void)state;
    assert_int_equal(bl_analyzer_new("klingon", &a), BL_EARG);
    assert_null(a);
    assert_non_null(strstr(bl_last_error(), "klingon"));
    assert_int_equal(bl_analyzer_new("", &a), BL_EARG);
    assert_int_equal(bl_analyzer_new(NULL, &a), BL_EARG);
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
    rendered_t r;
    r.buf[0] = '\0';
    assert_int_equal(bl_analyze(a, text, 7, 5, render, &r, &next), BL_OK);
    assert_string_equal(r.buf, "one@0-3#5 two@4-7#6");
    assert_int_equal(next, 7);
    /* Variants do not take a position of their own. */
    assert_int_equal(bl_analyze(a, "a right-wing b", 14, 1, render, &r,
                                &next),
                     BL_OK);
    assert_int_equal(next, 5);
    assert_int_equal(bl_analyze(a, "", 0, 9, render, &r, &next), BL_OK);
    assert_int_equal(next, 9);
    size_t sl = 0;
    const char *stem = bl_analyzer_stem(a, "elections", 9, &sl);
    assert_int_equal(sl, 5);
    assert_memory_equal(stem, "elect", 5);
    bl_analyzer_free(a);
    bl_analyzer_free(NULL);
}

/* Tokens as bl_analyze() gives them, one per line: word, stem, flags,
 * offsets and position. */
typedef struct listed {
    char buf[16384];
} listed_t;

static int list_token(const bl_token_t *t, void *p)
{
    listed_t *l = p;
    size_t n = strlen(l->buf);
    snprintf(l->buf + n, sizeof l->buf - n, "%.*s>%.*s/%u@%zu-%zu#%u\n",
             (int)t->word_len, t->word, (int)t->stem_len, t->stem, t->flags,
             t->start, t->end, t->pos);
    return 0;
}

/* bl_analyze_some() leaves unstemmed exactly the words whose stems could
 * not be wanted, and gives every other token as bl_analyze() does. */
static void test_analyze_some(void **state)
{
    (void)state;
    static const char TEXT[] =
        "Striking pilots grounded the airline's flights; strikes spread "
        "to the harbours of Lyon, and O.P.E.C. ministers met in right-wing "
        "#protests over $5 fares (3.5% up).";
    bl_analyzer_t *a = NULL;
    assert_int_equal(bl_analyzer_new("english", &a), BL_OK);
    bl_stem_filter_t want;
    memset(&want, 0, sizeof want);
    bl_stem_filter_add(&want, "strike");
    bl_stem_filter_add(&want, "harbour");
    listed_t all, some;
    all.buf[0] = some.buf[0] = '\0';
    assert_int_equal(bl_analyze(a, TEXT, sizeof TEXT - 1, 1, list_token,
                                &all, NULL),
                     BL_OK);
    assert_int_equal(bl_analyze_some(a, TEXT, sizeof TEXT - 1, 1, &want,
                                     list_token, &some, NULL),
                     BL_OK);
    /* Line by line: the same token, the same stem where it starts with s
     * or h, and the word itself, flagged, where it does not. */
    char *x = all.buf, *y = some.buf;
    int unstemmed = 0, lines = 0;
    while (*x && *y) {
        char *xe = strchr(x, '\n'), *ye = strchr(y, '\n');
        *xe = *ye = '\0';
        lines++;
        if (x[0] == 's' || x[0] == 'h' || x[0] == '#' || x[0] == '$' ||
            !isalpha((unsigned char)x[0])) {
            if (strcmp(x, y) != 0)
                fail_msg("kept: %s / %s", x, y);
        } else {
            /* "pilots>pilot/0@..." becomes "pilots>pilots/2@...". */
            char word[64];
            unsigned flags = 0;
            assert_int_equal(sscanf(y, "%63[^>]>", word), 1);
            char *st = strchr(y, '>') + 1;
            assert_memory_equal(st, word, strlen(word));
            assert_int_equal(sscanf(strchr(y, '/') + 1, "%u", &flags), 1);
            assert_true(flags & BL_TOKEN_UNSTEMMED);
            assert_string_equal(strchr(x, '@'), strchr(y, '@'));
            unstemmed++;
        }
        x = xe + 1;
        y = ye + 1;
    }
    assert_true(*x == '\0' && *y == '\0');
    assert_true(lines > 20);
    assert_true(unstemmed > 10);
    bl_analyzer_free(a);

    /* German drops umlauts when stemming ("über" > "uber"): every word is
     * stemmed there, whatever the filter says. */
    assert_int_equal(bl_analyzer_new("german", &a), BL_OK);
    memset(&want, 0, sizeof want);
    bl_stem_filter_add(&want, "uber");
    static const char DE[] = "\xc3\xbc" "ber die Br\xc3\xbc" "cke";
    all.buf[0] = some.buf[0] = '\0';
    assert_int_equal(bl_analyze(a, DE, sizeof DE - 1, 1, list_token, &all,
                                NULL),
                     BL_OK);
    assert_int_equal(bl_analyze_some(a, DE, sizeof DE - 1, 1, &want,
                                     list_token, &some, NULL),
                     BL_OK);
    assert_string_equal(all.buf, some.buf);
    assert_non_null(strstr(all.buf, "\xc3\xbc" "ber>uber/"));
    bl_analyzer_free(a);
}

/* What bl_analyze_some() relies on: the languages it trusts never change
 * a word's first byte, over words that end and begin every way their
 * stemmers handle (accented first letters, y, u, qu, apostrophes). */
static void test_stems_keep_first_byte(void **state)
{
    (void)state;
    /* The analyzer's own list (stems.c), not a copy. */
    const char *const *langs = bl_stems_keeping_first_byte();
    static const char *const WORDS[] = {
        "yesterday", "youth", "yields", "quickly", "queue", "united",
        "ies", "ties", "eyes", "generously", "happily", "\xc3\xa9t\xc3\xa9s",
        "\xc3\xa0", "\xc3\xa1" "gua", "\xc3\xa3os", "\xc3\xb6l", "\xc3\xa5" "ren",
        "\xc3\xa6" "bler", "\xc3\xb8yene", "\xc3\xa4" "idit", "\xc3\xbc" "gyek",
        "\xc3\xa7ocuklar", "\xc4\xb1s\xc4\xb1", "\xc5\x9f" "ehirler",
        "ibiza", "uomini", "iiii", "yyyy", "a", "ab", "abbandonare",
        "informazioni", "nationalement", "cordialement", "meilleures",
        "pr\xc3\xa9sidentielles", "\xc3\xa9lections", "\xc3\xa9tudiantes",
        "organiza\xc3\xa7\xc3\xb5" "es", "flickorna", "kj\xc3\xb8rte",
        "talossa", "hallitukselle", "emberekkel", "evlerinden"};
    size_t nlangs = 0;
    for (size_t l = 0; langs[l]; l++, nlangs++) {
        bl_analyzer_t *a = NULL;
        assert_int_equal(bl_analyzer_new(langs[l], &a), BL_OK);
        for (size_t w = 0; w < sizeof WORDS / sizeof WORDS[0]; w++) {
            size_t sl = 0;
            const char *st =
                bl_analyzer_stem(a, WORDS[w], strlen(WORDS[w]), &sl);
            assert_non_null(st);
            if (sl == 0 || st[0] != WORDS[w][0])
                fail_msg("%s: %s > %.*s", langs[l], WORDS[w], (int)sl, st);
        }
        bl_analyzer_free(a);
    }
    assert_true(nlangs > 1); /* "none" and at least one stemmer. */
}

/* util/hash.h against values worked out apart from it: the published
 * FNV-1a test vectors, and for the 64-bit hash's own start (hash.h says
 * why it is not the published one) the same steps from that start; a
 * hash continued over pieces is the hash of the whole. */
static void test_fnv1a(void **state)
{
    static const struct {
        const char *s;
        uint32_t fnv32;    /* FNV-1a-32, published. */
        uint64_t fnv64;    /* FNV-1a-64, published. */
        uint64_t byline64; /* From BL_FNV64_BASIS. */
    } VECTORS[] = {
        {"", 0x811c9dc5u, 0xcbf29ce484222325ull, 0x14650fb0739d0383ull},
        {"a", 0xe40c292cu, 0xaf63dc4c8601ec8cull, 0x44bd8ad473cd9906ull},
        {"foobar", 0xbf9cf968u, 0x85944171f73967e8ull,
         0x88fad7c0a8ff07f2ull},
    };
    (void)state;
    for (size_t i = 0; i < sizeof VECTORS / sizeof VECTORS[0]; i++) {
        const char *s = VECTORS[i].s;
        size_t n = strlen(s);
        assert_int_equal(bl_fnv1a32(s, n), VECTORS[i].fnv32);
        assert_int_equal(bl_fnv1a_more(0xcbf29ce484222325ull, s, n),
                         VECTORS[i].fnv64);
        assert_int_equal(bl_fnv1a(s, n), VECTORS[i].byline64);
    }
    assert_int_equal(bl_fnv1a_more(bl_fnv1a("foo", 3), "bar", 3),
                     0x88fad7c0a8ff07f2ull);
    assert_int_equal(bl_fnv1a_more(bl_fnv1a("", 0), "foobar", 6),
                     bl_fnv1a("foobar", 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_fold_accents),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_bad_language),
        cmocka_unit_test(test_positions_and_stop),
        cmocka_unit_test(test_analyze_some),
        cmocka_unit_test(test_stems_keep_first_byte),
        cmocka_unit_test(test_fnv1a),
    };
    return cmocka_run_group_tests_name("analysis", tests, NULL, NULL);
}
