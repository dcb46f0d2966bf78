/*
 * Queries: terms, boolean and positional operators, wildcards, value ranges,
 * weight scaling; sortable number encoding.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstdlib>
#include <cstring>

#include "xc_internal.h"

/* Hand Q back in a new handle at *OUT.  Throws std::bad_alloc. */
static xc_status_t wrap(const Xapian::Query &q, xc_query_t **out)
{
    xc_query_t *h = new xc_query_t;
    h->q = q;
    *out = h;
    return XC_OK;
}

xc_status_t xc_query_term(const char *term, xc_termcount_t wqf,
                          xc_termpos_t pos, xc_query_t **out)
{
    if (out)
        *out = nullptr;
    if (!term || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "term or out is NULL");
    return xc_try([&] { return wrap(Xapian::Query(term, wqf, pos), out); });
}

/* Map our operator to Xapian's, or return false for an unknown one. */
static bool map_op(xc_query_op_t op, Xapian::Query::op *xop)
{
    switch (op) {
    case XC_QUERY_AND: *xop = Xapian::Query::OP_AND; return true;
    case XC_QUERY_OR: *xop = Xapian::Query::OP_OR; return true;
    case XC_QUERY_AND_NOT: *xop = Xapian::Query::OP_AND_NOT; return true;
    case XC_QUERY_XOR: *xop = Xapian::Query::OP_XOR; return true;
    case XC_QUERY_AND_MAYBE: *xop = Xapian::Query::OP_AND_MAYBE; return true;
    case XC_QUERY_FILTER: *xop = Xapian::Query::OP_FILTER; return true;
    case XC_QUERY_NEAR: *xop = Xapian::Query::OP_NEAR; return true;
    case XC_QUERY_PHRASE: *xop = Xapian::Query::OP_PHRASE; return true;
    case XC_QUERY_ELITE_SET: *xop = Xapian::Query::OP_ELITE_SET; return true;
    case XC_QUERY_SYNONYM: *xop = Xapian::Query::OP_SYNONYM; return true;
    case XC_QUERY_MAX: *xop = Xapian::Query::OP_MAX; return true;
    }
    return false;
}

xc_status_t xc_query_combine(xc_query_op_t op, const xc_query_t *const *subs,
                             size_t n, unsigned param, xc_query_t **out)
{
    Xapian::Query::op xop;
    if (out)
        *out = nullptr;
    if (!out || (n > 0 && !subs))
        return xc_fail(XC_INVALID_ARGUMENT, "subs or out is NULL");
    if (!map_op(op, &xop))
        return xc_fail(XC_INVALID_ARGUMENT, "unknown query operator");
    for (size_t i = 0; i < n; i++) {
        if (!subs[i])
            return xc_fail(XC_INVALID_ARGUMENT, "a subquery is NULL");
    }
    return xc_try([&] {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        return wrap(Xapian::Query(xop, v.begin(), v.end(), param), out);
    });
}

xc_status_t xc_query_wildcard(const char *prefix, unsigned max_expansion,
                              xc_query_t **out)
{
    if (out)
        *out = nullptr;
    if (!prefix || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "prefix or out is NULL");
    return xc_try([&] {
        /* Xapian 1.4 expands to nothing when MOST_FREQUENT is given a limit
         * of 0, so "no limit" has to be asked for with LIMIT_ERROR. */
        int limit = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                  : Xapian::Query::WILDCARD_LIMIT_ERROR;
        return wrap(Xapian::Query(Xapian::Query::OP_WILDCARD, prefix,
                                  max_expansion, limit,
                                  Xapian::Query::OP_SYNONYM),
                    out);
    });
}

xc_status_t xc_query_value_range(xc_valueno_t slot, const void *lo,
                                 size_t lo_len, const void *hi,
                                 size_t hi_len, xc_query_t **out)
{
    if (out)
        *out = nullptr;
    if (!out || (!lo && !hi))
        return xc_fail(XC_INVALID_ARGUMENT, "a range needs at least one end");
    return xc_try([&] {
        std::string l = lo ? std::string(static_cast<const char *>(lo), lo_len)
                           : std::string();
        std::string h = hi ? std::string(static_cast<const char *>(hi), hi_len)
                           : std::string();
        if (lo && hi)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, l,
                                      h),
                        out);
        if (lo)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, l),
                        out);
        return wrap(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, h), out);
    });
}

xc_status_t xc_query_scale_weight(const xc_query_t *sub, double factor,
                                  xc_query_t **out)
{
    if (out)
        *out = nullptr;
    if (!sub || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "subquery or out is NULL");
    return xc_try([&] {
        return wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub->q,
                                  factor),
                    out);
    });
}

xc_status_t xc_query_match_all(xc_query_t **out)
{
    if (!out)
        return xc_fail(XC_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    return xc_try([&] { return wrap(Xapian::Query::MatchAll, out); });
}

xc_status_t xc_query_match_nothing(xc_query_t **out)
{
    if (!out)
        return xc_fail(XC_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    return xc_try([&] { return wrap(Xapian::Query::MatchNothing, out); });
}

xc_status_t xc_query_describe(const xc_query_t *q, char **out)
{
    if (out)
        *out = nullptr;
    if (!q || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "query or out is NULL");
    return xc_try([&] {
        std::string d = q->q.get_description();
        char *p = static_cast<char *>(malloc(d.size() + 1));
        if (!p)
            return xc_fail(XC_NO_MEMORY, "out of memory");
        memcpy(p, d.c_str(), d.size() + 1);
        *out = p;
        return XC_OK;
    });
}

int xc_query_empty(const xc_query_t *q)
{
    return !q || q->q.empty();
}

void xc_query_free(xc_query_t *q)
{
    delete q;
}

size_t xc_sortable_serialise(double value, char *buf)
{
    /* Xapian's own encoding writes at most 18 bytes; write into BUF without
     * allocating. */
    return Xapian::sortable_serialise_(value, buf);
}

double xc_sortable_unserialise(const char *buf, size_t len)
{
    return xc_try_or(0.0, [&] {
        return Xapian::sortable_unserialise(std::string(buf, len));
    });
}
