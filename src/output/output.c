/*
 * Result writers (see byline/output.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/output.h"

#include <stdlib.h>
#include <string.h>

#include "byline/eval.h"
#include "util/utf8.h"

size_t bl_char_len(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if ((unsigned char)*s < 0x80)
        return 1;
    return bl_utf8_seq_len((const unsigned char *)s, n);
}

int bl_json_stringn(FILE *f, const char *s, size_t len)
{
    if (!s)
        return fputs("null", f) < 0 ? -1 : 0;
    putc('"', f);
    size_t run = 0; /* Bytes [run, i) go out as they are, in one write. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        size_t skip = 0;
        char u[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '<': esc = "\\u003c"; break;
        case '>': esc = "\\u003e"; break;
        case '&': esc = "\\u0026"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(u, sizeof u, "\\u%04x", c);
                esc = u;
            } else if (c == 0xe2 && i + 2 < len &&
                       (unsigned char)s[i + 1] == 0x80 &&
                       ((unsigned char)s[i + 2] == 0xa8 ||
                        (unsigned char)s[i + 2] == 0xa9)) {
                /* U+2028 and U+2029 end a line in JavaScript. */
                esc = (unsigned char)s[i + 2] == 0xa8 ? "\\u2028"
                                                      : "\\u2029";
                skip = 2;
            } else if (c >= 0x80) {
                size_t n = bl_char_len(s + i, len - i);
                if (n) /* A character, whole. */
                    i += n - 1;
                else /* Not UTF-8: JSON holds none. */
                    esc = "\\ufffd";
            }
        }
        if (!esc)
            continue;
        fwrite(s + run, 1, i - run, f);
        fputs(esc, f);
        i += skip;
        run = i + 1;
    }
    fwrite(s + run, 1, len - run, f);
    return putc('"', f) == EOF ? -1 : 0;
}

int bl_json_string(FILE *f, const char *s)
{
    return bl_json_stringn(f, s, s ? strlen(s) : 0);
}

int bl_json_spans(FILE *f, const bl_span_t *hl, size_t n)
{
    putc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s[%zu,%zu]", i ? "," : "", hl[i].start, hl[i].end);
    return putc(']', f) == EOF ? -1 : 0;
}

int bl_json_article(FILE *f, const bl_article_t *a)
{
    static const char *const names[] = {"id", "title", "author", "date",
                                        "updated", "source", "url",
                                        "caption", "path"};
    const char *values[] = {a->id, a->title, a->author, a->date, a->updated,
                            a->source, a->url, a->caption, a->path};
    putc('{', f);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        fprintf(f, "%s\"%s\":", i ? "," : "", names[i]);
        bl_json_string(f, values[i]);
    }
    fprintf(f, ",\"line\":%lu,\"categories\":[", a->line);
    for (size_t i = 0; i < a->ncategories; i++) {
        if (i)
            putc(',', f);
        bl_json_string(f, a->categories[i]);
    }
    fputs("],\"body\":", f);
    bl_json_string(f, a->body);
    return fputs("}\n", f) < 0 ? -1 : 0;
}

int bl_json_hit(FILE *f, const bl_results_t *res, const bl_hit_t *h,
                const char *qid)
{
    const bl_article_t *a = &h->article;
    putc('{', f);
    if (qid) {
        fputs("\"qid\":", f);
        bl_json_string(f, qid);
        putc(',', f);
    }
    fputs("\"id\":", f);
    bl_json_string(f, a->id);
    fprintf(f, ",\"rank\":%u,\"score\":%.6f,\"title\":", h->rank, h->score);
    bl_json_string(f, a->title);
    fputs(",\"title_highlights\":", f);
    bl_json_spans(f, h->title_hl, h->ntitle_hl);
    fputs(",\"author\":", f);
    bl_json_string(f, a->author);
    fputs(",\"date\":", f);
    bl_json_string(f, a->date);
    fputs(",\"path\":", f);
    bl_json_string(f, a->path);
    fputs(",\"source\":", f);
    bl_json_string(f, a->source);
    fputs(",\"url\":", f);
    bl_json_string(f, a->url);
    fprintf(f, ",\"duplicates\":%u", h->duplicates);
    fprintf(f, ",\"matches\":%u,\"matches_exact\":%s", res->matches_estimated,
            res->matches_lower == res->matches_upper ? "true" : "false");
    fputs(",\"passages\":[", f);
    for (size_t k = 0; k < h->npassages; k++) {
        const bl_passage_t *p = &h->passages[k];
        fprintf(f, "%s{\"text\":", k ? "," : "");
        bl_json_string(f, p->text);
        fprintf(f, ",\"offset\":%zu,\"highlights\":", p->offset);
        bl_json_spans(f, p->hl, p->nhl);
        putc('}', f);
    }
    return fputs("]}", f) < 0 ? -1 : 0;
}

int bl_json_hits(FILE *f, const bl_results_t *res)
{
    putc('[', f);
    for (size_t i = 0; i < res->nhits; i++) {
        if (i)
            putc(',', f);
        bl_json_hit(f, res, &res->hits[i], NULL);
    }
    return putc(']', f) == EOF ? -1 : 0;
}

int bl_json_facets(FILE *f, const bl_results_t *res)
{
    putc('{', f);
    for (size_t k = 0; k < res->nfacets; k++) {
        const bl_facet_t *fc = &res->facets[k];
        fprintf(f, "%s\"%s\":[", k ? "," : "", fc->field);
        for (size_t i = 0; i < fc->n; i++) {
            fprintf(f, "%s[", i ? "," : "");
            bl_json_string(f, fc->values[i].value);
            fprintf(f, ",%u]", fc->values[i].count);
        }
        putc(']', f);
    }
    return putc('}', f) == EOF ? -1 : 0;
}

/* Start a JSON object with its qid member, if any. */
static void open_with_qid(FILE *f, const char *qid)
{
    putc('{', f);
    if (qid) {
        fputs("\"qid\":", f);
        bl_json_string(f, qid);
        putc(',', f);
    }
}

int bl_output_json(FILE *f, const bl_results_t *res, const char *qid)
{
    for (size_t i = 0; i < res->nhits; i++) {
        bl_json_hit(f, res, &res->hits[i], qid);
        putc('\n', f);
    }
    if (res->nfacets) {
        open_with_qid(f, qid);
        fputs("\"facets\":", f);
        bl_json_facets(f, res);
        fputs("}\n", f);
    }
    if (res->suggestion) {
        open_with_qid(f, qid);
        fputs("\"suggestion\":", f);
        bl_json_string(f, res->suggestion);
        fputs("}\n", f);
    }
    if (res->shards) {
        open_with_qid(f, qid);
        fputs("\"shards\":", f);
        bl_json_shards(f, res->shards, res->failed, res->nfailed);
        fputs("}\n", f);
    }
    return ferror(f) ? -1 : 0;
}

int bl_json_shards(FILE *f, unsigned total, const bl_shard_failure_t *failed,
                   size_t nfailed)
{
    fprintf(f, "{\"total\":%u,\"failed\":[", total);
    for (size_t i = 0; i < nfailed; i++) {
        fputs(i ? ",{\"shard\":" : "{\"shard\":", f);
        bl_json_string(f, failed[i].shard);
        fputs(",\"error\":", f);
        bl_json_string(f, failed[i].error);
        putc('}', f);
    }
    fputs("]}", f);
    return ferror(f) ? -1 : 0;
}

int bl_output_trec(FILE *f, const bl_results_t *res, const char *qid,
                   const char *tag)
{
    double *score = malloc((res->nhits ? res->nhits : 1) * sizeof *score);
    int rc = score ? 0 : -1;
    for (size_t i = 0; score && i < res->nhits; i++)
        score[i] = res->hits[i].score;
    if (score)
        bl_trec_scores(score, res->nhits);
    for (size_t i = 0; score && rc == 0 && i < res->nhits; i++)
        rc = bl_trec_line(f, qid, res->hits[i].article.id, res->hits[i].rank,
                          score[i], tag);
    free(score);
    return rc;
}

/* Write LEN bytes of TEXT with the N spans HL marked. */
static void put_marked(FILE *f, const char *text, size_t len,
                       const bl_span_t *hl, size_t n, const bl_marks_t *m)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (hl[i].start < at || hl[i].end > len)
            continue;
        fwrite(text + at, 1, hl[i].start - at, f);
        fputs(m->on, f);
        fwrite(text + hl[i].start, 1, hl[i].end - hl[i].start, f);
        fputs(m->off, f);
        at = hl[i].end;
    }
    fwrite(text + at, 1, len - at, f);
}

/* Passage P on one line (line breaks as spaces), "..." where the body
 * goes on. */
static void put_passage(FILE *f, const bl_passage_t *p, const bl_marks_t *m)
{
    char *flat = strdup(p->text);
    if (!flat)
        return;
    for (char *c = flat; *c; c++) {
        if (*c == '\n')
            *c = ' ';
    }
    fputs("   ", f);
    if (p->cut_before)
        fputs("...", f);
    put_marked(f, flat, strlen(flat), p->hl, p->nhl, m);
    if (p->cut_after)
        fputs("...", f);
    putc('\n', f);
    free(flat);
}

int bl_output_text(FILE *f, const bl_results_t *res, const char *query,
                   const bl_marks_t *words, const bl_marks_t *title_m)
{
    unsigned n = res->matches_estimated;
    fprintf(f, "%s%u result%s for \"%s\"\n",
            res->matches_lower == res->matches_upper ? "" : "about ", n,
            n == 1 ? "" : "s", query);
    if (res->suggestion)
        fprintf(f, "Did you mean: %s\n", res->suggestion);
    for (size_t i = 0; i < res->nhits; i++) {
        const bl_hit_t *h = &res->hits[i];
        const bl_article_t *a = &h->article;
        const char *title = a->title && *a->title ? a->title : "(untitled)";
        fprintf(f, "\n%u. ", h->rank);
        put_marked(f, title, strlen(title), a->title ? h->title_hl : NULL,
                   a->title ? h->ntitle_hl : 0, title_m);
        fprintf(f, "  [%.3f]", h->score);
        if (h->duplicates)
            fprintf(f, " (+%u similar)", h->duplicates);
        fputs("\n   ", f);
        if (a->author && *a->author)
            fprintf(f, "%s · ", a->author);
        if (a->date && *a->date)
            fprintf(f, "%s · ", a->date);
        fprintf(f, "%s\n", a->path ? a->path : a->id);
        for (size_t k = 0; k < h->npassages; k++)
            put_passage(f, &h->passages[k], words);
    }
    for (size_t k = 0; k < res->nfacets; k++) {
        const bl_facet_t *fc = &res->facets[k];
        fprintf(f, "\n%s:", fc->field);
        for (size_t i = 0; i < fc->n; i++)
            fprintf(f, "%s %s (%u)", i ? "," : "", fc->values[i].value,
                    fc->values[i].count);
        fprintf(f, "%s\n", fc->n ? "" : " -");
    }
    return ferror(f) ? -1 : 0;
}

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line
 * break or spaces at its ends, quotes doubled; a field that a spreadsheet
 * would take for a formula (=, +, -, @ first) gets a ' first; bytes that
 * are not UTF-8 as U+FFFD.  S may be NULL (an empty field). */
static void csv_field(FILE *f, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    int quote = len && (s[0] == ' ' || s[len - 1] == ' ' ||
                        strpbrk(s, ",\"\r\n") != NULL);
    if (quote)
        putc('"', f);
    if (len && strchr("=+-@\t\r", s[0]))
        putc('\'', f);
    for (size_t i = 0; i < len;) {
        size_t n = bl_char_len(s + i, len - i);
        if (!n) {
            fputs("\xef\xbf\xbd", f);
            i++;
            continue;
        }
        if (s[i] == '"')
            putc('"', f);
        fwrite(s + i, 1, n, f);
        i += n;
    }
    if (quote)
        putc('"', f);
}

int bl_csv_header(FILE *f)
{
    return fputs("id,title,author,date,source,url,categories,score\r\n", f) <
                   0
               ? -1
               : 0;
}

int bl_csv_hit(FILE *f, const bl_hit_t *h)
{
    const bl_article_t *a = &h->article;
    const char *fields[] = {a->id, a->title, a->author, a->date, a->source,
                            a->url};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        csv_field(f, fields[i]);
        putc(',', f);
    }
    /* The categories in one field, "; " between them. */
    size_t len = 0;
    for (size_t i = 0; i < a->ncategories; i++)
        len += strlen(a->categories[i]) + 2;
    char *cats = malloc(len + 1);
    if (cats) {
        cats[0] = '\0';
        for (size_t i = 0; i < a->ncategories; i++) {
            if (i)
                strcat(cats, "; ");
            strcat(cats, a->categories[i]);
        }
        csv_field(f, cats);
        free(cats);
    }
    return fprintf(f, ",%.6f\r\n", h->score) < 0 ? -1 : 0;
}

int bl_output_csv(FILE *f, const bl_results_t *res, int header)
{
    if (header && bl_csv_header(f) != 0)
        return -1;
    for (size_t i = 0; i < res->nhits; i++) {
        if (bl_csv_hit(f, &res->hits[i]) != 0)
            return -1;
    }
    return 0;
}
