/*
 * Tests of the xapian-c binding: every function of xapian-c.h, and every
 * status code that can be provoked here.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "xapian-c/xapian-c.h"

/* Each test gets a fresh directory. */
static int setup_dir(void **state)
{
    *state = tu_mkdtemp();
    return 0;
}

static int teardown_dir(void **state)
{
    tu_stop_all_servers();
    tu_rmrf(*state);
    free(*state);
    return 0;
}

/* Assert an xc call returned WANT, printing the message otherwise. */
#define assert_xc(call, want)                                              \
    do {                                                                   \
        xc_status_t rc_ = (call);                                          \
        if (rc_ != (want))                                                 \
            fail_msg("%s: got %s (%s), want %s", #call,                    \
                     xc_status_to_string(rc_), xc_last_error(),            \
                     xc_status_to_string(want));                           \
    } while (0)

/*
 * A small collection: each line is "id|title words|value".  Terms are the
 * lower-cased words with positions, plus a Q<id> unique term and a boolean
 * K<category> term; value slot 0 is the given value, slot 1 the category.
 */
static const char *const DOCS[][3] = {
    {"a1", "storm hits the coast", "2018"},
    {"a2", "coast guard rescues fishermen after storm", "2019"},
    {"a3", "election results announced", "2017"},
    {"a4", "storm storm storm warning", "2020"},
    {"a5", "fishermen protest new quotas", "2019"},
};
#define NDOCS (sizeof DOCS / sizeof DOCS[0])

/* Build the document for DOCS[I]. */
static xc_doc_t *make_doc(size_t i)
{
    xc_doc_t *doc = NULL;
    char buf[256], term[64];
    xc_termpos_t pos = 1;
    assert_xc(xc_doc_new(&doc), XC_OK);
    snprintf(buf, sizeof buf, "%s", DOCS[i][1]);
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
        assert_xc(xc_doc_add_posting(doc, w, strlen(w), pos++, 1), XC_OK);
    snprintf(term, sizeof term, "Q%s", DOCS[i][0]);
    assert_xc(xc_doc_add_boolean_term(doc, term, XC_NTS), XC_OK);
    assert_xc(xc_doc_add_boolean_term(doc, i % 2 ? "Kodd" : "Keven", XC_NTS),
              XC_OK);
    assert_xc(xc_doc_set_value(doc, 0, DOCS[i][2], 4), XC_OK);
    assert_xc(xc_doc_set_value(doc, 1, i % 2 ? "odd" : "even",
                               i % 2 ? 3 : 4),
              XC_OK);
    assert_xc(xc_doc_set_data(doc, DOCS[i][1], strlen(DOCS[i][1])), XC_OK);
    return doc;
}

/* Create the collection at PATH (committed) and return it open for writing
 * when KEEP, else closed. */
static xc_db_t *build_db(const char *path, int keep)
{
    xc_db_t *db = NULL;
    assert_xc(xc_db_open_writable(path, XC_DB_CREATE_OR_OVERWRITE, 0, &db),
              XC_OK);
    for (size_t i = 0; i < NDOCS; i++) {
        xc_doc_t *doc = make_doc(i);
        char term[64];
        snprintf(term, sizeof term, "Q%s", DOCS[i][0]);
        assert_xc(xc_db_replace_document_by_term(db, term, doc, NULL), XC_OK);
        xc_doc_free(doc);
    }
    assert_xc(xc_db_commit(db), XC_OK);
    if (keep)
        return db;
    xc_db_free(db);
    return NULL;
}

/* Run QUERY over DB and return the result set (top 10, exact counts). */
static xc_mset_t *run(xc_db_t *db, const xc_query_t *q)
{
    xc_enquire_t *enq = NULL;
    xc_mset_t *ms = NULL;
    assert_xc(xc_enquire_new(db, &enq), XC_OK);
    assert_xc(xc_enquire_set_query(enq, q), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 100, &ms), XC_OK);
    xc_enquire_free(enq);
    return ms;
}

/* The number of hits QUERY gets over DB. */
static unsigned count_hits(xc_db_t *db, const xc_query_t *q)
{
    xc_mset_t *ms = run(db, q);
    unsigned n = xc_mset_size(ms);
    xc_mset_free(ms);
    return n;
}

/* A query for a single term. */
static xc_query_t *qterm(const char *t)
{
    xc_query_t *q = NULL;
    assert_xc(xc_query_term(t, 1, 0, &q), XC_OK);
    return q;
}

/* Combine two terms with OP (PARAM as for xc_query_combine). */
static xc_query_t *qpair(xc_query_op_t op, const char *a, const char *b,
                         unsigned param)
{
    xc_query_t *qa = qterm(a), *qb = qterm(b), *q = NULL;
    const xc_query_t *subs[] = {qa, qb};
    assert_xc(xc_query_combine(op, subs, 2, param, &q), XC_OK);
    xc_query_free(qa);
    xc_query_free(qb);
    return q;
}

/* ---- status codes and basics ------------------------------------------ */

static void test_status_strings(void **state)
{
    (void)state;
    for (int s = XC_OK; s <= XC_TIMEOUT; s++) {
        const char *a = xc_status_to_string((xc_status_t)s);
        assert_non_null(a);
        assert_true(strlen(a) > 0);
        for (int t = XC_OK; t < s; t++)
            assert_string_not_equal(a, xc_status_to_string((xc_status_t)t));
    }
    assert_string_equal(xc_status_to_string((xc_status_t)999),
                        "unknown status");
    assert_int_equal(strncmp(xc_xapian_version(), "1.", 2), 0);
    assert_non_null(xc_last_error());
}

static void test_sortable(void **state)
{
    char a[18], b[18];
    (void)state;
    size_t la = xc_sortable_serialise(-3.5, a);
    size_t lb = xc_sortable_serialise(20180731.0, b);
    assert_true(la > 0 && la <= 18 && lb > 0 && lb <= 18);
    assert_true(memcmp(a, b, la < lb ? la : lb) < 0);
    assert_true(xc_sortable_unserialise(a, la) == -3.5);
    assert_true(xc_sortable_unserialise(b, lb) == 20180731.0);
}

/* ---- opening and error codes --------------------------------------------- */

static void test_open_missing(void **state)
{
    xc_db_t *db = (xc_db_t *)0x1;
    char *path = tu_join(*state, "nope");
    assert_xc(xc_db_open(path, &db), XC_NOT_FOUND);
    assert_null(db);
    assert_true(strlen(xc_last_error()) > 0);
    db = (xc_db_t *)0x1;
    assert_xc(xc_db_open_writable(path, XC_DB_OPEN, 0, &db), XC_NOT_FOUND);
    assert_null(db);
    free(path);
}

static void test_open_actions(void **state)
{
    xc_db_t *db = NULL;
    xc_doccount_t n = 0;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    /* CREATE on an existing database fails; OPEN and CREATE_OR_OPEN keep
     * it; CREATE_OR_OVERWRITE empties it. */
    assert_xc(xc_db_open_writable(path, XC_DB_CREATE, 0, &db), XC_IO);
    assert_null(db);
    assert_xc(xc_db_open_writable(path, XC_DB_OPEN, XC_DB_NO_SYNC, &db),
              XC_OK);
    assert_true(xc_db_is_writable(db));
    assert_xc(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    xc_db_free(db);
    assert_xc(xc_db_open_writable(path, XC_DB_CREATE_OR_OPEN, 0, &db), XC_OK);
    assert_xc(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    xc_db_free(db);
    assert_xc(xc_db_open_writable(path, XC_DB_CREATE_OR_OVERWRITE,
                                  XC_DB_FULL_SYNC, &db),
              XC_OK);
    assert_xc(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, 0);
    xc_db_free(db);
    /* A path under a regular file cannot be created. */
    char *file = tu_join(*state, "plain");
    tu_write_file(file, "x", 1);
    char *under = tu_join(file, "db");
    assert_xc(xc_db_open_writable(under, XC_DB_CREATE_OR_OPEN, 0, &db), XC_IO);
    assert_null(db);
    free(under);
    free(file);
    free(path);
}

static void test_locked(void **state)
{
    xc_db_t *w1 = NULL, *w2 = (xc_db_t *)0x1;
    char *path = tu_join(*state, "db");
    w1 = build_db(path, 1);
    assert_xc(xc_db_open_writable(path, XC_DB_OPEN, 0, &w2), XC_LOCKED);
    assert_null(w2);
    assert_non_null(strstr(xc_last_error(), "lock"));
    /* Readers are not blocked by the writer. */
    xc_db_t *r = NULL;
    assert_xc(xc_db_open(path, &r), XC_OK);
    assert_false(xc_db_is_writable(r));
    xc_db_free(r);
    xc_db_free(w1);
    assert_xc(xc_db_open_writable(path, XC_DB_OPEN, XC_DB_RETRY_LOCK, &w2),
              XC_OK);
    xc_db_free(w2);
    free(path);
}

static void test_corrupt(void **state)
{
    xc_db_t *db = NULL;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    /* A version file of garbage: the database is not recognisable. */
    char *ver = tu_join(path, "iamglass");
    tu_write_file(ver, "garbage garbage garbage garbage", 31);
    assert_xc(xc_db_open(path, &db), XC_CORRUPT);
    assert_null(db);
    free(ver);

    /* A table whose blocks are garbage. */
    build_db(path, 0);
    char *table = tu_join(path, "postlist.glass");
    size_t len = 0;
    char *data = tu_read_file(table, &len);
    assert_non_null(data);
    memset(data, 0x5a, len);
    tu_write_file(table, data, len);
    free(data);
    xc_status_t rc = xc_db_open(path, &db);
    if (rc == XC_OK) {
        xc_doccount_t tf = 0;
        rc = xc_db_termfreq(db, "storm", &tf);
        xc_db_free(db);
    }
    assert_int_equal(rc, XC_CORRUPT);
    free(table);
    free(path);
}

static void test_bad_arguments(void **state)
{
    xc_db_t *db = NULL;
    xc_doc_t *doc = NULL;
    xc_query_t *q = NULL;
    xc_enquire_t *enq = NULL;
    xc_mset_t *ms = NULL;
    char *path = tu_join(*state, "db");
    assert_xc(xc_db_open(NULL, &db), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_open("", &db), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_open(path, NULL), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_open_writable(path, (xc_db_action_t)9, 0, &db),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_db_open_writable(path, XC_DB_CREATE, 0x10000, &db),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_db_open_remote(NULL, 1, 0, 0, &db), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_open_remote("127.0.0.1", 0, 0, 0, &db),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_db_open_remote("127.0.0.1", 70000, 0, 0, &db),
              XC_INVALID_ARGUMENT);

    db = build_db(path, 1);
    assert_xc(xc_doc_new(&doc), XC_OK);
    assert_xc(xc_doc_add_term(doc, "", XC_NTS, 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_doc_add_term(doc, "abc", 0, 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_doc_add_posting(doc, NULL, 3, 1, 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_doc_add_boolean_term(doc, "", XC_NTS), XC_INVALID_ARGUMENT);
    assert_xc(xc_doc_set_value(doc, XC_NO_SLOT, "x", 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_doc_set_data(NULL, "x", 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_replace_document(db, 0, doc), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_delete_document(db, 0), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_replace_document_by_term(db, "", doc, NULL),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_db_set_metadata(db, "", "x", 1), XC_INVALID_ARGUMENT);
    xc_doc_t *none = (xc_doc_t *)0x1;
    assert_xc(xc_db_get_document(db, 0, &none), XC_INVALID_ARGUMENT);
    assert_null(none);
    xc_doc_free(doc);
    doc = NULL;
    assert_xc(xc_db_add_spelling(db, "", 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_compact(db, path, 0x1000), XC_INVALID_ARGUMENT);
    assert_xc(xc_stub_write(NULL, NULL, 0), XC_INVALID_ARGUMENT);

    /* Query construction. */
    assert_xc(xc_query_term(NULL, 1, 0, &q), XC_INVALID_ARGUMENT);
    assert_xc(xc_query_combine((xc_query_op_t)77, NULL, 0, 0, &q),
              XC_INVALID_ARGUMENT);
    const xc_query_t *nulls[] = {NULL};
    assert_xc(xc_query_combine(XC_QUERY_AND, nulls, 1, 0, &q),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_query_value_range(0, NULL, 0, NULL, 0, &q),
              XC_INVALID_ARGUMENT);
    assert_null(q);
    xc_query_t *t = qterm("storm");

    /* Enquire. */
    assert_xc(xc_enquire_new(db, &enq), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_INVALID_ARGUMENT);
    assert_null(ms);
    assert_xc(xc_enquire_set_bm25(enq, -1, 0, 1, 0.5, 0.5),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_enquire_set_bm25(enq, 1.2, 0, 1, 1.5, 0.5),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_enquire_set_bm25(enq, 0.0 / 0.0, 0, 1, 0.5, 0.5),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_enquire_set_sort(enq, (xc_sort_t)42, 0, 0),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_enquire_add_facet(enq, XC_NO_SLOT, NULL),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_enquire_set_query(enq, t), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
    assert_xc(xc_mset_document(ms, 99, &doc), XC_INVALID_ARGUMENT);
    assert_xc(xc_mset_facet(ms, 0, 0, NULL, NULL), XC_INVALID_ARGUMENT);
    assert_int_equal(xc_mset_docid(ms, 99), 0);
    assert_int_equal(xc_mset_rank(NULL, 0), 0);
    xc_mset_free(ms);
    xc_enquire_free(enq);
    xc_query_free(t);

    /* Iterators used before their first item, or on the wrong list. */
    xc_termit_t *it = NULL;
    xc_posit_t *pit = NULL;
    assert_xc(xc_db_allterms(db, "", &it), XC_OK);
    assert_xc(xc_termit_positions(it, &pit), XC_INVALID_ARGUMENT);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_xc(xc_termit_positions(it, &pit), XC_INVALID_ARGUMENT);
    xc_termit_free(it);
    assert_xc(xc_termit_next(NULL), XC_INVALID_ARGUMENT);
    assert_xc(xc_postit_next(NULL), XC_INVALID_ARGUMENT);
    assert_xc(xc_posit_next(NULL), XC_INVALID_ARGUMENT);
    xc_db_free(db);
    free(path);
}

static void test_read_only_refuses_writes(void **state)
{
    xc_db_t *db = NULL;
    xc_doc_t *doc = NULL;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    assert_xc(xc_db_open(path, &db), XC_OK);
    assert_xc(xc_doc_new(&doc), XC_OK);
    assert_xc(xc_db_add_document(db, doc, NULL), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_replace_document(db, 1, doc), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_replace_document_by_term(db, "Qa1", doc, NULL),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_db_delete_document(db, 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_delete_document_by_term(db, "Qa1"), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_commit(db), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_begin_transaction(db, 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_commit_transaction(db), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_cancel_transaction(db), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_set_metadata(db, "k", "v", 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_add_spelling(db, "word", 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_remove_spelling(db, "word", 1), XC_INVALID_ARGUMENT);
    xc_doc_free(doc);
    xc_db_free(db);
    free(path);
}

static void test_use_after_close(void **state)
{
    xc_db_t *db = NULL;
    xc_doccount_t n = 0;
    xc_doc_t *doc = NULL;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    assert_xc(xc_db_open(path, &db), XC_OK);
    assert_xc(xc_db_close(db), XC_OK);
    /* (The document count is cached in memory, so it may still answer.) */
    (void)n;
    xc_doccount_t tf = 0;
    assert_xc(xc_db_termfreq(db, "storm", &tf), XC_CLOSED);
    assert_xc(xc_db_get_document(db, 1, &doc), XC_CLOSED);
    xc_query_t *q = qterm("storm");
    xc_enquire_t *enq = NULL;
    xc_mset_t *ms = NULL;
    assert_xc(xc_enquire_new(db, &enq), XC_OK);
    assert_xc(xc_enquire_set_query(enq, q), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_CLOSED);
    xc_enquire_free(enq);
    xc_query_free(q);
    xc_db_free(db);

    /* A writer closed before committing loses nothing committed and frees
     * its lock. */
    assert_xc(xc_db_open_writable(path, XC_DB_OPEN, 0, &db), XC_OK);
    assert_xc(xc_db_close(db), XC_OK);
    assert_xc(xc_db_delete_document_by_term(db, "Qa1"), XC_CLOSED);
    xc_db_free(db);
    assert_xc(xc_db_open_writable(path, XC_DB_OPEN, 0, &db), XC_OK);
    xc_db_free(db);
    free(path);
}

/* A reader that falls two revisions behind a busy writer must be told to
 * reopen (XC_MODIFIED), and reopening recovers it.  (The way Xapian's own
 * test suite provokes DatabaseModifiedError.) */
static void test_modified(void **state)
{
    xc_db_t *w = NULL, *r = NULL;
    xc_doc_t *doc = NULL, *got = NULL;
    xc_termit_t *it = NULL;
    char *path = tu_join(*state, "db");
    static char big[2048];
    memset(big, 1, sizeof big);
    assert_xc(xc_db_open_writable(path, XC_DB_CREATE, XC_DB_NO_SYNC, &w),
              XC_OK);
    assert_xc(xc_doc_new(&doc), XC_OK);
    assert_xc(xc_doc_set_data(doc, big, sizeof big), XC_OK);
    assert_xc(xc_doc_add_term(doc, "Z", XC_NTS, 1), XC_OK);
    for (int i = 0; i < 10000; i++)
        assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
    assert_xc(xc_db_commit(w), XC_OK);
    assert_xc(xc_db_open(path, &r), XC_OK);
    for (int i = 0; i < 2; i++) {
        assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
        assert_xc(xc_db_commit(w), XC_OK);
    }
    assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
    xc_status_t rc = xc_db_termlist(r, 10000, &it);
    if (rc == XC_OK)
        rc = xc_termit_next(it);
    xc_termit_free(it);
    if (rc == XC_OK) {
        rc = xc_db_get_document(r, 10000, &got);
        if (rc == XC_OK) {
            const char *data = NULL;
            rc = xc_doc_get_data(got, &data, NULL);
        }
        xc_doc_free(got);
    }
    assert_int_equal(rc, XC_MODIFIED);
    int changed = 0;
    assert_xc(xc_db_reopen(r, &changed), XC_OK);
    assert_true(changed);
    xc_doccount_t n = 0;
    assert_xc(xc_db_doccount(r, &n), XC_OK);
    assert_int_equal(n, 10002);
    xc_doc_free(doc);
    xc_db_free(r);
    xc_db_free(w);
    free(path);
}

/* Out of memory: in a child with a tight address-space limit, copying a
 * large value must fail with XC_NO_MEMORY, not crash. */
static void test_no_memory(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan reserves terabytes of shadow memory: no RLIMIT_AS. */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    skip();
#endif
#endif
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t big = 256u << 20;
        char *buf = malloc(big);
        xc_doc_t *doc = NULL;
        struct rlimit rl;
        long pages = 0, rss = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (!buf || !f || fscanf(f, "%ld %ld", &pages, &rss) != 2)
            _exit(2);
        fclose(f);
        memset(buf, 'x', big);
        if (xc_doc_new(&doc) != XC_OK)
            _exit(3);
        rl.rlim_cur = rl.rlim_max =
            (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (64u << 20);
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(4);
        xc_status_t rc = xc_doc_set_data(doc, buf, big);
        _exit(rc == XC_NO_MEMORY ? 0 : 10 + (int)rc);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- documents ------------------------------------------------------------ */

static void test_document(void **state)
{
    xc_doc_t *doc = NULL;
    xc_termit_t *it = NULL;
    xc_posit_t *pit = NULL;
    const char *v = NULL;
    size_t len = 0;
    xc_termcount_t n = 0;
    (void)state;
    assert_xc(xc_doc_new(&doc), XC_OK);
    assert_int_equal(xc_doc_docid(doc), 0);
    assert_xc(xc_doc_add_posting(doc, "storm-xyz", 5, 3, 1), XC_OK);
    assert_xc(xc_doc_add_posting(doc, "storm", XC_NTS, 7, 2), XC_OK);
    assert_xc(xc_doc_add_term(doc, "wind", XC_NTS, 4), XC_OK);
    assert_xc(xc_doc_add_boolean_term(doc, "Kweather", XC_NTS), XC_OK);
    assert_xc(xc_doc_termcount(doc, &n), XC_OK);
    assert_int_equal(n, 3);

    /* Terms come back in byte order with their wdf and positions. */
    assert_xc(xc_doc_termlist(doc, &it), XC_OK);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, &len), "Kweather");
    assert_int_equal(len, 8);
    assert_int_equal(xc_termit_wdf(it), 0);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, NULL), "storm");
    assert_int_equal(xc_termit_wdf(it), 3);
    assert_xc(xc_termit_positions(it, &pit), XC_OK);
    assert_xc(xc_posit_next(pit), XC_OK);
    assert_int_equal(xc_posit_get(pit), 3);
    assert_xc(xc_posit_next(pit), XC_OK);
    assert_int_equal(xc_posit_get(pit), 7);
    assert_xc(xc_posit_next(pit), XC_END);
    assert_xc(xc_posit_next(pit), XC_END);
    xc_posit_free(pit);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, NULL), "wind");
    assert_int_equal(xc_termit_wdf(it), 4);
    assert_xc(xc_termit_next(it), XC_END);
    assert_xc(xc_termit_next(it), XC_END);
    assert_int_equal(xc_termit_wdf(it), 0);
    xc_termit_free(it);

    /* Removing terms. */
    assert_xc(xc_doc_remove_term(doc, "wind"), XC_OK);
    assert_xc(xc_doc_remove_term(doc, "wind"), XC_NOT_FOUND);
    assert_xc(xc_doc_termcount(doc, &n), XC_OK);
    assert_int_equal(n, 2);
    assert_xc(xc_doc_clear_terms(doc), XC_OK);
    assert_xc(xc_doc_termcount(doc, &n), XC_OK);
    assert_int_equal(n, 0);

    /* Values and data may hold NUL bytes. */
    assert_xc(xc_doc_set_value(doc, 5, "a\0b", 3), XC_OK);
    assert_xc(xc_doc_get_value(doc, 5, &v, &len), XC_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(v, "a\0b", 3);
    assert_xc(xc_doc_set_value(doc, 5, NULL, 0), XC_OK);
    assert_xc(xc_doc_get_value(doc, 5, &v, &len), XC_OK);
    assert_int_equal(len, 0);
    assert_xc(xc_doc_get_value(doc, 6, &v, NULL), XC_OK);
    assert_string_equal(v, "");
    assert_xc(xc_doc_set_data(doc, "x\0y", 3), XC_OK);
    assert_xc(xc_doc_get_data(doc, &v, &len), XC_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(v, "x\0y", 4); /* NUL-terminated too. */
    xc_doc_free(doc);
    xc_doc_free(NULL);
}

static void test_add_replace_delete(void **state)
{
    xc_db_t *db = NULL;
    xc_doc_t *doc = NULL;
    xc_docid_t id = 0, id2 = 0;
    xc_doccount_t n = 0;
    const char *data = NULL;
    char *path = tu_join(*state, "db");
    db = build_db(path, 1);

    /* Replacing by unique term keeps one document per id. */
    doc = make_doc(0);
    assert_xc(xc_doc_set_data(doc, "new text", 8), XC_OK);
    assert_xc(xc_db_replace_document_by_term(db, "Qa1", doc, &id), XC_OK);
    xc_doc_free(doc);
    assert_xc(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    assert_xc(xc_db_get_document(db, id, &doc), XC_OK);
    assert_int_equal(xc_doc_docid(doc), id);
    assert_xc(xc_doc_get_data(doc, &data, NULL), XC_OK);
    assert_string_equal(data, "new text");
    xc_doc_free(doc);

    /* Plain add, replace by id, delete by id and by term. */
    doc = make_doc(2);
    assert_xc(xc_db_add_document(db, doc, &id2), XC_OK);
    assert_true(id2 > NDOCS);
    assert_xc(xc_db_replace_document(db, id2, doc), XC_OK);
    assert_xc(xc_db_replace_document(db, 1000, doc), XC_OK);
    xc_doc_free(doc);
    assert_xc(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, NDOCS + 2);
    assert_xc(xc_db_delete_document(db, 1000), XC_OK);
    assert_xc(xc_db_delete_document(db, 1000), XC_NOT_FOUND);
    assert_xc(xc_db_get_document(db, 1000, &doc), XC_NOT_FOUND);
    assert_null(doc);
    /* Deleting by term removes every document with it (a3 and the copy). */
    assert_xc(xc_db_delete_document_by_term(db, "Qa3"), XC_OK);
    assert_xc(xc_db_delete_document_by_term(db, "Qnone"), XC_OK);
    assert_xc(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, NDOCS - 1);
    assert_xc(xc_db_commit(db), XC_OK);
    xc_db_free(db);
    free(path);
}

static void test_commit_and_reopen(void **state)
{
    xc_db_t *w = NULL, *r = NULL;
    xc_doccount_t n = 0;
    int changed = -1;
    char *path = tu_join(*state, "db");
    w = build_db(path, 1);
    assert_xc(xc_db_open(path, &r), XC_OK);
    xc_doc_t *doc = make_doc(1);
    assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
    xc_doc_free(doc);
    /* Not visible to readers until committed. */
    assert_xc(xc_db_reopen(r, &changed), XC_OK);
    assert_int_equal(changed, 0);
    assert_xc(xc_db_doccount(r, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    assert_xc(xc_db_commit(w), XC_OK);
    assert_xc(xc_db_doccount(r, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    assert_xc(xc_db_reopen(r, &changed), XC_OK);
    assert_int_equal(changed, 1);
    assert_xc(xc_db_doccount(r, &n), XC_OK);
    assert_int_equal(n, NDOCS + 1);
    assert_xc(xc_db_reopen(r, NULL), XC_OK);
    xc_db_free(r);
    xc_db_free(w);
    free(path);
}

static void test_transactions(void **state)
{
    xc_db_t *w = NULL;
    xc_doccount_t n = 0;
    xc_doc_t *doc = NULL;
    char *path = tu_join(*state, "db");
    w = build_db(path, 1);
    doc = make_doc(0);

    assert_xc(xc_db_commit_transaction(w), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_cancel_transaction(w), XC_INVALID_ARGUMENT);

    assert_xc(xc_db_begin_transaction(w, 1), XC_OK);
    assert_xc(xc_db_begin_transaction(w, 1), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
    assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
    assert_xc(xc_db_commit(w), XC_INVALID_ARGUMENT);
    assert_xc(xc_db_cancel_transaction(w), XC_OK);
    assert_xc(xc_db_doccount(w, &n), XC_OK);
    assert_int_equal(n, NDOCS);

    assert_xc(xc_db_begin_transaction(w, 1), XC_OK);
    assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
    assert_xc(xc_db_commit_transaction(w), XC_OK);
    /* A flushed transaction is committed: a new reader sees it. */
    xc_db_t *r = NULL;
    assert_xc(xc_db_open(path, &r), XC_OK);
    assert_xc(xc_db_doccount(r, &n), XC_OK);
    assert_int_equal(n, NDOCS + 1);
    xc_db_free(r);

    assert_xc(xc_db_begin_transaction(w, 0), XC_OK);
    assert_xc(xc_db_add_document(w, doc, NULL), XC_OK);
    assert_xc(xc_db_commit_transaction(w), XC_OK);
    assert_xc(xc_db_doccount(w, &n), XC_OK);
    assert_int_equal(n, NDOCS + 2);
    xc_doc_free(doc);
    xc_db_free(w);
    free(path);
}

static void test_metadata(void **state)
{
    xc_db_t *w = NULL;
    char *v = NULL;
    size_t len = 0;
    xc_termit_t *it = NULL;
    char *path = tu_join(*state, "db");
    w = build_db(path, 1);
    assert_xc(xc_db_set_metadata(w, "byline.lang", "english", 7), XC_OK);
    assert_xc(xc_db_set_metadata(w, "byline.schema", "1", 1), XC_OK);
    assert_xc(xc_db_set_metadata(w, "other", "b\0n", 3), XC_OK);
    assert_xc(xc_db_commit(w), XC_OK);
    assert_xc(xc_db_get_metadata(w, "byline.lang", &v, &len), XC_OK);
    assert_string_equal(v, "english");
    assert_int_equal(len, 7);
    free(v);
    assert_xc(xc_db_get_metadata(w, "other", &v, &len), XC_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(v, "b\0n", 3);
    free(v);
    assert_xc(xc_db_get_metadata(w, "missing", &v, NULL), XC_NOT_FOUND);
    assert_null(v);

    assert_xc(xc_db_metadata_keys(w, "byline.", &it), XC_OK);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, NULL), "byline.lang");
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, NULL), "byline.schema");
    assert_xc(xc_termit_next(it), XC_END);
    xc_termit_free(it);

    /* An empty value deletes the key. */
    assert_xc(xc_db_set_metadata(w, "other", NULL, 0), XC_OK);
    assert_xc(xc_db_get_metadata(w, "other", &v, NULL), XC_NOT_FOUND);
    xc_db_free(w);
    free(path);
}

static void test_statistics(void **state)
{
    xc_db_t *db = NULL;
    xc_doccount_t n = 0;
    xc_docid_t last = 0;
    xc_termcount_t cf = 0, len = 0;
    double avg = 0;
    int exists = -1;
    char *lo = NULL, *hi = NULL;
    size_t lolen = 0, hilen = 0;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    assert_xc(xc_db_open(path, &db), XC_OK);
    assert_xc(xc_db_doccount(db, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    assert_xc(xc_db_lastdocid(db, &last), XC_OK);
    assert_int_equal(last, NDOCS);
    /* Lengths: 4 + 6 + 3 + 4 + 4 words. */
    assert_xc(xc_db_avlength(db, &avg), XC_OK);
    assert_true(avg > 4.19 && avg < 4.21);
    assert_xc(xc_db_termfreq(db, "storm", &n), XC_OK);
    assert_int_equal(n, 3);
    assert_xc(xc_db_collection_freq(db, "storm", &cf), XC_OK);
    assert_int_equal(cf, 5);
    assert_xc(xc_db_term_exists(db, "coast", &exists), XC_OK);
    assert_int_equal(exists, 1);
    assert_xc(xc_db_term_exists(db, "tornado", &exists), XC_OK);
    assert_int_equal(exists, 0);
    assert_xc(xc_db_doclength(db, 2, &len), XC_OK);
    assert_int_equal(len, 6);
    assert_xc(xc_db_doclength(db, 99, &len), XC_NOT_FOUND);
    assert_xc(xc_db_value_stats(db, 0, &n, &lo, &lolen, &hi, &hilen), XC_OK);
    assert_int_equal(n, NDOCS);
    assert_string_equal(lo, "2017");
    assert_string_equal(hi, "2020");
    assert_int_equal(lolen, 4);
    free(lo);
    free(hi);
    assert_xc(xc_db_value_stats(db, 7, &n, NULL, NULL, &hi, NULL), XC_OK);
    assert_int_equal(n, 0);
    assert_string_equal(hi, "");
    free(hi);
    xc_db_free(db);
    free(path);
}

static void test_iterators(void **state)
{
    xc_db_t *db = NULL;
    xc_termit_t *it = NULL;
    xc_postit_t *pit = NULL;
    xc_posit_t *ppos = NULL;
    xc_termcount_t len = 0;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    assert_xc(xc_db_open(path, &db), XC_OK);

    /* All terms with a prefix, with their frequencies. */
    assert_xc(xc_db_allterms(db, "K", &it), XC_OK);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, NULL), "Keven");
    assert_int_equal(xc_termit_termfreq(it), 3);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, NULL), "Kodd");
    assert_int_equal(xc_termit_termfreq(it), 2);
    assert_xc(xc_termit_next(it), XC_END);
    xc_termit_free(it);
    unsigned all = 0;
    assert_xc(xc_db_allterms(db, NULL, &it), XC_OK);
    while (xc_termit_next(it) == XC_OK)
        all++;
    xc_termit_free(it);
    assert_int_equal(all, 15 + NDOCS + 2);

    /* A stored document's termlist, with positions. */
    assert_xc(xc_db_termlist(db, 4, &it), XC_OK);
    xc_status_t rc;
    for (rc = xc_termit_next(it); rc == XC_OK; rc = xc_termit_next(it)) {
        if (strcmp(xc_termit_term(it, NULL), "storm") == 0)
            break;
    }
    assert_int_equal(rc, XC_OK);
    assert_int_equal(xc_termit_wdf(it), 3);
    assert_xc(xc_termit_positions(it, &ppos), XC_OK);
    unsigned npos = 0;
    while (xc_posit_next(ppos) == XC_OK)
        npos++;
    assert_int_equal(npos, 3);
    xc_posit_free(ppos);
    xc_termit_free(it);
    assert_xc(xc_db_termlist(db, 99, &it), XC_NOT_FOUND);

    /* Postings with wdf and document length, and skipping. */
    assert_xc(xc_db_postlist(db, "storm", &pit), XC_OK);
    assert_xc(xc_postit_next(pit), XC_OK);
    assert_int_equal(xc_postit_docid(pit), 1);
    assert_int_equal(xc_postit_wdf(pit), 1);
    assert_xc(xc_postit_doclength(pit, &len), XC_OK);
    assert_int_equal(len, 4);
    assert_xc(xc_postit_skip_to(pit, 3), XC_OK);
    assert_int_equal(xc_postit_docid(pit), 4);
    assert_int_equal(xc_postit_wdf(pit), 3);
    assert_xc(xc_postit_next(pit), XC_END);
    assert_int_equal(xc_postit_docid(pit), 0);
    assert_xc(xc_postit_doclength(pit, &len), XC_INVALID_ARGUMENT);
    xc_postit_free(pit);
    assert_xc(xc_db_postlist(db, "", &pit), XC_OK);
    unsigned ndocs = 0;
    while (xc_postit_next(pit) == XC_OK)
        ndocs++;
    assert_int_equal(ndocs, NDOCS);
    xc_postit_free(pit);
    assert_xc(xc_db_postlist(db, "absent", &pit), XC_OK);
    assert_xc(xc_postit_next(pit), XC_END);
    assert_xc(xc_postit_skip_to(pit, 2), XC_END);
    xc_postit_free(pit);

    /* Positions straight from the database. */
    assert_xc(xc_db_positions(db, 2, "storm", &ppos), XC_OK);
    assert_xc(xc_posit_next(ppos), XC_OK);
    assert_int_equal(xc_posit_get(ppos), 6);
    assert_xc(xc_posit_next(ppos), XC_END);
    xc_posit_free(ppos);
    assert_xc(xc_db_positions(db, 3, "storm", &ppos), XC_OK);
    assert_xc(xc_posit_next(ppos), XC_END);
    xc_posit_free(ppos);
    xc_db_free(db);
    free(path);
}

/* ---- queries and searching ------------------------------------------------ */

static void test_query_operators(void **state)
{
    xc_db_t *db = NULL;
    xc_query_t *q = NULL;
    char *desc = NULL;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    assert_xc(xc_db_open(path, &db), XC_OK);

    struct {
        xc_query_op_t op;
        const char *a, *b;
        unsigned param, hits;
    } cases[] = {
        {XC_QUERY_AND, "storm", "coast", 0, 2},
        {XC_QUERY_OR, "storm", "fishermen", 0, 4},
        {XC_QUERY_AND_NOT, "storm", "coast", 0, 1},
        {XC_QUERY_XOR, "storm", "fishermen", 0, 3},
        {XC_QUERY_AND_MAYBE, "storm", "guard", 0, 3},
        {XC_QUERY_FILTER, "storm", "Keven", 0, 1},
        {XC_QUERY_PHRASE, "storm", "hits", 0, 1},
        {XC_QUERY_PHRASE, "hits", "storm", 0, 0},
        {XC_QUERY_PHRASE, "storm", "coast", 0, 0},
        {XC_QUERY_PHRASE, "storm", "coast", 4, 1},
        {XC_QUERY_NEAR, "coast", "storm", 4, 1},
        {XC_QUERY_NEAR, "coast", "storm", 5, 1},
        {XC_QUERY_NEAR, "coast", "storm", 6, 2},
        {XC_QUERY_NEAR, "guard", "storm", 2, 0},
        {XC_QUERY_ELITE_SET, "storm", "election", 1, 1}, /* the rarer */
        {XC_QUERY_SYNONYM, "storm", "election", 0, 4},
        {XC_QUERY_MAX, "storm", "election", 0, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q = qpair(cases[i].op, cases[i].a, cases[i].b, cases[i].param);
        unsigned got = count_hits(db, q);
        if (got != cases[i].hits) {
            xc_query_describe(q, &desc);
            fail_msg("case %zu %s: %u hits, want %u", i, desc, got,
                     cases[i].hits);
        }
        xc_query_free(q);
    }

    /* Wildcards. */
    assert_xc(xc_query_wildcard("fish", 0, &q), XC_OK);
    assert_int_equal(count_hits(db, q), 2);
    xc_query_free(q);
    assert_xc(xc_query_wildcard("e", 1, &q), XC_OK);
    assert_int_equal(count_hits(db, q), 1); /* "election" only. */
    xc_query_free(q);

    /* Value ranges: closed, and open at either end. */
    assert_xc(xc_query_value_range(0, "2018", 4, "2019", 4, &q), XC_OK);
    assert_int_equal(count_hits(db, q), 3);
    xc_query_free(q);
    assert_xc(xc_query_value_range(0, "2019", 4, NULL, 0, &q), XC_OK);
    assert_int_equal(count_hits(db, q), 3);
    xc_query_free(q);
    assert_xc(xc_query_value_range(0, NULL, 0, "2017", 4, &q), XC_OK);
    assert_int_equal(count_hits(db, q), 1);
    xc_query_free(q);

    /* Match-all and match-nothing, emptiness and descriptions. */
    assert_xc(xc_query_match_all(&q), XC_OK);
    assert_int_equal(count_hits(db, q), NDOCS);
    assert_false(xc_query_empty(q));
    xc_query_free(q);
    assert_xc(xc_query_match_nothing(&q), XC_OK);
    assert_true(xc_query_empty(q));
    xc_query_free(q);
    q = qpair(XC_QUERY_PHRASE, "storm", "hits", 0);
    assert_xc(xc_query_describe(q, &desc), XC_OK);
    assert_string_equal(desc, "Query((storm PHRASE 2 hits))");
    free(desc);
    xc_query_free(q);
    /* An empty combination is an empty query. */
    assert_xc(xc_query_combine(XC_QUERY_OR, NULL, 0, 0, &q), XC_OK);
    assert_true(xc_query_empty(q));
    xc_query_free(q);
    xc_db_free(db);
    free(path);
}

static void test_ranking(void **state)
{
    xc_db_t *db = NULL;
    xc_enquire_t *enq = NULL;
    xc_mset_t *ms = NULL;
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    assert_xc(xc_db_open(path, &db), XC_OK);
    xc_query_t *q = qterm("storm");

    assert_xc(xc_enquire_new(db, &enq), XC_OK);
    assert_xc(xc_enquire_set_query(enq, q), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
    assert_int_equal(xc_mset_size(ms), 3);
    assert_int_equal(xc_mset_matches_lower(ms), 3);
    assert_int_equal(xc_mset_matches_estimated(ms), 3);
    assert_int_equal(xc_mset_matches_upper(ms), 3);
    /* "storm storm storm warning" ranks first with BM25. */
    assert_int_equal(xc_mset_docid(ms, 0), 4);
    assert_int_equal(xc_mset_rank(ms, 0), 0);
    assert_int_equal(xc_mset_rank(ms, 2), 2);
    assert_true(xc_mset_weight(ms, 0) > xc_mset_weight(ms, 1));
    assert_true(xc_mset_weight(ms, 1) >= xc_mset_weight(ms, 2));
    assert_true(xc_mset_weight(ms, 2) > 0);
    assert_xc(xc_mset_document(ms, 0, &doc), XC_OK);
    assert_xc(xc_doc_get_data(doc, &data, NULL), XC_OK);
    assert_string_equal(data, "storm storm storm warning");
    xc_doc_free(doc);
    xc_doccount_t tf = 0;
    assert_xc(xc_mset_termfreq(ms, "storm", &tf), XC_OK);
    assert_int_equal(tf, 3);
    double w_default = xc_mset_weight(ms, 0);
    xc_mset_free(ms);

    /* Paging: ranks count from the top of the whole list. */
    assert_xc(xc_enquire_mset(enq, 1, 1, 0, &ms), XC_OK);
    assert_int_equal(xc_mset_size(ms), 1);
    assert_int_equal(xc_mset_rank(ms, 0), 1);
    xc_mset_free(ms);

    /* BM25 parameters change the weights: k1 = 0 ignores wdf. */
    assert_xc(xc_enquire_set_bm25(enq, 0.0, 0, 1, 0.75, 0.5), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
    assert_true(xc_mset_weight(ms, 0) != w_default);
    assert_true(xc_mset_weight(ms, 0) < xc_mset_weight(ms, 0) + 1e-9);
    xc_mset_free(ms);

    /* Boolean weighting: every match weighs nothing. */
    assert_xc(xc_enquire_set_boolean(enq), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
    assert_int_equal(xc_mset_size(ms), 3);
    assert_true(xc_mset_weight(ms, 0) == 0.0);
    xc_mset_free(ms);
    xc_enquire_free(enq);

    /* Scaling a subquery's weight. */
    xc_query_t *scaled = NULL;
    assert_xc(xc_query_scale_weight(q, 2.0, &scaled), XC_OK);
    ms = run(db, scaled);
    assert_true(xc_mset_weight(ms, 0) > 1.99 * w_default &&
                xc_mset_weight(ms, 0) < 2.01 * w_default);
    xc_mset_free(ms);
    xc_query_free(scaled);
    assert_xc(xc_query_scale_weight(q, -1.0, &scaled), XC_INVALID_ARGUMENT);
    xc_query_free(q);
    xc_db_free(db);
    free(path);
}

static void test_sort_collapse_facets(void **state)
{
    xc_db_t *db = NULL;
    xc_enquire_t *enq = NULL;
    xc_mset_t *ms = NULL;
    xc_termit_t *it = NULL;
    char *path = tu_join(*state, "db");
    build_db(path, 0);
    assert_xc(xc_db_open(path, &db), XC_OK);
    xc_query_t *all = NULL;
    assert_xc(xc_query_match_all(&all), XC_OK);
    assert_xc(xc_enquire_new(db, &enq), XC_OK);
    assert_xc(xc_enquire_set_query(enq, all), XC_OK);

    /* By value, ascending then descending (the years). */
    assert_xc(xc_enquire_set_sort(enq, XC_SORT_VALUE, 0, 0), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
    assert_int_equal(xc_mset_docid(ms, 0), 3); /* 2017 */
    assert_int_equal(xc_mset_docid(ms, 4), 4); /* 2020 */
    xc_mset_free(ms);
    assert_xc(xc_enquire_set_sort(enq, XC_SORT_VALUE_THEN_RELEVANCE, 0, 1),
              XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
    assert_int_equal(xc_mset_docid(ms, 0), 4);
    assert_int_equal(xc_mset_docid(ms, 4), 3);
    xc_mset_free(ms);
    assert_xc(xc_enquire_set_sort(enq, XC_SORT_RELEVANCE_THEN_VALUE, 0, 0),
              XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
    assert_int_equal(xc_mset_docid(ms, 0), 3); /* All weigh 0: by value. */
    xc_mset_free(ms);
    assert_xc(xc_enquire_set_sort(enq, XC_SORT_RELEVANCE, 0, 0), XC_OK);

    /* Collapsing on the category: one hit per category, with a count. */
    assert_xc(xc_enquire_set_collapse_key(enq, 1, 1), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 10, 10, &ms), XC_OK);
    assert_int_equal(xc_mset_size(ms), 2);
    assert_int_equal(xc_mset_collapse_count(ms, 0) +
                         xc_mset_collapse_count(ms, 1),
                     NDOCS - 2);
    xc_mset_free(ms);
    assert_xc(xc_enquire_set_collapse_key(enq, XC_NO_SLOT, 1), XC_OK);

    /* Facets over the whole match set. */
    unsigned fyear = 9, fcat = 9;
    assert_xc(xc_enquire_add_facet(enq, 0, &fyear), XC_OK);
    assert_xc(xc_enquire_add_facet(enq, 1, &fcat), XC_OK);
    assert_int_equal(fyear, 0);
    assert_int_equal(fcat, 1);
    for (int round = 0; round < 2; round++) {
        /* Twice: counts must not accumulate across searches. */
        xc_doccount_t total = 0;
        assert_xc(xc_enquire_mset(enq, 0, 1, NDOCS, &ms), XC_OK);
        assert_xc(xc_mset_facet(ms, fyear, 0, &total, &it), XC_OK);
        assert_int_equal(total, NDOCS);
        const char *years[] = {"2017", "2018", "2019", "2020"};
        unsigned counts[] = {1, 1, 2, 1};
        for (int i = 0; i < 4; i++) {
            assert_xc(xc_termit_next(it), XC_OK);
            assert_string_equal(xc_termit_term(it, NULL), years[i]);
            assert_int_equal(xc_termit_termfreq(it), counts[i]);
        }
        assert_xc(xc_termit_next(it), XC_END);
        xc_termit_free(it);
        assert_xc(xc_mset_facet(ms, fcat, 1, NULL, &it), XC_OK);
        assert_xc(xc_termit_next(it), XC_OK);
        assert_string_equal(xc_termit_term(it, NULL), "even");
        assert_int_equal(xc_termit_termfreq(it), 3);
        assert_xc(xc_termit_next(it), XC_END);
        xc_termit_free(it);
        xc_mset_free(ms);
    }

    /* check_at_least makes the count exact for a partial page. */
    xc_query_t *q = qterm("storm");
    assert_xc(xc_enquire_set_query(enq, q), XC_OK);
    assert_xc(xc_enquire_mset(enq, 0, 1, 100, &ms), XC_OK);
    assert_int_equal(xc_mset_size(ms), 1);
    assert_int_equal(xc_mset_matches_lower(ms), 3);
    assert_int_equal(xc_mset_matches_upper(ms), 3);
    xc_mset_free(ms);
    xc_query_free(q);
    xc_query_free(all);
    xc_enquire_free(enq);
    xc_db_free(db);
    free(path);
}

static void test_matching_terms(void **state)
{
    xc_db_t *db = NULL;
    xc_termit_t *it = NULL;
    char *path = tu_join(*state, "db");
    /* Without termlists, matching terms still work. */
    assert_xc(xc_db_open_writable(path, XC_DB_CREATE, XC_DB_NO_TERMLIST, &db),
              XC_OK);
    for (size_t i = 0; i < NDOCS; i++) {
        xc_doc_t *doc = make_doc(i);
        assert_xc(xc_db_add_document(db, doc, NULL), XC_OK);
        xc_doc_free(doc);
    }
    assert_xc(xc_db_commit(db), XC_OK);
    xc_db_free(db);
    assert_xc(xc_db_open(path, &db), XC_OK);
    /* A database without termlists cannot list a document's terms. */
    assert_xc(xc_db_termlist(db, 1, &it), XC_UNSUPPORTED);

    xc_query_t *q1 = qterm("coast"), *q2 = qterm("storm"),
               *q3 = qterm("fishermen"), *q = NULL;
    const xc_query_t *subs[] = {q1, q2, q3, q2};
    assert_xc(xc_query_combine(XC_QUERY_OR, subs, 4, 0, &q), XC_OK);
    xc_mset_t *ms = run(db, q);
    for (unsigned i = 0; i < xc_mset_size(ms); i++) {
        if (xc_mset_docid(ms, i) != 2)
            continue;
        assert_xc(xc_mset_matching_terms(ms, i, &it), XC_OK);
        /* Each once, by query position and then in byte order. */
        const char *want[] = {"coast", "fishermen", "storm"};
        for (int k = 0; k < 3; k++) {
            assert_xc(xc_termit_next(it), XC_OK);
            assert_string_equal(xc_termit_term(it, NULL), want[k]);
        }
        assert_xc(xc_termit_next(it), XC_END);
        xc_termit_free(it);
    }
    assert_xc(xc_mset_matching_terms(ms, 99, &it), XC_INVALID_ARGUMENT);
    xc_mset_free(ms);
    xc_query_free(q);
    xc_query_free(q1);
    xc_query_free(q2);
    xc_query_free(q3);
    xc_db_free(db);
    free(path);
}

static void test_spelling(void **state)
{
    xc_db_t *db = NULL;
    char *s = NULL;
    xc_termit_t *it = NULL;
    char *path = tu_join(*state, "db");
    db = build_db(path, 1);
    assert_xc(xc_db_add_spelling(db, "hurricane", 5), XC_OK);
    assert_xc(xc_db_add_spelling(db, "election", 3), XC_OK);
    assert_xc(xc_db_add_spelling(db, "elections", 1), XC_OK);
    assert_xc(xc_db_commit(db), XC_OK);
    assert_xc(xc_db_spelling_suggestion(db, "huricane", 2, &s), XC_OK);
    assert_string_equal(s, "hurricane");
    free(s);
    assert_xc(xc_db_spelling_suggestion(db, "electon", 2, &s), XC_OK);
    assert_string_equal(s, "election");
    free(s);
    assert_xc(xc_db_spelling_suggestion(db, "zzzzzz", 2, &s), XC_OK);
    assert_string_equal(s, "");
    free(s);
    assert_xc(xc_db_spellings(db, &it), XC_OK);
    assert_xc(xc_termit_next(it), XC_OK);
    assert_string_equal(xc_termit_term(it, NULL), "election");
    assert_int_equal(xc_termit_termfreq(it), 3);
    xc_termit_free(it);
    assert_xc(xc_db_remove_spelling(db, "hurricane", 5), XC_OK);
    assert_xc(xc_db_commit(db), XC_OK);
    assert_xc(xc_db_spelling_suggestion(db, "huricane", 2, &s), XC_OK);
    assert_string_equal(s, "");
    free(s);
    xc_db_free(db);
    free(path);
}

/* Build two small databases, shard0 (docs 0,2,4) and shard1 (1,3). */
static void build_shards(const char *dir, char **p0, char **p1)
{
    xc_db_t *db = NULL;
    *p0 = tu_join(dir, "shard0");
    *p1 = tu_join(dir, "shard1");
    for (int s = 0; s < 2; s++) {
        assert_xc(xc_db_open_writable(s ? *p1 : *p0, XC_DB_CREATE, 0, &db),
                  XC_OK);
        for (size_t i = (size_t)s; i < NDOCS; i += 2) {
            xc_doc_t *doc = make_doc(i);
            assert_xc(xc_db_add_document(db, doc, NULL), XC_OK);
            xc_doc_free(doc);
        }
        assert_xc(xc_db_commit(db), XC_OK);
        xc_db_free(db);
    }
}

/* The data of the hits of "storm OR fishermen" over DB, in rank order,
 * joined with '|', and their weights summed. */
static char *ranked(xc_db_t *db, double *wsum)
{
    xc_query_t *q = qpair(XC_QUERY_OR, "storm", "fishermen", 0);
    xc_mset_t *ms = run(db, q);
    char *out = calloc(1, 4096);
    *wsum = 0;
    for (unsigned i = 0; i < xc_mset_size(ms); i++) {
        xc_doc_t *doc = NULL;
        const char *data = NULL;
        assert_xc(xc_mset_document(ms, i, &doc), XC_OK);
        assert_xc(xc_doc_get_data(doc, &data, NULL), XC_OK);
        strcat(out, data);
        strcat(out, "|");
        *wsum += xc_mset_weight(ms, i);
        xc_doc_free(doc);
    }
    xc_mset_free(ms);
    xc_query_free(q);
    return out;
}

static void test_multi_and_stub(void **state)
{
    xc_db_t *whole = NULL, *multi = NULL, *s0 = NULL, *s1 = NULL, *st = NULL;
    xc_doccount_t n = 0;
    double w1, w2, w3;
    char *p0, *p1;
    char *path = tu_join(*state, "whole");
    build_db(path, 0);
    build_shards(*state, &p0, &p1);
    assert_xc(xc_db_open(path, &whole), XC_OK);

    assert_xc(xc_db_new_multi(&multi), XC_OK);
    assert_xc(xc_db_open(p0, &s0), XC_OK);
    assert_xc(xc_db_open(p1, &s1), XC_OK);
    assert_xc(xc_db_add(multi, s0), XC_OK);
    assert_xc(xc_db_add(multi, s1), XC_OK);
    xc_db_free(s0);
    xc_db_free(s1);
    assert_xc(xc_db_doccount(multi, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    /* Docids interleave: shard0's first is 1, shard1's first is 2. */
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    assert_xc(xc_db_get_document(multi, 2, &doc), XC_OK);
    assert_xc(xc_doc_get_data(doc, &data, NULL), XC_OK);
    assert_string_equal(data, DOCS[1][1]);
    xc_doc_free(doc);

    /* Searching the shards as one ranks exactly like the single database. */
    char *a = ranked(whole, &w1), *b = ranked(multi, &w2);
    assert_string_equal(a, b);
    assert_true(w1 - w2 < 1e-9 && w2 - w1 < 1e-9);

    /* The same through a stub file with relative paths. */
    char *stub = tu_join(*state, "index.stub");
    const char *entries[] = {"shard0", "shard1"};
    assert_xc(xc_stub_write(stub, entries, 2), XC_OK);
    assert_xc(xc_db_open(stub, &st), XC_OK);
    char *c = ranked(st, &w3);
    assert_string_equal(a, c);
    /* Two databases, two UUIDs; one alone, one. */
    assert_int_equal(xc_db_size(st), 2);
    assert_int_equal(xc_db_size(multi), 2);
    assert_int_equal(xc_db_size(whole), 1);
    assert_int_equal(xc_db_size(NULL), 0);
    char *uuids = NULL;
    assert_xc(xc_db_uuid(st, &uuids), XC_OK);
    assert_non_null(strchr(uuids, ':'));
    assert_null(strchr(strchr(uuids, ':') + 1, ':'));
    free(uuids);
    xc_db_free(st);
    /* A writable database cannot take others. */
    xc_db_t *w = NULL;
    char *p2 = tu_join(*state, "w");
    assert_xc(xc_db_open_writable(p2, XC_DB_CREATE, 0, &w), XC_OK);
    assert_xc(xc_db_add(w, whole), XC_INVALID_ARGUMENT);
    xc_db_free(w);
    /* A stub entry must be one line, and the stub's directory must exist. */
    const char *bad[] = {"a\nb"};
    assert_xc(xc_stub_write(stub, bad, 1), XC_INVALID_ARGUMENT);
    char *nodir = tu_join(*state, "no/such/dir.stub");
    assert_xc(xc_stub_write(nodir, entries, 2), XC_IO);
    /* A stub naming a missing shard cannot be opened. */
    const char *missing[] = {"shard0", "gone"};
    assert_xc(xc_stub_write(stub, missing, 2), XC_OK);
    assert_xc(xc_db_open(stub, &st), XC_NOT_FOUND);
    free(nodir);
    free(p2);
    free(a);
    free(b);
    free(c);
    free(stub);
    xc_db_free(multi);
    xc_db_free(whole);
    free(p0);
    free(p1);
    free(path);
}

static void test_compact(void **state)
{
    xc_db_t *multi = NULL, *s = NULL, *out = NULL;
    xc_doccount_t n = 0;
    double w1, w2;
    char *p0, *p1;
    build_shards(*state, &p0, &p1);
    assert_xc(xc_db_new_multi(&multi), XC_OK);
    assert_xc(xc_db_open(p0, &s), XC_OK);
    assert_xc(xc_db_add(multi, s), XC_OK);
    xc_db_free(s);
    assert_xc(xc_db_open(p1, &s), XC_OK);
    assert_xc(xc_db_add(multi, s), XC_OK);
    xc_db_free(s);

    /* Both shards number from 1: keeping ids must fail. */
    char *clash = tu_join(*state, "clash");
    assert_xc(xc_db_compact(multi, clash, XC_COMPACT_NO_RENUMBER),
              XC_INVALID_ARGUMENT);

    char *dest = tu_join(*state, "merged");
    assert_xc(xc_db_compact(multi, dest, XC_COMPACT_MULTIPASS), XC_OK);
    assert_xc(xc_db_open(dest, &out), XC_OK);
    assert_xc(xc_db_doccount(out, &n), XC_OK);
    assert_int_equal(n, NDOCS);
    char *a = ranked(out, &w1);
    xc_db_free(out);
    char *single = tu_join(*state, "single.glass");
    assert_xc(xc_db_compact(multi, single, XC_COMPACT_SINGLE_FILE), XC_OK);
    assert_xc(xc_db_open(single, &out), XC_OK);
    char *b = ranked(out, &w2);
    assert_string_equal(a, b);
    xc_db_free(out);
    /* The destination cannot be written. */
    char *bad = tu_join(*state, "merged/postlist.glass/x");
    assert_xc(xc_db_compact(multi, bad, 0), XC_IO);
    free(bad);
    free(a);
    free(b);
    free(single);
    free(dest);
    free(clash);
    xc_db_free(multi);
    free(p0);
    free(p1);
}

static void test_remote(void **state)
{
    xc_db_t *local = NULL, *remote = NULL, *st = NULL, *rw = NULL;
    unsigned port0 = 0, port1 = 0;
    double w1, w2;
    char *p0, *p1;
    if (!tu_have_tcpsrv()) {
        print_message("skipped: xapian-tcpsrv is not installed "
                      "(tools/install-deps.sh installs xapian-tools)\n");
        skip();
    }
    char *path = tu_join(*state, "whole");
    build_db(path, 0);
    build_shards(*state, &p0, &p1);
    const char *paths0[] = {p0}, *paths1[] = {p1};
    pid_t s0 = tu_start_tcpsrv(paths0, 1, 0, &port0);
    pid_t s1 = tu_start_tcpsrv(paths1, 1, 1, &port1);
    assert_true(s0 > 0 && s1 > 0);

    /* Two remote shards through a stub rank exactly like one local db. */
    char *stub = tu_join(*state, "remote.stub");
    char e0[64], e1[64];
    snprintf(e0, sizeof e0, "remote 127.0.0.1:%u", port0);
    snprintf(e1, sizeof e1, "remote 127.0.0.1:%u", port1);
    const char *entries[] = {e0, e1};
    assert_xc(xc_stub_write(stub, entries, 2), XC_OK);
    assert_xc(xc_db_open(path, &local), XC_OK);
    assert_xc(xc_db_open(stub, &st), XC_OK);
    char *a = ranked(local, &w1), *b = ranked(st, &w2);
    assert_string_equal(a, b);
    assert_true(w1 - w2 < 1e-9 && w2 - w1 < 1e-9);
    free(a);
    free(b);
    xc_db_free(st);

    /* A direct remote connection, and a writable one. */
    assert_xc(xc_db_open_remote("127.0.0.1", port0, 5000, 5000, &remote),
              XC_OK);
    xc_doccount_t n = 0;
    assert_xc(xc_db_doccount(remote, &n), XC_OK);
    assert_int_equal(n, 3);
    assert_xc(xc_db_keep_alive(remote), XC_OK);
    assert_xc(xc_db_keep_alive(local), XC_OK); /* (Nothing to ask.) */
    /* Its results' documents asked for at once, then read. */
    {
        xc_enquire_t *enq = NULL;
        xc_query_t *q = NULL;
        xc_mset_t *ms = NULL;
        assert_xc(xc_enquire_new(remote, &enq), XC_OK);
        assert_xc(xc_query_match_all(&q), XC_OK);
        assert_xc(xc_enquire_set_query(enq, q), XC_OK);
        assert_xc(xc_enquire_mset(enq, 0, 10, 0, &ms), XC_OK);
        size_t size = xc_mset_size(ms);
        assert_int_equal(size, 3);
        assert_xc(xc_mset_fetch(ms, 0, (xc_doccount_t)size), XC_OK);
        assert_xc(xc_mset_fetch(ms, 2, 1), XC_INVALID_ARGUMENT);
        assert_xc(xc_mset_fetch(ms, 0, 4), XC_INVALID_ARGUMENT);
        for (size_t i = 0; i < size; i++) {
            xc_doc_t *d = NULL;
            const char *data = NULL;
            size_t len = 0;
            assert_xc(xc_mset_document(ms, (xc_doccount_t)i, &d), XC_OK);
            assert_xc(xc_doc_get_data(d, &data, &len), XC_OK);
            xc_doc_free(d);
        }
        xc_mset_free(ms);
        xc_query_free(q);
        xc_enquire_free(enq);
    }
    xc_db_t *kept = remote; /* (Asked again once its server is gone.) */
    remote = NULL;
    assert_xc(xc_db_open_remote_writable("127.0.0.1", port1, 0, 0, &rw),
              XC_OK);
    xc_doc_t *doc = make_doc(0);
    assert_xc(xc_db_add_document(rw, doc, NULL), XC_OK);
    xc_doc_free(doc);
    assert_xc(xc_db_commit(rw), XC_OK);
    assert_xc(xc_db_doccount(rw, &n), XC_OK);
    assert_int_equal(n, 3);
    /* Compaction needs local databases. */
    char *dest = tu_join(*state, "from-remote");
    assert_xc(xc_db_compact(rw, dest, 0), XC_IO);
    free(dest);
    xc_db_free(rw);

    /* A shard that is down: a network error naming it. */
    tu_stop_server(s1);
    assert_xc(xc_db_open(stub, &st), XC_NETWORK);
    assert_null(st);
    assert_xc(xc_db_open_remote("127.0.0.1", port1, 1000, 1000, &remote),
              XC_NETWORK);
    /* A connection whose server is gone: keep-alive says so. */
    tu_stop_server(s0);
    assert_xc(xc_db_keep_alive(kept), XC_NETWORK);
    xc_db_free(kept);
    xc_db_free(local);
    free(stub);
    free(p0);
    free(p1);
    free(path);
}

static void test_termgen(void **state)
{
    xc_termgen_t *tg = NULL;
    xc_doc_t *doc = NULL;
    xc_termit_t *it = NULL;
    xc_posit_t *pit = NULL;
    char all[512] = "";
    (void)state;
    assert_xc(xc_termgen_new("english", (xc_stem_strategy_t)9, &tg),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_termgen_new("klingon", XC_STEM_SOME, &tg),
              XC_INVALID_ARGUMENT);
    assert_null(tg);
    assert_xc(xc_termgen_new("english", XC_STEM_SOME, &tg), XC_OK);
    assert_xc(xc_termgen_index_text(tg, "x", 1, 1, NULL), XC_INVALID_ARGUMENT);
    assert_xc(xc_doc_new(&doc), XC_OK);
    assert_xc(xc_termgen_set_document(tg, doc), XC_OK);
    assert_xc(xc_termgen_index_text(tg, "Storms hit", 10, 1, NULL), XC_OK);
    assert_xc(xc_termgen_index_text(tg, "coast", 5, 2, "S"), XC_OK);
    assert_xc(xc_doc_termlist(doc, &it), XC_OK);
    while (xc_termit_next(it) == XC_OK) {
        char one[64];
        snprintf(one, sizeof one, "%s:%u ", xc_termit_term(it, NULL),
                 xc_termit_wdf(it));
        strcat(all, one);
    }
    xc_termit_free(it);
    /* STEM_SOME: exact forms with positions, Z-stems; the second call's
     * prefix and wdf increment apply to its own terms. */
    assert_string_equal(all, "Scoast:2 ZScoast:2 Zhit:1 Zstorm:1 hit:1 "
                             "storms:1 ");
    assert_xc(xc_doc_termlist(doc, &it), XC_OK);
    while (xc_termit_next(it) == XC_OK) {
        if (strcmp(xc_termit_term(it, NULL), "Scoast") == 0)
            break;
    }
    assert_xc(xc_termit_positions(it, &pit), XC_OK);
    assert_xc(xc_posit_next(pit), XC_OK);
    assert_int_equal(xc_posit_get(pit), 3); /* After "Storms hit". */
    xc_posit_free(pit);
    xc_termit_free(it);
    xc_termgen_free(tg);
    xc_doc_free(doc);
    xc_termgen_free(NULL);
}

static void test_query_parser(void **state)
{
    xc_query_t *q = NULL;
    char *d = NULL;
    (void)state;
    assert_xc(xc_query_parse("storms \"harbor pilots\" -football", "english",
                             XC_STEM_ALL_Z, 0, NULL, &q),
              XC_OK);
    assert_xc(xc_query_describe(q, &d), XC_OK);
    assert_non_null(strstr(d, "Zstorm"));
    assert_non_null(strstr(d, "PHRASE"));
    assert_non_null(strstr(d, "AND_NOT"));
    free(d);
    xc_query_free(q);
    assert_xc(xc_query_parse("a b", NULL, XC_STEM_NONE, XC_QP_DEFAULT_AND,
                             NULL, &q),
              XC_OK);
    assert_xc(xc_query_describe(q, &d), XC_OK);
    assert_non_null(strstr(d, "a@1 AND b@2"));
    free(d);
    xc_query_free(q);
    assert_xc(xc_query_parse("x", "klingon", XC_STEM_SOME, 0, NULL, &q),
              XC_INVALID_ARGUMENT);
    assert_null(q);
    assert_xc(xc_query_parse("x", NULL, XC_STEM_SOME, 99, NULL, &q),
              XC_INVALID_ARGUMENT);
    assert_xc(xc_query_parse(NULL, NULL, XC_STEM_SOME, 0, NULL, &q),
              XC_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_sortable),
        cmocka_unit_test_setup_teardown(test_open_missing, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_open_actions, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_locked, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_corrupt, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_read_only_refuses_writes,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_use_after_close, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_modified, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(test_no_memory),
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_termgen),
        cmocka_unit_test(test_query_parser),
        cmocka_unit_test_setup_teardown(test_add_replace_delete, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_commit_and_reopen, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_transactions, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_metadata, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_statistics, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_iterators, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_query_operators, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ranking, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_sort_collapse_facets, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_matching_terms, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_spelling, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_multi_and_stub, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_compact, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_remote, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests_name("xapian-c", tests, NULL, NULL);
}
