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
#include "page_internal.h"

#include "byline/output.h"

#include <stdlib.h>
#include <strings.h>
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


/* Element text from an article, isolated from the text around it for
 * bidirectional text (a right-to-left override in an author reorders
 * nothing outside it), cut at MAX characters. */
void field(FILE *f, const char *s, size_t max)
{
    fputs("<bdi>", f);
    html_cut(f, s, max);
    fputs("</bdi>", f);
}
/* An article's author, date and source, escaped, joined by " · " (those
 * it has); non-zero if it wrote any. */
int meta(FILE *f, const bl_article_t *a)
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
void marked(FILE *f, const char *text, size_t len, const bl_span_t *hl,
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

static int every_word(const page_req_t *r);

void head(FILE *f, const char *title, const page_req_t *feed)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\"><title>", f);
    html_str(f, title);
    fputs("</title><link rel=\"stylesheet\" href=\"/static/style.css\">", f);
    if (feed) {
        fputs("<link rel=\"alternate\" type=\"application/atom+xml\" "
              "title=\"New articles for this search\" href=\"", f);
        search_href(f, feed, "/feed", feed->q, 0, NULL, NULL);
        fputs("\">", f);
    }
    fputs("<script src=\"/static/app.js\" defer></script></head><body>\n"
          "<a class=\"skip\" href=\"#results\">Skip to the results</a>\n",
          f);
}

void page_req_init(page_req_t *r)
{
    memset(r, 0, sizeof *r);
    r->q = "";
    r->sort = BL_SORT_RELEVANCE;
    r->match = r->expand = r->quotes = -1;
    r->limit = 10;
    r->passages = -1;
    r->max_offset = 10000;
}

/* A hidden field of the search form (a new search keeps it). */
static void hidden(FILE *f, const char *name, const char *value)
{
    if (!value)
        return;
    fprintf(f, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    html_str(f, value);
    fputs("\">", f);
}

/* Non-zero if R lists only articles with every word: asked, or sorted by
 * date without asking for any word. */
static int every_word(const page_req_t *r)
{
    if (r->match >= 0)
        return r->match;
    return r->sort != BL_SORT_RELEVANCE;
}

void search_form(FILE *f, const page_req_t *r)
{
    page_req_t none;
    if (!r) {
        page_req_init(&none);
        r = &none;
    }
    fputs("<header><a class=\"brand\" href=\"/\">Byline</a>"
          "<form class=\"search\" action=\"/\" method=\"get\" "
          "role=\"search\"><div class=\"row\"><label for=\"q\">Search the "
          "archive</label><input type=\"search\" id=\"q\" name=\"q\" "
          "value=\"", f);
    html_str(f, r->q);
    fputs("\" placeholder=\"harbor strike  &quot;a phrase&quot;  "
          "(press /)\" autocomplete=\"off\" aria-describedby=\"syntax\">"
          "<button type=\"submit\">Search</button></div>"
          "<div class=\"row options\"><label for=\"sort\">Order</label>"
          "<select id=\"sort\" name=\"sort\">", f);
    static const char *const SORTS[] = {[BL_SORT_RELEVANCE] = "Best match",
                                        [BL_SORT_DATE] = "Newest first",
                                        [BL_SORT_DATE_ASC] = "Oldest first"};
    for (int i = 0; i < 3; i++)
        fprintf(f, "<option value=\"%s\"%s>%s</option>",
                bl_option_word(BL_OPTION_SORT, i),
                (int)r->sort == i ? " selected" : "", SORTS[i]);
    int all = every_word(r);
    fprintf(f, "</select><fieldset class=\"match\"><legend>Words</legend>"
               "<label><input type=\"radio\" name=\"match\" value=\"all\"%s>"
               " all</label><label><input type=\"radio\" name=\"match\" "
               "value=\"any\"%s> any</label></fieldset>",
            all ? " checked" : "", all ? "" : " checked");
    fputs("<label for=\"from\">From</label><input id=\"from\" name=\"from\" "
          "inputmode=\"numeric\" size=\"10\" placeholder=\"YYYY-MM-DD\" "
          "value=\"", f);
    html_str(f, r->from ? r->from : "");
    fputs("\"><label for=\"to\">to</label><input id=\"to\" name=\"to\" "
          "inputmode=\"numeric\" size=\"10\" placeholder=\"YYYY-MM-DD\" "
          "value=\"", f);
    html_str(f, r->to ? r->to : "");
    fputs("\"></div>", f);
    hidden(f, "author", r->author);
    hidden(f, "source", r->source);
    hidden(f, "category", r->category);
    hidden(f, "expand", bl_option_word(BL_OPTION_EXPAND, r->expand));
    hidden(f, "quotes", bl_option_word(BL_OPTION_QUOTES, r->quotes));
    if (r->show_dups)
        hidden(f, "duplicates", "show");
    char n[16];
    if (r->limit != 10) {
        snprintf(n, sizeof n, "%u", r->limit);
        hidden(f, "limit", n);
    }
    if (r->passages >= 0) {
        snprintf(n, sizeof n, "%d", r->passages);
        hidden(f, "passages", n);
    }
    fputs("</form></header>\n", f);
}

/* A link to PATH ("/", "/feed") for query Q at OFFSET with every other
 * setting of R; OVERRIDE names one setting ("author", "from+to", ...)
 * given VALUE instead (NULL: dropped). */
static void search_href_with(FILE *f, const page_req_t *r, const char *path,
                             const char *q, unsigned offset,
                             const char *override, const char *value,
                             const char *value2)
{
    struct {
        const char *name, *value;
    } set[] = {{"sort", r->sort != BL_SORT_RELEVANCE
                            ? bl_option_word(BL_OPTION_SORT, (int)r->sort)
                            : NULL},
               {"match", r->match >= 0 || every_word(r)
                             ? bl_option_word(BL_OPTION_MATCH, every_word(r))
                             : NULL},
               {"expand", bl_option_word(BL_OPTION_EXPAND, r->expand)},
               {"quotes", bl_option_word(BL_OPTION_QUOTES, r->quotes)},
               {"from", r->from},
               {"to", r->to},
               {"author", r->author},
               {"source", r->source},
               {"category", r->category},
               {"duplicates", r->show_dups ? "show" : NULL}};
    size_t n = sizeof set / sizeof set[0];
    for (size_t i = 0; override && i < n; i++) {
        if (strcmp(override, "from+to") == 0) {
            if (strcmp(set[i].name, "from") == 0)
                set[i].value = value;
            if (strcmp(set[i].name, "to") == 0)
                set[i].value = value2;
        } else if (strcmp(override, set[i].name) == 0) {
            set[i].value = value;
        }
    }
    fputs(path, f);
    fputs("?q=", f);
    url_arg(f, q);
    for (size_t i = 0; i < n; i++) {
        if (!set[i].value)
            continue;
        fprintf(f, "&amp;%s=", set[i].name);
        url_arg(f, set[i].value);
    }
    if (r->passages >= 0)
        fprintf(f, "&amp;passages=%d", r->passages);
    if (r->limit != 10)
        fprintf(f, "&amp;limit=%u", r->limit);
    if (offset)
        fprintf(f, "&amp;offset=%u", offset);
}

void search_href(FILE *f, const page_req_t *r, const char *path,
                        const char *q, unsigned offset, const char *override,
                        const char *value)
{
    search_href_with(f, r, path, q, offset, override, value, NULL);
}

/* The filters of R as chips, each a link that removes it. */
static void chips(FILE *f, const page_req_t *r)
{
    static const char *const NAMES[][2] = {{"author", "Author"},
                                           {"source", "Source"},
                                           {"category", "Category"}};
    const char *values[] = {r->author, r->source, r->category};
    int any = r->from || r->to;
    for (size_t i = 0; i < 3; i++)
        any |= values[i] != NULL;
    if (!any)
        return;
    fputs("<ul class=\"chips\" aria-label=\"Active filters\">", f);
    for (size_t i = 0; i < 3; i++) {
        if (!values[i])
            continue;
        fputs("<li><a href=\"", f);
        search_href(f, r, "/", r->q, 0, NAMES[i][0], NULL);
        fprintf(f, "\" aria-label=\"Remove the filter %s: ", NAMES[i][1]);
        html_cut(f, values[i], SHOW_CHARS / 3);
        fprintf(f, "\">%s: ", NAMES[i][1]);
        field(f, values[i], SHOW_CHARS / 3);
        fputs(" <span aria-hidden=\"true\">×</span></a></li>", f);
    }
    if (r->from || r->to) {
        fputs("<li><a href=\"", f);
        search_href_with(f, r, "/", r->q, 0, "from+to", NULL, NULL);
        fputs("\" aria-label=\"Remove the dates\">Dates: ", f);
        html_cut(f, r->from ? r->from : "…", 10);
        fputs(" – ", f);
        html_cut(f, r->to ? r->to : "…", 10);
        fputs(" <span aria-hidden=\"true\">×</span></a></li>", f);
    }
    fputs("</ul>", f);
}

static void facets(FILE *f, const page_req_t *r, const bl_results_t *res)
{
    static const char *const LABEL[] = {"Year", "Author", "Source",
                                        "Category"};
    static const char *const FIELD[] = {"year", "author", "source",
                                        "category"};
    fputs("<aside id=\"filters\" aria-label=\"Filter the results\">", f);
    for (size_t k = 0; k < res->nfacets; k++) {
        const bl_facet_t *fc = &res->facets[k];
        size_t w = 0;
        while (w < 4 && strcmp(fc->field, FIELD[w]) != 0)
            w++;
        if (w == 4 || fc->n == 0)
            continue;
        fprintf(f, "<h2>%s</h2><ul>", LABEL[w]);
        for (size_t i = 0; i < fc->n; i++) {
            const char *v = fc->values[i].value;
            fputs("<li><a href=\"", f);
            if (w == 0)
                search_href_with(f, r, "/", r->q, 0, "from+to", v, v);
            else
                search_href(f, r, "/", r->q, 0, FIELD[w], v);
            fputs("\">", f);
            field(f, v, SHOW_CHARS / 3);
            fprintf(f, "</a><span class=\"count\">%u</span></li>",
                    fc->values[i].count);
        }
        fputs("</ul>", f);
    }
    fputs("</aside>\n", f);
}

int page_timeline_unit(const page_req_t *r)
{
    if (!r->from || !r->to || strlen(r->from) < 4 || strlen(r->to) < 4 ||
        strncmp(r->from, r->to, 4) != 0)
        return 'y';
    if (strlen(r->from) >= 7 && strlen(r->to) >= 7 &&
        strncmp(r->from, r->to, 7) == 0)
        return 'd';
    return 'm';
}

/* A period of the timeline: its label ("1987", "1987-03", "1987-03-04")
 * and count. */
typedef struct period {
    char key[12];
    unsigned count;
} period_t;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const period_t *)a)->key, ((const period_t *)b)->key);
}

/* The periods of facet FC at UNIT, every one between the first and the
 * last (empty ones as gaps), at most MAX, into P; their number. */
static size_t periods(const bl_facet_t *fc, int unit, const page_req_t *r,
                      period_t *p, size_t max)
{
    size_t n = 0, keylen = unit == 'y' ? 4 : unit == 'm' ? 7 : 10;
    for (size_t i = 0; i < fc->n; i++) {
        const char *v = fc->values[i].value;
        if (strlen(v) < keylen)
            continue;
        size_t k = 0;
        while (k < n && strncmp(p[k].key, v, keylen) != 0)
            k++;
        if (k == n) {
            if (n == max)
                continue;
            snprintf(p[n].key, sizeof p[n].key, "%.*s", (int)keylen, v);
            p[n++].count = 0;
        }
        p[k].count += fc->values[i].count;
    }
    qsort(p, n, sizeof *p, by_key);
    /* The gaps: every year between, every month of the year, every day
     * of the month. */
    period_t *all = malloc(max * sizeof *all);
    size_t m = 0;
    if (!all || n == 0) {
        free(all);
        return n;
    }
    unsigned y0 = (unsigned)atoi(p[0].key), y1 = (unsigned)atoi(p[n - 1].key);
    if (unit == 'y') {
        for (unsigned y = y0; y <= y1 && m < max; y++)
            snprintf(all[m++].key, sizeof all[0].key, "%04u", y);
    } else if (unit == 'm') {
        for (unsigned mo = 1; mo <= 12; mo++)
            snprintf(all[m++].key, sizeof all[0].key, "%.4s-%02u", r->from,
                     mo);
    } else {
        unsigned long last = 0;
        char month[8];
        snprintf(month, sizeof month, "%.7s", r->from);
        if (bl_date_parse(month, 1, &last) != BL_OK)
            last = 31;
        for (unsigned d = 1; d <= last % 100 && m < max; d++)
            snprintf(all[m++].key, sizeof all[0].key, "%.7s-%02u", r->from,
                     d);
    }
    for (size_t i = 0, k = 0; i < m; i++) {
        all[i].count = 0;
        while (k < n && strcmp(p[k].key, all[i].key) < 0)
            k++;
        if (k < n && strcmp(p[k].key, all[i].key) == 0)
            all[i].count = p[k].count;
    }
    memcpy(p, all, m * sizeof *p);
    free(all);
    return m;
}

/* Matches per year (or per month of a year, per day of a month) as an
 * SVG bar chart with gaps for empty periods; each bar filters to its
 * period (a year's bar drills down to its months, a month's to its
 * days). */
static void timeline(FILE *f, const page_req_t *r, const bl_results_t *t)
{
    int unit = page_timeline_unit(r);
    const char *want = unit == 'y' ? "year" : "day";
    const bl_facet_t *fc = NULL;
    for (size_t k = 0; t && k < t->nfacets; k++) {
        if (strcmp(t->facets[k].field, want) == 0)
            fc = &t->facets[k];
    }
    if (!fc || fc->n == 0)
        return;
    size_t max = 200;
    period_t *p = malloc(max * sizeof *p);
    if (!p)
        return;
    size_t n = periods(fc, unit, r, p, max);
    if (n < 2 && unit == 'y') {
        free(p);
        return;
    }
    unsigned top = 1;
    for (size_t i = 0; i < n; i++)
        top = p[i].count > top ? p[i].count : top;
    unsigned bw = 600 / (unsigned)(n ? n : 1);
    if (bw > 40)
        bw = 40;
    if (bw < 1)
        bw = 1;
    const char *what = unit == 'y' ? "year" : unit == 'm' ? "month" : "day";
    fprintf(f, "<figure class=\"timeline\"><figcaption>Matches per %s", what);
    if (unit != 'y') {
        fputs(" · <a href=\"", f);
        if (unit == 'd') {
            char y[8];
            snprintf(y, sizeof y, "%.4s", r->from);
            search_href_with(f, r, "/", r->q, 0, "from+to", y, y);
            fprintf(f, "\">all of %s</a> · <a href=\"", y);
        }
        search_href_with(f, r, "/", r->q, 0, "from+to", NULL, NULL);
        fputs("\">every year</a>", f);
    }
    fprintf(f, "</figcaption><svg role=\"list\" aria-label=\"Matches per %s"
               "\" viewBox=\"0 0 600 80\" preserveAspectRatio=\"xMinYMid "
               "meet\" xmlns=\"http://www.w3.org/2000/svg\">", what);
    for (size_t i = 0; i < n; i++) {
        unsigned h = p[i].count ? (unsigned)(60ull * p[i].count / top) : 0;
        if (p[i].count && h < 1)
            h = 1;
        fprintf(f, "<a role=\"listitem\" aria-label=\"%s: %u\" href=\"",
                p[i].key, p[i].count);
        search_href_with(f, r, "/", r->q, 0, "from+to", p[i].key, p[i].key);
        fprintf(f, "\"><title>%s: %u</title><rect class=\"slot\" x=\"%zu\" "
                   "y=\"0\" width=\"%u\" height=\"62\"></rect>"
                   "<rect x=\"%zu\" y=\"%u\" width=\"%u\" height=\"%u\">"
                   "</rect>",
                p[i].key, p[i].count, i * bw, bw, i * bw + 1, 62 - h,
                bw > 2 ? bw - 2 : 1, h);
        size_t every = n <= 16 ? 1 : n / 8 + 1;
        if (i % every == 0)
            fprintf(f, "<text x=\"%zu\" y=\"76\">%s</text>", i * bw + 1,
                    p[i].key + (unit == 'y' ? 0 : unit == 'm' ? 5 : 8));
        fputs("</a>", f);
    }
    fputs("</svg></figure>\n", f);
    free(p);
}

/* The link to article ID from the results R (NULL: none; the article
 * view links back to them): /article/ID?q=...&... */
void article_href(FILE *f, const page_req_t *r, const char *id)
{
    fputs("/article/", f);
    url_arg(f, id);
    if (r)
        search_href(f, r, "", r->q, r->offset, NULL, NULL);
}

static void hit(FILE *f, const page_req_t *r, const bl_hit_t *h)
{
    const bl_article_t *a = &h->article;
    const char *title = a->title && *a->title ? a->title : "(untitled)";
    fputs("<article class=\"hit\"><h2 dir=\"auto\"><a href=\"", f);
    article_href(f, r, a->id);
    fputs("\">", f);
    marked(f, title, strlen(title), a->title ? h->title_hl : NULL,
           a->title ? h->ntitle_hl : 0);
    fputs("</a></h2><p class=\"meta\">", f);
    int sep = meta(f, a);
    if (h->duplicates) {
        page_req_t all = *r;
        all.show_dups = 1;
        fputs(sep ? " · " : "", f);
        fputs("<a href=\"", f);
        search_href(f, &all, "/", r->q, 0, NULL, NULL);
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

/* N with thousands separated ("3,707") into BUF. */
static const char *thousands(unsigned long n, char buf[32])
{
    char d[24];
    int len = snprintf(d, sizeof d, "%lu", n), o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = d[i];
    }
    buf[o] = '\0';
    return buf;
}

/* Previous, numbered pages and Next: Next exactly when the page after
 * this one has hits and the server answers its offset. */
static void pages(FILE *f, const page_req_t *r, const bl_results_t *res)
{
    unsigned step = r->limit ? r->limit : 10;
    unsigned long next = (unsigned long)r->offset + step;
    int has_next = res->nhits == step && next < res->matches_lower &&
                   next <= r->max_offset;
    if (r->offset == 0 && !has_next)
        return;
    /* The pages there surely are, within the offsets answered. */
    unsigned long total = res->matches_lower;
    if (total > (unsigned long)r->max_offset + step)
        total = (unsigned long)r->max_offset + step;
    unsigned long npages = (total + step - 1) / step, cur = r->offset / step;
    if (cur >= npages)
        npages = cur + 1;
    fputs("<nav class=\"pages\" aria-label=\"Pages\"><ul>", f);
    if (r->offset > 0) {
        fputs("<li><a rel=\"prev\" href=\"", f);
        search_href(f, r, "/", r->q, r->offset > step ? r->offset - step : 0,
                    NULL, NULL);
        fputs("\">Previous</a></li>", f);
    }
    unsigned long lo = cur > 3 ? cur - 3 : 0, hi = cur + 4;
    if (hi > npages)
        hi = npages;
    if (lo > 0) {
        fputs("<li><a href=\"", f);
        search_href(f, r, "/", r->q, 0, NULL, NULL);
        fputs("\">1</a></li>", f);
        if (lo > 1)
            fputs("<li aria-hidden=\"true\">…</li>", f);
    }
    for (unsigned long pg = lo; pg < hi; pg++) {
        if (pg == cur && r->offset % step == 0) {
            fprintf(f, "<li><span aria-current=\"page\">%lu</span></li>",
                    pg + 1);
            continue;
        }
        fputs("<li><a href=\"", f);
        search_href(f, r, "/", r->q, (unsigned)(pg * step), NULL, NULL);
        fprintf(f, "\" aria-label=\"Page %lu\">%lu</a></li>", pg + 1, pg + 1);
    }
    if (has_next) {
        fputs("<li><a rel=\"next\" href=\"", f);
        search_href(f, r, "/", r->q, (unsigned)next, NULL, NULL);
        fputs("\">Next</a></li>", f);
    }
    fputs("</ul></nav>", f);
}

/* The words and syntax help under the search box (the home page, and a
 * search that found nothing). */
static void syntax_help(FILE *f)
{
    fputs("<p id=\"syntax\" class=\"help\">Words, &quot;exact phrases&quot;, "
          "+required -excluded, a AND b, a OR b, a NOT b (or AND NOT), "
          "immig*, title:, author:, source:, category:, date:2019-03 or "
          "year:2016..2018.</p>", f);
}

/* "Did you mean" RES's spelling suggestion, as a link (BEFORE and AFTER
 * around it), if it has one. */
static void suggestion(FILE *f, const page_req_t *r, const bl_results_t *res,
                       const char *before, const char *after)
{
    if (!res->suggestion)
        return;
    fputs(before, f);
    fputs("<a href=\"", f);
    search_href(f, r, "/", res->suggestion, 0, NULL, NULL);
    fputs("\">", f);
    html_str(f, res->suggestion);
    fputs("</a>", f);
    fputs(after, f);
}

/* What to try when nothing was found. */
static void nothing_found(FILE *f, const page_req_t *r,
                          const bl_results_t *res)
{
    fputs("<div class=\"none\"><p>Nothing matches.</p><ul>", f);
    suggestion(f, r, res, "<li>Did you mean ", "?</li>");
    if (r->author || r->source || r->category || r->from || r->to)
        fputs("<li>Remove a filter (above).</li>", f);
    if (every_word(r)) {
        page_req_t any = *r;
        any.match = 0;
        fputs("<li><a href=\"", f);
        search_href(f, &any, "/", r->q, 0, NULL, NULL);
        fputs("\">Any of the words</a> instead of all of them.</li>", f);
    }
    fputs("<li>Fewer or other words; a word's beginning with *.</li></ul>",
          f);
    syntax_help(f);
    fputs("</div>", f);
}

void page_search(FILE *f, const page_req_t *r, const bl_results_t *res,
                 const bl_results_t *tl, const char *error)
{
    head(f, r->q && *r->q ? r->q : "Byline", res ? r : NULL);
    search_form(f, r);
    fputs("<main>", f);
    if (res)
        facets(f, r, res);
    fputs("<section id=\"results\" aria-live=\"polite\">", f);
    chips(f, r);
    if (error) {
        fputs("<p class=\"error\" role=\"alert\">", f);
        html_str(f, error);
        fputs("</p>", f);
    }
    char a[32], b[32], c[32];
    if (res && res->nhits) {
        int exact = res->matches_lower == res->matches_upper;
        fprintf(f, "<h1 class=\"summary\">Results %s–%s of %s%s",
                thousands(r->offset + 1UL, a),
                thousands(r->offset + (unsigned long)res->nhits, b),
                exact ? "" : "about ", thousands(res->matches_estimated, c));
        /* The facets counted every matching article: an exact number,
         * reprints included. */
        if (res->nfacets && !r->show_dups &&
            res->facets[0].total != res->matches_estimated)
            fprintf(f, " <small>(%s articles: reprints of a story are "
                       "listed once)</small>",
                    thousands(res->facets[0].total, c));
        fputs("</h1>", f);
    } else if (res) {
        fputs("<h1 class=\"summary\">No results</h1>", f);
    }
    /* (An export refuses to lack a shard: no link to it then.) */
    if (res && res->nhits && !res->nfailed) {
        fputs("<p class=\"tools\"><a href=\"", f);
        search_href(f, r, "/api/v1/export", r->q, 0, NULL, NULL);
        fputs("&amp;format=csv\" download>Download CSV</a> (every result) · "
              "<a href=\"", f);
        search_href(f, r, "/feed", r->q, 0, NULL, NULL);
        fputs("\">Feed of new articles for this search</a> (Atom)</p>", f);
    }
    if (res && r->note) {
        fputs("<p class=\"note\" role=\"status\">", f);
        html_str(f, r->note);
        fputs("</p>", f);
    }
    if (res && res->nhits == 0) {
        nothing_found(f, r, res);
    } else if (res) {
        suggestion(f, r, res, "<p>Did you mean: ", "?</p>");
        timeline(f, r, tl);
        for (size_t i = 0; i < res->nhits; i++)
            hit(f, r, &res->hits[i]);
        pages(f, r, res);
    } else if (!error) {
        fputs("<h1 class=\"summary\">Search the archive</h1>", f);
        if (r->articles) {
            fprintf(f, "<p>%s articles", thousands(r->articles, a));
            if (r->first && r->last) {
                fputs(", dated ", f);
                html_cut(f, r->first, 10);
                fputs(" to ", f);
                html_cut(f, r->last, 10);
            }
            fputs(".</p>", f);
        }
        syntax_help(f);
    }
    fputs("</section></main></body></html>\n", f);
}

void page_error(FILE *f, int status, const char *message)
{
    head(f, "Byline", NULL);
    search_form(f, NULL);
    fprintf(f, "<main><section><h1>%d</h1><p class=\"error\">", status);
    html_str(f, message);
    fputs("</p></section></main></body></html>\n", f);
}
