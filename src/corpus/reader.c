/*
 * Readers: choosing the format of a file and reading its articles.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <strings.h>

#include "byline/corpus.h"
#include "corpus/corpus_internal.h"
#include "corpus/json.h"
#include "corpus/readers.h"
#include "util/fail.h"

static const char *const FORMAT_NAMES[] = {
    "unknown", "text", "jsonl", "reuters", "trec", "csv", "mail", "html",
    "smart"};

const char *bl_format_name(bl_format_t f)
{
    return f <= BL_FORMAT_SMART ? FORMAT_NAMES[f] : "unknown";
}

bl_format_t bl_format_from_name(const char *name)
{
    for (int f = BL_FORMAT_TEXT; f <= BL_FORMAT_SMART; f++) {
        if (strcmp(name, FORMAT_NAMES[f]) == 0)
            return (bl_format_t)f;
    }
    return BL_FORMAT_UNKNOWN;
}

bl_format_t bl_format_of_path(const char *path)
{
    const char *base = strrchr(path, '/');
    char name[256];
    base = base ? base + 1 : path;
    snprintf(name, sizeof name, "%s", base);
    size_t n = strlen(name);
    if (n > 3 && strcasecmp(name + n - 3, ".gz") == 0)
        name[n - 3] = '\0';
    /* The files that come with corpora are not articles. */
    static const char *const NOT_ARTICLES[] = {
        "readme", "license", "licence", "copying", "notice", "authors",
        "changes", "changelog", "install", "manifest"};
    for (size_t i = 0; i < sizeof NOT_ARTICLES / sizeof NOT_ARTICLES[0];
         i++) {
        size_t k = strlen(NOT_ARTICLES[i]);
        if (strncasecmp(name, NOT_ARTICLES[i], k) == 0 &&
            (name[k] == '\0' || name[k] == '.'))
            return BL_FORMAT_UNKNOWN;
    }
    /* The test collections: cacm.all, CISI.ALL, cran.all.1400. */
    char lower[256];
    for (size_t i = 0; i <= strlen(name); i++)
        lower[i] = (char)tolower((unsigned char)name[i]);
    const char *all = strstr(lower, ".all");
    if (all && (all[4] == '\0' || all[4] == '.'))
        return BL_FORMAT_SMART;
    const char *dot = strrchr(name, '.');
    if (!dot)
        return BL_FORMAT_TEXT;
    if (strcasecmp(dot, ".txt") == 0)
        return BL_FORMAT_TEXT;
    if (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0 ||
        strcasecmp(dot, ".json") == 0)
        return BL_FORMAT_JSONL;
    if (strcasecmp(dot, ".sgm") == 0 || strcasecmp(dot, ".sgml") == 0)
        return BL_FORMAT_REUTERS; /* Or TREC: the content tells. */
    if (strcasecmp(dot, ".csv") == 0)
        return BL_FORMAT_CSV;
    if (strcasecmp(dot, ".eml") == 0 || strcasecmp(dot, ".mbox") == 0)
        return BL_FORMAT_MAIL;
    if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0 ||
        strcasecmp(dot, ".xhtml") == 0)
        return BL_FORMAT_HTML;
    return BL_FORMAT_UNKNOWN;
}

/* ---- JSON lines ---------------------------------------------------------- */

typedef enum { J_NONE, J_ID, J_TITLE, J_BODY, J_DESC, J_DATE, J_UPDATED,
               J_AUTHOR, J_URL, J_SOURCE, J_CATEGORY } jfield_t;

/* The field named NAME (LEN bytes) in --fields terms, or J_NONE. */
static jfield_t field_named(const char *name, size_t len)
{
    static const struct {
        const char *name;
        jfield_t field;
    } F[] = {{"id", J_ID},         {"title", J_TITLE},   {"body", J_BODY},
             {"date", J_DATE},     {"updated", J_UPDATED},
             {"author", J_AUTHOR}, {"url", J_URL},       {"source", J_SOURCE},
             {"category", J_CATEGORY}};
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++) {
        if (strlen(F[i].name) == len && strncmp(F[i].name, name, len) == 0)
            return F[i].field;
    }
    return J_NONE;
}

bl_status_t bl_check_fields(const char *fields)
{
    for (const char *p = fields; p && *p;) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (!eq || (comma && eq > comma) || eq == p || (size_t)(eq - p) + 1 >= n ||
            field_named(p, (size_t)(eq - p)) == J_NONE)
            return bl_fail(BL_EARG, "bad field mapping '%.*s' (expected "
                                    "FIELD=NAME, FIELD one of id title "
                                    "body date updated author url source "
                                    "category)", (int)n, p);
        p += n;
        if (*p == ',')
            p++;
    }
    return BL_OK;
}

/* The field the user's mapping FIELDS gives the member KEY, or J_NONE. */
static jfield_t user_key(const char *fields, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = fields; p && *p;) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (eq && (!comma || eq < comma)) {
            size_t vl = n - (size_t)(eq + 1 - p);
            if (vl == kl && strncasecmp(eq + 1, key, kl) == 0)
                return field_named(p, (size_t)(eq - p));
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return J_NONE;
}

/* The article field a JSON member name maps to. */
static jfield_t map_key(const char *fields, const char *key)
{
    jfield_t user = user_key(fields, key);
    if (user != J_NONE)
        return user;
    static const struct {
        const char *key;
        jfield_t field;
    } MAP[] = {
        {"id", J_ID}, {"docid", J_ID}, {"doc_id", J_ID}, {"newid", J_ID},
        {"uuid", J_ID}, {"guid", J_ID},
        {"title", J_TITLE}, {"headline", J_TITLE},
        {"body", J_BODY}, {"text", J_BODY}, {"content", J_BODY},
        {"article", J_BODY}, {"description", J_DESC}, {"summary", J_DESC},
        {"date", J_DATE}, {"published", J_DATE}, {"published_at", J_DATE},
        {"publishedat", J_DATE}, {"pubdate", J_DATE},
        {"date_published", J_DATE}, {"datetime", J_DATE},
        {"updated", J_UPDATED}, {"modified", J_UPDATED},
        {"updated_at", J_UPDATED}, {"date_modified", J_UPDATED},
        {"author", J_AUTHOR}, {"authors", J_AUTHOR}, {"byline", J_AUTHOR},
        {"creator", J_AUTHOR},
        {"url", J_URL}, {"link", J_URL}, {"uri", J_URL},
        {"source", J_SOURCE}, {"publisher", J_SOURCE}, {"site", J_SOURCE},
        {"newsgroup", J_SOURCE}, {"newsgroups", J_SOURCE},
        {"topics", J_CATEGORY}, {"categories", J_CATEGORY},
        {"category", J_CATEGORY}, {"tags", J_CATEGORY},
        {"keywords", J_CATEGORY}, {"places", J_CATEGORY},
        {"section", J_CATEGORY},
    };
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++) {
        if (strcasecmp(key, MAP[i].key) == 0)
            return MAP[i].field;
    }
    return J_NONE;
}

typedef struct jctx {
    bl_article_t *a;
    char *desc;
    bl_status_t rc;
    const char *fields;
} jctx_t;

/* Set *FIELD to VALUE, or append ", VALUE" for a list (authors). */
static bl_status_t set_or_join(char **field, const char *value, size_t len,
                               size_t index)
{
    char *v = bl_clean_dup(value, len);
    if (!v)
        return bl_fail(BL_ENOMEM, "out of memory");
    if (*field && index > 0 && *v) {
        size_t n = strlen(*field);
        char *j = realloc(*field, n + 2 + strlen(v) + 1);
        if (!j) {
            free(v);
            return bl_fail(BL_ENOMEM, "out of memory");
        }
        sprintf(j + n, ", %s", v);
        *field = j;
        free(v);
        return BL_OK;
    }
    if (*field) {
        free(v); /* The first of several names for a field wins. */
        return BL_OK;
    }
    *field = v;
    return BL_OK;
}

static int on_member(const char *key, const char *value, size_t len,
                     size_t index, void *p)
{
    jctx_t *c = p;
    bl_article_t *a = c->a;
    char iso[11];
    jfield_t f = map_key(c->fields, key);
    switch (f) {
    case J_NONE: return 0;
    case J_ID: c->rc = set_or_join(&a->id, value, len, 0); break;
    case J_TITLE: c->rc = set_or_join(&a->title, value, len, 0); break;
    case J_BODY: c->rc = set_or_join(&a->body, value, len, 0); break;
    case J_DESC: c->rc = set_or_join(&c->desc, value, len, 0); break;
    case J_AUTHOR: c->rc = set_or_join(&a->author, value, len, index); break;
    case J_URL: c->rc = set_or_join(&a->url, value, len, 0); break;
    case J_SOURCE: c->rc = set_or_join(&a->source, value, len, index); break;
    case J_CATEGORY: c->rc = bl_article_add_category(a, value, len); break;
    case J_DATE:
    case J_UPDATED: {
        char **d = f == J_DATE ? &a->date : &a->updated;
        if (!*d && len < 64 && bl_date_normalize(value, iso))
            c->rc = set_or_join(d, iso, 10, 0);
        break;
    }
    }
    return c->rc != BL_OK;
}

/* Read a JSON-lines file: one article per line. */
static bl_status_t read_jsonl(bl_source_t *src, const char *path,
                              const char *rel, const char *fields,
                              bl_article_fn fn, bl_problem_fn problem,
                              void *ctx)
{
    const char *line;
    size_t len;
    int truncated;
    bl_status_t rc;
    char msg[512];
    while ((rc = bl_source_getline(src, &line, &len, &truncated)) == BL_OK) {
        unsigned long lineno = bl_source_lineno(src);
        bl_article_t a;
        jctx_t c = {&a, NULL, BL_OK, fields};
        if (truncated) {
            problem(path, lineno, "line too long: record skipped", ctx);
            continue;
        }
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue; /* Blank lines are allowed. */
        memset(&a, 0, sizeof a);
        rc = bl_json_object(line, len, on_member, &c);
        if (rc == BL_END)
            rc = c.rc;
        if (rc == BL_OK && !a.body && c.desc) {
            a.body = c.desc; /* AG News and feeds: the description. */
            c.desc = NULL;
        }
        free(c.desc);
        if (rc == BL_EFORMAT) {
            snprintf(msg, sizeof msg, "%s: record skipped", bl_last_error());
            problem(path, lineno, msg, ctx);
            bl_article_clear(&a);
            continue;
        }
        if (rc == BL_OK)
            rc = bl_deliver(&a, path, rel, lineno, "record", fn, problem,
                            ctx);
        bl_article_clear(&a);
        if (rc != BL_OK)
            return rc;
    }
    return rc == BL_END ? BL_OK : rc;
}

/* ---- dispatch ------------------------------------------------------------ */

/* The SGML format the start of the file at PATH shows, or UNKNOWN. */
static bl_format_t sniff(const char *path)
{
    bl_source_t *s = NULL;
    const char *line;
    size_t len;
    bl_format_t f = BL_FORMAT_UNKNOWN;
    if (bl_source_open(path, 4096, &s) != BL_OK)
        return f;
    for (int i = 0; i < 5 && bl_source_getline(s, &line, &len, NULL) ==
                                 BL_OK; i++) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line)
            continue;
        if (strncasecmp(line, "<REUTERS", 8) == 0 ||
            strncasecmp(line, "<!DOCTYPE lewis", 15) == 0)
            f = BL_FORMAT_REUTERS;
        else if (strncasecmp(line, "<DOC>", 5) == 0)
            f = BL_FORMAT_TREC;
        else if (bl_looks_like_smart(line, len))
            f = BL_FORMAT_SMART;
        else {
            /* Mail needs a look at the next line too. */
            char *first = strndup(line, len);
            const char *next = NULL;
            size_t next_len = 0;
            if (first && bl_source_getline(s, &next, &next_len, NULL) !=
                             BL_OK)
                next = NULL;
            if (first && bl_looks_like_mail(first, strlen(first), next,
                                            next_len))
                f = BL_FORMAT_MAIL;
            free(first);
        }
        break;
    }
    bl_source_close(s);
    return f;
}

static _Thread_local bl_read_reason_t last_reason;

bl_read_reason_t bl_read_last_reason(void)
{
    return last_reason;
}

void bl_read_note_reason(bl_read_reason_t r)
{
    last_reason = r;
}

/* bl_read_articles() and bl_read_source() without the reason's
 * bookkeeping. */
static bl_status_t read_articles(const char *path, const char *rel,
                                 const bl_read_options_t *o,
                                 bl_article_fn fn, bl_problem_fn problem,
                                 void *ctx);
static bl_status_t read_source(bl_source_t *src, bl_format_t format,
                               const char *path, const char *rel,
                               const bl_read_options_t *o,
                               bl_article_fn user_fn,
                               bl_problem_fn user_problem, void *user_ctx);

/* The reason of a read that ended with RC (a reader may have noted a
 * finer one), kept for bl_read_last_reason(); returns RC. */
static bl_status_t note_end(bl_status_t rc)
{
    if (rc == BL_EIO)
        last_reason = BL_READ_UNREADABLE;
    else if (rc == BL_EFORMAT && last_reason == BL_READ_OK)
        last_reason = BL_READ_BAD_FORMAT;
    else if (rc == BL_OK || rc == BL_END)
        last_reason = BL_READ_OK;
    return rc;
}

bl_status_t bl_read_articles(const char *path, const char *rel,
                             const bl_read_options_t *o, bl_article_fn fn,
                             bl_problem_fn problem, void *ctx)
{
    last_reason = BL_READ_OK;
    return note_end(read_articles(path, rel, o, fn, problem, ctx));
}

bl_status_t bl_read_source(bl_source_t *src, bl_format_t format,
                           const char *path, const char *rel,
                           const bl_read_options_t *o, bl_article_fn fn,
                           bl_problem_fn problem, void *ctx)
{
    last_reason = BL_READ_OK;
    return note_end(read_source(src, format, path, rel, o, fn, problem,
                                ctx));
}

static bl_status_t read_articles(const char *path, const char *rel,
                                 const bl_read_options_t *o,
                                 bl_article_fn fn, bl_problem_fn problem,
                                 void *ctx)
{
    bl_source_t *src = NULL;
    bl_status_t rc;
    bl_format_t format = o ? o->format : BL_FORMAT_UNKNOWN;
    rc = bl_check_fields(o ? o->fields : NULL);
    if (rc != BL_OK)
        return rc;
    if (format == BL_FORMAT_UNKNOWN)
        format = bl_format_of_path(path);
    if (format == BL_FORMAT_UNKNOWN)
        return bl_fail(BL_EFORMAT, "not a known article format");
    rc = bl_source_open(path, 0, &src);
    if (rc != BL_OK)
        return rc;
    if ((!o || o->format == BL_FORMAT_UNKNOWN) &&
        (format == BL_FORMAT_TEXT || format == BL_FORMAT_REUTERS)) {
        /* Sniff (unless told the format): SGML news files say what they
         * are on their first tag. */
        bl_format_t seen = sniff(path);
        if (seen != BL_FORMAT_UNKNOWN)
            format = seen;
    }
    rc = read_source(src, format, path, rel, o, fn, problem, ctx);
    bl_source_close(src);
    return rc;
}

/* The caller's functions and context, and the source whose offset each
 * article gets. */
typedef struct offset_ctx {
    bl_article_fn fn;
    bl_problem_fn problem;
    void *ctx;
    const bl_source_t *src;
} offset_ctx_t;

/* Stamp article A with how far its file was read, and pass it on. */
static int with_offset(bl_article_t *a, void *p)
{
    offset_ctx_t *oc = p;
    a->offset = bl_source_offset(oc->src);
    return oc->fn(a, oc->ctx);
}

/* Pass a problem on to the caller's function. */
static void pass_problem(const char *path, unsigned long line,
                         const char *message, void *p)
{
    offset_ctx_t *oc = p;
    if (oc->problem)
        oc->problem(path, line, message, oc->ctx);
}

static bl_status_t read_source(bl_source_t *src, bl_format_t format,
                               const char *path, const char *rel,
                               const bl_read_options_t *o,
                               bl_article_fn user_fn,
                               bl_problem_fn user_problem, void *user_ctx)
{
    size_t max_bytes = o && o->max_bytes ? o->max_bytes : (64u << 20);
    offset_ctx_t oc = {user_fn, user_problem, user_ctx, src};
    bl_article_fn fn = with_offset;
    bl_problem_fn problem = pass_problem;
    void *ctx = &oc;
    bl_status_t rc;
    switch (format) {
    case BL_FORMAT_REUTERS:
    case BL_FORMAT_TREC:
        return bl_read_sgml(src, format, path, rel, fn, problem, ctx);
    case BL_FORMAT_CSV:
        return bl_read_csv(src, o ? o->columns : NULL, path, rel, fn,
                           problem, ctx);
    case BL_FORMAT_JSONL:
        return read_jsonl(src, path, rel, o ? o->fields : NULL, fn, problem,
                          ctx);
    case BL_FORMAT_MAIL:
        return bl_read_mail(src, path, rel, fn, problem, ctx);
    case BL_FORMAT_SMART:
        return bl_read_smart(src, path, rel, fn, problem, ctx);
    case BL_FORMAT_TEXT:
    case BL_FORMAT_HTML:
        break;
    case BL_FORMAT_UNKNOWN:
        return bl_fail(BL_EFORMAT, "not a known article format");
    }
    /* Text: one article per file. */
    char *data = NULL;
    size_t len = 0;
    rc = bl_source_read_all(src, max_bytes, &data, &len);
    if (rc != BL_OK)
        return rc;
    if (memchr(data, '\0', len < 8192 ? len : 8192)) {
        free(data);
        bl_read_note_reason(BL_READ_BINARY);
        return bl_fail(BL_EFORMAT, "binary file (it holds NUL bytes)");
    }
    bl_article_t a;
    rc = format == BL_FORMAT_HTML
             ? bl_parse_html(data, len, rel, path, &a)
             : bl_parse_text_article(data, len, rel, path, &a);
    free(data);
    if (rc == BL_EFORMAT) {
        bl_read_note_reason(BL_READ_EMPTY);
        return bl_fail(BL_EFORMAT, "empty file");
    }
    if (rc == BL_OK && fn(&a, ctx) != 0)
        rc = BL_END;
    bl_article_clear(&a);
    return rc;
}
