/*
 * The indexer: articles into a sharded, segmented Xapian index (the layout
 * and the document scheme are described in byline/index.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * How a run writes:
 *  - Each writer (one per thread) keeps one open segment per shard, a new
 *    glass database in the index directory that no stub lists yet.  When a
 *    segment is full the writer commits it and publishes all its segments:
 *    under the indexer's lock, ids already in the index are deleted from
 *    the older parts (replacement), the stub is rewritten to list the new
 *    segments (an atomic rename: the commit point), and then the manifest
 *    entries of the files whose articles are all published are committed.
 *  - A killed run leaves parts the stub does not list; the next open
 *    removes them.  A file whose entry was not committed is read again and
 *    its articles replace themselves by id, so nothing is duplicated.
 *  - Ten segments of a shard are compacted into one (tier by tier, by the
 *    writer that published the tenth), and at the end of a run each
 *    shard's parts are compacted into one (see finish_shard()).
 *  Xapian's compaction is a linear merge of sorted tables; that is why
 *  small segments plus merges beat one writer's growing batch (measured in
 *  bench/, figures in the README).
 */
#include <fcntl.h>
#include <unistd.h>

#include "index/indexer_internal.h"
#include "util/fail.h"
#include "util/stub.h"
#include "util/array.h"

/* The message of a failed write RC of IX (the last error) made to name
 * the index, and to say when its file system is full: Xapian reports some
 * writes that ran out of room by what failed after them ("cancel() not
 * supported").  Returns RC.  Cannot fail. */
bl_status_t name_failure(const bl_indexer_t *ix, bl_status_t rc)
{
    if (rc == BL_OK || rc == BL_ENOMEM)
        return rc;
    char msg[1024];
    struct statvfs fs;
    snprintf(msg, sizeof msg, "%s", bl_last_error());
    int full = statvfs(ix->path, &fs) == 0 &&
               (double)fs.f_bavail * (double)fs.f_frsize < 1024.0 * 1024.0 &&
               !strstr(msg, strerror(ENOSPC));
    int named = strncmp(msg, ix->path, strlen(ix->path)) == 0;
    if (full)
        return bl_fail(rc, "%s: %s (%s)", ix->path, strerror(ENOSPC), msg);
    if (!named)
        return bl_fail(rc, "%s: %s", ix->path, msg);
    return rc;
}

/* Note that a write of IX failed with RC (the message being the last
 * error) and give RC back; the first failure is the one kept.  Call
 * locked. */
bl_status_t break_index(bl_indexer_t *ix, bl_status_t rc)
{
    rc = name_failure(ix, rc);
    if (rc != BL_OK && ix->broken == BL_OK) {
        ix->broken = rc;
        snprintf(ix->broken_msg, sizeof ix->broken_msg, "%s", bl_last_error());
    }
    return rc;
}

/* BL_OK, or the failure that broke IX (with its message again).  Call
 * locked. */
bl_status_t still_whole(const bl_indexer_t *ix)
{
    if (ix->broken == BL_OK)
        return BL_OK;
    return bl_fail(ix->broken, "%s", ix->broken_msg);
}

/* An injected failure of POINT for the database or file NAME, as the
 * status a real one would give (see util/fault.h); BL_OK when none. */
bl_status_t injected(bl_fault_point_t point, const char *name)
{
    int err = bl_fault(point);
    if (!err)
        return BL_OK;
    return bl_fail(BL_EIO, "%s: %s (injected at %s)", name, strerror(err),
                   bl_fault_name(point));
}

/* Commit DB (named NAME), or fail at POINT.  Returns BL_OK or BL_EIO. */
bl_status_t commit_db(xc_db_t *db, const char *name,
                             bl_fault_point_t point)
{
    bl_status_t rc = injected(point, name);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_commit(db), name);
    return rc;
}

/* The path of NAME inside the index into OUT. */
void in_index(const bl_indexer_t *ix, const char *name, char *out,
                     size_t size)
{
    snprintf(out, size, "%s/%s", ix->path, name);
}

/* The shard of the unique-id term QTERM.  Cannot fail. */
unsigned shard_of(const bl_indexer_t *ix, const char *qterm)
{
    return (unsigned)(bl_fnv1a(qterm, strlen(qterm)) % ix->nshards);
}

int bl_indexer_owns(const bl_indexer_t *ix, const char *id)
{
    char qterm[BL_MAX_TERM + 1];
    if (ix->of_n < 2)
        return 1;
    bl_id_term(id, qterm);
    return bl_fnv1a(qterm, strlen(qterm)) % ix->of_n == ix->of_k;
}

/* Parse a part name "s<k>-<n>"; returns 1 and sets *SHARD, *SEQ if NAME is
 * one. */
static int parse_part(const char *name, unsigned *shard, unsigned long *seq)
{
    unsigned k = 0;
    unsigned long n = 0;
    int end = 0;
    if (sscanf(name, "s%u-%lu%n", &k, &n, &end) != 2 || name[end] != '\0')
        return 0;
    *shard = k;
    *seq = n;
    return 1;
}

/* Append a part; returns BL_OK or BL_ENOMEM. */
bl_status_t add_part(bl_indexer_t *ix, const part_t *p)
{
    part_t *np = bl_grow(ix->parts, &ix->capparts, ix->nparts + 1,
                         sizeof *np, 16);
    if (!np)
        return bl_fail(BL_ENOMEM, "out of memory");
    ix->parts = np;
    ix->parts[ix->nparts++] = *p;
    return BL_OK;
}

/* Rewrite the stub to list IX's parts (Xapian's stub format: "auto NAME"
 * lines), atomically and durably: the commit point of a publication.
 * Returns BL_OK, BL_EIO (the message names the stub and the system's
 * reason, "No space left on device") or BL_ENOMEM. */
/* Point BL_CURRENT_LINK at the one part of an index of one shard, when
 * it has one: a new link renamed over the old, so that a replication
 * server always finds a whole database under that name.  A hint: when it
 * cannot be written the old link stays (the commit stands), and the next
 * commit tries again.  Call locked. */
static void link_current(bl_indexer_t *ix)
{
    char path[BL_PATH_BUF], tmp[BL_PATH_BUF + 16];
    if (ix->nshards != 1 || ix->nparts != 1)
        return;
    in_index(ix, BL_CURRENT_LINK, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.new", path);
    unlink(tmp);
    if (symlink(ix->parts[0].name, tmp) != 0 || rename(tmp, path) != 0)
        unlink(tmp);
}

bl_status_t write_stub_listed(bl_indexer_t *ix, int *listed)
{
    char path[BL_PATH_BUF];
    bl_buf_t text = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        rc = bl_buf_puts(&text, "auto ");
        if (rc == BL_OK)
            rc = bl_buf_puts(&text, ix->parts[i].name);
        if (rc == BL_OK)
            rc = bl_buf_putc(&text, '\n');
    }
    in_index(ix, STUB, path, sizeof path);
    int w = rc == BL_OK ? bl_write_atomic(path, text.data ? text.data : "",
                                          text.len)
                        : -1;
    if (rc == BL_OK && w < 0)
        rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
    else if (w > 0) /* In place, but maybe not durable: a failure all
                     * the same, after which the stub lists these parts. */
        rc = bl_fail(BL_EIO, "%s: written, but its directory could not be "
                             "flushed: %s", path, strerror(errno));
    bl_buf_free(&text);
    if (listed)
        *listed = w >= 0;
    if (w >= 0) {
        link_current(ix);
        mark_commit(ix);
    }
    return rc;
}

bl_status_t write_stub(bl_indexer_t *ix)
{
    return write_stub_listed(ix, NULL);
}

/* Replace the commit mark (BL_COMMIT_MARK) by a new file: searchers that
 * see it changed reopen their parts.  Not synced: it is a hint, and a
 * searcher opened after a crash reads the parts afresh anyway.  A hint
 * never fails a commit: when the new mark cannot be written the old one
 * is removed, so that no searcher trusts it (without one, searchers
 * reopen at every search).  Call locked. */
void mark_commit(bl_indexer_t *ix)
{
    char path[BL_PATH_BUF], tmp[BL_PATH_BUF + 16], text[32];
    in_index(ix, BL_COMMIT_MARK, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.new", path);
    int n = snprintf(text, sizeof text, "%lu\n", ++ix->marks);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int ok = fd >= 0 && write(fd, text, (size_t)n) == n;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        unlink(tmp);
        unlink(path);
    }
}

/* Create the new empty database NAME in the index with the schema, for
 * writing with the XC_DB_* FLAGS, in *OUT.  Returns BL_OK, BL_EIO or
 * BL_ENOMEM. */
bl_status_t create_part(bl_indexer_t *ix, const char *name, int flags,
                               xc_db_t **out)
{
    char path[BL_PATH_BUF];
    in_index(ix, name, path, sizeof path);
    bl_status_t rc = bl_from_xc(xc_db_open_writable(path,
                                                    XC_DB_CREATE_OR_OVERWRITE,
                                                    flags, out),
                                path);
    if (rc == BL_OK)
        rc = bl_schema_write(*out, path, &ix->ao);
    if (rc != BL_OK) {
        xc_db_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Read the stub's list of parts into IX.  Returns BL_OK, BL_ECORRUPT or
 * BL_ENOMEM. */
typedef struct stub_ctx {
    bl_indexer_t *ix;
    bl_status_t rc;
} stub_ctx_t;

/* One line of the index's stub: a part "s<k>-<n>" of a shard it has. */
static int stub_part(const char *type, const char *name, unsigned line,
                     void *p)
{
    stub_ctx_t *c = p;
    part_t part;
    unsigned long seq = 0;
    memset(&part, 0, sizeof part);
    if (strcmp(type, "auto") != 0 || strlen(name) >= NAME_MAX_LEN ||
        !parse_part(name, &part.shard, &seq) ||
        part.shard >= c->ix->nshards) {
        c->rc = bl_fail(BL_ECORRUPT, "%s/" STUB ":%u: not a part of this "
                                     "index: %s %s",
                        c->ix->path, line, type, name);
        return 1;
    }
    memcpy(part.name, name, strlen(name) + 1);
    part.tier = UINT32_MAX;
    c->rc = add_part(c->ix, &part);
    return c->rc != BL_OK;
}

static bl_status_t read_stub(bl_indexer_t *ix)
{
    stub_ctx_t c = {ix, BL_OK};
    bl_status_t rc = bl_stub_each(ix->path, stub_part, &c);
    if (rc == BL_END)
        return c.rc;
    if (rc == BL_ENOTFOUND)
        return bl_fail(BL_ECORRUPT, "%s: its stub, " STUB ", is missing",
                       ix->path);
    return rc;
}

/* Remove the databases in the index directory that the stub does not
 * list (left by a run that was killed), and find the next sequence
 * number.  Returns BL_OK or BL_EIO. */
static bl_status_t clean_leftovers(bl_indexer_t *ix)
{
    DIR *d = opendir(ix->path);
    struct dirent *e;
    if (!d)
        return bl_fail(BL_EIO, "%s: %s", ix->path, strerror(errno));
    ix->next_seq = 1;
    while ((e = readdir(d)) != NULL) {
        unsigned k;
        unsigned long seq;
        int listed = 0;
        if (!parse_part(e->d_name, &k, &seq))
            continue;
        if (seq >= ix->next_seq)
            ix->next_seq = seq + 1;
        for (size_t i = 0; i < ix->nparts && !listed; i++)
            listed = strcmp(ix->parts[i].name, e->d_name) == 0;
        if (!listed) {
            char path[BL_PATH_BUF];
            in_index(ix, e->d_name, path, sizeof path);
            bl_rmtree(path);
        }
    }
    closedir(d);
    return BL_OK;
}

/* Open the parts of each shard read-only as the state before this run,
 * for finding the articles that new ones replace. */
static bl_status_t open_start(bl_indexer_t *ix)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        part_t *p = &ix->parts[i];
        char path[BL_PATH_BUF];
        xc_db_t *db = NULL;
        xc_doccount_t n = 0;
        in_index(ix, p->name, path, sizeof path);
        rc = bl_from_xc(xc_db_open(path, &db), path);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_doccount(db, &n), path);
        p->docs = n;
        if (rc == BL_OK && n > 0 && !ix->start[p->shard])
            rc = bl_from_xc(xc_db_new_multi(&ix->start[p->shard]), path);
        if (rc == BL_OK && n > 0)
            rc = bl_from_xc(xc_db_add(ix->start[p->shard], db), path);
        xc_db_free(db);
    }
    return rc;
}

/* Is DIR an index of ours, a plain Xapian database, empty, or something
 * else?  Returns 'b', 'x', 'e' or 'o'. */
static int dir_kind(const char *dir)
{
    char path[BL_PATH_BUF];
    DIR *d;
    struct dirent *e;
    int n = 0;
    snprintf(path, sizeof path, "%s/" META, dir);
    if (access(path, F_OK) == 0) {
        snprintf(path, sizeof path, "%s/" STUB, dir);
        if (access(path, F_OK) == 0)
            return 'b';
    }
    snprintf(path, sizeof path, "%s/iamglass", dir);
    if (access(path, F_OK) == 0)
        return 'x';
    d = opendir(dir);
    if (!d)
        return 'o';
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    }
    closedir(d);
    return n ? 'o' : 'e';
}

/* Empty the directory of a Byline index or a plain Xapian database. */
static void wipe(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[BL_PATH_BUF];
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strcmp(e->d_name, META))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        bl_rmtree(path);
    }
    closedir(d);
}

/* Set up a new index in IX->path (META already open and empty): the
 * schema, the shard count, one empty part per shard, the stub. */
static bl_status_t create_index(bl_indexer_t *ix)
{
    char n[16];
    bl_status_t rc = bl_schema_write(ix->meta, ix->path, &ix->ao);
    snprintf(n, sizeof n, "%u", ix->nshards);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_set_metadata(ix->meta, BL_META_SHARDS, n,
                                           strlen(n)),
                        ix->path);
    if (rc == BL_OK && ix->of_n > 1) {
        snprintf(n, sizeof n, "%u/%u", ix->of_k, ix->of_n);
        rc = bl_from_xc(xc_db_set_metadata(ix->meta, BL_META_SHARD_OF, n,
                                           strlen(n)),
                        ix->path);
    }
    for (unsigned k = 0; rc == BL_OK && k < ix->nshards; k++) {
        part_t p;
        xc_db_t *db = NULL;
        memset(&p, 0, sizeof p);
        snprintf(p.name, sizeof p.name, "s%u-0", k);
        p.shard = k;
        rc = create_part(ix, p.name, 0, &db);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_commit(db), ix->path);
        xc_db_free(db);
        if (rc == BL_OK)
            rc = add_part(ix, &p);
    }
    if (rc == BL_OK)
        rc = write_stub(ix);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_commit(ix->meta), ix->path);
    return rc;
}

/* The part of its corpus an existing index holds (BL_META_SHARD_OF) into
 * IX; refused if OPTS ask for another. */
static bl_status_t read_shard_of(bl_indexer_t *ix,
                                 const bl_index_options_t *opts)
{
    char *v = NULL;
    size_t len = 0;
    bl_status_t rc = bl_from_xc(xc_db_get_metadata(ix->meta,
                                                   BL_META_SHARD_OF, &v,
                                                   &len),
                                ix->path);
    if (rc == BL_ENOTFOUND) { /* The whole corpus. */
        rc = BL_OK;
        len = 0;
    }
    if (rc == BL_OK && len &&
        (sscanf(v, "%u/%u", &ix->of_k, &ix->of_n) != 2 || ix->of_n < 2 ||
         ix->of_k >= ix->of_n))
        rc = bl_fail(BL_ECORRUPT, "%s: bad shard '%s'", ix->path, v);
    free(v);
    unsigned k = opts ? opts->shard_of_k : 0, n = opts ? opts->shard_of_n : 0;
    if (rc != BL_OK || n < 2 || (k == ix->of_k && n == ix->of_n))
        return rc;
    if (ix->of_n < 2)
        return bl_fail(BL_EARG,
                       "%s: the index holds the whole corpus, not shard "
                       "%u/%u (--overwrite starts a new one)",
                       ix->path, k, n);
    return bl_fail(BL_EARG,
                   "%s: the index holds shard %u/%u of its corpus, not "
                   "%u/%u (--overwrite starts a new one)",
                   ix->path, ix->of_k, ix->of_n, k, n);
}

/* Read the shard count of an existing index. */
static bl_status_t read_shards(bl_indexer_t *ix)
{
    char *v = NULL;
    bl_status_t rc = bl_from_xc(xc_db_get_metadata(ix->meta, BL_META_SHARDS,
                                                   &v, NULL),
                                ix->path);
    if (rc == BL_OK) {
        ix->nshards = (unsigned)strtoul(v, NULL, 10);
        if (ix->nshards < 1 || ix->nshards > BL_MAX_SHARDS)
            rc = bl_fail(BL_ECORRUPT, "%s: bad shard count '%s'", ix->path,
                         v);
    }
    free(v);
    return rc;
}

void free_indexer(bl_indexer_t *ix)
{
    if (!ix)
        return;
    while (ix->files) {
        bl_file_t *f = ix->files;
        ix->files = f->next;
        free(f->path);
        free(f);
    }
    for (size_t i = 0; i < ix->nparts; i++)
        xc_db_free(ix->parts[i].w);
    for (unsigned k = 0; ix->start && k < ix->nshards; k++)
        xc_db_free(ix->start[k]);
    for (unsigned k = 0; ix->run_ids && k < ix->nshards; k++)
        bl_idset_clear(&ix->run_ids[k]);
    free(ix->start);
    free(ix->run_ids);
    free(ix->parts);
    free(ix->seen);
    bl_analyzer_free(ix->analyzer);
    xc_db_free(ix->meta);
    pthread_mutex_destroy(&ix->mu);
    free(ix);
}

bl_status_t bl_indexer_open(const char *path, const bl_index_options_t *opts,
                            bl_indexer_t **out)
{
    bl_indexer_t *ix = NULL;
    char *lang = NULL, meta[BL_PATH_BUF];
    bl_analyzer_options_t ao;
    bl_status_t rc = BL_OK;
    int kind, fresh;
    *out = NULL;
    if (!path || !*path || strlen(path) >= sizeof ix->path - 64)
        return bl_fail(BL_EARG, path && *path ? "the index path is too long" : "no index path given");
    ix = calloc(1, sizeof *ix);
    if (!ix)
        return bl_fail(BL_ENOMEM, "out of memory");
    pthread_mutex_init(&ix->mu, NULL);
    snprintf(ix->path, sizeof ix->path, "%s", path);
    ix->seg_docs = opts && opts->segment_docs ? opts->segment_docs
                                              : BL_SEGMENT_DOCS;
    ix->seg_bytes = opts && opts->segment_bytes ? opts->segment_bytes
                                                : BL_SEGMENT_BYTES;
    ix->threads = opts && opts->threads ? opts->threads : 1;
    ix->one_part = opts && opts->one_part;
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    kind = dir_kind(path);
    if (kind == 'o') {
        rc = bl_fail(BL_ECORRUPT, "%s: exists and is not a Byline index",
                     path);
        goto fail;
    }
    if (kind == 'x' && !(opts && opts->overwrite)) {
        rc = bl_fail(BL_ECORRUPT,
                     "%s: a single Xapian database, not a Byline index of "
                     "schema %s (rebuild it with byline-index --overwrite)",
                     path, BL_SCHEMA_VERSION);
        goto fail;
    }
    fresh = kind != 'b' || (opts && opts->overwrite);
    snprintf(meta, sizeof meta, "%s/" META, path);
    /* The meta database's write lock is the index's: take it first. */
    rc = bl_from_xc(xc_db_open_writable(meta,
                                        fresh ? XC_DB_CREATE_OR_OVERWRITE
                                              : XC_DB_OPEN,
                                        0, &ix->meta),
                    path);
    if (rc == BL_ELOCKED)
        goto fail;
    if (rc != BL_OK)
        goto fail;
    if (!fresh) {
        rc = bl_schema_read(ix->meta, path, &lang, &ao);
        /* No schema and no article: an index killed before its first
         * commit (create_index's is atomic): begun again, as new. */
        if (rc == BL_OK && !lang)
            fresh = 1;
        else if (rc != BL_OK)
            goto fail;
    }
    if (fresh) {
        wipe(path);
        ao.language = opts && opts->language ? opts->language : "english";
        ao.fold_accents = opts && opts->fold_accents;
        ao.stopwords = opts && opts->stopwords;
        ao.exact_forms = !(opts && opts->stemmed_only);
        ix->nshards = opts && opts->shards ? opts->shards : 1;
        if (ix->nshards > BL_MAX_SHARDS) {
            rc = bl_fail(BL_EARG, "at most %d shards", BL_MAX_SHARDS);
            goto fail;
        }
        if (opts && opts->shard_of_n > 1) {
            ix->of_k = opts->shard_of_k;
            ix->of_n = opts->shard_of_n;
            if (ix->of_k >= ix->of_n || ix->of_n > BL_MAX_SHARDS ||
                ix->nshards > 1) {
                rc = bl_fail(BL_EARG,
                             ix->nshards > 1
                                 ? "a shard built apart is one shard: not "
                                   "with several shards"
                                 : "shard %u of %u: K must be below N, and "
                                   "N at most %d",
                             ix->of_k, ix->of_n, BL_MAX_SHARDS);
                goto fail;
            }
        }
    } else {
        rc = read_shards(ix);
        if (rc == BL_OK)
            rc = read_shard_of(ix, opts);
        if (rc != BL_OK)
            goto fail;
    }
    snprintf(ix->language, sizeof ix->language, "%s", ao.language);
    ix->ao = ao;
    ix->ao.language = ix->language;
    rc = bl_analyzer_new_with(&ix->ao, &ix->analyzer);
    if (rc != BL_OK)
        goto fail;
    ix->start = calloc(ix->nshards, sizeof *ix->start);
    ix->run_ids = calloc(ix->nshards, sizeof *ix->run_ids);
    if (!ix->start || !ix->run_ids) {
        rc = bl_fail(BL_ENOMEM, "out of memory");
        goto fail;
    }
    rc = fresh ? create_index(ix) : read_stub(ix);
    if (rc == BL_OK)
        rc = clean_leftovers(ix);
    if (rc == BL_OK)
        rc = open_start(ix);
    if (rc == BL_OK)
        rc = bl_writer_new(ix, &ix->own);
    if (rc != BL_OK)
        goto fail;
    free(lang);
    *out = ix;
    return BL_OK;
fail:
    free(lang);
    free_indexer(ix);
    return rc;
}

const char *bl_indexer_language(const bl_indexer_t *ix)
{
    return bl_analyzer_language(ix->analyzer);
}

const bl_analyzer_t *bl_indexer_analyzer(const bl_indexer_t *ix)
{
    return ix->analyzer;
}
