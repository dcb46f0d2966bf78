/*
 * xapian-c: a C interface to libxapian.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * This library is the only C++ in Byline.  It is usable on its own by any C
 * program: link with -lxapian-c (pkg-config xapian-c).
 *
 * Conventions
 * -----------
 * - Every object is an opaque handle created by a function that returns an
 *   xc_status_t and hands the object back through its last argument, which
 *   is set to NULL on failure.  Every handle has an explicit _free() that
 *   accepts NULL.
 * - No C++ exception ever leaves this library.  Each Xapian exception becomes
 *   a status code; the message of the last failure in the calling thread is
 *   returned by xc_last_error() and stays valid until the next failing call
 *   in that thread.
 * - Terms and keys are NUL-terminated strings.  Values, document data and
 *   metadata are byte strings with an explicit length (they may hold NUL).
 *   The term-adding functions of a document take a length too, for speed;
 *   pass XC_NTS to mean "NUL-terminated".
 * - Strings handed back with "free with free()" are allocated with malloc().
 * - Handles are not thread-safe: use one handle from one thread at a time.
 *   Different handles (even on the same database) may be used from different
 *   threads at once.
 *
 * Iterators
 * ---------
 * Every iterator starts before its first item; xc_*it_next() moves to the
 * next item and returns XC_OK, or XC_END when there is none, or an error:
 *
 *     xc_termit_t *it = NULL;
 *     xc_status_t rc = xc_db_allterms(db, "Q", &it);
 *     for (rc = rc == XC_OK ? xc_termit_next(it) : rc; rc == XC_OK;
 *          rc = xc_termit_next(it))
 *         printf("%s\n", xc_termit_term(it, NULL));
 *     if (rc != XC_END)
 *         fprintf(stderr, "%s\n", xc_last_error());
 *     xc_termit_free(it);
 */
#ifndef XAPIAN_C_H
#define XAPIAN_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

typedef enum xc_status {
    XC_OK = 0,
    XC_END,              /* An iterator has no more items. */
    XC_NOT_FOUND,        /* No such database, document or key. */
    XC_LOCKED,           /* Another writer holds the database lock. */
    XC_CORRUPT,          /* The database is corrupt or of an unknown format. */
    XC_MODIFIED,         /* The database changed under a reader: reopen
                            and retry. */
    XC_CLOSED,           /* The database was closed with xc_db_close(). */
    XC_IO,               /* Reading or writing the database failed. */
    XC_NETWORK,          /* A remote database could not be reached. */
    XC_INVALID_ARGUMENT, /* A bad argument, or an operation that is not
                            valid on this handle. */
    XC_UNSUPPORTED,      /* The backend does not offer this feature. */
    XC_NO_MEMORY,        /* Out of memory. */
    XC_OTHER,            /* Any other failure; see xc_last_error(). */
    XC_TIMEOUT           /* A match ran past its deadline
                            (xc_enquire_set_deadline()). */
} xc_status_t;

/* Length argument meaning "the string is NUL-terminated". */
#define XC_NTS ((size_t)-1)

typedef uint32_t xc_docid_t;
typedef uint32_t xc_termcount_t;
typedef uint32_t xc_termpos_t;
typedef uint32_t xc_valueno_t;
typedef uint32_t xc_doccount_t;

/* A short, constant name for a status ("locked").  This function cannot
 * fail. */
const char *xc_status_to_string(xc_status_t status);

/* The message of the last failing call in this thread, or "" if none.  Valid
 * until the next failing call in this thread.  This function cannot fail. */
const char *xc_last_error(void);

/* The version of libxapian in use, e.g. "1.4.22".  Cannot fail. */
const char *xc_xapian_version(void);

/* ------------------------------------------------------------------------ */
/* Opaque handles                                                           */
/* ------------------------------------------------------------------------ */

typedef struct xc_db xc_db_t;
typedef struct xc_doc xc_doc_t;
typedef struct xc_termit xc_termit_t;
typedef struct xc_postit xc_postit_t;
typedef struct xc_posit xc_posit_t;
typedef struct xc_query xc_query_t;
typedef struct xc_enquire xc_enquire_t;
typedef struct xc_mset xc_mset_t;
typedef struct xc_termgen xc_termgen_t;

/* ------------------------------------------------------------------------ */
/* Databases                                                                */
/* ------------------------------------------------------------------------ */

/* Actions for xc_db_open_writable(). */
typedef enum xc_db_action {
    XC_DB_CREATE_OR_OPEN = 0,      /* Open, or create if missing. */
    XC_DB_CREATE_OR_OVERWRITE = 1, /* Create, replacing any existing one. */
    XC_DB_CREATE = 2,              /* Create; fail if one exists. */
    XC_DB_OPEN = 3                 /* Open; fail (XC_NOT_FOUND) if none. */
} xc_db_action_t;

/* Flags for xc_db_open_writable(), or-ed together. */
enum {
    XC_DB_NO_SYNC = 0x04,     /* Do not fsync on commit (faster, unsafe
                                 against power loss). */
    XC_DB_FULL_SYNC = 0x08,   /* Use F_FULLSYNC where the OS has it. */
    XC_DB_DANGEROUS = 0x10,   /* Update in place: no readers, no crash
                                 safety.  For bulk builds of new databases. */
    XC_DB_NO_TERMLIST = 0x20, /* Do not store per-document termlists
                                 (smaller, faster; no replace by docid
                                 without the old terms). */
    XC_DB_RETRY_LOCK = 0x40   /* Wait for the write lock instead of failing
                                 with XC_LOCKED. */
};

/* Open the database at PATH read-only.  PATH may be a database directory or
 * a stub file listing several databases (local or remote).
 * Returns XC_OK, XC_NOT_FOUND, XC_CORRUPT, XC_IO, XC_NETWORK (a remote entry
 * of a stub is down), XC_INVALID_ARGUMENT or XC_NO_MEMORY. */
xc_status_t xc_db_open(const char *path, xc_db_t **out);

/* Open or create the database at PATH for writing, as ACTION says, with
 * FLAGS (XC_DB_*).  Only one writer may hold a database at a time.
 * Returns XC_OK, XC_LOCKED, XC_NOT_FOUND (XC_DB_OPEN and no database),
 * XC_IO (exists with XC_DB_CREATE, or cannot create), XC_CORRUPT,
 * XC_INVALID_ARGUMENT or XC_NO_MEMORY. */
xc_status_t xc_db_open_writable(const char *path, xc_db_action_t action,
                                int flags, xc_db_t **out);

/* Open a database served by xapian-tcpsrv on HOST:PORT, read-only.
 * TIMEOUT_MS bounds each operation, CONNECT_TIMEOUT_MS the connection (0 for
 * Xapian's defaults).  Returns XC_OK, XC_NETWORK or XC_INVALID_ARGUMENT. */
xc_status_t xc_db_open_remote(const char *host, unsigned port,
                              unsigned timeout_ms, unsigned connect_timeout_ms,
                              xc_db_t **out);

/* Open a database served by "xapian-tcpsrv --writable" on HOST:PORT for
 * writing.  Returns as xc_db_open_remote(), or XC_LOCKED. */
xc_status_t xc_db_open_remote_writable(const char *host, unsigned port,
                                       unsigned timeout_ms,
                                       unsigned connect_timeout_ms,
                                       xc_db_t **out);

/* Create an empty read-only database to which others are added with
 * xc_db_add().  Returns XC_OK or XC_NO_MEMORY. */
xc_status_t xc_db_new_multi(xc_db_t **out);

/* Add OTHER's databases to DB so that they are searched as one.  DB must be
 * read-only.  OTHER stays owned by the caller and may be freed afterwards.
 * Returns XC_OK, XC_INVALID_ARGUMENT or XC_NO_MEMORY. */
xc_status_t xc_db_add(xc_db_t *db, const xc_db_t *other);

/* Write a Xapian stub file at PATH listing ENTRIES, one database per entry,
 * each either a path (relative paths are relative to the stub file's
 * directory) or "remote HOST:PORT" for a database served by xapian-tcpsrv.
 * The file is written to a temporary name and renamed into place, so a
 * reader never sees half a stub.  Returns XC_OK, XC_IO or
 * XC_INVALID_ARGUMENT. */
xc_status_t xc_stub_write(const char *path, const char *const *entries,
                          size_t n);

/* Close DB's files and connections; every later call on DB (or on objects
 * read from it) fails with XC_CLOSED.  The handle must still be freed.
 * Returns XC_OK or XC_IO. */
xc_status_t xc_db_close(xc_db_t *db);

/* Free DB.  A writable database commits pending changes first (errors are
 * lost: call xc_db_commit() to see them).  Accepts NULL. */
void xc_db_free(xc_db_t *db);

/* Non-zero if DB was opened for writing.  Cannot fail. */
int xc_db_is_writable(const xc_db_t *db);

/* Bring a read-only DB up to the latest committed revision.  *CHANGED (if not
 * NULL) is set to 1 if it moved.  Returns XC_OK, XC_IO, XC_CORRUPT,
 * XC_NETWORK or XC_CLOSED. */
xc_status_t xc_db_reopen(xc_db_t *db, int *changed);

/* Ask every remote database of DB whether it still answers (Xapian's
 * keep_alive(): a round trip, which also keeps an idle connection from
 * timing out); local databases are not asked.  Returns XC_OK, XC_NETWORK
 * (one does not answer), XC_CLOSED or XC_INVALID_ARGUMENT. */
xc_status_t xc_db_keep_alive(xc_db_t *db);

/* Make the changes of a writable DB durable and visible to readers.
 * Returns XC_OK, XC_IO, XC_INVALID_ARGUMENT (read-only, or inside a
 * transaction), XC_NETWORK or XC_CLOSED. */
xc_status_t xc_db_commit(xc_db_t *db);

/* Begin a transaction: the changes until xc_db_commit_transaction() are
 * applied together or not at all.  FLUSHED non-zero commits them as their own
 * revision.  Returns XC_OK, XC_INVALID_ARGUMENT (read-only, or already in a
 * transaction), XC_IO or XC_CLOSED. */
xc_status_t xc_db_begin_transaction(xc_db_t *db, int flushed);

/* End the transaction, keeping its changes.  Returns XC_OK,
 * XC_INVALID_ARGUMENT (no transaction), XC_IO or XC_CLOSED. */
xc_status_t xc_db_commit_transaction(xc_db_t *db);

/* End the transaction, dropping its changes.  Returns as above. */
xc_status_t xc_db_cancel_transaction(xc_db_t *db);

/* Set metadata KEY (not empty) to VALUE (LEN bytes; LEN 0 deletes KEY).
 * Returns XC_OK, XC_INVALID_ARGUMENT, XC_IO or XC_CLOSED. */
xc_status_t xc_db_set_metadata(xc_db_t *db, const char *key,
                               const void *value, size_t len);

/* Get metadata KEY into a NUL-terminated malloc'ed *VALUE (free with free())
 * of *LEN bytes (LEN may be NULL).  A missing key gives XC_NOT_FOUND.
 * Returns XC_OK, XC_NOT_FOUND, XC_INVALID_ARGUMENT, XC_IO, XC_CLOSED,
 * XC_MODIFIED, XC_NETWORK or XC_NO_MEMORY. */
xc_status_t xc_db_get_metadata(xc_db_t *db, const char *key, char **value,
                               size_t *len);

/* The UUIDs of DB's databases, joined by ':' in the order of their
 * documents' interleaving (document N of D databases is in database
 * (N - 1) % D), into a malloc'ed *OUT (free with free()); "" when one has
 * none (an in-memory one).  A remote database's is that of what its
 * server serves: several joined by ':' when that is several, so that the
 * list may hold more UUIDs than DB has databases (xc_db_size()).  A
 * database's UUID stays for its lifetime; a compacted or rebuilt copy
 * gets a new one.  Returns XC_OK, XC_INVALID_ARGUMENT, XC_IO, XC_NETWORK
 * or XC_NO_MEMORY. */
xc_status_t xc_db_uuid(xc_db_t *db, char **out);

/* The number of databases DB joins, whose documents interleave (1 for
 * one; a stub's entries; a remote server counts as one, whatever it
 * serves); 0 for NULL.  Cannot fail. */
size_t xc_db_size(const xc_db_t *db);

/* Statistics.  Each returns XC_OK, XC_CLOSED, XC_IO, XC_MODIFIED or
 * XC_NETWORK, and fills *OUT. */
xc_status_t xc_db_doccount(xc_db_t *db, xc_doccount_t *out);
xc_status_t xc_db_lastdocid(xc_db_t *db, xc_docid_t *out);
xc_status_t xc_db_avlength(xc_db_t *db, double *out);
xc_status_t xc_db_termfreq(xc_db_t *db, const char *term, xc_doccount_t *out);
xc_status_t xc_db_collection_freq(xc_db_t *db, const char *term,
                                  xc_termcount_t *out);
xc_status_t xc_db_term_exists(xc_db_t *db, const char *term, int *out);
/* XC_NOT_FOUND if DOCID is not in the database. */
xc_status_t xc_db_doclength(xc_db_t *db, xc_docid_t docid,
                            xc_termcount_t *out);
/* Number of documents with a value in SLOT, and the lowest and highest value
 * (malloc'ed, free with free(); either out pointer may be NULL; both are ""
 * when no document has one). */
xc_status_t xc_db_value_stats(xc_db_t *db, xc_valueno_t slot,
                              xc_doccount_t *freq, char **lower,
                              size_t *lower_len, char **upper,
                              size_t *upper_len);

/* Add DOC to a writable DB; its new id goes to *DOCID (may be NULL).
 * Returns XC_OK, XC_INVALID_ARGUMENT, XC_IO, XC_CLOSED or XC_NO_MEMORY. */
xc_status_t xc_db_add_document(xc_db_t *db, const xc_doc_t *doc,
                               xc_docid_t *docid);

/* Replace document DOCID (or add it with that id).  Returns as above. */
xc_status_t xc_db_replace_document(xc_db_t *db, xc_docid_t docid,
                                   const xc_doc_t *doc);

/* Replace the document(s) indexed by UNIQUE_TERM with DOC, or add DOC if
 * there is none; *DOCID (may be NULL) gets its id.  Returns as above. */
xc_status_t xc_db_replace_document_by_term(xc_db_t *db,
                                           const char *unique_term,
                                           const xc_doc_t *doc,
                                           xc_docid_t *docid);

/* Delete document DOCID.  Returns XC_OK, XC_NOT_FOUND, XC_INVALID_ARGUMENT,
 * XC_IO or XC_CLOSED. */
xc_status_t xc_db_delete_document(xc_db_t *db, xc_docid_t docid);

/* Delete every document indexed by UNIQUE_TERM (none is not an error).
 * Returns XC_OK, XC_INVALID_ARGUMENT, XC_IO or XC_CLOSED. */
xc_status_t xc_db_delete_document_by_term(xc_db_t *db,
                                          const char *unique_term);

/* Read document DOCID into a new handle (free with xc_doc_free()).
 * Returns XC_OK, XC_NOT_FOUND, XC_CLOSED, XC_IO, XC_MODIFIED, XC_NETWORK or
 * XC_NO_MEMORY. */
xc_status_t xc_db_get_document(xc_db_t *db, xc_docid_t docid,
                               xc_doc_t **out);

/* Spelling: add WORD with frequency FREQINC to a writable DB's spelling
 * table, or remove FREQDEC from it.  Returns XC_OK, XC_INVALID_ARGUMENT,
 * XC_IO or XC_CLOSED. */
xc_status_t xc_db_add_spelling(xc_db_t *db, const char *word,
                               xc_termcount_t freqinc);
xc_status_t xc_db_remove_spelling(xc_db_t *db, const char *word,
                                  xc_termcount_t freqdec);

/* The best spelling correction of WORD within MAX_EDIT_DISTANCE edits, in a
 * malloc'ed string (free with free()); "" when there is none.  Returns XC_OK,
 * XC_INVALID_ARGUMENT, XC_IO, XC_CLOSED, XC_MODIFIED or XC_NO_MEMORY. */
xc_status_t xc_db_spelling_suggestion(xc_db_t *db, const char *word,
                                      unsigned max_edit_distance,
                                      char **out);

/* Compact DB (one database or several added with xc_db_add()) into a new
 * database at DEST.  FLAGS or-ed from XC_COMPACT_*.  Returns XC_OK, XC_IO
 * (DEST cannot be written, or a source is not a local database),
 * XC_INVALID_ARGUMENT (e.g. overlapping ids with XC_COMPACT_NO_RENUMBER) or
 * XC_CLOSED. */
enum {
    XC_COMPACT_NO_RENUMBER = 4, /* Keep document ids (they must not clash). */
    XC_COMPACT_MULTIPASS = 8,   /* Merge in several passes (many sources). */
    XC_COMPACT_SINGLE_FILE = 16 /* Write a single-file database. */
};
xc_status_t xc_db_compact(xc_db_t *db, const char *dest, unsigned flags);

/* ------------------------------------------------------------------------ */
/* Term, posting and position iteration                                     */
/* ------------------------------------------------------------------------ */

/* Every term of DB starting with PREFIX ("" for all), in byte order;
 * xc_termit_termfreq() gives each one's document frequency. */
xc_status_t xc_db_allterms(xc_db_t *db, const char *prefix,
                           xc_termit_t **out);

/* The terms of document DOCID with their wdf (needs termlists: XC_UNSUPPORTED
 * on a database written with XC_DB_NO_TERMLIST; XC_NOT_FOUND if no such
 * document). */
xc_status_t xc_db_termlist(xc_db_t *db, xc_docid_t docid, xc_termit_t **out);

/* Every metadata key starting with PREFIX; the term is the key. */
xc_status_t xc_db_metadata_keys(xc_db_t *db, const char *prefix,
                                xc_termit_t **out);

/* Every word in the spelling table, with its frequency as termfreq. */
xc_status_t xc_db_spellings(xc_db_t *db, xc_termit_t **out);

/* Move to the next term.  Returns XC_OK, XC_END, XC_IO, XC_MODIFIED,
 * XC_CLOSED or XC_NETWORK. */
xc_status_t xc_termit_next(xc_termit_t *it);

/* The current term (owned by IT, valid until the next call on IT); its length
 * goes to *LEN when LEN is not NULL.  Cannot fail. */
const char *xc_termit_term(const xc_termit_t *it, size_t *len);

/* The current term's wdf (document termlists), or 0 where that is not
 * meaningful.  Cannot fail. */
xc_termcount_t xc_termit_wdf(xc_termit_t *it);

/* The current term's document frequency (or facet count), or 0 where that
 * is not meaningful.  Cannot fail. */
xc_doccount_t xc_termit_termfreq(xc_termit_t *it);

/* The positions of the current term in the document of a termlist
 * (xc_db_termlist(), xc_doc_termlist()).  Returns XC_OK,
 * XC_INVALID_ARGUMENT (not a document termlist), XC_IO or XC_CLOSED. */
xc_status_t xc_termit_positions(xc_termit_t *it, xc_posit_t **out);

void xc_termit_free(xc_termit_t *it);

/* The documents indexed by TERM ("" for every document), in docid order. */
xc_status_t xc_db_postlist(xc_db_t *db, const char *term, xc_postit_t **out);

/* Move to the next posting.  Returns as xc_termit_next(). */
xc_status_t xc_postit_next(xc_postit_t *it);

/* Move to the first posting with docid >= DID.  Returns as above. */
xc_status_t xc_postit_skip_to(xc_postit_t *it, xc_docid_t did);

/* The current posting's document id and wdf.  Cannot fail. */
xc_docid_t xc_postit_docid(const xc_postit_t *it);
xc_termcount_t xc_postit_wdf(xc_postit_t *it);

/* The current document's length.  Returns XC_OK, XC_IO or XC_CLOSED. */
xc_status_t xc_postit_doclength(xc_postit_t *it, xc_termcount_t *out);

void xc_postit_free(xc_postit_t *it);

/* The positions of TERM in document DOCID (an empty iteration if the term is
 * absent or has no positions). */
xc_status_t xc_db_positions(xc_db_t *db, xc_docid_t docid, const char *term,
                            xc_posit_t **out);

/* Move to the next position.  Returns as xc_termit_next(). */
xc_status_t xc_posit_next(xc_posit_t *it);

/* The current position.  Cannot fail. */
xc_termpos_t xc_posit_get(const xc_posit_t *it);

void xc_posit_free(xc_posit_t *it);

/* ------------------------------------------------------------------------ */
/* Documents                                                                */
/* ------------------------------------------------------------------------ */

/* A new empty document.  Returns XC_OK or XC_NO_MEMORY. */
xc_status_t xc_doc_new(xc_doc_t **out);

void xc_doc_free(xc_doc_t *doc);

/* The document's id in the database it was read from (0 for a new one).
 * Cannot fail. */
xc_docid_t xc_doc_docid(const xc_doc_t *doc);

/* Add TERM (LEN bytes, or XC_NTS) with its wdf increased by WDFINC.
 * Returns XC_OK, XC_INVALID_ARGUMENT (empty term) or XC_NO_MEMORY. */
xc_status_t xc_doc_add_term(xc_doc_t *doc, const char *term, size_t len,
                            xc_termcount_t wdfinc);

/* Add TERM at position POS, its wdf increased by WDFINC.  Returns as
 * above. */
xc_status_t xc_doc_add_posting(xc_doc_t *doc, const char *term, size_t len,
                               xc_termpos_t pos, xc_termcount_t wdfinc);

/* Add a boolean (filter) term: no wdf, so it does not change the document
 * length or the ranking.  Returns as above. */
xc_status_t xc_doc_add_boolean_term(xc_doc_t *doc, const char *term,
                                    size_t len);

/* Remove TERM.  Returns XC_OK, XC_NOT_FOUND or XC_INVALID_ARGUMENT. */
xc_status_t xc_doc_remove_term(xc_doc_t *doc, const char *term);

/* Remove every term.  Returns XC_OK or XC_OTHER. */
xc_status_t xc_doc_clear_terms(xc_doc_t *doc);

/* Number of distinct terms.  Returns XC_OK, XC_IO or XC_CLOSED. */
xc_status_t xc_doc_termcount(xc_doc_t *doc, xc_termcount_t *out);

/* Iterate the document's terms, with wdf and positions. */
xc_status_t xc_doc_termlist(xc_doc_t *doc, xc_termit_t **out);

/* Set value SLOT to VALUE (LEN bytes; LEN 0 removes it).  Returns XC_OK,
 * XC_INVALID_ARGUMENT or XC_NO_MEMORY. */
xc_status_t xc_doc_set_value(xc_doc_t *doc, xc_valueno_t slot,
                             const void *value, size_t len);

/* Value SLOT (owned by DOC, valid until the next call on DOC; "" if unset)
 * into *VALUE and its length into *LEN (may be NULL).  Returns XC_OK, XC_IO,
 * XC_CLOSED or XC_NO_MEMORY. */
xc_status_t xc_doc_get_value(xc_doc_t *doc, xc_valueno_t slot,
                             const char **value, size_t *len);

/* Set the document data (LEN bytes).  Returns XC_OK, XC_INVALID_ARGUMENT or
 * XC_NO_MEMORY. */
xc_status_t xc_doc_set_data(xc_doc_t *doc, const void *data, size_t len);

/* The document data (owned by DOC, valid until the next call on DOC; always
 * NUL-terminated) and its length.  Returns XC_OK, XC_IO, XC_CLOSED,
 * XC_NETWORK or XC_NO_MEMORY. */
xc_status_t xc_doc_get_data(xc_doc_t *doc, const char **data, size_t *len);

/* ------------------------------------------------------------------------ */
/* Queries (immutable once built)                                           */
/* ------------------------------------------------------------------------ */

typedef enum xc_query_op {
    XC_QUERY_AND = 0,       /* Every subquery matches. */
    XC_QUERY_OR = 1,        /* Any subquery matches. */
    XC_QUERY_AND_NOT = 2,   /* The first, but none of the others. */
    XC_QUERY_XOR = 3,       /* An odd number of subqueries. */
    XC_QUERY_AND_MAYBE = 4, /* The first; the others only add weight. */
    XC_QUERY_FILTER = 5,    /* The first, restricted to the others, which
                               add no weight. */
    XC_QUERY_NEAR = 6,      /* All within PARAM positions, any order. */
    XC_QUERY_PHRASE = 7,    /* All in order within PARAM positions (0: as
                               many as there are subqueries). */
    XC_QUERY_ELITE_SET = 10,/* The PARAM best of the subqueries. */
    XC_QUERY_SYNONYM = 13,  /* Any, weighted as one term. */
    XC_QUERY_MAX = 14       /* Any, weighted by the best of them. */
} xc_query_op_t;

/* A query for TERM with within-query frequency WQF (1 usually) at query
 * position POS (0 if none).  Returns XC_OK or XC_NO_MEMORY. */
xc_status_t xc_query_term(const char *term, xc_termcount_t wqf,
                          xc_termpos_t pos, xc_query_t **out);

/* Combine N subqueries SUBS with OP; PARAM is the window for NEAR and PHRASE,
 * the set size for ELITE_SET, and ignored otherwise.  The subqueries stay
 * owned by the caller.  Returns XC_OK, XC_INVALID_ARGUMENT (unknown op, NULL
 * subquery, or a PHRASE/NEAR of anything but terms) or XC_NO_MEMORY. */
xc_status_t xc_query_combine(xc_query_op_t op, const xc_query_t *const *subs,
                             size_t n, unsigned param, xc_query_t **out);

/* Every term starting with PREFIX, as one synonym; MAX_EXPANSION (0: no
 * limit) caps the number of terms, keeping the most frequent.  Returns XC_OK
 * or XC_NO_MEMORY. */
xc_status_t xc_query_wildcard(const char *prefix, unsigned max_expansion,
                              xc_query_t **out);

/* Documents whose value in SLOT is in [LO, HI] byte-wise; LO or HI NULL for
 * an open end (not both).  Returns XC_OK, XC_INVALID_ARGUMENT or
 * XC_NO_MEMORY. */
xc_status_t xc_query_value_range(xc_valueno_t slot, const void *lo,
                                 size_t lo_len, const void *hi,
                                 size_t hi_len, xc_query_t **out);

/* SUB with its weights multiplied by FACTOR (>= 0).  Returns XC_OK,
 * XC_INVALID_ARGUMENT or XC_NO_MEMORY. */
xc_status_t xc_query_scale_weight(const xc_query_t *sub, double factor,
                                  xc_query_t **out);

/* A query that matches every document (weight 0), or none. */
xc_status_t xc_query_match_all(xc_query_t **out);
xc_status_t xc_query_match_nothing(xc_query_t **out);

/* A readable description of Q, malloc'ed (free with free()). */
xc_status_t xc_query_describe(const xc_query_t *q, char **out);

/* Non-zero if Q matches nothing.  Cannot fail. */
int xc_query_empty(const xc_query_t *q);

void xc_query_free(xc_query_t *q);

/* Encode a double so that byte-wise order of the result is numeric order
 * (Xapian's sortable_serialise).  BUF must hold 18 bytes; returns the length.
 * Cannot fail. */
size_t xc_sortable_serialise(double value, char *buf);

/* Decode what xc_sortable_serialise() wrote.  Cannot fail. */
double xc_sortable_unserialise(const char *buf, size_t len);

/* ------------------------------------------------------------------------ */
/* Searching                                                                */
/* ------------------------------------------------------------------------ */

/* A new search over DB.  DB must outlive the enquire.  Returns XC_OK,
 * XC_INVALID_ARGUMENT or XC_NO_MEMORY. */
xc_status_t xc_enquire_new(xc_db_t *db, xc_enquire_t **out);

void xc_enquire_free(xc_enquire_t *enq);

/* Set the query (copied).  Returns XC_OK, XC_INVALID_ARGUMENT or
 * XC_NO_MEMORY. */
xc_status_t xc_enquire_set_query(xc_enquire_t *enq, const xc_query_t *q);

/* Rank with BM25 (the default, with k1 1, k2 0, k3 1, b 0.5, min_normlen
 * 0.5).  Returns XC_OK or XC_INVALID_ARGUMENT (a negative parameter, b > 1).
 */
xc_status_t xc_enquire_set_bm25(xc_enquire_t *enq, double k1, double k2,
                                double k3, double b, double min_normlen);

/* Rank with no weights: every match weighs 0 (for pure filters). */
xc_status_t xc_enquire_set_boolean(xc_enquire_t *enq);

/* Xapian's divergence-from-randomness weights (each a class of Xapian's
 * own, so that a remote shard, xapian-tcpsrv, knows it). */
typedef enum xc_dfr {
    XC_DFR_DPH = 0, /* DPHWeight: hypergeometric, no parameter. */
    XC_DFR_PL2 = 1  /* PL2Weight(c): Poisson, Laplace, normalisation 2. */
} xc_dfr_t;

/* Rank with the DFR weight MODEL; C is PL2's normalisation parameter
 * (> 0; Xapian's default 1) and ignored by DPH.  Returns XC_OK or
 * XC_INVALID_ARGUMENT (an unknown model, C <= 0). */
xc_status_t xc_enquire_set_dfr(xc_enquire_t *enq, xc_dfr_t model, double c);

/* Stop each match of ENQ after about SECONDS of wall time (0: no limit;
 * Xapian's Enquire::set_time_limit()): the results are then those found
 * so far, and their counts estimates. */
xc_status_t xc_enquire_set_time_limit(xc_enquire_t *enq, double seconds);

/* End each match of ENQ that is still running SECONDS from now with
 * XC_TIMEOUT (0: no deadline).  Unlike the time limit above, which only
 * stops the counting past the hits asked for, this stops the match
 * itself: the documents it considers are counted, and the clock read
 * every 256 of them.  Local databases only (XC_UNSUPPORTED on a remote
 * one, where the match runs on the server). */
xc_status_t xc_enquire_set_deadline(xc_enquire_t *enq, double seconds);

typedef enum xc_sort {
    XC_SORT_RELEVANCE = 0,           /* By weight (the default). */
    XC_SORT_VALUE = 1,               /* By value SLOT only. */
    XC_SORT_VALUE_THEN_RELEVANCE = 2,/* By value, ties by weight. */
    XC_SORT_RELEVANCE_THEN_VALUE = 3 /* By weight, ties by value. */
} xc_sort_t;

/* Order results as BY says; SLOT names the value, REVERSE non-zero sorts
 * values descending.  Returns XC_OK or XC_INVALID_ARGUMENT. */
xc_status_t xc_enquire_set_sort(xc_enquire_t *enq, xc_sort_t by,
                                xc_valueno_t slot, int reverse);

/* Called for each term of an expansion set, best first; return non-zero
 * to stop. */
typedef int (*xc_eset_fn)(const char *term, size_t len, double weight,
                          void *ctx);

/* Xapian's expansion set: the MAXITEMS terms that best tell the NRSET
 * documents RSET (taken as relevant) from the rest, weighed by SCHEME
 * ("bo1", the Bose-Einstein model of the Divergence from Randomness
 * family, or "trad", Robertson's), only terms starting with PREFIX and
 * not in the enquire's query, given to FN.  Returns XC_OK,
 * XC_INVALID_ARGUMENT, XC_IO, XC_MODIFIED, XC_NETWORK or XC_NO_MEMORY. */
xc_status_t xc_enquire_eset(xc_enquire_t *enq, const char *scheme,
                            const xc_docid_t *rset, size_t nrset,
                            unsigned maxitems, const char *prefix,
                            xc_eset_fn fn, void *ctx);

/* Keep at most MAX (>= 1) documents per distinct value in SLOT; pass
 * XC_NO_SLOT to turn collapsing off.  Returns XC_OK. */
#define XC_NO_SLOT ((xc_valueno_t)0xffffffffu)
xc_status_t xc_enquire_set_collapse_key(xc_enquire_t *enq, xc_valueno_t slot,
                                        xc_doccount_t max);

/* Count the values of SLOT over every matching document considered (a
 * facet); *INDEX gets the facet's number for xc_mset_facet().  Returns
 * XC_OK or XC_NO_MEMORY. */
xc_status_t xc_enquire_add_facet(xc_enquire_t *enq, xc_valueno_t slot,
                                 unsigned *index);

/* Run the search: results FIRST .. FIRST+MAXITEMS-1 in ranked order, with at
 * least CHECK_AT_LEAST documents considered (to make counts and facets
 * exact).  Returns XC_OK, XC_IO, XC_MODIFIED (reopen the database and
 * retry), XC_CLOSED, XC_NETWORK, XC_INVALID_ARGUMENT (no query) or
 * XC_NO_MEMORY. */
xc_status_t xc_enquire_mset(xc_enquire_t *enq, xc_doccount_t first,
                            xc_doccount_t maxitems,
                            xc_doccount_t check_at_least, xc_mset_t **out);

void xc_mset_free(xc_mset_t *ms);

/* Number of results in MS.  Cannot fail. */
xc_doccount_t xc_mset_size(const xc_mset_t *ms);

/* Bounds and estimate of the total number of matches; lower == upper means
 * the count is exact.  Cannot fail. */
xc_doccount_t xc_mset_matches_lower(const xc_mset_t *ms);
xc_doccount_t xc_mset_matches_estimated(const xc_mset_t *ms);
xc_doccount_t xc_mset_matches_upper(const xc_mset_t *ms);

/* Index I (0-based) of MS: rank (0-based, counted from the top of the whole
 * result list), docid, weight, and the number of documents collapsed into it.
 * I out of range gives 0.  Cannot fail. */
xc_doccount_t xc_mset_rank(const xc_mset_t *ms, xc_doccount_t i);
xc_docid_t xc_mset_docid(const xc_mset_t *ms, xc_doccount_t i);
double xc_mset_weight(const xc_mset_t *ms, xc_doccount_t i);
xc_doccount_t xc_mset_collapse_count(const xc_mset_t *ms, xc_doccount_t i);

/* Hint that the documents of results FIRST to LAST - 1 of MS will be
 * read (Xapian's MSet::fetch(): a Xapian that can may then pipeline their
 * requests to remote databases; 1.4.22 does not, and still asks for each
 * as xc_mset_document() reads it).  A hint: a document it could not
 * bring is read, or fails, when asked for.  Returns XC_OK or
 * XC_INVALID_ARGUMENT. */
xc_status_t xc_mset_fetch(const xc_mset_t *ms, xc_doccount_t first,
                          xc_doccount_t last);

/* The document at index I (free with xc_doc_free()).  Returns XC_OK,
 * XC_INVALID_ARGUMENT (I out of range), XC_IO, XC_CLOSED, XC_NETWORK or
 * XC_NO_MEMORY. */
xc_status_t xc_mset_document(const xc_mset_t *ms, xc_doccount_t i,
                             xc_doc_t **out);

/* Call FN(I, VALUE, LEN, CTX) for each result I of MS that has a value in
 * SLOT (VALUE is valid during the call only), in docid order, reading the
 * slot's value stream once: far cheaper than xc_mset_document() and
 * xc_doc_get_value() for each result.  Returns XC_OK, XC_INVALID_ARGUMENT,
 * XC_IO, XC_CLOSED, XC_NETWORK or XC_NO_MEMORY. */
xc_status_t xc_mset_values(const xc_mset_t *ms, xc_valueno_t slot,
                           void (*fn)(xc_doccount_t i, const char *value,
                                      size_t len, void *ctx),
                           void *ctx);

/* As xc_mset_values(), for the results I with WANT[I] non-zero only (WANT
 * has one byte per result; NULL: all). */
xc_status_t xc_mset_values_some(const xc_mset_t *ms, xc_valueno_t slot,
                                const unsigned char *want,
                                void (*fn)(xc_doccount_t i, const char *value,
                                           size_t len, void *ctx),
                                void *ctx);

/* The query terms that match the document at index I, each once, ordered
 * by query position and then byte order.
 * Returns XC_OK, XC_INVALID_ARGUMENT, XC_IO or XC_CLOSED. */
xc_status_t xc_mset_matching_terms(const xc_mset_t *ms, xc_doccount_t i,
                                   xc_termit_t **out);

/* Documents among the whole database that contain TERM, as the search saw
 * it.  Returns XC_OK, XC_INVALID_ARGUMENT, XC_IO or XC_NETWORK. */
xc_status_t xc_mset_termfreq(const xc_mset_t *ms, const char *term,
                             xc_doccount_t *out);

/* The counts of facet INDEX (from xc_enquire_add_facet()) over the documents
 * the search considered: each value as the term, its count as termfreq; all
 * values in byte order when MAXVALUES is 0, else the MAXVALUES most frequent.
 * *TOTAL (may be NULL) gets the number of documents counted.  Returns XC_OK,
 * XC_INVALID_ARGUMENT or XC_NO_MEMORY. */
xc_status_t xc_mset_facet(const xc_mset_t *ms, unsigned index,
                          unsigned maxvalues, xc_doccount_t *total,
                          xc_termit_t **out);

/* ------------------------------------------------------------------------ */
/* Xapian's own text indexer (TermGenerator)                                */
/* ------------------------------------------------------------------------ */

/* Stemming strategies of the TermGenerator. */
typedef enum xc_stem_strategy {
    XC_STEM_NONE = 0,  /* Unstemmed terms only. */
    XC_STEM_SOME = 1,  /* Unstemmed terms with positions, and Z-prefixed
                          stems without (Xapian's default). */
    XC_STEM_ALL = 2,   /* Stems only, with positions, no prefix. */
    XC_STEM_ALL_Z = 3  /* Stems only, with positions, Z-prefixed. */
} xc_stem_strategy_t;

/* A new TermGenerator stemming for LANGUAGE (a Snowball name; NULL or
 * "none" for no stemming) with STRATEGY.  Returns XC_OK,
 * XC_INVALID_ARGUMENT (unknown language or strategy) or XC_NO_MEMORY. */
xc_status_t xc_termgen_new(const char *language, xc_stem_strategy_t strategy,
                           xc_termgen_t **out);

void xc_termgen_free(xc_termgen_t *tg);

/* Make DOC the document that xc_termgen_index_text() adds terms to, with
 * term positions starting again from 1.  TG shares DOC's contents (they are
 * reference-counted), so either may be freed first.  Returns XC_OK or XC_INVALID_ARGUMENT. */
xc_status_t xc_termgen_set_document(xc_termgen_t *tg, xc_doc_t *doc);

/* Index LEN bytes of TEXT into the current document, positions following
 * on from the previous call, each term's wdf raised by WDFINC, terms
 * prefixed with PREFIX (NULL or "" for none).  Returns XC_OK,
 * XC_INVALID_ARGUMENT (no document set) or XC_NO_MEMORY. */
xc_status_t xc_termgen_index_text(xc_termgen_t *tg, const char *text,
                                  size_t len, xc_termcount_t wdfinc,
                                  const char *prefix);

/* Flags for xc_query_parse(). */
enum {
    XC_QP_DEFAULT_AND = 1 /* Every word must match (default: any). */
};

/* Parse TEXT with Xapian's own QueryParser (boolean operators, phrases,
 * +/-, wildcards against DB, which may be NULL), stemming words for
 * LANGUAGE (NULL or "none": no stemming) with STRATEGY as in
 * xc_termgen_new(), into *OUT.  Returns XC_OK, XC_INVALID_ARGUMENT
 * (unknown language or strategy; a query Xapian cannot parse, with its
 * message) or XC_NO_MEMORY. */
xc_status_t xc_query_parse(const char *text, const char *language,
                           xc_stem_strategy_t strategy, unsigned flags,
                           xc_db_t *db, xc_query_t **out);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* XAPIAN_C_H */
