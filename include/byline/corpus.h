/*
 * The corpus layer: walking corpus directories, reading article files, and
 * the article model every reader produces.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Files and formats only: this layer knows nothing of analysis or indexes.
 *
 * Ownership and threads: an article given to a callback, and every string
 * in it, belongs to the reader and lives until the callback returns (copy
 * what is kept); bl_article_t values a caller fills are its own, cleared
 * with bl_article_clear().  Walking and reading keep no shared state:
 * different files may be read from several threads at once, one source
 * per thread.  Failures: bl_status_t, bl_last_error() and, for reads,
 * bl_read_last_reason() (per thread).
 */
#ifndef BYLINE_CORPUS_H
#define BYLINE_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

/* One article.  Every string is malloc'ed and NUL-terminated valid UTF-8,
 * or NULL when the source does not have that field. */
typedef struct bl_article {
    char *id;      /* Stable external id (for a plain file: its path relative
                      to the corpus root). */
    char *title;
    char *author;
    char *date;    /* Publication date, ISO 8601 (YYYY-MM-DD). */
    char *updated; /* Date of the last update, ISO 8601. */
    char *caption; /* Photo caption with its credit. */
    char *body;    /* Paragraphs separated by blank lines. */
    char *path;    /* The file it came from. */
    char *url;
    char *source;  /* Publication, agency or newsgroup. */
    char **categories; /* Topics, places, sections, tags. */
    size_t ncategories;
    unsigned long line; /* Line in PATH where the record starts (0: the
                           whole file is the article). */
    uint64_t offset;    /* Bytes of PATH read (as stored: compressed ones
                           for gzip) when the article was given, counting
                           read-ahead: for progress; 0 when unknown. */
} bl_article_t;

/* Add a copy of the LEN bytes of CATEGORY (cleaned to UTF-8, trimmed;
 * empty ones and repeats are ignored) to A.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_article_add_category(bl_article_t *a, const char *category,
                                    size_t len);

/* Free every field and zero A.  Cannot fail. */
void bl_article_clear(bl_article_t *a);

/* Normalise a date written as M/D/YYYY, YYYY-MM-DD (ISO 8601),
 * D-MON-YYYY (Reuters), RFC 2822 ("Tue, 31 Jul 2018") or "Month D, YYYY"
 * ("Jul 31, 2018"), optionally followed by a time of day, into OUT as
 * YYYY-MM-DD.  Returns 1 if TEXT (surrounding space allowed) is such a date,
 * else 0.  Cannot fail. */
int bl_date_normalize(const char *text, char out[11]);

/* What the walker reports. */
typedef enum bl_walk_event {
    BL_WALK_FILE,   /* A regular file to read. */
    BL_WALK_ERROR,  /* A path that could not be read; MESSAGE says why. */
    BL_WALK_SKIP    /* A path skipped on purpose (symlink loop, special
                       file); MESSAGE says why. */
} bl_walk_event_t;

/* Called for each event: PATH is the full path, REL the path relative to
 * the root given to bl_walk() (for a single file, its base name).  Return 0
 * to go on, non-zero to stop the walk. */
typedef int (*bl_walk_fn)(bl_walk_event_t ev, const char *path,
                          const char *rel, const char *message, void *ctx);

/* Walk ROOT (a directory, recursively, or a single file) in a deterministic
 * order (names sorted byte-wise), skipping hidden entries (names starting
 * with '.'), following symbolic links but never into a directory already
 * being walked (a loop).  Returns BL_OK, BL_END (FN stopped the walk),
 * BL_ENOTFOUND (ROOT does not exist) or BL_ENOMEM.  Unreadable entries are
 * reported to FN as BL_WALK_ERROR, and the walk goes on. */
bl_status_t bl_walk(const char *root, bl_walk_fn fn, void *ctx);

/* What to walk. */
typedef struct bl_walk_options {
    int hidden;                   /* Non-zero: walk hidden entries too. */
    const char *const *include;   /* Glob patterns (fnmatch); when given, */
    size_t ninclude;              /* only files matching one are walked. */
    const char *const *exclude;   /* Files and directories matching one of */
    size_t nexclude;              /* these are left out (not reported). */
} bl_walk_options_t;

/* bl_walk() with options (NULL: the defaults).  A pattern with a '/'
 * matches the path relative to ROOT, one without matches the base name
 * ("*.gz", "2019/[0-9]*", "README*"). */
bl_status_t bl_walk_with(const char *root, const bl_walk_options_t *o,
                         bl_walk_fn fn, void *ctx);
/* (Returns as bl_walk().) */

/* Parse an article in the scraped-news text layout from LEN bytes of DATA:
 *
 *     Title
 *     Title (repeated; dropped)
 *     Photo caption ending in a credit (Name/Agency)   (optional)
 *     Author                                           (optional)
 *     7/31/2018                                        (publication date)
 *     Updated:                                         (optional)
 *     7/31/2018                                        (optional)
 *     Body paragraphs...
 *     Author bio ("Name is a reporter...")            (dropped)
 *     share-link junk ("twitter", "Share")             (dropped)
 *
 * Plain "title line, then body" text is the simple case of it.  ID and PATH
 * are copied into the article.  Invalid UTF-8 bytes are read as Latin-1.
 * Returns BL_OK, BL_EFORMAT (no text at all: an empty or blank file) or
 * BL_ENOMEM. */
bl_status_t bl_parse_text_article(const char *data, size_t len,
                                  const char *id, const char *path,
                                  bl_article_t *out);

/* A file read as a stream: gzip-compressed files (whatever their name) are
 * decompressed on the fly, others read as they are. */
typedef struct bl_source bl_source_t;

/* Open PATH; lines longer than MAX_LINE bytes (0: 16 MiB) are cut.
 * Returns BL_OK, BL_EIO (with the system's reason) or BL_ENOMEM. */
bl_status_t bl_source_open(const char *path, size_t max_line,
                           bl_source_t **out);

/* A source reading LEN bytes of DATA (not copied: DATA must outlive the
 * source).  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_source_open_memory(const char *data, size_t len,
                                  size_t max_line, bl_source_t **out);

/* The next line, without its end of line ("\n" or "\r\n"), in a buffer
 * owned by S and valid until the next call; *TRUNCATED (may be NULL) is set
 * when the line was longer than the limit and only its head is given.
 * Returns BL_OK, BL_END, BL_EFORMAT (corrupt or truncated gzip: the lines
 * before the break were given), BL_EIO or BL_ENOMEM.  Memory stays bounded
 * by the line limit whatever the file. */
bl_status_t bl_source_getline(bl_source_t *s, const char **line, size_t *len,
                              int *truncated);

/* The number of the line given last (1-based).  Cannot fail. */
unsigned long bl_source_lineno(const bl_source_t *s);

/* Bytes of the underlying file (or memory) read so far, compressed ones
 * for gzip, counting what is buffered ahead.  Cannot fail. */
uint64_t bl_source_offset(const bl_source_t *s);

/* The rest of the stream in a malloc'ed NUL-terminated buffer.  Returns
 * BL_OK, BL_EFORMAT (more than MAX_BYTES, or corrupt gzip), BL_EIO or
 * BL_ENOMEM. */
bl_status_t bl_source_read_all(bl_source_t *s, size_t max_bytes, char **data,
                               size_t *len);

/* Close S (its file too, when bl_source_open() opened it).  Accepts
 * NULL. */
void bl_source_close(bl_source_t *s);

/* A 64-bit hash (FNV-1a) of the bytes of the file at PATH, as stored (not
 * decompressed), never 0.  Returns BL_OK or BL_EIO. */
bl_status_t bl_file_digest(const char *path, uint64_t *out);

/* Read the file at PATH whole (decompressing gzip) into a malloc'ed
 * NUL-terminated buffer.  Returns BL_OK, BL_EIO (unreadable), BL_EFORMAT
 * (larger than MAX_BYTES, corrupt gzip, or binary: it holds NUL bytes in its
 * first 8 KiB) or BL_ENOMEM; the detail is in bl_last_error(). */
bl_status_t bl_read_file(const char *path, size_t max_bytes, char **data,
                         size_t *len);

/* The formats Byline reads. */
typedef enum bl_format {
    BL_FORMAT_UNKNOWN = 0, /* Not an article file (or: choose by name). */
    BL_FORMAT_TEXT,        /* One scraped or plain article per file. */
    BL_FORMAT_JSONL,       /* One JSON object per line. */
    BL_FORMAT_REUTERS,     /* Reuters-21578 SGML (<REUTERS NEWID=...>). */
    BL_FORMAT_TREC,        /* TREC SGML (<DOC><DOCNO>...</DOC>). */
    BL_FORMAT_CSV,         /* One article per row. */
    BL_FORMAT_MAIL,        /* RFC 822 mail or news messages (or an mbox). */
    BL_FORMAT_HTML,        /* One article page per file. */
    BL_FORMAT_SMART        /* SMART test collections (.I/.T/.A/.W): CACM,
                              Cranfield, CISI. */
} bl_format_t;

/* How files are read. */
typedef struct bl_read_options {
    bl_format_t format;   /* BL_FORMAT_UNKNOWN: by name and content. */
    size_t max_bytes;     /* Text files larger than this are skipped
                             (0: 64 MiB). */
    const char *columns;  /* CSV columns, e.g. "category,title,body" (id,
                             title, body, date, author, url, source,
                             category, skip); NULL: the header row names
                             them. */
    const char *fields;   /* JSON member names beyond the common ones:
                             "title=hed,body=story" (fields: id, title,
                             body, date, updated, author, url, source,
                             category); NULL: none. */
} bl_read_options_t;

/* The format a file's name suggests (".txt" or no extension: text, or
 * TREC or Reuters SGML when the file starts with <DOC> or <REUTERS;
 * ".jsonl", ".ndjson", ".json": JSON lines; ".sgm", ".sgml": Reuters or
 * TREC SGML, told apart by the content; ".csv": CSV; ".eml", ".mbox":
 * mail (files without an extension that start with mail headers, as
 * Usenet spools do, are mail too); ".html", ".htm": HTML; a ".gz" suffix is
 * looked through; README, LICENSE, COPYING and the like, whatever their extension,
 * are not articles: BL_FORMAT_UNKNOWN).  Cannot fail. */
bl_format_t bl_format_of_path(const char *path);

/* "text", "jsonl", "reuters", "trec", "csv", "mail", "html", "smart" ->
 * format, or BL_FORMAT_UNKNOWN.
 * Cannot fail. */
bl_format_t bl_format_from_name(const char *name);

/* The name of format F.  Cannot fail. */
const char *bl_format_name(bl_format_t f);

/* Called with each article read; the article is cleared after the call
 * (take what you keep).  Return 0 to go on, non-zero to stop. */
typedef int (*bl_article_fn)(bl_article_t *a, void *ctx);

/* Called with a record that was skipped: PATH, the LINE it starts on, and
 * why. */
typedef void (*bl_problem_fn)(const char *path, unsigned long line,
                              const char *message, void *ctx);

/* Read the articles of the file at PATH (REL: its path relative to the
 * corpus root, for ids) as O says (NULL: defaults), calling FN
 * for each and PROBLEM for each record skipped (a broken JSON line, a
 * record without title or body) while the rest is read.  JSON members are
 * mapped by name: id/docid/newid, title/headline, body/text/content (else
 * description/summary), date/published/pubdate, updated/modified,
 * author/authors/byline, url/link, source/publisher, and topics/categories/
 * tags/keywords/places/section as categories; CSV columns likewise by a
 * header row, or O->columns.  Returns BL_OK, BL_END (FN stopped), or for
 * the whole file: BL_EFORMAT (unknown format, empty, binary, too large,
 * corrupt gzip (the records before the break were given), CSV without
 * named columns), BL_EARG (bad O->columns), BL_EIO or BL_ENOMEM. */
bl_status_t bl_read_articles(const char *path, const char *rel,
                             const bl_read_options_t *o, bl_article_fn fn,
                             bl_problem_fn problem, void *ctx);

/* Why the last bl_read_articles() of this thread failed, as data (the
 * message says it for people).  Cannot fail. */
typedef enum bl_read_reason {
    BL_READ_OK = 0,
    BL_READ_UNREADABLE, /* The file could not be read (BL_EIO). */
    BL_READ_EMPTY,      /* Nothing in it (an empty article file). */
    BL_READ_BINARY,     /* NUL bytes: not text. */
    BL_READ_TOO_LARGE,  /* A one-article file over the maximum size. */
    BL_READ_BAD_FORMAT  /* Unknown format, corrupt gzip, CSV without
                           columns, and every other BL_EFORMAT. */
} bl_read_reason_t;

/* Why the last failed bl_read_articles() or bl_read_source() of this
 * thread failed (BL_READ_OK after one that did not fail).  Cannot fail. */
bl_read_reason_t bl_read_last_reason(void);

/* Check a --fields mapping ("title=hed,body=story").  Returns BL_OK or
 * BL_EARG with the reason. */
bl_status_t bl_check_fields(const char *fields);

/* Read the articles of SRC, already open, in FORMAT (which must be known),
 * as bl_read_articles() does; PATH names the source in articles and
 * problems.  Returns as bl_read_articles(); SRC stays open (the caller
 * closes it). */
bl_status_t bl_read_source(bl_source_t *src, bl_format_t format,
                           const char *path, const char *rel,
                           const bl_read_options_t *o, bl_article_fn fn,
                           bl_problem_fn problem, void *ctx);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
