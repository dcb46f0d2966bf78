/*
 * Xapian's TermGenerator, for programs that want Xapian's own analysis (and
 * for benchmarks that compare Byline's analyzer with it).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstring>

#include "xc_internal.h"

xc_status_t xc_termgen_new(const char *language, xc_stem_strategy_t strategy,
                           xc_termgen_t **out)
{
    static const Xapian::TermGenerator::stem_strategy STRATEGIES[] = {
        Xapian::TermGenerator::STEM_NONE, Xapian::TermGenerator::STEM_SOME,
        Xapian::TermGenerator::STEM_ALL, Xapian::TermGenerator::STEM_ALL_Z};
    const int how = strategy; /* (Any value a C caller gave.) */
    if (out)
        *out = nullptr;
    if (!out || how < XC_STEM_NONE || how > XC_STEM_ALL_Z)
        return xc_fail(XC_INVALID_ARGUMENT, "bad stemming strategy or out");
    return xc_try([&] {
        std::unique_ptr<xc_termgen_t> tg(new xc_termgen_t);
        if (language && *language && strcmp(language, "none") != 0)
            tg->tg.set_stemmer(Xapian::Stem(language));
        tg->tg.set_stemming_strategy(STRATEGIES[how]);
        *out = tg.release();
    });
}

void xc_termgen_free(xc_termgen_t *tg)
{
    delete tg;
}

xc_status_t xc_termgen_set_document(xc_termgen_t *tg, xc_doc_t *doc)
{
    if (!tg || !doc)
        return xc_fail(XC_INVALID_ARGUMENT, "termgen or doc is NULL");
    return xc_try([&] {
        /* The TermGenerator keeps a handle sharing DOC's contents. */
        tg->tg.set_document(doc->doc);
        tg->has_doc = true;
    });
}

xc_status_t xc_termgen_index_text(xc_termgen_t *tg, const char *text,
                                  size_t len, xc_termcount_t wdfinc,
                                  const char *prefix)
{
    if (!tg || (len > 0 && !text))
        return xc_fail(XC_INVALID_ARGUMENT, "termgen or text is NULL");
    if (!tg->has_doc)
        return xc_fail(XC_INVALID_ARGUMENT, "no document: call "
                                            "xc_termgen_set_document()");
    return xc_try([&] {
        tg->tg.index_text(std::string(text, len), wdfinc,
                          prefix ? prefix : "");
    });
}

xc_status_t xc_query_parse(const char *text, const char *language,
                           xc_stem_strategy_t strategy, unsigned flags,
                           xc_db_t *db, xc_query_t **out)
{
    static const Xapian::QueryParser::stem_strategy STRATEGIES[] = {
        Xapian::QueryParser::STEM_NONE, Xapian::QueryParser::STEM_SOME,
        Xapian::QueryParser::STEM_ALL, Xapian::QueryParser::STEM_ALL_Z};
    const int how = strategy; /* (Any value a C caller gave.) */
    if (out)
        *out = nullptr;
    if (!text || !out || how < XC_STEM_NONE || how > XC_STEM_ALL_Z ||
        (flags & ~unsigned(XC_QP_DEFAULT_AND)))
        return xc_fail(XC_INVALID_ARGUMENT,
                       "no text, bad stemming strategy or flags");
    return xc_try([&] {
        Xapian::QueryParser qp;
        if (language && *language && strcmp(language, "none") != 0)
            qp.set_stemmer(Xapian::Stem(language));
        qp.set_stemming_strategy(STRATEGIES[how]);
        if (db)
            qp.set_database(db->db);
        qp.set_default_op(flags & XC_QP_DEFAULT_AND ? Xapian::Query::OP_AND
                                                    : Xapian::Query::OP_OR);
        std::unique_ptr<xc_query_t> q(new xc_query_t);
        q->q = qp.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT |
                                        Xapian::QueryParser::FLAG_WILDCARD);
        *out = q.release();
    });
}
