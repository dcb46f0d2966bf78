/*
 * Result writers: the text, JSON and TREC forms of search results and the
 * JSON form of an article, one module for every program (byline-search,
 * byline-bench, byline-index --list, byline-serve), so that each form is
 * written in one place.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every writer writes to a stdio stream (a file, stdout, or a memory
 * stream from open_memstream()) and returns 0, or -1 when the stream
 * failed.  They keep no state: safe from several threads on different
 * streams.  JSON fields only ever grow (the README documents them).
 */
#ifndef BYLINE_OUTPUT_H
#define BYLINE_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "byline/corpus.h"
#include "byline/search.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

/* The bytes of the character at S (N bytes left): 1 to 4 for a
 * well-formed UTF-8 one, 0 for a byte that starts none (the writers here
 * give U+FFFD for it) or N == 0.  Cannot fail. */
size_t bl_char_len(const char *s, size_t n);

/* Write S (LEN bytes; NULL: null) as a JSON string, quoted, escaped:
 * '"', '\\', control characters, and '<', '>', '&' and U+2028/U+2029 as
 * \u escapes, so that the string is safe inside an HTML <script> too;
 * a byte that is not UTF-8 as \ufffd (U+FFFD), so that it is JSON. */
int bl_json_stringn(FILE *f, const char *s, size_t len);
/* The same for the NUL-terminated S (NULL: null). */
int bl_json_string(FILE *f, const char *s);

/* Write [start,end] pairs of the N spans HL as a JSON array. */
int bl_json_spans(FILE *f, const bl_span_t *hl, size_t n);

/* One article as a JSON object on one line (id, title, author, date,
 * updated, source, url, caption, path, line, categories, body). */
int bl_json_article(FILE *f, const bl_article_t *a);

/* The hit H of the results RES as a JSON object, without a line break:
 * qid (when QID is not NULL), id, rank, score, title, title_highlights,
 * author, date, path, source, url, duplicates, matches, matches_exact,
 * passages ([{text, offset, highlights}]). */
int bl_json_hit(FILE *f, const bl_results_t *res, const bl_hit_t *h,
                const char *qid);

/* The hits of RES as a JSON array of bl_json_hit() objects. */
int bl_json_hits(FILE *f, const bl_results_t *res);

/* RES as byline-search --format json writes it: a line per hit, then a
 * line {"qid":..,"facets":{"year":[["2018",3],...]}} when there are
 * facets, {"qid":..,"suggestion":"..."} when there is one, and
 * {"qid":..,"shards":{...}} (bl_json_shards()) over remote shards. */
int bl_output_json(FILE *f, const bl_results_t *res, const char *qid);

/* The shards of a search as the JSON object {"total":N,"failed":[{"shard":
 * "HOST:PORT","error":"..."},...]} (failed empty: every shard answered). */
int bl_json_shards(FILE *f, unsigned total, const bl_shard_failure_t *failed,
                   size_t nfailed);

/* The facets of RES as the JSON object {"year":[["2018",3],...],...}. */
int bl_json_facets(FILE *f, const bl_results_t *res);

/* CSV (RFC 4180, CRLF line ends): the header row
 * "id,title,author,date,source,url,categories,score"; one hit as a row
 * (categories in one field, "; " between them; a field that a
 * spreadsheet would take for a formula, starting with =, +, - or @, gets
 * a ' first); RES's hits, after the header row when HEADER. */
int bl_csv_header(FILE *f);
int bl_csv_hit(FILE *f, const bl_hit_t *h);
int bl_output_csv(FILE *f, const bl_results_t *res, int header);

/* RES as TREC run lines "qid Q0 docno rank score tag" (bl_trec_line():
 * scores made positive and strictly decreasing). */
int bl_output_trec(FILE *f, const bl_results_t *res, const char *qid,
                   const char *tag);

/* How the text form marks matching words: ON before, OFF after. */
typedef struct bl_marks {
    const char *on, *off;
} bl_marks_t;

/* RES as byline-search's text: a count line ("12 results for ..." or
 * "about 1,200 results"), "Did you mean", numbered hits with their title
 * (marked with TITLE), score, "(+N similar)", author, date and path, and
 * their passages (marked with WORDS), then the facets. */
int bl_output_text(FILE *f, const bl_results_t *res, const char *query,
                   const bl_marks_t *words, const bl_marks_t *title);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
