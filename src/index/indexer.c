/*
 * The indexer: articles into Xapian documents (schema in byline/index.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/analysis.h"
#include "index/manifest.h"
#include "index/schema.h"
#include "util/xc_map.h"
#include "xapian-c/xapian-c.h"

/* Xapian refuses terms longer than 245 bytes; keep well under. */
#define MAX_TERM 240

struct bl_indexer {
    xc_db_t *db;
    bl_analyzer_t *analyzer;
    char path[4096];
    char file_term[24];     /* XF<hash> of the file being indexed, or "". */
    char *file_path;        /* Its path. */
    unsigned long file_articles;
    uint64_t *seen;         /* Hashes of the files seen in this run. */
    size_t nseen, seen_cap;
};

/* State for adding one field's tokens to a document. */
typedef struct field_ctx {
    xc_doc_t *doc;
    xc_termcount_t wdf;   /* wdf per occurrence. */
    const char *field;    /* Extra prefix for a field term, or NULL. */
    xc_status_t rc;
} field_ctx_t;

/* Add one token as Z<stem> with its position (and <field><stem>). */
static int add_token(const bl_token_t *tok, void *p)
{
    field_ctx_t *c = p;
    char term[MAX_TERM + 8];
    if (tok->stem_len + 2 > MAX_TERM)
        return 0;
    term[0] = 'Z';
    memcpy(term + 1, tok->stem, tok->stem_len);
    c->rc = xc_doc_add_posting(c->doc, term, tok->stem_len + 1, tok->pos,
                               c->wdf);
    if (c->rc == XC_OK && c->field) {
        size_t fl = strlen(c->field);
        memcpy(term + 1, c->field, fl);
        memcpy(term + 1 + fl, tok->stem, tok->stem_len);
        c->rc = xc_doc_add_term(c->doc, term, 1 + fl + tok->stem_len, 1);
    }
    return c->rc != XC_OK;
}

/* Add TEXT's tokens from position *POS on; *POS moves past them. */
static bl_status_t add_text(bl_indexer_t *ix, xc_doc_t *doc, const char *text,
                            xc_termcount_t wdf, const char *field,
                            uint32_t *pos)
{
    field_ctx_t c = {doc, wdf, field, XC_OK};
    if (!text)
        return BL_OK;
    bl_status_t rc = bl_analyze(ix->analyzer, text, strlen(text), *pos,
                                add_token, &c, pos);
    if (c.rc != XC_OK)
        return bl_from_xc(c.rc, "adding a term");
    return rc == BL_END ? BL_OK : rc;
}

/* 64-bit FNV-1a of S, for ids too long to be terms.  Cannot fail. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* The unique-id term of ID into TERM (MAX_TERM + 1 bytes). */
static void id_term(const char *id, char *term)
{
    if (strlen(id) + 1 <= MAX_TERM)
        snprintf(term, MAX_TERM + 1, "Q%s", id);
    else
        snprintf(term, MAX_TERM + 1, "Q#%016llx%.200s",
                 (unsigned long long)fnv1a(id), id);
}

/* Add PREFIX + VALUE (lower-cased, cut to fit) as a boolean term. */
static xc_status_t add_bool(xc_doc_t *doc, const char *prefix,
                            const char *value)
{
    char term[MAX_TERM + 1];
    size_t n = (size_t)snprintf(term, sizeof term, "%s%s", prefix, value);
    if (n >= sizeof term)
        n = sizeof term - 1;
    for (size_t i = strlen(prefix); i < n; i++) {
        if (term[i] >= 'A' && term[i] <= 'Z')
            term[i] = (char)(term[i] + ('a' - 'A'));
    }
    /* Cutting may split a UTF-8 character: drop its orphan bytes. */
    while (n > strlen(prefix) && ((unsigned char)term[n - 1] & 0xc0) == 0x80)
        n--;
    if (n > strlen(prefix) && (unsigned char)term[n - 1] >= 0xc0)
        n--;
    return xc_doc_add_boolean_term(doc, term, n);
}

/* Add the date terms and value for an ISO date (YYYY-MM-DD). */
static xc_status_t add_date(xc_doc_t *doc, const char *iso)
{
    char term[16], ser[18];
    xc_status_t rc;
    if (!iso || strlen(iso) != 10)
        return XC_OK;
    snprintf(term, sizeof term, "D%.4s%.2s%.2s", iso, iso + 5, iso + 8);
    rc = xc_doc_add_boolean_term(doc, term, XC_NTS);
    if (rc == XC_OK) {
        term[7] = '\0';
        term[0] = 'M';
        rc = xc_doc_add_boolean_term(doc, term, XC_NTS);
    }
    if (rc == XC_OK) {
        term[5] = '\0';
        term[0] = 'Y';
        rc = xc_doc_add_boolean_term(doc, term, XC_NTS);
    }
    if (rc == XC_OK) {
        double ymd = atof(iso) * 10000 + atof(iso + 5) * 100 + atof(iso + 8);
        size_t n = xc_sortable_serialise(ymd, ser);
        rc = xc_doc_set_value(doc, BL_SLOT_DATE, ser, n);
    }
    return rc;
}

bl_status_t bl_indexer_open(const char *path, const bl_index_options_t *opts,
                            bl_indexer_t **out)
{
    bl_indexer_t *ix = NULL;
    char *lang = NULL;
    bl_analyzer_options_t ao;
    bl_status_t rc;
    xc_status_t xr;
    *out = NULL;
    if (!path || !*path || strlen(path) >= sizeof ix->path)
        return bl_fail(BL_EARG, "no index path given");
    ix = calloc(1, sizeof *ix);
    if (!ix)
        return bl_fail(BL_ENOMEM, "out of memory");
    snprintf(ix->path, sizeof ix->path, "%s", path);
    xr = xc_db_open_writable(path,
                             opts && opts->overwrite
                                 ? XC_DB_CREATE_OR_OVERWRITE
                                 : XC_DB_CREATE_OR_OPEN,
                             0, &ix->db);
    rc = bl_from_xc(xr, path);
    if (rc == BL_OK)
        rc = bl_schema_read(ix->db, path, &lang, &ao);
    if (rc != BL_OK)
        goto fail;
    if (!lang) {
        /* A new index takes the options it is given. */
        ao.language = opts && opts->language ? opts->language : "english";
        ao.fold_accents = opts && opts->fold_accents;
        ao.stopwords = opts && opts->stopwords;
    }
    rc = bl_analyzer_new_with(&ao, &ix->analyzer);
    if (rc == BL_OK && !lang)
        rc = bl_schema_write(ix->db, path, &ao);
    if (rc != BL_OK)
        goto fail;
    free(lang);
    *out = ix;
    return BL_OK;
fail:
    free(lang);
    bl_analyzer_free(ix->analyzer);
    xc_db_free(ix->db);
    free(ix);
    return rc;
}

const char *bl_indexer_language(const bl_indexer_t *ix)
{
    return bl_analyzer_language(ix->analyzer);
}

const bl_analyzer_t *bl_indexer_analyzer(const bl_indexer_t *ix)
{
    return ix->analyzer;
}

bl_status_t bl_indexer_add(bl_indexer_t *ix, const bl_article_t *a)
{
    xc_doc_t *doc = NULL;
    char *data = NULL;
    size_t dlen = 0;
    char qterm[MAX_TERM + 1];
    uint32_t pos = 1;
    bl_status_t rc;
    if (!a->id || !*a->id)
        return bl_fail(BL_EARG, "article has no id");
    rc = bl_from_xc(xc_doc_new(&doc), "new document");
    if (rc == BL_OK)
        rc = add_text(ix, doc, a->title, BL_TITLE_WDF, "S", &pos);
    pos += BL_POS_GAP;
    if (rc == BL_OK)
        rc = add_text(ix, doc, a->caption, 1, NULL, &pos);
    pos += BL_POS_GAP;
    if (rc == BL_OK)
        rc = add_text(ix, doc, a->body, 1, NULL, &pos);
    id_term(a->id, qterm);
    xc_status_t xr = rc == BL_OK ? xc_doc_add_boolean_term(doc, qterm, XC_NTS)
                                 : XC_OK;
    if (xr == XC_OK && a->author && *a->author)
        xr = add_bool(doc, "A", a->author);
    if (xr == XC_OK && a->path && strlen(a->path) + 1 <= MAX_TERM) {
        char pterm[MAX_TERM + 1];
        snprintf(pterm, sizeof pterm, "P%s", a->path);
        xr = xc_doc_add_boolean_term(doc, pterm, XC_NTS);
    }
    if (xr == XC_OK && a->url && strlen(a->url) + 1 <= MAX_TERM) {
        char uterm[MAX_TERM + 1];
        snprintf(uterm, sizeof uterm, "U%s", a->url);
        xr = xc_doc_add_boolean_term(doc, uterm, XC_NTS);
    }
    if (xr == XC_OK && a->source && *a->source)
        xr = add_bool(doc, "XS", a->source);
    for (size_t i = 0; xr == XC_OK && i < a->ncategories; i++)
        xr = add_bool(doc, "K", a->categories[i]);
    if (xr == XC_OK)
        xr = add_date(doc, a->date);
    if (xr == XC_OK)
        xr = add_bool(doc, "L", bl_analyzer_language(ix->analyzer));
    if (xr == XC_OK && ix->file_term[0])
        xr = xc_doc_add_boolean_term(doc, ix->file_term, XC_NTS);
    if (rc == BL_OK)
        rc = bl_from_xc(xr, "building a document");
    if (rc == BL_OK)
        rc = bl_docdata_encode(a, &data, &dlen);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_doc_set_data(doc, data, dlen), "storing fields");
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_replace_document_by_term(ix->db, qterm, doc,
                                                       NULL),
                        ix->path);
    free(data);
    xc_doc_free(doc);
    if (rc == BL_OK)
        ix->file_articles++;
    return rc;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

bl_status_t bl_indexer_file_check(bl_indexer_t *ix, const char *path,
                                  uint64_t size, int64_t mtime,
                                  bl_file_state_t *state,
                                  bl_file_entry_t *old)
{
    bl_file_entry_t e;
    if (ix->nseen == ix->seen_cap) {
        size_t nc = ix->seen_cap ? ix->seen_cap * 2 : 1024;
        uint64_t *ns = realloc(ix->seen, nc * sizeof *ns);
        if (!ns)
            return bl_fail(BL_ENOMEM, "out of memory");
        ix->seen = ns;
        ix->seen_cap = nc;
    }
    ix->seen[ix->nseen++] = bl_manifest_hash(path, strlen(path));
    bl_status_t rc = bl_manifest_get(ix->db, path, &e);
    if (old)
        *old = e;
    if (rc == BL_ENOTFOUND) {
        *state = BL_FILE_NEW;
        return BL_OK;
    }
    if (rc != BL_OK) {
        *state = BL_FILE_NEW;
        return rc;
    }
    *state = e.size == size && e.mtime == mtime ? BL_FILE_UNCHANGED
                                                : BL_FILE_CHANGED;
    return BL_OK;
}

bl_status_t bl_indexer_file_touch(bl_indexer_t *ix, const char *path,
                                  const bl_file_entry_t *e)
{
    return bl_manifest_put(ix->db, path, e);
}

bl_status_t bl_indexer_file_begin(bl_indexer_t *ix, const char *path)
{
    char *p = strdup(path);
    if (!p)
        return bl_fail(BL_ENOMEM, "out of memory");
    free(ix->file_path);
    ix->file_path = p;
    ix->file_articles = 0;
    bl_manifest_term(path, ix->file_term);
    return bl_from_xc(xc_db_delete_document_by_term(ix->db, ix->file_term),
                      ix->path);
}

bl_status_t bl_indexer_file_end(bl_indexer_t *ix, const bl_file_entry_t *e)
{
    bl_status_t rc = BL_OK;
    if (ix->file_path) {
        bl_file_entry_t entry = *e;
        entry.articles = ix->file_articles;
        rc = bl_manifest_put(ix->db, ix->file_path, &entry);
    }
    free(ix->file_path);
    ix->file_path = NULL;
    ix->file_term[0] = '\0';
    return rc;
}

typedef struct unseen {
    bl_indexer_t *ix;
    const char *const *roots;
    size_t nroots;
    unsigned long removed;
} unseen_t;

/* Remove PATH if it lies under a root and was not seen. */
static bl_status_t remove_if_unseen(const char *path, void *p)
{
    unseen_t *u = p;
    uint64_t h = bl_manifest_hash(path, strlen(path));
    if (u->ix->nseen && bsearch(&h, u->ix->seen, u->ix->nseen, sizeof h,
                                 cmp_u64))
        return BL_OK;
    for (size_t i = 0; i < u->nroots; i++) {
        size_t n = strlen(u->roots[i]);
        if (strncmp(path, u->roots[i], n) == 0 &&
            (path[n] == '\0' || path[n] == '/' ||
             (n > 0 && u->roots[i][n - 1] == '/'))) {
            u->removed++;
            return bl_manifest_remove(u->ix->db, path);
        }
    }
    return BL_OK;
}

bl_status_t bl_indexer_remove_unseen(bl_indexer_t *ix,
                                     const char *const *roots, size_t n,
                                     unsigned long *files)
{
    unseen_t u = {ix, roots, n, 0};
    if (ix->nseen > 1)
        qsort(ix->seen, ix->nseen, sizeof ix->seen[0], cmp_u64);
    bl_status_t rc = bl_manifest_each(ix->db, remove_if_unseen, &u);
    if (files)
        *files = u.removed;
    return rc;
}

bl_status_t bl_indexer_commit(bl_indexer_t *ix)
{
    return bl_from_xc(xc_db_commit(ix->db), ix->path);
}

bl_status_t bl_indexer_close(bl_indexer_t *ix)
{
    bl_status_t rc = BL_OK;
    if (!ix)
        return BL_OK;
    rc = bl_indexer_commit(ix);
    free(ix->file_path);
    free(ix->seen);
    bl_analyzer_free(ix->analyzer);
    xc_db_free(ix->db);
    free(ix);
    return rc;
}
