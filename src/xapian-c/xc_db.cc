/*
 * Databases: opening, stubs, commits, transactions, metadata, statistics,
 * document updates, spelling and compaction.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "xc_internal.h"

/* Copy S into a malloc'ed NUL-terminated string at *OUT (and its length to
 * *LEN when LEN is not NULL).  Returns XC_OK or XC_NO_MEMORY. */
static xc_status_t dup_out(const std::string &s, char **out, size_t *len)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        return xc_fail(XC_NO_MEMORY, "out of memory");
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *out = p;
    if (len)
        *len = s.size();
    return XC_OK;
}

xc_status_t xc_db_open(const char *path, xc_db_t **out)
{
    if (out)
        *out = nullptr;
    if (!out || !path || !*path)
        return xc_fail(XC_INVALID_ARGUMENT, "path and out are required");
    return xc_try([&] {
        std::unique_ptr<xc_db_t> db(new xc_db_t);
        db->db = Xapian::Database(path);
        *out = db.release();
    });
}

xc_status_t xc_db_open_writable(const char *path, xc_db_action_t action,
                                int flags, xc_db_t **out)
{
    const int allowed = XC_DB_NO_SYNC | XC_DB_FULL_SYNC | XC_DB_DANGEROUS |
                        XC_DB_NO_TERMLIST | XC_DB_RETRY_LOCK;
    if (out)
        *out = nullptr;
    if (!out || !path || !*path)
        return xc_fail(XC_INVALID_ARGUMENT, "path and out are required");
    /* (As an int, read once: ACTION may hold any value a C caller gave,
     * and the body below must not load it as the enum.) */
    const int act = action;
    if (act < XC_DB_CREATE_OR_OPEN || act > XC_DB_OPEN || (flags & ~allowed))
        return xc_fail(XC_INVALID_ARGUMENT, "unknown action or flag");
    const int mode = act | flags;
    return xc_try([&] {
        std::unique_ptr<xc_db_t> db(new xc_db_t);
        db->wdb = Xapian::WritableDatabase(path, mode);
        db->db = db->wdb;
        db->writable = true;
        *out = db.release();
    });
}

/* Open a remote database over TCP, writable or not. */
static xc_status_t open_remote(const char *host, unsigned port,
                               unsigned timeout_ms,
                               unsigned connect_timeout_ms, bool writable,
                               xc_db_t **out)
{
    if (out)
        *out = nullptr;
    if (!out || !host || !*host || port == 0 || port > 65535)
        return xc_fail(XC_INVALID_ARGUMENT, "host, port and out are required");
    if (timeout_ms == 0)
        timeout_ms = 10000;
    if (connect_timeout_ms == 0)
        connect_timeout_ms = 10000;
    return xc_try([&] {
        std::unique_ptr<xc_db_t> db(new xc_db_t);
        if (writable) {
            db->wdb = Xapian::Remote::open_writable(host, port, timeout_ms,
                                                    connect_timeout_ms);
            db->db = db->wdb;
            db->writable = true;
        } else {
            db->db = Xapian::Remote::open(host, port, timeout_ms,
                                          connect_timeout_ms);
        }
        *out = db.release();
    });
}

xc_status_t xc_db_open_remote(const char *host, unsigned port,
                              unsigned timeout_ms, unsigned connect_timeout_ms,
                              xc_db_t **out)
{
    return open_remote(host, port, timeout_ms, connect_timeout_ms, false, out);
}

xc_status_t xc_db_open_remote_writable(const char *host, unsigned port,
                                       unsigned timeout_ms,
                                       unsigned connect_timeout_ms,
                                       xc_db_t **out)
{
    return open_remote(host, port, timeout_ms, connect_timeout_ms, true, out);
}

xc_status_t xc_db_new_multi(xc_db_t **out)
{
    if (!out)
        return xc_fail(XC_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    return xc_try([&] { *out = new xc_db_t; });
}

xc_status_t xc_db_add(xc_db_t *db, const xc_db_t *other)
{
    if (!db || !other)
        return xc_fail(XC_INVALID_ARGUMENT, "database handle is NULL");
    if (db->writable)
        return xc_fail(XC_INVALID_ARGUMENT,
                       "cannot add databases to a writable database");
    return xc_try([&] { db->db.add_database(other->db); });
}

xc_status_t xc_stub_write(const char *path, const char *const *entries,
                          size_t n)
{
    if (!path || !*path || (n > 0 && !entries))
        return xc_fail(XC_INVALID_ARGUMENT, "path and entries are required");
    return xc_try([&] {
        std::string text;
        for (size_t i = 0; i < n; i++) {
            const char *e = entries[i];
            if (!e || !*e || strchr(e, '\n'))
                return xc_fail(XC_INVALID_ARGUMENT,
                               "a stub entry is empty or holds a newline");
            if (strncmp(e, "remote ", 7) == 0)
                text += e;
            else
                text += std::string("auto ") + e;
            text += '\n';
        }
        std::string tmp = std::string(path) + ".tmp";
        FILE *f = fopen(tmp.c_str(), "w");
        if (!f) {
            std::string msg = tmp + ": " + strerror(errno);
            return xc_fail(XC_IO, msg.c_str());
        }
        bool ok = fwrite(text.data(), 1, text.size(), f) == text.size();
        ok = fflush(f) == 0 && ok;
        ok = fsync(fileno(f)) == 0 && ok;
        ok = fclose(f) == 0 && ok;
        if (!ok || rename(tmp.c_str(), path) != 0) {
            std::string msg = std::string(path) + ": " + strerror(errno);
            unlink(tmp.c_str());
            return xc_fail(XC_IO, msg.c_str());
        }
        return XC_OK;
    });
}

xc_status_t xc_db_close(xc_db_t *db)
{
    if (!db)
        return xc_fail(XC_INVALID_ARGUMENT, "database handle is NULL");
    return xc_try([&] { db->db.close(); });
}

void xc_db_free(xc_db_t *db)
{
    /* ~WritableDatabase commits, and never throws (it catches what the
     * commit throws; a destructor is noexcept besides). */
    delete db;
}

int xc_db_is_writable(const xc_db_t *db)
{
    return db && db->writable;
}

xc_status_t xc_db_reopen(xc_db_t *db, int *changed)
{
    if (!db)
        return xc_fail(XC_INVALID_ARGUMENT, "database handle is NULL");
    return xc_try([&] {
        bool moved = db->db.reopen();
        if (changed)
            *changed = moved ? 1 : 0;
    });
}

xc_status_t xc_db_keep_alive(xc_db_t *db)
{
    if (!db)
        return xc_fail(XC_INVALID_ARGUMENT, "database handle is NULL");
    return xc_try([&] { db->db.keep_alive(); });
}

xc_status_t xc_db_commit(xc_db_t *db)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    return xc_try([&] { db->wdb.commit(); });
}

xc_status_t xc_db_begin_transaction(xc_db_t *db, int flushed)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    return xc_try([&] { db->wdb.begin_transaction(flushed != 0); });
}

xc_status_t xc_db_commit_transaction(xc_db_t *db)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    return xc_try([&] { db->wdb.commit_transaction(); });
}

xc_status_t xc_db_cancel_transaction(xc_db_t *db)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    return xc_try([&] { db->wdb.cancel_transaction(); });
}

xc_status_t xc_db_set_metadata(xc_db_t *db, const char *key,
                               const void *value, size_t len)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    if (!key || !*key || (len > 0 && !value))
        return xc_fail(XC_INVALID_ARGUMENT, "metadata key is empty");
    return xc_try([&] {
        db->wdb.set_metadata(key, std::string(
                                      static_cast<const char *>(value), len));
    });
}

xc_status_t xc_db_get_metadata(xc_db_t *db, const char *key, char **value,
                               size_t *len)
{
    if (value)
        *value = nullptr;
    if (!db || !key || !*key || !value)
        return xc_fail(XC_INVALID_ARGUMENT, "db, key and value are required");
    return xc_try([&] {
        std::string v = db->db.get_metadata(key);
        if (v.empty()) {
            std::string msg = std::string("no metadata key ") + key;
            return xc_fail(XC_NOT_FOUND, msg.c_str());
        }
        return dup_out(v, value, len);
    });
}

size_t xc_db_size(const xc_db_t *db)
{
    return db ? db->db.size() : 0;
}

xc_status_t xc_db_uuid(xc_db_t *db, char **out)
{
    if (out)
        *out = nullptr;
    if (!(db && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] { return dup_out(db->db.get_uuid(), out, nullptr); });
}

xc_status_t xc_db_doccount(xc_db_t *db, xc_doccount_t *out)
{
    if (!(db && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] { *out = db->db.get_doccount(); });
}

xc_status_t xc_db_lastdocid(xc_db_t *db, xc_docid_t *out)
{
    if (!(db && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] { *out = db->db.get_lastdocid(); });
}

xc_status_t xc_db_avlength(xc_db_t *db, double *out)
{
    if (!(db && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] { *out = db->db.get_avlength(); });
}

xc_status_t xc_db_termfreq(xc_db_t *db, const char *term, xc_doccount_t *out)
{
    if (!(db && term && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db, term or out is NULL");
    return xc_try([&] { *out = db->db.get_termfreq(term); });
}

xc_status_t xc_db_collection_freq(xc_db_t *db, const char *term,
                                  xc_termcount_t *out)
{
    if (!(db && term && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db, term or out is NULL");
    return xc_try([&] { *out = db->db.get_collection_freq(term); });
}

xc_status_t xc_db_term_exists(xc_db_t *db, const char *term, int *out)
{
    if (!(db && term && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db, term or out is NULL");
    return xc_try([&] { *out = db->db.term_exists(term) ? 1 : 0; });
}

xc_status_t xc_db_doclength(xc_db_t *db, xc_docid_t docid,
                            xc_termcount_t *out)
{
    if (!(db && out))
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    if (docid == 0)
        return xc_fail(XC_INVALID_ARGUMENT, "document id 0 is invalid");
    return xc_try([&] { *out = db->db.get_doclength(docid); });
}

xc_status_t xc_db_value_stats(xc_db_t *db, xc_valueno_t slot,
                              xc_doccount_t *freq, char **lower,
                              size_t *lower_len, char **upper,
                              size_t *upper_len)
{
    if (lower)
        *lower = nullptr;
    if (upper)
        *upper = nullptr;
    if (!db)
        return xc_fail(XC_INVALID_ARGUMENT, "database handle is NULL");
    xc_status_t rc = xc_try([&] {
        if (freq)
            *freq = db->db.get_value_freq(slot);
        xc_status_t got = XC_OK;
        if (lower)
            got = dup_out(db->db.get_value_lower_bound(slot), lower,
                          lower_len);
        if (got == XC_OK && upper)
            got = dup_out(db->db.get_value_upper_bound(slot), upper,
                          upper_len);
        return got;
    });
    if (rc != XC_OK && lower) {
        free(*lower);
        *lower = nullptr;
    }
    return rc;
}

xc_status_t xc_db_add_document(xc_db_t *db, const xc_doc_t *doc,
                               xc_docid_t *docid)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    if (!doc)
        return xc_fail(XC_INVALID_ARGUMENT, "document handle is NULL");
    return xc_try([&] {
        xc_docid_t id = db->wdb.add_document(doc->doc);
        if (docid)
            *docid = id;
    });
}

xc_status_t xc_db_replace_document(xc_db_t *db, xc_docid_t docid,
                                   const xc_doc_t *doc)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    if (!doc || docid == 0)
        return xc_fail(XC_INVALID_ARGUMENT, "document or id is invalid");
    return xc_try([&] { db->wdb.replace_document(docid, doc->doc); });
}

xc_status_t xc_db_replace_document_by_term(xc_db_t *db,
                                           const char *unique_term,
                                           const xc_doc_t *doc,
                                           xc_docid_t *docid)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    if (!doc || !unique_term || !*unique_term)
        return xc_fail(XC_INVALID_ARGUMENT, "document or term is missing");
    return xc_try([&] {
        xc_docid_t id = db->wdb.replace_document(unique_term, doc->doc);
        if (docid)
            *docid = id;
    });
}

xc_status_t xc_db_delete_document(xc_db_t *db, xc_docid_t docid)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    if (docid == 0)
        return xc_fail(XC_INVALID_ARGUMENT, "document id 0 is invalid");
    return xc_try([&] { db->wdb.delete_document(docid); });
}

xc_status_t xc_db_delete_document_by_term(xc_db_t *db,
                                          const char *unique_term)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    if (!unique_term || !*unique_term)
        return xc_fail(XC_INVALID_ARGUMENT, "unique term is empty");
    return xc_try([&] { db->wdb.delete_document(unique_term); });
}

xc_status_t xc_db_get_document(xc_db_t *db, xc_docid_t docid,
                               xc_doc_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !out || docid == 0)
        return xc_fail(XC_INVALID_ARGUMENT, "db, docid and out are required");
    return xc_try([&] {
        std::unique_ptr<xc_doc_t> doc(new xc_doc_t);
        /* DOC_ASSUME_VALID would defer the existence check to first use;
         * checking now gives the caller XC_NOT_FOUND here. */
        doc->doc = db->db.get_document(docid);
        *out = doc.release();
    });
}

/* Raise (ADD) or lower WORD's frequency in the spelling table by BY. */
static xc_status_t change_spelling(xc_db_t *db, const char *word,
                                   xc_termcount_t by, bool add)
{
    xc_status_t rc = xc_need_writable(db);
    if (rc != XC_OK)
        return rc;
    if (!word || !*word)
        return xc_fail(XC_INVALID_ARGUMENT, "word is empty");
    return xc_try([&] {
        if (add)
            db->wdb.add_spelling(word, by);
        else
            db->wdb.remove_spelling(word, by);
    });
}

xc_status_t xc_db_add_spelling(xc_db_t *db, const char *word,
                               xc_termcount_t freqinc)
{
    return change_spelling(db, word, freqinc, true);
}

xc_status_t xc_db_remove_spelling(xc_db_t *db, const char *word,
                                  xc_termcount_t freqdec)
{
    return change_spelling(db, word, freqdec, false);
}

xc_status_t xc_db_spelling_suggestion(xc_db_t *db, const char *word,
                                      unsigned max_edit_distance, char **out)
{
    if (out)
        *out = nullptr;
    if (!db || !word || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "db, word and out are required");
    return xc_try([&] {
        return dup_out(db->db.get_spelling_suggestion(word, max_edit_distance),
                       out, nullptr);
    });
}

xc_status_t xc_db_compact(xc_db_t *db, const char *dest, unsigned flags)
{
    const unsigned allowed = XC_COMPACT_NO_RENUMBER | XC_COMPACT_MULTIPASS |
                             XC_COMPACT_SINGLE_FILE;
    if (!db || !dest || !*dest || (flags & ~allowed))
        return xc_fail(XC_INVALID_ARGUMENT, "db and dest are required");
    return xc_try([&] { db->db.compact(dest, flags); });
}
