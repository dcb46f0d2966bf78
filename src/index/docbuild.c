/*
 * Building one Xapian document from one article.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "index/docbuild.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/index.h"
#include "util/hash.h"
#include "schema/xc_map.h"
#include "util/fail.h"

/* State for adding one field's tokens to a document. */
typedef struct field_ctx {
    xc_doc_t *doc;
    xc_termcount_t wdf;   /* wdf per occurrence. */
    const char *field;    /* Extra prefix for a field term, or NULL. */
    int exact;            /* Add E<word> too (bl_analyzer_exact_forms()). */
    xc_status_t rc;
    /* The body's min-hash of word shingles (near-duplicate key). */
    int shingles;         /* Compute it. */
    uint64_t ring[BL_SHINGLE_WORDS];
    unsigned words;
    uint64_t minhash;
} field_ctx_t;

/* Fold the token into the shingle min-hash: every run of
 * BL_SHINGLE_WORDS stems hashes to one value, the smallest is kept.  Two
 * reprints of a story that share most of their shingles most likely share
 * the smallest: the probability is their resemblance (Broder's min-wise
 * hashing). */
static void shingle(field_ctx_t *c, const bl_token_t *tok)
{
    if (tok->flags & BL_TOKEN_VARIANT)
        return;
    c->ring[c->words % BL_SHINGLE_WORDS] = bl_fnv1a(tok->stem, tok->stem_len);
    c->words++;
    if (c->words < BL_SHINGLE_WORDS)
        return;
    /* FNV-1a's steps over whole words rather than bytes, each followed
     * by a shift that brings the high bits down: not bl_fnv1a() of the
     * words' bytes, and kept as it is, since the index holds its values
     * (the near-duplicate key). */
    uint64_t h = BL_FNV64_BASIS;
    for (unsigned i = 0; i < BL_SHINGLE_WORDS; i++) {
        h ^= c->ring[(c->words + i) % BL_SHINGLE_WORDS];
        h *= BL_FNV64_PRIME;
        h ^= h >> 29;
    }
    if (c->words == BL_SHINGLE_WORDS || h < c->minhash)
        c->minhash = h;
}

/* Add one token as Z<stem> with its position (and <field><stem>). */
static int add_token(const bl_token_t *tok, void *p)
{
    field_ctx_t *c = p;
    char term[BL_MAX_TERM + 8];
    if (c->shingles)
        shingle(c, tok);
    if (tok->stem_len + 2 > BL_MAX_TERM)
        return 0;
    term[0] = BL_PREFIX_STEM[0];
    memcpy(term + 1, tok->stem, tok->stem_len);
    c->rc = xc_doc_add_posting(c->doc, term, tok->stem_len + 1, tok->pos,
                               c->wdf);
    /* The word as written, for quoted words: no positions (a quoted
     * phrase is matched by its stems' positions, its words' forms
     * required besides), so the index grows by a postings list, not a
     * second positional one. */
    if (c->rc == XC_OK && c->exact && tok->word_len + 2 <= BL_MAX_TERM) {
        char exact[BL_MAX_TERM + 8];
        exact[0] = BL_PREFIX_EXACT[0];
        memcpy(exact + 1, tok->word, tok->word_len);
        c->rc = xc_doc_add_term(c->doc, exact, tok->word_len + 1, c->wdf);
    }
    if (c->rc == XC_OK && c->field) {
        size_t fl = strlen(c->field);
        memcpy(term + 1, c->field, fl);
        memcpy(term + 1 + fl, tok->stem, tok->stem_len);
        c->rc = xc_doc_add_term(c->doc, term, 1 + fl + tok->stem_len, 1);
    }
    return c->rc != XC_OK;
}

/* Add TEXT's tokens from position *POS on; *POS moves past them. */
static bl_status_t add_text(bl_analyzer_t *an, xc_doc_t *doc,
                            const char *text,
                            xc_termcount_t wdf, const char *field,
                            uint32_t *pos, uint64_t *minhash)
{
    field_ctx_t c;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.wdf = wdf;
    c.field = field;
    c.shingles = minhash != NULL;
    c.exact = bl_analyzer_exact_forms(an);
    if (!text)
        return BL_OK;
    bl_status_t rc = bl_analyze(an, text, strlen(text), *pos,
                                add_token, &c, pos);
    if (c.rc != XC_OK)
        return bl_from_xc(c.rc, "adding a term");
    /* Short texts resemble each other too easily to be called reprints. */
    if (minhash && c.words >= BL_DUP_MIN_WORDS)
        *minhash = c.minhash;
    return rc == BL_END ? BL_OK : rc;
}

/* Add PREFIX + VALUE (folded: bl_fold_value(), cut to fit) as a boolean
 * term. */
static xc_status_t add_bool(xc_doc_t *doc, const char *prefix,
                            const char *value)
{
    char term[BL_MAX_TERM + 1];
    size_t pl = strlen(prefix);
    memcpy(term, prefix, pl);
    size_t n = bl_fold_value(value, strlen(value), term + pl,
                             sizeof term - pl);
    return xc_doc_add_boolean_term(doc, term, pl + n);
}

typedef struct words_ctx {
    xc_doc_t *doc;
    const char *prefix;
    xc_status_t rc;
} words_ctx_t;

/* Add PREFIX + the folded (unstemmed) word of one token. */
static int add_word(const bl_token_t *tok, void *p)
{
    words_ctx_t *c = p;
    char term[BL_MAX_TERM + 1];
    size_t pl = strlen(c->prefix);
    if (pl + tok->word_len > BL_MAX_TERM)
        return 0;
    memcpy(term, c->prefix, pl);
    memcpy(term + pl, tok->word, tok->word_len);
    c->rc = xc_doc_add_boolean_term(c->doc, term, pl + tok->word_len);
    return c->rc != XC_OK;
}

/* Add each word of TEXT as a boolean term PREFIX<word> (author:vance).
 * Returns BL_OK, or as bl_analyze() and the binding fail. */
static bl_status_t add_words(bl_analyzer_t *an, xc_doc_t *doc,
                             const char *prefix, const char *text)
{
    words_ctx_t c = {doc, prefix, XC_OK};
    bl_status_t rc = bl_analyze(an, text, strlen(text), 1, add_word, &c,
                                NULL);
    if (c.rc != XC_OK)
        return bl_from_xc(c.rc, "adding a term");
    return rc == BL_END ? BL_OK : rc;
}

/* Set value SLOT to the string V (if any), cut to BL_MAX_VALUE bytes. */
static xc_status_t set_value(xc_doc_t *doc, unsigned slot, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0)
        return XC_OK;
    if (n > BL_MAX_VALUE) {
        n = BL_MAX_VALUE;
        while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
            n--; /* Not inside a character. */
    }
    return xc_doc_set_value(doc, slot, v, n);
}

/* The values facets count (year, author, source, categories) and the
 * near-duplicate key (MINHASH, 0 when the body is too short). */
static xc_status_t add_facet_values(xc_doc_t *doc, const bl_article_t *a,
                                    uint64_t minhash)
{
    char key[17];
    xc_status_t rc = XC_OK;
    if (minhash) {
        snprintf(key, sizeof key, "%016llx", (unsigned long long)minhash);
        rc = xc_doc_set_value(doc, BL_SLOT_DUP, key, 16);
    }
    if (rc == XC_OK && a->date && strlen(a->date) >= 4)
        rc = xc_doc_set_value(doc, BL_SLOT_YEAR, a->date, 4);
    if (rc == XC_OK)
        rc = set_value(doc, BL_SLOT_AUTHOR, a->author);
    if (rc == XC_OK)
        rc = set_value(doc, BL_SLOT_SOURCE, a->source);
    for (size_t i = 0; rc == XC_OK && i < a->ncategories &&
                       i < BL_CATEGORY_SLOTS;
         i++)
        rc = set_value(doc, BL_SLOT_CATEGORY + (unsigned)i,
                       a->categories[i]);
    return rc;
}

/* Store the summary value (BL_SLOT_SUMMARY) of article A, whose
 * near-duplicate key is MINHASH: result lists read it, a few hundred
 * bytes that Xapian keeps uncompressed, instead of inflating the document
 * data.  Too large a summary is left out (readers then use the data).
 * Returns BL_OK or BL_ENOMEM. */
static bl_status_t add_summary(xc_doc_t *doc, const bl_article_t *a,
                               uint64_t minhash)
{
    bl_article_t head = *a;
    char *rec = NULL, *v = NULL;
    size_t len = 0;
    head.body = NULL;
    bl_status_t rc = bl_docdata_encode(&head, &rec, &len);
    if (rc != BL_OK || len + 16 > BL_MAX_SUMMARY) {
        free(rec);
        return rc;
    }
    v = malloc(len + 17);
    if (!v)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc == BL_OK) {
        snprintf(v, 17, "%016llx", (unsigned long long)minhash);
        memcpy(v + 16, rec, len);
        rc = bl_from_xc(xc_doc_set_value(doc, BL_SLOT_SUMMARY, v, len + 16),
                        "storing the summary");
    }
    free(v);
    free(rec);
    return rc;
}

/* Add the date terms and value for an ISO date (YYYY-MM-DD). */
static xc_status_t add_date(xc_doc_t *doc, const char *iso)
{
    char term[16], ser[18];
    xc_status_t rc;
    if (!iso || strlen(iso) != 10)
        return XC_OK;
    snprintf(term, sizeof term, BL_PREFIX_DAY "%.4s%.2s%.2s", iso, iso + 5,
             iso + 8);
    rc = xc_doc_add_boolean_term(doc, term, XC_NTS);
    if (rc == XC_OK) {
        term[7] = '\0';
        term[0] = BL_PREFIX_MONTH[0];
        rc = xc_doc_add_boolean_term(doc, term, XC_NTS);
    }
    if (rc == XC_OK) {
        term[5] = '\0';
        term[0] = BL_PREFIX_YEAR[0];
        rc = xc_doc_add_boolean_term(doc, term, XC_NTS);
    }
    if (rc == XC_OK) {
        double ymd = atof(iso) * 10000 + atof(iso + 5) * 100 + atof(iso + 8);
        size_t n = xc_sortable_serialise(ymd, ser);
        rc = xc_doc_set_value(doc, BL_SLOT_DATE, ser, n);
    }
    return rc;
}

bl_status_t bl_doc_build(bl_analyzer_t *an, const bl_article_t *a,
                         const char *file_term, xc_doc_t **out, char *qterm)
{
    xc_doc_t *doc = NULL;
    char *data = NULL;
    size_t dlen = 0;
    uint32_t pos = 1;
    uint64_t minhash = 0;
    bl_status_t rc;
    *out = NULL;
    if (!a->id || !*a->id)
        return bl_fail(BL_EARG, "article has no id");
    rc = bl_from_xc(xc_doc_new(&doc), "new document");
    if (rc == BL_OK)
        rc = add_text(an, doc, a->title, BL_TITLE_WDF, BL_FIELD_TITLE, &pos,
                      NULL);
    pos += BL_POS_GAP;
    if (rc == BL_OK)
        rc = add_text(an, doc, a->caption, 1, NULL, &pos, NULL);
    pos += BL_POS_GAP;
    if (rc == BL_OK)
        rc = add_text(an, doc, a->body, 1, NULL, &pos, &minhash);
    bl_id_term(a->id, qterm);
    xc_status_t xr = rc == BL_OK ? xc_doc_add_boolean_term(doc, qterm, XC_NTS)
                                 : XC_OK;
    if (xr == XC_OK && a->author && *a->author)
        xr = add_bool(doc, BL_PREFIX_AUTHOR, a->author);
    if (xr == XC_OK && rc == BL_OK && a->author && *a->author)
        rc = add_words(an, doc, BL_PREFIX_AUTHOR_WORD, a->author);
    if (xr == XC_OK && a->path && strlen(a->path) + 1 <= BL_MAX_TERM) {
        char pterm[BL_MAX_TERM + 1];
        snprintf(pterm, sizeof pterm, BL_PREFIX_PATH "%s", a->path);
        xr = xc_doc_add_boolean_term(doc, pterm, XC_NTS);
    }
    if (xr == XC_OK && a->url && strlen(a->url) + 1 <= BL_MAX_TERM) {
        char uterm[BL_MAX_TERM + 1];
        snprintf(uterm, sizeof uterm, BL_PREFIX_URL "%s", a->url);
        xr = xc_doc_add_boolean_term(doc, uterm, XC_NTS);
    }
    if (xr == XC_OK && a->source && *a->source)
        xr = add_bool(doc, BL_PREFIX_SOURCE, a->source);
    for (size_t i = 0; xr == XC_OK && i < a->ncategories; i++)
        xr = add_bool(doc, BL_PREFIX_CATEGORY, a->categories[i]);
    if (xr == XC_OK)
        xr = add_date(doc, a->date);
    if (xr == XC_OK)
        xr = add_facet_values(doc, a, minhash);
    if (xr == XC_OK)
        xr = add_bool(doc, BL_PREFIX_LANGUAGE, bl_analyzer_language(an));
    if (xr == XC_OK && file_term && *file_term)
        xr = xc_doc_add_boolean_term(doc, file_term, XC_NTS);
    if (rc == BL_OK)
        rc = bl_from_xc(xr, "building a document");
    if (rc == BL_OK)
        rc = bl_docdata_encode(a, &data, &dlen);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_doc_set_data(doc, data, dlen), "storing fields");
    free(data);
    if (rc == BL_OK)
        rc = add_summary(doc, a, minhash);
    if (rc != BL_OK) {
        xc_doc_free(doc);
        return rc;
    }
    *out = doc;
    return BL_OK;
}
