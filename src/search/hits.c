/*
 * A hit: its stored fields (from the summary, the cache or the
 * document), its title's marks and its best passages.
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
#include "search/tokens.h"
#include "util/fail.h"

/* The passages of HIT (its body read) for the NQ terms QT.  A story shown
 * again (CACHED) has its tokens recorded in the cache the second time and
 * chosen from them after: the same passages, the text not analysed again.
 * Returns BL_OK or BL_ENOMEM. */
static bl_status_t passages(bl_searcher_t *s, bl_hit_t *hit, int cached,
                            const bl_qterm_t *qt, size_t nq,
                            const bl_search_options_t *o)
{
    const char *body = hit->article.body;
    size_t len = strlen(body);
    /* Recorded tokens keep stems, not words: a quoted word is looked
     * for in the text. */
    for (size_t i = 0; i < nq; i++)
        cached = cached && !qt[i].exact;
    const bl_tokens_t *tk =
        cached ? bl_doccache_tokens(s->cache, hit->docid) : NULL;
    bl_tokens_t *rec = NULL;
    /* (Recorded only where they will likely fit: about 20 bytes a token.) */
    if (cached && !tk && bl_doccache_room(s->cache, 4 * len + 512) &&
        bl_tokens_record(s->analyzer, body, len, &rec) == BL_OK) {
        if (bl_doccache_put_tokens(s->cache, hit->docid, rec))
            tk = rec;
    }
    bl_status_t rc;
    if (tk || rec)
        rc = bl_passages_recorded(tk ? tk : rec, body, len, qt, nq,
                                  o->passages, o->passage_words,
                                  hit->passages, &hit->npassages);
    else
        rc = bl_passages(s->analyzer, body, len, qt, nq, o->passages,
                         o->passage_words, hit->passages, &hit->npassages);
    if (rec && tk != rec)
        bl_tokens_free(rec); /* (Not kept.) */
    return rc;
}

bl_status_t result_data(bl_searcher_t *s, xc_mset_t *ms, size_t i,
                        const bl_row_t *row, int summary_will_do,
                        const char **data, size_t *len, xc_doc_t **doc,
                        int *cached)
{
    xc_docid_t docid = xc_mset_docid(ms, i);
    *doc = NULL;
    *cached = 0;
    if (row && row->summary && summary_will_do) {
        *data = row->summary;
        *len = row->len;
        return BL_OK;
    }
    if ((*data = bl_doccache_get(s->cache, docid, len))) {
        *cached = 1;
        return BL_OK;
    }
    bl_status_t rc = bl_from_xc(xc_mset_document(ms, i, doc), s->path);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_doc_get_data(*doc, data, len), s->path);
    if (rc == BL_OK) /* (A result read once is often shown next.) */
        bl_doccache_put(s->cache, docid, *data, *len);
    return rc;
}

/* Fill HIT, ranked RANK, from result I of MS, whose ROW (may be NULL)
 * may have its summary: then, without passages, the document data is
 * not even read. */
bl_status_t make_hit(bl_searcher_t *s, xc_mset_t *ms, unsigned i,
                     unsigned rank, const bl_row_t *row,
                     const bl_qterm_t *qt, size_t nq,
                     const bl_search_options_t *o, bl_hit_t *hit)
{
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    size_t dlen = 0;
    int cached = 0;
    hit->rank = rank;
    hit->score = xc_mset_weight(ms, i);
    hit->docid = xc_mset_docid(ms, i);
    bl_status_t rc = result_data(s, ms, i, row, o->passages == 0, &data,
                                 &dlen, &doc, &cached);
    if (rc == BL_OK)
        rc = bl_docdata_decode_fields(data, dlen, o->passages > 0,
                                      &hit->article);
    xc_doc_free(doc);
    bl_article_t *a = &hit->article;
    if (rc == BL_OK && a->title)
        rc = bl_highlight(s->analyzer, a->title, strlen(a->title), qt, nq,
                          &hit->title_hl, &hit->ntitle_hl);
    if (rc == BL_OK && a->body && o->passages > 0)
        rc = passages(s, hit, cached, qt, nq, o);
    /* The body lives on only in the passages. */
    free(a->body);
    a->body = NULL;
    return rc;
}

void hit_clear(bl_hit_t *h)
{
    bl_article_clear(&h->article);
    free(h->title_hl);
    for (size_t k = 0; k < h->npassages; k++)
        bl_passage_clear(&h->passages[k]);
}

void bl_results_free(bl_results_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->hits && i < r->nhits; i++)
        hit_clear(&r->hits[i]);
    free(r->hits);
    bl_shard_failures_free(r->failed, r->nfailed);
    free(r->suggestion);
    free(r->fallback);
    for (size_t f = 0; f < r->nfacets; f++) {
        for (size_t i = 0; i < r->facets[f].n; i++)
            free(r->facets[f].values[i].value);
        free(r->facets[f].values);
    }
    free(r);
}
