/*
 * The Atom feed of a search: its newest articles, for a feed reader.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE /* memmem() */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "page_internal.h"

#include "byline/output.h"

/* Text for XML (the feed): as for HTML, which escapes XML's five, and
 * U+FFFE and U+FFFF, which XML does not allow, as U+FFFD. */
static void xml_str(FILE *f, const char *s, size_t max)
{
    char *m = NULL;
    size_t len = 0;
    FILE *t = open_memstream(&m, &len);
    if (!t)
        return;
    html_cut(t, s ? s : "", max);
    fclose(t);
    for (size_t i = 0; m && i < len; i++) {
        if (i + 2 < len && (unsigned char)m[i] == 0xef &&
            (unsigned char)m[i + 1] == 0xbf &&
            ((unsigned char)m[i + 2] == 0xbe ||
             (unsigned char)m[i + 2] == 0xbf))
            m[i + 2] = (char)0xbd;
    }
    if (m)
        fwrite(m, 1, len, f);
    free(m);
}

/* An RFC 3339 time for article date D ("1987-02-26..."), or the epoch. */
static void atom_time(FILE *f, const char *d)
{
    unsigned long ymd = 0;
    char day[11] = "";
    if (d && strlen(d) >= 10)
        snprintf(day, sizeof day, "%.10s", d);
    if (!*day || bl_date_parse(day, 0, &ymd) != BL_OK)
        snprintf(day, sizeof day, "1970-01-01");
    fprintf(f, "%sT00:00:00Z", day);
}

void page_feed(FILE *f, const page_req_t *r, const bl_results_t *res,
               const char *base)
{
    fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
          "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Byline: ",
          f);
    xml_str(f, *r->q ? r->q : "every article", SHOW_CHARS);
    fputs("</title>\n<id>", f);
    xml_str(f, base, 200);
    search_href(f, r, "/feed", r->q, 0, NULL, NULL);
    fputs("</id>\n<link rel=\"self\" href=\"", f);
    xml_str(f, base, 200);
    search_href(f, r, "/feed", r->q, 0, NULL, NULL);
    fputs("\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"", f);
    xml_str(f, base, 200);
    search_href(f, r, "/", r->q, 0, NULL, NULL);
    fputs("\"/>\n<updated>", f);
    atom_time(f, res && res->nhits ? res->hits[0].article.date : NULL);
    fputs("</updated>\n<author><name>Byline</name></author>\n"
          "<generator>Byline</generator>\n", f);
    for (size_t i = 0; res && i < res->nhits; i++) {
        const bl_hit_t *h = &res->hits[i];
        const bl_article_t *a = &h->article;
        fputs("<entry>\n<title>", f);
        xml_str(f, a->title && *a->title ? a->title : "(untitled)", 1000);
        fputs("</title>\n<id>", f);
        xml_str(f, base, 200);
        article_href(f, NULL, a->id);
        fputs("</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"",
              f);
        xml_str(f, base, 200);
        article_href(f, NULL, a->id);
        fputs("\"/>\n<updated>", f);
        atom_time(f, a->date);
        fputs("</updated>\n", f);
        if (a->author && *a->author) {
            fputs("<author><name>", f);
            xml_str(f, a->author, SHOW_CHARS);
            fputs("</name></author>\n", f);
        }
        if (h->npassages) {
            fputs("<summary>", f);
            xml_str(f, h->passages[0].text, 2000);
            fputs("</summary>\n", f);
        }
        fputs("</entry>\n", f);
    }
    fputs("</feed>\n", f);
}
