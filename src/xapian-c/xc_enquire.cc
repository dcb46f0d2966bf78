/*
 * Searching: enquire settings (BM25, sorting, collapsing, facets), result
 * sets with ranks, weights, documents, matching terms and counts.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>

#include "xc_internal.h"

xc_status_t xc_enquire_new(xc_db_t *db, xc_enquire_t **out)
{
    if (out)
        *out = nullptr;
    if (!db || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "db or out is NULL");
    return xc_try([&] {
        std::unique_ptr<xc_enquire_t> enq(new xc_enquire_t(db->db));
        enq->enq.set_weighting_scheme(Xapian::BM25Weight());
        *out = enq.release();
    });
}

void xc_enquire_free(xc_enquire_t *enq)
{
    delete enq;
}

xc_status_t xc_enquire_set_query(xc_enquire_t *enq, const xc_query_t *q)
{
    if (!enq || !q)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire or query is NULL");
    return xc_try([&] {
        enq->enq.set_query(q->q);
        enq->query = q->q;
        enq->has_query = true;
    });
}

xc_status_t xc_enquire_set_bm25(xc_enquire_t *enq, double k1, double k2,
                                double k3, double b, double min_normlen)
{
    if (!enq)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire is NULL");
    /* Written as negations so that NaN fails too. */
    if (!(k1 >= 0) || !(k2 >= 0) || !(k3 >= 0) || !(b >= 0 && b <= 1) ||
        !(min_normlen >= 0))
        return xc_fail(XC_INVALID_ARGUMENT,
                       "BM25 needs k1, k2, k3, min_normlen >= 0 and "
                       "0 <= b <= 1");
    return xc_try([&] {
        enq->enq.set_weighting_scheme(
            Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
    });
}

xc_status_t xc_enquire_set_boolean(xc_enquire_t *enq)
{
    if (!enq)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire is NULL");
    return xc_try([&] { enq->enq.set_weighting_scheme(Xapian::BoolWeight()); });
}

xc_status_t xc_enquire_set_dfr(xc_enquire_t *enq, xc_dfr_t model, double c)
{
    if (!enq)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire is NULL");
    if (!(c > 0) || (model != XC_DFR_DPH && model != XC_DFR_PL2))
        return xc_fail(XC_INVALID_ARGUMENT,
                       "a DFR weight is DPH or PL2, with c > 0");
    return xc_try([&] {
        if (model == XC_DFR_DPH)
            enq->enq.set_weighting_scheme(Xapian::DPHWeight());
        else
            enq->enq.set_weighting_scheme(Xapian::PL2Weight(c));
    });
}

xc_status_t xc_enquire_set_time_limit(xc_enquire_t *enq, double seconds)
{
    if (!enq || !(seconds >= 0))
        return xc_fail(XC_INVALID_ARGUMENT, "bad time limit");
    return xc_try([&] { enq->enq.set_time_limit(seconds); });
}

xc_status_t xc_enquire_set_deadline(xc_enquire_t *enq, double seconds)
{
    if (!enq || !(seconds >= 0))
        return xc_fail(XC_INVALID_ARGUMENT, "bad deadline");
    enq->has_deadline = seconds > 0;
    enq->deadline = std::chrono::steady_clock::now() +
                    std::chrono::microseconds((long long)(seconds * 1e6));
    return XC_OK;
}

namespace {

/* Thrown by the deadline's decider, caught in xc_enquire_mset(). */
struct deadline_passed {};

/* Takes every document, and ends the match once the deadline is past. */
class deadline_decider : public Xapian::MatchDecider {
  public:
    explicit deadline_decider(std::chrono::steady_clock::time_point t)
        : until(t) {}
    bool operator()(const Xapian::Document &) const override
    {
        if ((++calls & 255u) == 0 && std::chrono::steady_clock::now() > until)
            throw deadline_passed();
        return true;
    }

  private:
    std::chrono::steady_clock::time_point until;
    mutable unsigned calls = 0;
};

} // namespace

xc_status_t xc_enquire_set_sort(xc_enquire_t *enq, xc_sort_t by,
                                xc_valueno_t slot, int reverse)
{
    if (!enq)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire is NULL");
    const int order = by; /* (Any value a C caller gave: not the enum.) */
    return xc_try([&] {
        switch (order) {
        case XC_SORT_RELEVANCE:
            enq->enq.set_sort_by_relevance();
            return XC_OK;
        case XC_SORT_VALUE:
            enq->enq.set_sort_by_value(slot, reverse != 0);
            return XC_OK;
        case XC_SORT_VALUE_THEN_RELEVANCE:
            enq->enq.set_sort_by_value_then_relevance(slot, reverse != 0);
            return XC_OK;
        case XC_SORT_RELEVANCE_THEN_VALUE:
            enq->enq.set_sort_by_relevance_then_value(slot, reverse != 0);
            return XC_OK;
        }
        return xc_fail(XC_INVALID_ARGUMENT, "unknown sort order");
    });
}

xc_status_t xc_enquire_set_collapse_key(xc_enquire_t *enq, xc_valueno_t slot,
                                        xc_doccount_t max)
{
    if (!enq)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire is NULL");
    return xc_try([&] { enq->enq.set_collapse_key(slot, max == 0 ? 1 : max); });
}

xc_status_t xc_enquire_add_facet(xc_enquire_t *enq, xc_valueno_t slot,
                                 unsigned *index)
{
    if (!enq || slot == XC_NO_SLOT)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire or slot is invalid");
    return xc_try([&] {
        enq->facet_slots.push_back(slot);
        if (index)
            *index = unsigned(enq->facet_slots.size() - 1);
    });
}

xc_status_t xc_enquire_mset(xc_enquire_t *enq, xc_doccount_t first,
                            xc_doccount_t maxitems,
                            xc_doccount_t check_at_least, xc_mset_t **out)
{
    std::unique_ptr<xc_mset_t> ms; /* Goes after the spies are cleared. */
    if (out)
        *out = nullptr;
    if (!enq || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire or out is NULL");
    if (!enq->has_query)
        return xc_fail(XC_INVALID_ARGUMENT, "no query was set");
    xc_status_t rc = xc_try([&] {
        ms.reset(new xc_mset_t);
        ms->db = enq->db;
        ms->query = enq->query;
        /* Fresh spies for every search, so counts never accumulate across
         * searches; the result set owns them. */
        enq->enq.clear_matchspies();
        for (Xapian::valueno slot : enq->facet_slots) {
            ms->spies.emplace_back(new Xapian::ValueCountMatchSpy(slot));
            enq->enq.add_matchspy(ms->spies.back().get());
        }
        if (enq->has_deadline) {
            deadline_decider d(enq->deadline);
            try {
                ms->ms = enq->enq.get_mset(first, maxitems, check_at_least,
                                           nullptr, &d);
            } catch (const deadline_passed &) {
                return xc_fail(XC_TIMEOUT, "the match ran past its deadline");
            }
        } else {
            ms->ms = enq->enq.get_mset(first, maxitems, check_at_least);
        }
        enq->enq.clear_matchspies();
        *out = ms.release();
        return XC_OK;
    });
    if (rc != XC_OK) {
        /* The enquire must not keep pointers to spies about to be freed.
         * A failure here is ignored: the message is the first failure's. */
        try {
            enq->enq.clear_matchspies();
        } catch (...) {
        }
    }
    return rc;
}

void xc_mset_free(xc_mset_t *ms)
{
    delete ms;
}

xc_doccount_t xc_mset_size(const xc_mset_t *ms)
{
    return ms ? ms->ms.size() : 0;
}

xc_doccount_t xc_mset_matches_lower(const xc_mset_t *ms)
{
    return ms ? ms->ms.get_matches_lower_bound() : 0;
}

xc_doccount_t xc_mset_matches_estimated(const xc_mset_t *ms)
{
    return ms ? ms->ms.get_matches_estimated() : 0;
}

xc_doccount_t xc_mset_matches_upper(const xc_mset_t *ms)
{
    return ms ? ms->ms.get_matches_upper_bound() : 0;
}

xc_doccount_t xc_mset_rank(const xc_mset_t *ms, xc_doccount_t i)
{
    if (!ms || i >= ms->ms.size())
        return 0;
    return ms->ms[i].get_rank();
}

xc_docid_t xc_mset_docid(const xc_mset_t *ms, xc_doccount_t i)
{
    if (!ms || i >= ms->ms.size())
        return 0;
    return *ms->ms[i];
}

double xc_mset_weight(const xc_mset_t *ms, xc_doccount_t i)
{
    if (!ms || i >= ms->ms.size())
        return 0.0;
    return ms->ms[i].get_weight();
}

xc_doccount_t xc_mset_collapse_count(const xc_mset_t *ms, xc_doccount_t i)
{
    if (!ms || i >= ms->ms.size())
        return 0;
    return ms->ms[i].get_collapse_count();
}

xc_status_t xc_mset_fetch(const xc_mset_t *ms, xc_doccount_t first,
                          xc_doccount_t last)
{
    if (!ms || first > last || last > ms->ms.size())
        return xc_fail(XC_INVALID_ARGUMENT, "result range out of range");
    if (first == last)
        return XC_OK;
    try {
        ms->ms.fetch(ms->ms[first], ms->ms[last - 1]);
        return XC_OK;
    } catch (...) {
        return XC_OK; /* A hint: the reads themselves will say. */
    }
}

xc_status_t xc_mset_document(const xc_mset_t *ms, xc_doccount_t i,
                             xc_doc_t **out)
{
    if (out)
        *out = nullptr;
    if (!ms || !out || i >= ms->ms.size())
        return xc_fail(XC_INVALID_ARGUMENT, "result index out of range");
    return xc_try([&] {
        std::unique_ptr<xc_doc_t> doc(new xc_doc_t);
        doc->doc = ms->ms[i].get_document();
        *out = doc.release();
    });
}

xc_status_t xc_mset_values_some(const xc_mset_t *ms, xc_valueno_t slot,
                                const unsigned char *want,
                                void (*fn)(xc_doccount_t i, const char *value,
                                           size_t len, void *ctx),
                                void *ctx)
{
    if (!ms || !fn)
        return xc_fail(XC_INVALID_ARGUMENT, "no results or no callback");
    return xc_try([&] {
        /* One pass along the slot's value stream, in docid order: far
         * cheaper than a document per result. */
        std::vector<std::pair<Xapian::docid, xc_doccount_t>> order;
        order.reserve(ms->ms.size());
        for (xc_doccount_t i = 0; i < ms->ms.size(); i++) {
            if (!want || want[i])
                order.emplace_back(*ms->ms[i], i);
        }
        if (order.empty())
            return XC_OK;
        std::sort(order.begin(), order.end());
        Xapian::ValueIterator it = ms->db.valuestream_begin(slot);
        Xapian::ValueIterator end = ms->db.valuestream_end(slot);
        for (const auto &p : order) {
            if (it == end)
                break;
            it.skip_to(p.first);
            if (it == end)
                break;
            if (it.get_docid() == p.first) {
                const std::string v = *it;
                fn(p.second, v.data(), v.size(), ctx);
            }
        }
        return XC_OK;
    });
}

xc_status_t xc_mset_values(const xc_mset_t *ms, xc_valueno_t slot,
                           void (*fn)(xc_doccount_t i, const char *value,
                                      size_t len, void *ctx),
                           void *ctx)
{
    return xc_mset_values_some(ms, slot, nullptr, fn, ctx);
}

xc_status_t xc_mset_matching_terms(const xc_mset_t *ms, xc_doccount_t i,
                                   xc_termit_t **out)
{
    if (out)
        *out = nullptr;
    if (!ms || !out || i >= ms->ms.size())
        return xc_fail(XC_INVALID_ARGUMENT, "result index out of range");
    return xc_try([&] {
        /* Probe each query term's posting list rather than the document's
         * termlist, so this works on databases without termlists. */
        Xapian::docid did = *ms->ms[i];
        std::unique_ptr<xc_termit_t> it(new xc_termit_t);
        it->from_list = true;
        for (auto t = ms->query.get_terms_begin();
             t != ms->query.get_terms_end(); ++t) {
            const std::string &term = *t;
            if (std::find(it->list.begin(), it->list.end(), term) !=
                it->list.end())
                continue;
            Xapian::PostingIterator p = ms->db.postlist_begin(term);
            if (p == ms->db.postlist_end(term))
                continue;
            p.skip_to(did);
            if (p != ms->db.postlist_end(term) && *p == did)
                it->list.push_back(term);
        }
        *out = it.release();
    });
}

xc_status_t xc_mset_termfreq(const xc_mset_t *ms, const char *term,
                             xc_doccount_t *out)
{
    if (!ms || !term || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "mset, term or out is NULL");
    return xc_try([&] { *out = ms->ms.get_termfreq(term); });
}

xc_status_t xc_mset_facet(const xc_mset_t *ms, unsigned index,
                          unsigned maxvalues, xc_doccount_t *total,
                          xc_termit_t **out)
{
    if (out)
        *out = nullptr;
    if (!ms || !out || index >= ms->spies.size())
        return xc_fail(XC_INVALID_ARGUMENT, "no such facet");
    return xc_try([&] {
        const Xapian::ValueCountMatchSpy &spy = *ms->spies[index];
        std::unique_ptr<xc_termit_t> it(new xc_termit_t);
        if (maxvalues == 0) {
            it->cur = spy.values_begin();
            it->end = spy.values_end();
        } else {
            it->cur = spy.top_values_begin(maxvalues);
            it->end = spy.top_values_end(maxvalues);
        }
        if (total)
            *total = spy.get_total();
        *out = it.release();
    });
}

namespace {
/* Terms starting with a prefix, and not a field's ("ZS..." under "Z"). */
class PrefixDecider : public Xapian::ExpandDecider {
    std::string prefix;

  public:
    explicit PrefixDecider(const char *p) : prefix(p ? p : "") {}
    bool operator()(const std::string &term) const override
    {
        if (term.compare(0, prefix.size(), prefix) != 0)
            return false;
        return term.size() == prefix.size() ||
               !(term[prefix.size()] >= 'A' && term[prefix.size()] <= 'Z');
    }
};
} // namespace

xc_status_t xc_enquire_eset(xc_enquire_t *enq, const char *scheme,
                            const xc_docid_t *rset, size_t nrset,
                            unsigned maxitems, const char *prefix,
                            xc_eset_fn fn, void *ctx)
{
    if (!enq || !scheme || (!rset && nrset) || !fn)
        return xc_fail(XC_INVALID_ARGUMENT, "enquire, scheme or fn is NULL");
    return xc_try([&] {
        Xapian::RSet rs;
        for (size_t i = 0; i < nrset; i++)
            rs.add_document(rset[i]);
        enq->enq.set_expansion_scheme(scheme);
        PrefixDecider decider(prefix);
        Xapian::ESet es = enq->enq.get_eset(maxitems, rs, &decider);
        for (Xapian::ESetIterator i = es.begin(); i != es.end(); ++i) {
            const std::string &t = *i;
            if (fn(t.data(), t.size(), i.get_weight(), ctx))
                break;
        }
    });
}
