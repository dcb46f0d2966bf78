/*
 * Documents: terms with wdf and positions, boolean terms, values, data.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "xc_internal.h"

/* Fail with XC_INVALID_ARGUMENT for a NULL document or an empty term. */
static xc_status_t check_term(const xc_doc_t *doc, const char *term,
                              size_t len)
{
    if (!doc || !term)
        return xc_fail(XC_INVALID_ARGUMENT, "document or term is NULL");
    if (len == 0 || (len == XC_NTS && *term == '\0'))
        return xc_fail(XC_INVALID_ARGUMENT, "empty term");
    return XC_OK;
}

xc_status_t xc_doc_new(xc_doc_t **out)
{
    if (!out)
        return xc_fail(XC_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    return xc_try([&] { *out = new xc_doc_t; });
}

void xc_doc_free(xc_doc_t *doc)
{
    delete doc;
}

xc_docid_t xc_doc_docid(const xc_doc_t *doc)
{
    return doc ? doc->doc.get_docid() : 0;
}

xc_status_t xc_doc_add_term(xc_doc_t *doc, const char *term, size_t len,
                            xc_termcount_t wdfinc)
{
    xc_status_t rc = check_term(doc, term, len);
    if (rc != XC_OK)
        return rc;
    return xc_try([&] { doc->doc.add_term(xc_str(term, len), wdfinc); });
}

xc_status_t xc_doc_add_posting(xc_doc_t *doc, const char *term, size_t len,
                               xc_termpos_t pos, xc_termcount_t wdfinc)
{
    xc_status_t rc = check_term(doc, term, len);
    if (rc != XC_OK)
        return rc;
    return xc_try(
        [&] { doc->doc.add_posting(xc_str(term, len), pos, wdfinc); });
}

xc_status_t xc_doc_add_boolean_term(xc_doc_t *doc, const char *term,
                                    size_t len)
{
    xc_status_t rc = check_term(doc, term, len);
    if (rc != XC_OK)
        return rc;
    return xc_try([&] { doc->doc.add_boolean_term(xc_str(term, len)); });
}

xc_status_t xc_doc_remove_term(xc_doc_t *doc, const char *term)
{
    xc_status_t rc = check_term(doc, term, XC_NTS);
    if (rc != XC_OK)
        return rc;
    return xc_try([&] {
        try {
            doc->doc.remove_term(term);
        } catch (const Xapian::InvalidArgumentError &e) {
            /* Xapian reports a missing term as an invalid argument. */
            return xc_fail(XC_NOT_FOUND, e.get_msg().c_str());
        }
        return XC_OK;
    });
}

xc_status_t xc_doc_clear_terms(xc_doc_t *doc)
{
    if (!doc)
        return xc_fail(XC_INVALID_ARGUMENT, "document is NULL");
    return xc_try([&] { doc->doc.clear_terms(); });
}

xc_status_t xc_doc_termcount(xc_doc_t *doc, xc_termcount_t *out)
{
    if (!doc || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "document or out is NULL");
    return xc_try([&] { *out = doc->doc.termlist_count(); });
}

xc_status_t xc_doc_termlist(xc_doc_t *doc, xc_termit_t **out)
{
    if (out)
        *out = nullptr;
    if (!doc || !out)
        return xc_fail(XC_INVALID_ARGUMENT, "document or out is NULL");
    return xc_try([&] {
        std::unique_ptr<xc_termit_t> it(new xc_termit_t);
        it->cur = doc->doc.termlist_begin();
        it->end = doc->doc.termlist_end();
        it->has_positions = true;
        *out = it.release();
    });
}

xc_status_t xc_doc_set_value(xc_doc_t *doc, xc_valueno_t slot,
                             const void *value, size_t len)
{
    if (!doc || (len > 0 && !value))
        return xc_fail(XC_INVALID_ARGUMENT, "document or value is NULL");
    if (slot == XC_NO_SLOT)
        return xc_fail(XC_INVALID_ARGUMENT, "invalid value slot");
    return xc_try([&] {
        if (len == 0)
            doc->doc.remove_value(slot);
        else
            doc->doc.add_value(
                slot, std::string(static_cast<const char *>(value), len));
    });
}

xc_status_t xc_doc_get_value(xc_doc_t *doc, xc_valueno_t slot,
                             const char **value, size_t *len)
{
    if (!doc || !value)
        return xc_fail(XC_INVALID_ARGUMENT, "document or value is NULL");
    *value = nullptr;
    return xc_try([&] {
        doc->buf = doc->doc.get_value(slot);
        *value = doc->buf.c_str();
        if (len)
            *len = doc->buf.size();
    });
}

xc_status_t xc_doc_set_data(xc_doc_t *doc, const void *data, size_t len)
{
    if (!doc || (len > 0 && !data))
        return xc_fail(XC_INVALID_ARGUMENT, "document or data is NULL");
    return xc_try([&] {
        doc->doc.set_data(std::string(static_cast<const char *>(data), len));
    });
}

xc_status_t xc_doc_get_data(xc_doc_t *doc, const char **data, size_t *len)
{
    if (!doc || !data)
        return xc_fail(XC_INVALID_ARGUMENT, "document or data is NULL");
    *data = nullptr;
    return xc_try([&] {
        doc->buf = doc->doc.get_data();
        *data = doc->buf.c_str();
        if (len)
            *len = doc->buf.size();
    });
}
