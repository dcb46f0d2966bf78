/*
 * Facets: the values of a field over every match, counted.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/searcher_internal.h"

#include "byline/schema.h"
#include "schema/xc_map.h"
#include "util/array.h"
#include "util/fail.h"

static const char *const FACET_NAMES[BL_NFACETS] = {
    "year", "author", "source", "category", "day"};
static const unsigned FACET_SLOTS[BL_NFACETS] = {
    BL_SLOT_YEAR, BL_SLOT_AUTHOR, BL_SLOT_SOURCE, BL_SLOT_CATEGORY,
    BL_SLOT_DATE};

bl_status_t bl_facets_parse(const char *list, unsigned *facets)
{
    *facets = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ","), k = 0;
        while (k < BL_NFACETS && !(strlen(FACET_NAMES[k]) == len &&
                                   strncmp(p, FACET_NAMES[k], len) == 0))
            k++;
        if (k == BL_NFACETS)
            return bl_fail(BL_EARG, "expected year, author, source, "
                                    "category or day, not '%.*s'",
                           (int)len, p);
        *facets |= 1u << k;
        p += len + (p[len] == ',');
    }
    if (!*facets)
        return bl_fail(BL_EARG, "name at least one of year, author, "
                                "source, category");
    return BL_OK;
}

void facet_slots(unsigned f, unsigned *first, unsigned *n)
{
    *first = FACET_SLOTS[f];
    *n = FACET_SLOTS[f] == BL_SLOT_CATEGORY ? BL_CATEGORY_SLOTS : 1;
}

static int by_count(const void *a, const void *b)
{
    const bl_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* (Categories have several slots, whose counts add up.) */
bl_status_t read_facet(xc_mset_t *ms, unsigned f, const unsigned *spy,
                       unsigned max, bl_facet_t *out)
{
    unsigned first = 0, nslots = 0;
    facet_slots(f, &first, &nslots);
    bl_facet_value_t *v = NULL;
    size_t n = 0, cap = 0;
    bl_status_t rc = BL_OK;
    out->field = FACET_NAMES[f];
    for (unsigned k = 0; rc == BL_OK && k < nslots; k++) {
        xc_termit_t *it = NULL;
        xc_doccount_t total = 0;
        rc = bl_from_xc(xc_mset_facet(ms, spy[k], 0, &total, &it), "facet");
        if (k == 0)
            out->total = total;
        xc_status_t xr = XC_OK;
        while (rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
            size_t len = 0;
            const char *val = xc_termit_term(it, &len);
            unsigned c = xc_termit_termfreq(it);
            char day[16];
            if (FACET_SLOTS[f] == BL_SLOT_DATE) { /* YYYYMMDD, sortable. */
                unsigned long d =
                    (unsigned long)xc_sortable_unserialise(val, len);
                snprintf(day, sizeof day, "%04lu-%02lu-%02lu",
                         d / 10000 % 10000, d / 100 % 100, d % 100);
                val = day;
                len = strlen(day);
            }
            size_t i = 0;
            while (i < n && !(strlen(v[i].value) == len &&
                              memcmp(v[i].value, val, len) == 0))
                i++;
            if (i < n) {
                v[i].count += c;
                continue;
            }
            bl_facet_value_t *nv = bl_grow(v, &cap, n + 1, sizeof *nv, 16);
            if (!nv) {
                rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            v = nv;
            v[n].value = strndup(val, len);
            v[n].count = c;
            if (!v[n].value)
                rc = bl_fail(BL_ENOMEM, "out of memory");
            else
                n++;
        }
        if (rc == BL_OK && xr != XC_END)
            rc = bl_from_xc(xr, "facet");
        xc_termit_free(it);
    }
    if (n > 1)
        qsort(v, n, sizeof *v, by_count);
    while (n > max) {
        free(v[n - 1].value);
        n--;
    }
    out->values = v;
    out->n = n;
    return rc;
}
