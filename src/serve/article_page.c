/*
 * The article view: one article, whole, its paragraphs with the words of
 * the search marked (every span clipped to its paragraph), its links.
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

/* BODY (LEN bytes) as paragraphs at blank lines, the N spans HL (byte
 * offsets into BODY, in text order) marked.  A span that crosses a
 * paragraph break is marked on each side of it. */
static void paragraphs(FILE *f, const char *body, size_t len,
                       const bl_span_t *hl, size_t n)
{
    size_t start = 0, h = 0;
    bl_span_t *rel = n ? malloc(n * sizeof *rel) : NULL;
    for (;;) {
        const char *brk =
            start < len ? memmem(body + start, len - start, "\n\n", 2) : NULL;
        size_t end = brk ? (size_t)(brk - body) : len;
        /* The spans that reach into [start, end), relative to it. */
        while (h < n && hl[h].end <= start)
            h++;
        size_t ns = 0;
        for (size_t i = h; rel && i < n && hl[i].start < end; i++) {
            size_t b = hl[i].start > start ? hl[i].start : start;
            size_t e = hl[i].end < end ? hl[i].end : end;
            if (b < e) {
                rel[ns].start = b - start;
                rel[ns].end = e - start;
                ns++;
            }
        }
        fputs("<p dir=\"auto\">", f);
        marked(f, body + start, end - start, rel, ns);
        fputs("</p>", f);
        if (!brk)
            break;
        start = end + 2;
    }
    free(rel);
}

/* Non-zero if URL is an http or https link with a host (nothing else
 * is linked: not "https://" alone, nor "http:///path"). */
static int web_url(const char *url)
{
    size_t scheme = !url                                   ? 0
                    : strncasecmp(url, "http://", 7) == 0  ? 7
                    : strncasecmp(url, "https://", 8) == 0 ? 8
                                                           : 0;
    return scheme && url[scheme] && url[scheme] != '/' &&
           !strpbrk(url, " \t\r\n\"<>");
}

void page_article(FILE *f, const bl_article_view_t *v,
                  const bl_results_t *like, const page_req_t *from)
{
    const bl_article_t *a = &v->article;
    page_req_t r;
    if (from)
        r = *from;
    else
        page_req_init(&r);
    head(f, a->title && *a->title ? a->title : "(untitled)", NULL);
    search_form(f, &r);
    fputs("<main><article class=\"full\" id=\"results\">", f);
    if (*r.q || r.author || r.source || r.category || r.from || r.to) {
        fputs("<p class=\"back\"><a href=\"", f);
        search_href(f, &r, "/", r.q, r.offset, NULL, NULL);
        fputs("\">← Back to the results</a></p>", f);
    }
    fputs("<h1 dir=\"auto\">", f);
    const char *title = a->title && *a->title ? a->title : "(untitled)";
    marked(f, title, strlen(title), a->title ? v->title_hl : NULL,
           a->title ? v->ntitle_hl : 0);
    fputs("</h1><p class=\"meta\">", f);
    meta(f, a);
    fputs("</p><p class=\"meta links\">", f);
    if (web_url(a->url)) {
        fputs("<a href=\"", f);
        html_str(f, a->url);
        fputs("\" rel=\"noopener noreferrer\">The original</a> · ", f);
    }
    fputs("<a href=\"/article/", f);
    url_arg(f, a->id);
    fputs("\">Permalink</a></p>", f);
    page_req_t plain;
    page_req_init(&plain);
    if ((a->source && *a->source) || a->ncategories) {
        fputs("<ul class=\"tags\" aria-label=\"Source and categories\">", f);
        if (a->source && *a->source) {
            fputs("<li><a href=\"", f);
            search_href(f, &plain, "/", "", 0, "source", a->source);
            fputs("\">Source: ", f);
            field(f, a->source, SHOW_CHARS / 3);
            fputs("</a></li>", f);
        }
        for (size_t i = 0; i < a->ncategories && i < 50; i++) {
            fputs("<li><a href=\"", f);
            search_href(f, &plain, "/", "", 0, "category", a->categories[i]);
            fputs("\">", f);
            field(f, a->categories[i], SHOW_CHARS / 3);
            fputs("</a></li>", f);
        }
        fputs("</ul>", f);
    }
    const char *body = a->body ? a->body : "";
    paragraphs(f, body, strlen(body), v->body_hl, v->body_hl ? v->nbody_hl : 0);
    fputs("</article>", f);
    if (like && like->nhits) {
        fputs("<aside class=\"like\" aria-label=\"More like this\"><h2>More like this</h2>"
              "<ul>", f);
        for (size_t i = 0; i < like->nhits; i++) {
            const bl_article_t *o = &like->hits[i].article;
            fputs("<li><a href=\"/article/", f);
            url_arg(f, o->id);
            fputs("\">", f);
            field(f, o->title && *o->title ? o->title : o->id, SHOW_CHARS);
            fputs("</a>", f);
            if (o->date && *o->date) {
                fputs(" <span class=\"date\">", f);
                field(f, o->date, 10);
                fputs("</span>", f);
            }
            fputs("</li>", f);
        }
        fputs("</ul></aside>", f);
    }
    fputs("</main></body></html>\n", f);
}
