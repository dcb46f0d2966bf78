/*
 * byline-serve's page, rendered on the server (it works without
 * JavaScript).  Every article field is untrusted: it goes out through
 * html_text()/html_str() (element text and attribute values) or url_arg()
 * (a query-string argument), never raw.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE /* memmem() */
#include "serve.h"

#include "byline/output.h"

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
            if ((unsigned char)s[i] >= 0x80) {
                size_t n = bl_char_len(s + i, len - i);
                if (n) { /* A character, whole. */
                    i += n - 1;
                    continue;
                }
                esc = "\xef\xbf\xbd"; /* Not UTF-8: U+FFFD. */
            }
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

void html_cut(FILE *f, const char *s, size_t max)
{
    size_t len = s ? strlen(s) : 0, at = 0;
    for (size_t n = 0; at < len && n < max; n++) {
        size_t k = bl_char_len(s + at, len - at);
        at += k ? k : 1;
    }
    html_text(f, s, at);
    if (at < len)
        fputs("…", f);
}

/* Longest a value from an article is shown in a list (characters). */
#define SHOW_CHARS 120

/* Element text from an article, isolated from the text around it for
 * bidirectional text (a right-to-left override in an author reorders
 * nothing outside it), cut at MAX characters. */
static void field(FILE *f, const char *s, size_t max)
{
    fputs("<bdi>", f);
    html_cut(f, s, max);
    fputs("</bdi>", f);
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
            field(f, parts[i], SHOW_CHARS);
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

/* Text with the N spans HL marked (<mark>), escaped.  Spans are taken in
 * order; whatever of a span lies before the text already written or past
 * LEN is left out (a span is never trusted to fit). */
static void marked(FILE *f, const char *text, size_t len, const bl_span_t *hl,
                   size_t n)
{
    size_t at = 0;
    for (size_t i = 0; hl && i < n; i++) {
        size_t b = hl[i].start > at ? hl[i].start : at;
        size_t e = hl[i].end < len ? hl[i].end : len;
        if (b >= e)
            continue;
        html_text(f, text + at, b - at);
        fputs("<mark>", f);
        html_text(f, text + b, e - b);
        fputs("</mark>", f);
        at = e;
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

void page_req_init(page_req_t *r)
{
    memset(r, 0, sizeof *r);
    r->q = "";
    r->sort = "relevance";
    r->limit = 10;
    r->passages = -1;
    r->max_offset = 10000;
}

/* The settings of R other than the query, the order and the offset, as
 * hidden fields of the search form (a new search keeps them). */
static void hidden(FILE *f, const char *name, const char *value)
{
    fprintf(f, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    html_str(f, value);
    fputs("\">", f);
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
    fputs("</select>", f);
    if (r && r->match)
        hidden(f, "match", r->match);
    if (r && r->expand)
        hidden(f, "expand", r->expand);
    if (r && r->show_dups)
        hidden(f, "duplicates", "show");
    char n[16];
    if (r && r->limit != 10) {
        snprintf(n, sizeof n, "%u", r->limit);
        hidden(f, "limit", n);
    }
    if (r && r->passages >= 0) {
        snprintf(n, sizeof n, "%d", r->passages);
        hidden(f, "passages", n);
    }
    fputs("<button type=\"submit\">Search</button></form></header>\n", f);
}

/* A link to the search page for query Q at OFFSET with every other
 * setting of R (near-duplicates shown if SHOW_DUPS). */
static void search_href(FILE *f, const page_req_t *r, const char *q,
                        unsigned offset, int show_dups)
{
    fputs("/?q=", f);
    url_arg(f, q);
    if (r->sort && strcmp(r->sort, "relevance") != 0) {
        fputs("&amp;sort=", f);
        url_arg(f, r->sort);
    }
    if (r->match) {
        fputs("&amp;match=", f);
        url_arg(f, r->match);
    }
    if (r->expand) {
        fputs("&amp;expand=", f);
        url_arg(f, r->expand);
    }
    if (r->passages >= 0)
        fprintf(f, "&amp;passages=%d", r->passages);
    if (r->limit != 10)
        fprintf(f, "&amp;limit=%u", r->limit);
    if (show_dups)
        fputs("&amp;duplicates=show", f);
    if (offset)
        fprintf(f, "&amp;offset=%u", offset);
}

/* The query Q with the filter FIELD:"VALUE" added (VALUE quoted in the
 * query language: \" and \\ inside the quotes), in a malloc'ed string,
 * or NULL when out of memory. */
static char *with_filter(const char *q, const char *field, const char *value)
{
    size_t n = strlen(q) + strlen(field) + 2 * strlen(value) + 8;
    char *s = malloc(n);
    if (!s)
        return NULL;
    size_t at = (size_t)snprintf(s, n, "%s%s%s:\"", q, *q ? " " : "", field);
    for (const char *v = value; *v; v++) {
        if (*v == '"' || *v == '\\')
            s[at++] = '\\';
        s[at++] = *v;
    }
    s[at++] = '"';
    s[at] = '\0';
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
            field(f, fc->values[i].value, SHOW_CHARS / 3);
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
    if (bw < 1)
        bw = 1;
    fputs("<figure class=\"timeline\"><figcaption>Matches per year"
          "</figcaption><svg role=\"img\" aria-label=\"Matches per "
          "year\" viewBox=\"0 0 600 80\" preserveAspectRatio=\"xMinYMid "
          "meet\" xmlns=\"http://www.w3.org/2000/svg\">", f);
    for (size_t i = 0; i < fc->n; i++) {
        unsigned h = (unsigned)(60ull * v[i].count / max);
        if (h < 1)
            h = 1;
        char *fq = with_filter(r->q, "year", v[i].value);
        if (!fq)
            continue;
        fputs("<a href=\"", f);
        search_href(f, r, fq, 0, r->show_dups);
        fputs("\"><title>", f);
        html_cut(f, v[i].value, 16);
        fprintf(f, ": %u</title><rect x=\"%zu\" y=\"%u\" width=\"%u\" "
                   "height=\"%u\"></rect>",
                v[i].count, i * bw + 1, 62 - h, bw > 2 ? bw - 2 : 1, h);
        if (fc->n <= 16 || i % (fc->n / 8 + 1) == 0) {
            fprintf(f, "<text x=\"%zu\" y=\"76\">", i * bw + 1);
            html_cut(f, v[i].value, 16);
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
    fputs("<article class=\"hit\"><h2 dir=\"auto\"><a href=\"/article/", f);
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
        fputs("<p class=\"passage\" dir=\"auto\">", f);
        if (p->cut_before)
            fputs("… ", f);
        marked(f, p->text, strlen(p->text), p->hl, p->nhl);
        if (p->cut_after)
            fputs(" …", f);
        fputs("</p>", f);
    }
    fputs("</article>\n", f);
}

/* Previous and Next: Next exactly when the page after this one has hits
 * and the server answers its offset. */
static void pages(FILE *f, const page_req_t *r, const bl_results_t *res)
{
    unsigned step = r->limit ? r->limit : 10;
    unsigned long next = (unsigned long)r->offset + step;
    int has_next = res->nhits == step && next < res->matches_lower &&
                   next <= r->max_offset;
    if (r->offset == 0 && !has_next)
        return;
    fputs("<nav class=\"pages\" aria-label=\"Pages\">", f);
    if (r->offset > 0) {
        fputs("<a rel=\"prev\" href=\"", f);
        search_href(f, r, r->q, r->offset > step ? r->offset - step : 0,
                    r->show_dups);
        fputs("\">Previous</a>", f);
    }
    if (has_next) {
        fputs("<a rel=\"next\" href=\"", f);
        search_href(f, r, r->q, (unsigned)next, r->show_dups);
        fputs("\">Next</a>", f);
    }
    fputs("</nav>", f);
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
        if (r->note) {
            fputs("<p class=\"note\" role=\"status\">", f);
            html_str(f, r->note);
            fputs("</p>", f);
        }
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
        pages(f, r, res);
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

void page_article(FILE *f, const bl_article_view_t *v,
                  const bl_results_t *like, const char *q)
{
    const bl_article_t *a = &v->article;
    page_req_t r;
    page_req_init(&r);
    r.q = q ? q : "";
    head(f, a->title && *a->title ? a->title : "(untitled)");
    search_form(f, &r);
    fputs("<main><article class=\"full\"><h1 dir=\"auto\">", f);
    const char *title = a->title && *a->title ? a->title : "(untitled)";
    marked(f, title, strlen(title), a->title ? v->title_hl : NULL,
           a->title ? v->ntitle_hl : 0);
    fputs("</h1><p class=\"meta\">", f);
    meta(f, a);
    fputs("</p>", f);
    const char *body = a->body ? a->body : "";
    paragraphs(f, body, strlen(body), v->body_hl, v->body_hl ? v->nbody_hl : 0);
    fputs("</article>", f);
    if (like && like->nhits) {
        fputs("<aside aria-label=\"More like this\"><h2>More like this</h2>"
              "<ul>", f);
        for (size_t i = 0; i < like->nhits; i++) {
            const bl_article_t *o = &like->hits[i].article;
            fputs("<li><a href=\"/article/", f);
            url_arg(f, o->id);
            fputs("\">", f);
            field(f, o->title && *o->title ? o->title : o->id, SHOW_CHARS);
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
