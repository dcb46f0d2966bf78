/*
 * Tests of the index layer: the document scheme, stored fields, metadata,
 * replacement by id, and its errors.
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

#include "byline/index.h"
#include "testutil.h"
#include "xapian-c/xapian-c.h"

static int setup_dir(void **state)
{
    *state = tu_mkdtemp();
    return 0;
}

static int teardown_dir(void **state)
{
    tu_rmrf(*state);
    free(*state);
    return 0;
}

/* A sample article (fields are literals: do not clear it). */
static bl_article_t sample(const char *id, const char *title)
{
    bl_article_t a;
    memset(&a, 0, sizeof a);
    a.id = (char *)id;
    a.title = (char *)title;
    a.author = (char *)"Marta Vance";
    a.date = (char *)"2019-03-04";
    a.caption = (char *)"Ships at anchor (Lena Okafor/Coastal Wire)";
    a.body = (char *)"Harbor pilots walked off the night shift.\n\n"
                     "The pilots' union said the strike was about fatigue.";
    a.path = (char *)"/corpus/ports/strike.txt";
    return a;
}

/* Non-zero if DB has TERM. */
static int has(xc_db_t *db, const char *term)
{
    int e = 0;
    assert_int_equal(xc_db_term_exists(db, term, &e), XC_OK);
    return e;
}

static void test_scheme(void **state)
{
    bl_indexer_t *ix = NULL;
    xc_db_t *db = NULL;
    char *path = tu_join(*state, "idx");
    bl_index_options_t o = {.language = "english"};
    bl_article_t a = sample("ports/strike.txt", "Pilots Strike at Sandmouth");
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_OK);
    assert_string_equal(bl_indexer_language(ix), "english");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    assert_int_equal(bl_indexer_close(ix), BL_OK);

    assert_int_equal(xc_db_open(path, &db), XC_OK);
    assert_true(has(db, "Qports/strike.txt"));
    assert_true(has(db, "Zpilot"));  /* Stems, title and body. */
    assert_true(has(db, "Zstrike"));
    assert_true(has(db, "ZSsandmouth")); /* Title field terms. */
    assert_false(has(db, "ZSfatigu"));   /* Body words are not title. */
    assert_true(has(db, "Zfatigu"));
    assert_true(has(db, "Zanchor"));     /* The caption is searchable. */
    assert_true(has(db, "Amarta vance"));
    assert_true(has(db, "D20190304"));
    assert_true(has(db, "M201903"));
    assert_true(has(db, "Y2019"));
    assert_true(has(db, "Lenglish"));
    assert_true(has(db, "P/corpus/ports/strike.txt"));
    assert_false(has(db, "pilots")); /* No unprefixed exact forms. */

    /* Title words come first with a raised wdf; body words after a gap. */
    xc_posit_t *pit = NULL;
    assert_int_equal(xc_db_positions(db, 1, "Zsandmouth", &pit), XC_OK);
    assert_int_equal(xc_posit_next(pit), XC_OK);
    assert_int_equal(xc_posit_get(pit), 4);
    xc_posit_free(pit);
    assert_int_equal(xc_db_positions(db, 1, "Zfatigu", &pit), XC_OK);
    assert_int_equal(xc_posit_next(pit), XC_OK);
    assert_true(xc_posit_get(pit) > 2 * BL_POS_GAP);
    xc_posit_free(pit);
    xc_postit_t *post = NULL;
    assert_int_equal(xc_db_postlist(db, "Zsandmouth", &post), XC_OK);
    assert_int_equal(xc_postit_next(post), XC_OK);
    assert_int_equal(xc_postit_wdf(post), BL_TITLE_WDF);
    xc_postit_free(post);

    /* The date value sorts, the metadata names schema and language. */
    xc_doc_t *doc = NULL;
    const char *v = NULL;
    size_t vlen = 0;
    assert_int_equal(xc_db_get_document(db, 1, &doc), XC_OK);
    assert_int_equal(xc_doc_get_value(doc, BL_SLOT_DATE, &v, &vlen), XC_OK);
    assert_true(xc_sortable_unserialise(v, vlen) == 20190304.0);
    /* The stored fields come back whole. */
    const char *data = NULL;
    size_t dlen = 0;
    bl_article_t back;
    assert_int_equal(xc_doc_get_data(doc, &data, &dlen), XC_OK);
    assert_int_equal(bl_docdata_decode(data, dlen, &back), BL_OK);
    assert_string_equal(back.id, a.id);
    assert_string_equal(back.title, a.title);
    assert_string_equal(back.author, a.author);
    assert_string_equal(back.date, a.date);
    assert_string_equal(back.caption, a.caption);
    assert_string_equal(back.body, a.body);
    assert_string_equal(back.path, a.path);
    assert_null(back.updated);
    bl_article_clear(&back);
    xc_doc_free(doc);
    char *m = NULL;
    assert_int_equal(xc_db_get_metadata(db, BL_META_SCHEMA, &m, NULL), XC_OK);
    assert_string_equal(m, BL_SCHEMA_VERSION);
    free(m);
    assert_int_equal(xc_db_get_metadata(db, BL_META_LANGUAGE, &m, NULL),
                     XC_OK);
    assert_string_equal(m, "english");
    free(m);
    assert_int_equal(xc_db_get_metadata(db, BL_META_ACCENTS, &m, NULL),
                     XC_OK);
    assert_string_equal(m, "keep");
    free(m);
    assert_int_equal(xc_db_get_metadata(db, BL_META_STOPWORDS, &m, NULL),
                     XC_OK);
    assert_string_equal(m, "none");
    free(m);
    xc_db_free(db);
    free(path);
}

static void test_fold_accents(void **state)
{
    bl_indexer_t *ix = NULL;
    xc_db_t *db = NULL;
    char *m = NULL;
    char *path = tu_join(*state, "idx");
    bl_index_options_t o = {.language = "english", .fold_accents = 1};
    bl_article_t a = sample("cafe", "Caf\xc3\xa9 owners protest");
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_OK);
    assert_true(bl_analyzer_folds_accents(bl_indexer_analyzer(ix)));
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    /* Reopened without the option, the index keeps folding. */
    o.fold_accents = 0;
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_OK);
    assert_true(bl_analyzer_folds_accents(bl_indexer_analyzer(ix)));
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    assert_int_equal(xc_db_open(path, &db), XC_OK);
    assert_true(has(db, "ZScafe"));
    assert_int_equal(xc_db_get_metadata(db, BL_META_ACCENTS, &m, NULL),
                     XC_OK);
    assert_string_equal(m, "fold");
    free(m);
    xc_db_free(db);
    /* A damaged setting is refused (the settings live in DIR/meta). */
    char *meta = tu_join(path, "meta");
    assert_int_equal(xc_db_open_writable(meta, XC_DB_OPEN, 0, &db), XC_OK);
    assert_int_equal(xc_db_set_metadata(db, BL_META_ACCENTS, "maybe", 5),
                     XC_OK);
    xc_db_free(db);
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_ECORRUPT);
    assert_non_null(strstr(bl_last_error(), "maybe"));
    free(meta);
    free(path);
}

static void test_replace_and_language(void **state)
{
    bl_indexer_t *ix = NULL;
    xc_db_t *db = NULL;
    xc_doccount_t n = 0;
    char *path = tu_join(*state, "idx");
    bl_index_options_t o = {.language = "english"};
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_OK);
    bl_article_t a = sample("one", "First version");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    a = sample("two", "Another article");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    /* Reopening with another language keeps the index's own; adding the
     * same id replaces the article. */
    o.language = "french";
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_OK);
    assert_string_equal(bl_indexer_language(ix), "english");
    a = sample("one", "Second version");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    assert_int_equal(xc_db_open(path, &db), XC_OK);
    assert_int_equal(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, 2);
    assert_true(has(db, "ZSsecond"));
    assert_false(has(db, "ZSfirst"));
    xc_db_free(db);
    /* --overwrite starts again, in the new language. */
    o.overwrite = 1;
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_OK);
    assert_string_equal(bl_indexer_language(ix), "french");
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    assert_int_equal(xc_db_open(path, &db), XC_OK);
    assert_int_equal(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, 0);
    xc_db_free(db);
    free(path);
}

static void test_long_id_and_missing_fields(void **state)
{
    bl_indexer_t *ix = NULL;
    xc_db_t *db = NULL;
    char *path = tu_join(*state, "idx");
    char id[600];
    memset(id, 'x', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    bl_article_t a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.body = (char *)"only a body";
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK); /* Replaces. */
    a.id = (char *)"";
    assert_int_equal(bl_indexer_add(ix, &a), BL_EARG);
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    assert_int_equal(xc_db_open(path, &db), XC_OK);
    xc_doccount_t n = 0;
    assert_int_equal(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, 1);
    xc_db_free(db);
    free(path);
}

static void test_errors(void **state)
{
    bl_indexer_t *ix = NULL, *ix2 = NULL;
    xc_db_t *db = NULL;
    char *path = tu_join(*state, "idx");
    bl_index_options_t o = {.language = "english"};
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_OK);
    /* A second indexer on the same index. */
    assert_int_equal(bl_indexer_open(path, &o, &ix2), BL_ELOCKED);
    assert_null(ix2);
    assert_non_null(strstr(bl_last_error(), "another byline-index"));
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    /* A schema from the future. */
    char *meta = tu_join(path, "meta");
    assert_int_equal(xc_db_open_writable(meta, XC_DB_OPEN, 0, &db), XC_OK);
    free(meta);
    assert_int_equal(xc_db_set_metadata(db, BL_META_SCHEMA, "99", 2), XC_OK);
    xc_db_free(db);
    assert_int_equal(bl_indexer_open(path, &o, &ix), BL_ECORRUPT);
    assert_non_null(strstr(bl_last_error(), "schema 99"));
    /* A Xapian database that is not Byline's. */
    char *other = tu_join(*state, "other");
    xc_doc_t *doc = NULL;
    assert_int_equal(xc_db_open_writable(other, XC_DB_CREATE, 0, &db), XC_OK);
    assert_int_equal(xc_doc_new(&doc), XC_OK);
    assert_int_equal(xc_db_add_document(db, doc, NULL), XC_OK);
    xc_doc_free(doc);
    xc_db_free(db);
    assert_int_equal(bl_indexer_open(other, &o, &ix), BL_ECORRUPT);
    /* Unknown language, unwritable place. */
    char *fresh = tu_join(*state, "fresh");
    o.language = "klingon";
    assert_int_equal(bl_indexer_open(fresh, &o, &ix), BL_EARG);
    o.language = "english";
    assert_int_equal(bl_indexer_open("/proc/byline-cannot-be-here", &o, &ix),
                     BL_EIO);
    assert_int_equal(bl_indexer_open("", &o, &ix), BL_EARG);
    assert_int_equal(bl_indexer_close(NULL), BL_OK);
    free(fresh);
    free(other);
    free(path);
}

static void test_manifest(void **state)
{
    bl_indexer_t *ix = NULL;
    xc_db_t *db = NULL;
    xc_doccount_t n = 0;
    bl_file_state_t st;
    bl_file_entry_t old, e = {100, 1000, 0, 0};
    unsigned long removed = 9;
    char *path = tu_join(*state, "idx");
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    /* A new file with two articles. */
    assert_int_equal(bl_indexer_file_check(ix, "/c/a.jsonl", 100, 1000, &st,
                                           &old),
                     BL_OK);
    assert_int_equal(st, BL_FILE_NEW);
    assert_int_equal(bl_indexer_file_begin(ix, "/c/a.jsonl"), BL_OK);
    bl_article_t a = sample("a1", "First");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    a = sample("a2", "Second");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    assert_int_equal(bl_indexer_file_end(ix, &e), BL_OK);
    /* Another file, in another folder. */
    assert_int_equal(bl_indexer_file_check(ix, "/d/b.txt", 5, 5, &st, NULL),
                     BL_OK);
    assert_int_equal(bl_indexer_file_begin(ix, "/d/b.txt"), BL_OK);
    a = sample("b1", "Third");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    bl_file_entry_t e2 = {5, 5, 0, 0};
    assert_int_equal(bl_indexer_file_end(ix, &e2), BL_OK);
    assert_int_equal(bl_indexer_close(ix), BL_OK);

    /* Next run: unchanged, changed, and unseen files. */
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    assert_int_equal(bl_indexer_file_check(ix, "/c/a.jsonl", 100, 1000, &st,
                                           &old),
                     BL_OK);
    assert_int_equal(st, BL_FILE_UNCHANGED);
    assert_int_equal(old.articles, 2);
    assert_int_equal(bl_indexer_file_check(ix, "/c/a.jsonl", 101, 1000, &st,
                                           NULL),
                     BL_OK);
    assert_int_equal(st, BL_FILE_CHANGED);
    /* Re-indexing a file drops the articles it no longer has. */
    assert_int_equal(bl_indexer_file_begin(ix, "/c/a.jsonl"), BL_OK);
    a = sample("a1", "First again");
    assert_int_equal(bl_indexer_add(ix, &a), BL_OK);
    assert_int_equal(bl_indexer_file_end(ix, &e), BL_OK);
    /* /d/b.txt was not seen, but /d is not a root of this run. */
    const char *roots[] = {"/c", "/e/"};
    assert_int_equal(bl_indexer_remove_unseen(ix, roots, 2, &removed), BL_OK);
    assert_int_equal(removed, 0);
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    assert_int_equal(xc_db_open(path, &db), XC_OK);
    assert_int_equal(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, 2); /* a1 and b1. */
    assert_false(has(db, "Qa2"));
    xc_db_free(db);

    /* With /d as a root and b.txt unseen, its articles go. */
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    const char *roots2[] = {"/d"};
    assert_int_equal(bl_indexer_remove_unseen(ix, roots2, 1, &removed),
                     BL_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    assert_int_equal(xc_db_open(path, &db), XC_OK);
    assert_false(has(db, "Qb1"));
    assert_true(has(db, "Qa1"));
    xc_db_free(db);
    free(path);
}

static void test_docdata_damage(void **state)
{
    bl_article_t a = sample("id", "Title"), back;
    char *data = NULL;
    size_t len = 0;
    (void)state;
    assert_int_equal(bl_docdata_encode(&a, &data, &len), BL_OK);
    assert_true(len > 3);
    assert_int_equal(bl_docdata_decode("XYZ", 3, &back), BL_ECORRUPT);
    assert_int_equal(bl_docdata_decode(data, 2, &back), BL_ECORRUPT);
    /* Truncated and garbled streams are refused, never read past. */
    for (size_t cut = 3; cut < len; cut++)
        assert_int_equal(bl_docdata_decode(data, cut, &back), BL_ECORRUPT);
    data[len / 2] ^= 0x55;
    assert_int_not_equal(bl_docdata_decode(data, len, &back), BL_OK);
    assert_null(back.title);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scheme, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_fold_accents, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_replace_and_language, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_long_id_and_missing_fields,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_errors, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_manifest, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(test_docdata_damage),
    };
    return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
