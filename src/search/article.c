/*
 * One article, whole, with the words of a query marked (the article
 * view).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/searcher_internal.h"

#include "schema/schema.h"
#include "schema/xc_map.h"
#include "util/fail.h"
#include "util/utf8.h"

/* The document of the article with id ID into *DOCID.  Returns BL_OK,
 * BL_ENOTFOUND, BL_EIO, BL_EMODIFIED or BL_ENETWORK. */
bl_status_t find_article(bl_searcher_t *s, const char *id,
                                xc_docid_t *docid)
{
    char term[BL_MAX_TERM + 1];
    xc_postit_t *it = NULL;
    bl_id_term(id, term);
    bl_status_t rc = bl_from_xc(xc_db_postlist(s->db, term, &it), s->path);
    xc_status_t xr = rc == BL_OK ? xc_postit_next(it) : XC_OK;
    if (rc == BL_OK && xr == XC_END)
        rc = bl_fail(BL_ENOTFOUND, "no article with id %s", id);
    else if (rc == BL_OK && xr != XC_OK)
        rc = bl_from_xc(xr, s->path);
    if (rc == BL_OK)
        *docid = xc_postit_docid(it);
    xc_postit_free(it);
    return rc;
}

bl_status_t bl_searcher_article(bl_searcher_t *s, const char *id,
                                const char *query, bl_article_view_t *out)
{
    return bl_searcher_article_with(s, id, query, NULL, out);
}

bl_status_t bl_searcher_article_with(bl_searcher_t *s, const char *id,
                                     const char *query,
                                     const bl_search_options_t *o,
                                     bl_article_view_t *out)
{
    xc_docid_t docid = 0;
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    size_t len = 0;
    bl_query_t *q = NULL;
    xc_query_t *xq = NULL;
    bl_qterm_t *qt = NULL;
    size_t nqt = 0;
    memset(out, 0, sizeof *out);
    bl_status_t rc = bl_searcher_refresh(s, 0, NULL);
    for (int tries = 0; rc == BL_OK || (rc == BL_EMODIFIED && tries < 4);
         tries++) {
        if (rc == BL_EMODIFIED)
            rc = bl_searcher_refresh(s, 1, NULL);
        if (rc == BL_OK)
            rc = find_article(s, id, &docid);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_get_document(s->db, docid, &doc), s->path);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_doc_get_data(doc, &data, &len), s->path);
        if (rc == BL_OK)
            rc = bl_docdata_decode(data, len, &out->article);
        xc_doc_free(doc);
        doc = NULL;
        if (rc == BL_ENETWORK && tries + 1 < SEARCH_TRIES &&
            searcher_lost_shard(s)) {
            bl_article_clear(&out->article);
            rc = BL_OK;
            continue;
        }
        if (rc != BL_EMODIFIED)
            break;
        bl_article_clear(&out->article);
    }
    size_t at = 0;
    if (rc == BL_OK && query && *query) {
        qcaps_t caps = searcher_caps(s);
        rc = bl_query_parse(s->analyzer, query,
                            BL_QUERY_STOP |
                                (bl_analyzer_exact_forms(s->analyzer) &&
                                         !(o && o->stem_quotes)
                                     ? BL_QUERY_EXACT
                                     : 0),
                            &q, &at);
        if (rc == BL_OK)
            rc = bl_query_compile(q, s->db, &caps, &xq, &qt, &nqt);
    }
    bl_article_t *a = &out->article;
    if (rc == BL_OK && nqt && a->title)
        rc = bl_highlight(s->analyzer, a->title, strlen(a->title), qt, nqt,
                          &out->title_hl, &out->ntitle_hl);
    if (rc == BL_OK && nqt && a->body)
        rc = bl_highlight(s->analyzer, a->body, strlen(a->body), qt, nqt,
                          &out->body_hl, &out->nbody_hl);
    bl_qterms_free(qt, nqt);
    xc_query_free(xq);
    bl_query_free(q);
    if (rc != BL_OK)
        bl_article_view_clear(out);
    if (rc == BL_ESYNTAX) {
        out->error_at = at;
        out->error_column = (unsigned)bl_utf8_chars(query, at) + 1;
    }
    return rc;
}

void bl_article_view_clear(bl_article_view_t *v)
{
    bl_article_clear(&v->article);
    free(v->title_hl);
    free(v->body_hl);
    memset(v, 0, sizeof *v);
}
