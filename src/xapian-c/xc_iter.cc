/*
 * Iteration over terms, postings and positions.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "xc_internal.h"

/* Move a Xapian iterator pair to its next item: the first call stays on the
 * first item.  Returns true while there is a current item.  Throws what
 * Xapian throws. */
template <class It> static bool step(It &cur, const It &end, bool &started)
{
    if (started && cur != end)
        ++cur;
    started = true;
    return cur != end;
}

/* xc_postit_next() and xc_posit_next(): step IT, a handle holding one
 * Xapian iterator pair; XC_OK on an item, XC_END past the last. */
template <class Handle> static xc_status_t next_item(Handle *it)
{
    if (!it)
        return xc_fail(XC_INVALID_ARGUMENT, "iterator is NULL");
    return xc_try(
        [&] { return step(it->cur, it->end, it->started) ? XC_OK : XC_END; });
}

/* Wrap a pair of Xapian term iterators in a new handle at *OUT. */
static xc_status_t new_termit(const Xapian::TermIterator &begin,
                              const Xapian::TermIterator &end,
                              bool has_positions, xc_termit_t **out)
{
    xc_termit_t *it = new xc_termit_t;
    it->cur = begin;
    it->end = end;
    it->has_positions = has_positions;
    *out = it;
    return XC_OK;
}

xc_status_t xc_db_allterms(xc_db_t *db, const char *prefix, xc_termit_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] {
        std::string p = prefix ? prefix : "";
        return new_termit(db->db.allterms_begin(p), db->db.allterms_end(p),
                          false, out);
    });
}

xc_status_t xc_db_termlist(xc_db_t *db, xc_docid_t docid, xc_termit_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !out || docid == 0)
        return xc_fail(XC_INVALID_ARGUMENT, "db, docid or out is invalid");
    return xc_try([&] {
        return new_termit(db->db.termlist_begin(docid),
                          db->db.termlist_end(docid), true, out);
    });
}

xc_status_t xc_db_metadata_keys(xc_db_t *db, const char *prefix,
                                xc_termit_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] {
        std::string p = prefix ? prefix : "";
        return new_termit(db->db.metadata_keys_begin(p),
                          db->db.metadata_keys_end(p), false, out);
    });
}

xc_status_t xc_db_spellings(xc_db_t *db, xc_termit_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] {
        return new_termit(db->db.spellings_begin(), db->db.spellings_end(),
                          false, out);
    });
}

xc_status_t xc_termit_next(xc_termit_t *it)
{
    if (!it)
        return xc_fail(XC_INVALID_ARGUMENT, "iterator is NULL");
    return xc_try([&] {
        if (it->from_list) {
            if (it->started)
                it->list_pos++;
            it->started = true;
            if (it->list_pos >= it->list.size())
                return XC_END;
            it->term = it->list[it->list_pos];
            return XC_OK;
        }
        if (!step(it->cur, it->end, it->started))
            return XC_END;
        it->term = *it->cur;
        return XC_OK;
    });
}

const char *xc_termit_term(const xc_termit_t *it, size_t *len)
{
    if (!it) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = it->term.size();
    return it->term.c_str();
}

xc_termcount_t xc_termit_wdf(xc_termit_t *it)
{
    if (!it || it->from_list || !it->started || it->cur == it->end)
        return 0;
    return xc_try_or(xc_termcount_t(0), [&] { return it->cur.get_wdf(); });
}

xc_doccount_t xc_termit_termfreq(xc_termit_t *it)
{
    if (!it || it->from_list || !it->started || it->cur == it->end)
        return 0;
    return xc_try_or(xc_doccount_t(0), [&] { return it->cur.get_termfreq(); });
}

xc_status_t xc_termit_positions(xc_termit_t *it, xc_posit_t **out)
{
    if (out)
        *out = nullptr;
    if (!it || !out || !it->has_positions || !it->started ||
        it->cur == it->end)
        return xc_fail(XC_INVALID_ARGUMENT,
                       "not positioned on a document's term");
    return xc_try([&] {
        std::unique_ptr<xc_posit_t> p(new xc_posit_t);
        p->cur = it->cur.positionlist_begin();
        p->end = it->cur.positionlist_end();
        *out = p.release();
    });
}

void xc_termit_free(xc_termit_t *it)
{
    delete it;
}

xc_status_t xc_db_postlist(xc_db_t *db, const char *term, xc_postit_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !term || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "db, term or out is NULL");
    return xc_try([&] {
        std::unique_ptr<xc_postit_t> it(new xc_postit_t);
        it->cur = db->db.postlist_begin(term);
        it->end = db->db.postlist_end(term);
        *out = it.release();
    });
}

xc_status_t xc_postit_next(xc_postit_t *it)
{
    return next_item(it);
}

xc_status_t xc_postit_skip_to(xc_postit_t *it, xc_docid_t did)
{
    if (!it)
        return xc_fail(XC_INVALID_ARGUMENT, "iterator is NULL");
    return xc_try([&] {
        it->started = true;
        if (it->cur != it->end)
            it->cur.skip_to(did);
        return it->cur == it->end ? XC_END : XC_OK;
    });
}

xc_docid_t xc_postit_docid(const xc_postit_t *it)
{
    if (!it || !it->started || it->cur == it->end)
        return 0;
    return *it->cur;
}

xc_termcount_t xc_postit_wdf(xc_postit_t *it)
{
    if (!it || !it->started || it->cur == it->end)
        return 0;
    return xc_try_or(xc_termcount_t(0), [&] { return it->cur.get_wdf(); });
}

xc_status_t xc_postit_doclength(xc_postit_t *it, xc_termcount_t *out)
{
    if (!it || !out || !it->started || it->cur == it->end)
        return xc_fail(XC_INVALID_ARGUMENT, "not positioned on a posting");
    return xc_try([&] { *out = it->cur.get_doclength(); });
}

void xc_postit_free(xc_postit_t *it)
{
    delete it;
}

xc_status_t xc_db_positions(xc_db_t *db, xc_docid_t docid, const char *term,
                            xc_posit_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !term || !*term || !out || docid == 0)
        return xc_fail(XC_INVALID_ARGUMENT, "db, docid, term or out invalid");
    return xc_try([&] {
        std::unique_ptr<xc_posit_t> it(new xc_posit_t);
        it->cur = db->db.positionlist_begin(docid, term);
        it->end = db->db.positionlist_end(docid, term);
        *out = it.release();
    });
}

xc_status_t xc_posit_next(xc_posit_t *it)
{
    return next_item(it);
}

xc_termpos_t xc_posit_get(const xc_posit_t *it)
{
    if (!it || !it->started || it->cur == it->end)
        return 0;
    return *it->cur;
}

void xc_posit_free(xc_posit_t *it)
{
    delete it;
}
