/*
 * byline-serve's page, rendered on the server (it works without
 * JavaScript).  Every article field is untrusted: it goes out through
 * html_text()/html_str() (element text and attribute values) or url_arg()
 * (a query-string argument), never raw.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "serve.h"

#include <stdlib.h>
#include <string.h>

void html_text(FILE *f, const char *s, size_t len)
{
    size_t run = 0; /* Bytes [run, i) go out as they are, in one write. */
    for (size_t i = 0; s && i < len; i++) {
        const char *esc;
        switch (s[i]) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&#39;"; break;
        default:
            esc = (unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t'
                      ? " "
                      : NULL;
        }
        if (!esc)
            continue;
        fwrite(s + run, 1, i - run, f);
        fputs(esc, f);
        run = i + 1;
    }
    if (s)
        fwrite(s + run, 1, len - run, f);
}

void html_str(FILE *f, const char *s)
{
    if (s)
        html_text(f, s, strlen(s));
}

/* An article's author, date and source, escaped, joined by " · " (those
 * it has); non-zero if it wrote any. */
static int meta(FILE *f, const bl_article_t *a)
{
    const char *parts[] = {a->author, a->date, a->source};
    int sep = 0;
    for (size_t i = 0; i < 3; i++) {
        if (parts[i] && *parts[i]) {
            if (sep)
                fputs(" · ", f);
            html_str(f, parts[i]);
            sep = 1;
        }
    }
    return sep;
}

void url_arg(FILE *f, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c;
         c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
            (*c >= '0' && *c <= '9') || strchr("-_.~", *c))
            putc(*c, f);
        else
            fprintf(f, "%%%02X", *c);
    }
}

/* Text with the N spans HL marked (<mark>), escaped. */
static void marked(FILE *f, const char *text, size_t len, const bl_span_t *hl,
                   size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (hl[i].start < at || hl[i].end > len)
            continue;
        html_text(f, text + at, hl[i].start - at);
        fputs("<mark>", f);
        html_text(f, text + hl[i].start, hl[i].end - hl[i].start);
        fputs("</mark>", f);
        at = hl[i].end;
    }
    html_text(f, text + at, len - at);
}

static void head(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\"><title>", f);
    html_str(f, title);
    fputs("</title><link rel=\"stylesheet\" href=\"/static/style.css\">"
          "<script src=\"/static/app.js\" defer></script></head><body>\n",
          f);
}

static void search_form(FILE *f, const page_req_t *r)
{
    fputs("<header><a class=\"brand\" href=\"/\">Byline</a>"
          "<form class=\"search\" action=\"/\" method=\"get\" "
          "role=\"search\"><label for=\"q\">Search the archive</label>"
          "<input type=\"search\" id=\"q\" name=\"q\" value=\"", f);
    html_str(f, r ? r->q : "");
    fputs("\" placeholder=\"harbor strike  &quot;a phrase&quot;  year:2019"
          "  (press /)\" autocomplete=\"off\">"
          "<label for=\"sort\">Order</label><select id=\"sort\" "
          "name=\"sort\">", f);
    static const char *const SORTS[][2] = {{"relevance", "Best match"},
                                           {"date", "Newest first"},
                                           {"date-asc", "Oldest first"}};
    for (size_t i = 0; i < 3; i++)
        fprintf(f, "<option value=\"%s\"%s>%s</option>", SORTS[i][0],
                r && r->sort && strcmp(r->sort, SORTS[i][0]) == 0
                    ? " selected"
                    : "",
                SORTS[i][1]);
    fputs("</select><button type=\"submit\">Search</button></form></header>\n",
          f);
}

/* A link to the search page for query Q with the rest of R's state. */
static void search_href(FILE *f, const page_req_t *r, const char *q,
                        unsigned offset, int show_dups)
{
    fputs("/?q=", f);
    url_arg(f, q);
    if (r->sort && strcmp(r->sort, "relevance") != 0) {
        fputs("&amp;sort=", f);
        url_arg(f, r->sort);
    }
    if (show_dups)
        fputs("&amp;duplicates=show", f);
    if (offset)
        fprintf(f, "&amp;offset=%u", offset);
}

/* The query R->q with the filter FIELD:"VALUE" added, in a malloc'ed
 * string. */
static char *with_filter(const char *q, const char *field, const char *value)
{
    size_t n = strlen(q) + strlen(field) + strlen(value) + 8;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s %s:\"%s\"", q, field, value);
    return s;
}

static void facets(FILE *f, const page_req_t *r, const bl_results_t *res)
{
    static const char *const LABEL[] = {"Year", "Author", "Source",
                                        "Category"};
    static const char *const FIELD[] = {"year", "author", "source",
                                        "category"};
    fputs("<aside aria-label=\"Filter the results\">", f);
    for (size_t k = 0; k < res->nfacets; k++) {
        const bl_facet_t *fc = &res->facets[k];
        size_t w = 0;
        while (w < 4 && strcmp(fc->field, FIELD[w]) != 0)
            w++;
        if (w == 4 || fc->n == 0)
            continue;
        fprintf(f, "<h2>%s</h2><ul>", LABEL[w]);
        for (size_t i = 0; i < fc->n; i++) {
            char *fq = with_filter(r->q, FIELD[w], fc->values[i].value);
            if (!fq)
                continue;
            fputs("<li><a href=\"", f);
            search_href(f, r, fq, 0, r->show_dups);
            fputs("\">", f);
            html_str(f, fc->values[i].value);
            fprintf(f, "</a><span class=\"count\">%u</span></li>",
                    fc->values[i].count);
            free(fq);
        }
        fputs("</ul>", f);
    }
    fputs("</aside>\n", f);
}

static int by_year(const void *a, const void *b)
{
    return strcmp(((const bl_facet_value_t *)a)->value,
                  ((const bl_facet_value_t *)b)->value);
}

/* Matches per year as an SVG bar chart; each bar filters by its year. */
static void timeline(FILE *f, const page_req_t *r, const bl_results_t *t)
{
    const bl_facet_t *fc = NULL;
    for (size_t k = 0; t && k < t->nfacets; k++) {
        if (strcmp(t->facets[k].field, "year") == 0)
            fc = &t->facets[k];
    }
    if (!fc || fc->n < 2)
        return;
    bl_facet_value_t *v = malloc(fc->n * sizeof *v);
    if (!v)
        return;
    memcpy(v, fc->values, fc->n * sizeof *v);
    qsort(v, fc->n, sizeof *v, by_year);
    unsigned max = 1;
    for (size_t i = 0; i < fc->n; i++)
        max = v[i].count > max ? v[i].count : max;
    unsigned bw = 600 / (unsigned)fc->n;
    if (bw > 40)
        bw = 40;
    fputs("<figure class=\"timeline\"><figcaption>Matches per year"
          "</figcaption><svg role=\"img\" aria-label=\"Matches per "
          "year\" viewBox=\"0 0 600 80\" preserveAspectRatio=\"xMinYMid "
          "meet\" xmlns=\"http://www.w3.org/2000/svg\">", f);
    for (size_t i = 0; i < fc->n; i++) {
        unsigned h = 60 * v[i].count / max;
        if (h < 1)
            h = 1;
        char *fq = with_filter(r->q, "year", v[i].value);
        if (!fq)
            continue;
        fputs("<a href=\"", f);
        search_href(f, r, fq, 0, r->show_dups);
        fputs("\"><title>", f);
        html_str(f, v[i].value);
        fprintf(f, ": %u</title><rect x=\"%zu\" y=\"%u\" width=\"%u\" "
                   "height=\"%u\"></rect>",
                v[i].count, i * bw + 1, 62 - h, bw > 2 ? bw - 2 : 1, h);
        if (fc->n <= 16 || i % (fc->n / 8 + 1) == 0) {
            fprintf(f, "<text x=\"%zu\" y=\"76\">", i * bw + 1);
            html_str(f, v[i].value);
            fputs("</text>", f);
        }
        fputs("</a>", f);
        free(fq);
    }
    fputs("</svg></figure>\n", f);
    free(v);
}

static void hit(FILE *f, const page_req_t *r, const bl_hit_t *h)
{
    const bl_article_t *a = &h->article;
    const char *title = a->title && *a->title ? a->title : "(untitled)";
    fputs("<article class=\"hit\"><h2><a href=\"/article/", f);
    url_arg(f, a->id);
    fputs("?q=", f);
    url_arg(f, r->q);
    fputs("\">", f);
    marked(f, title, strlen(title), a->title ? h->title_hl : NULL,
           a->title ? h->ntitle_hl : 0);
    fputs("</a></h2><p class=\"meta\">", f);
    int sep = meta(f, a);
    if (h->duplicates) {
        fputs(sep ? " · " : "", f);
        fputs("<a href=\"", f);
        search_href(f, r, r->q, 0, 1);
        fprintf(f, "\">%u similar</a>", h->duplicates);
    }
    fputs("</p>", f);
    for (size_t k = 0; k < h->npassages; k++) {
        const bl_passage_t *p = &h->passages[k];
        fputs("<p class=\"passage\">", f);
        if (p->cut_before)
            fputs("… ", f);
        marked(f, p->text, strlen(p->text), p->hl, p->nhl);
        if (p->cut_after)
            fputs(" …", f);
        fputs("</p>", f);
    }
    fputs("</article>\n", f);
}

void page_search(FILE *f, const page_req_t *r, const bl_results_t *res,
                 const bl_results_t *tl, const char *error)
{
    head(f, r->q && *r->q ? r->q : "Byline");
    search_form(f, r);
    fputs("<main><section id=\"results\" aria-live=\"polite\">", f);
    if (error) {
        fputs("<p class=\"error\" role=\"alert\">", f);
        html_str(f, error);
        fputs("</p>", f);
    }
    if (res) {
        fputs("<h1 class=\"summary\">", f);
        fprintf(f, "%s%u result%s", res->matches_lower == res->matches_upper
                                        ? ""
                                        : "about ",
                res->matches_estimated,
                res->matches_estimated == 1 ? "" : "s");
        fputs("</h1>", f);
        if (res->suggestion) {
            fputs("<p>Did you mean: <a href=\"", f);
            search_href(f, r, res->suggestion, 0, r->show_dups);
            fputs("\">", f);
            html_str(f, res->suggestion);
            fputs("</a>?</p>", f);
        }
        timeline(f, r, tl);
        for (size_t i = 0; i < res->nhits; i++)
            hit(f, r, &res->hits[i]);
        fputs("<nav class=\"pages\" aria-label=\"Pages\">", f);
        if (r->offset > 0) {
            fputs("<a rel=\"prev\" href=\"", f);
            search_href(f, r, r->q, r->offset > 10 ? r->offset - 10 : 0,
                        r->show_dups);
            fputs("\">Previous</a>", f);
        }
        if (r->offset + res->nhits < res->matches_estimated &&
            res->nhits == 10) {
            fputs("<a rel=\"next\" href=\"", f);
            search_href(f, r, r->q, r->offset + 10, r->show_dups);
            fputs("\">Next</a>", f);
        }
        fputs("</nav>", f);
    } else if (!error) {
        fputs("<h1 class=\"summary\">Search the archive</h1><p>Words, "
              "&quot;phrases&quot;, +required -excluded, title:, author:, "
              "source:, category:, date:2019-03 or year:2016..2018.</p>",
              f);
    }
    fputs("</section>", f);
    if (res)
        facets(f, r, res);
    fputs("</main></body></html>\n", f);
}

void page_article(FILE *f, const bl_article_view_t *v,
                  const bl_results_t *like, const char *q)
{
    const bl_article_t *a = &v->article;
    page_req_t r = {q ? q : "", "relevance", 0, 0};
    head(f, a->title && *a->title ? a->title : "(untitled)");
    search_form(f, &r);
    fputs("<main><article class=\"full\"><h1>", f);
    const char *title = a->title && *a->title ? a->title : "(untitled)";
    marked(f, title, strlen(title), a->title ? v->title_hl : NULL,
           a->title ? v->ntitle_hl : 0);
    fputs("</h1><p class=\"meta\">", f);
    meta(f, a);
    fputs("</p>", f);
    /* Paragraphs at blank lines; every match marked. */
    const char *body = a->body ? a->body : "";
    size_t len = strlen(body), start = 0, h = 0;
    while (start <= len) {
        const char *brk = strstr(body + start, "\n\n");
        size_t end = brk ? (size_t)(brk - body) : len;
        fputs("<p>", f);
        size_t n0 = h;
        while (h < v->nbody_hl && v->body_hl[h].end <= end)
            h++;
        bl_span_t *spans = v->body_hl ? v->body_hl + n0 : NULL;
        size_t ns = h - n0;
        /* Spans relative to the paragraph. */
        bl_span_t *rel = ns ? malloc(ns * sizeof *rel) : NULL;
        for (size_t i = 0; rel && i < ns; i++) {
            rel[i].start = spans[i].start - start;
            rel[i].end = spans[i].end - start;
        }
        marked(f, body + start, end - start, rel, rel ? ns : 0);
        free(rel);
        fputs("</p>", f);
        if (!brk)
            break;
        start = end + 2;
    }
    fputs("</article>", f);
    if (like && like->nhits) {
        fputs("<aside aria-label=\"More like this\"><h2>More like this</h2>"
              "<ul>", f);
        for (size_t i = 0; i < like->nhits; i++) {
            const bl_article_t *o = &like->hits[i].article;
            fputs("<li><a href=\"/article/", f);
            url_arg(f, o->id);
            fputs("\">", f);
            html_str(f, o->title && *o->title ? o->title : o->id);
            fputs("</a></li>", f);
        }
        fputs("</ul></aside>", f);
    }
    fputs("</main></body></html>\n", f);
}

void page_error(FILE *f, int status, const char *message)
{
    head(f, "Byline");
    search_form(f, NULL);
    fprintf(f, "<main><section><h1>%d</h1><p class=\"error\">", status);
    html_str(f, message);
    fputs("</p></section></main></body></html>\n", f);
}
