/*
 * Relevance judgments, runs, and the measures trec_eval computes, with
 * trec_eval 9's conventions (see byline/eval.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/eval.h"
#include "util/fail.h"
#include "util/array.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One judgment or one ranked document. */
typedef struct entry {
    char *qid, *docno;
    long rel;      /* Judgments. */
    double score;  /* Runs. */
} entry_t;

typedef struct list {
    entry_t *e;
    size_t n, cap;
} list_t;

struct bl_qrels {
    list_t l; /* Sorted by qid, then docno. */
};

struct bl_run {
    list_t l; /* Sorted by qid, then score down, then docno down. */
    char *tag;
};

static const char *const NAMES[BL_NMEASURES] = {
    "num_ret", "num_rel", "num_rel_ret", "map", "Rprec", "bpref",
    "recip_rank", "P_5", "P_10", "P_20", "P_30", "P_100", "recall_100",
    "recall_1000", "ndcg", "ndcg_cut_10", "ndcg_cut_20"};

const char *bl_measure_name(bl_measure_t m)
{
    return m < BL_NMEASURES ? NAMES[m] : "?";
}

void bl_trec_scores(double *s, size_t n)
{
    int by_rank = 0;
    for (size_t i = 0; i < n; i++)
        by_rank |= !(s[i] > 0);
    for (size_t i = 0; i < n; i++) {
        if (by_rank)
            s[i] = (double)(n - i);
        if (i > 0 && s[i] >= s[i - 1])
            s[i] = s[i - 1] * (1 - 1e-6);
    }
}

/* Write TEXT as a field of a TREC line (see bl_trec_line()). */
static void trec_field(FILE *f, const char *text)
{
    for (const unsigned char *c = (const unsigned char *)(text ? text : "");
         *c; c++) {
        if (*c <= ' ' || *c == '%' || *c == 0x7f)
            fprintf(f, "%%%02X", *c);
        else
            putc(*c, f);
    }
}

int bl_trec_line(FILE *f, const char *qid, const char *docno,
                 unsigned long rank, double score, const char *tag)
{
    trec_field(f, qid);
    fputs(" Q0 ", f);
    trec_field(f, docno);
    fprintf(f, " %lu %.10g ", rank, score);
    trec_field(f, tag);
    return putc('\n', f) == EOF ? -1 : 0;
}

/* Compare query ids: numbers by value ("01" == "1"), others as text. */
static int cmp_qid(const char *a, const char *b)
{
    const char *x = a, *y = b;
    if (strspn(a, "0123456789") == strlen(a) && *a &&
        strspn(b, "0123456789") == strlen(b) && *b) {
        while (x[0] == '0' && x[1])
            x++;
        while (y[0] == '0' && y[1])
            y++;
        size_t lx = strlen(x), ly = strlen(y);
        if (lx != ly)
            return lx < ly ? -1 : 1;
    }
    return strcmp(x, y);
}

static int cmp_judgment(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    int c = cmp_qid(x->qid, y->qid);
    return c ? c : strcmp(x->docno, y->docno);
}

/* trec_eval's order: score down, ties by docno down. */
static int cmp_ranked(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    int c = cmp_qid(x->qid, y->qid);
    if (c)
        return c;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(y->docno, x->docno);
}

static void list_free(list_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->e[i].qid);
        free(l->e[i].docno);
    }
    free(l->e);
}

static bl_status_t push(list_t *l, const char *qid, const char *docno,
                        long rel, double score)
{
    entry_t *ne = bl_grow(l->e, &l->cap, l->n + 1, sizeof *ne, 1024);
    if (!ne)
        return bl_fail(BL_ENOMEM, "out of memory");
    l->e = ne;
    entry_t *e = &l->e[l->n];
    e->qid = strdup(qid);
    e->docno = strdup(docno);
    e->rel = rel;
    e->score = score;
    if (!e->qid || !e->docno) {
        free(e->qid);
        free(e->docno);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    l->n++;
    return BL_OK;
}

#define MAX_FIELDS 8

/* Split LINE (modified) into white-space separated fields; returns how
 * many (at most MAX_FIELDS). */
static int split(char *line, char **f)
{
    int n = 0;
    char *p = line;
    while (n < MAX_FIELDS) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        f[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

/* Read the lines of PATH into a malloc'ed array of strings *LINES (the
 * blank ones left out), with their line numbers in *NOS. */
static bl_status_t read_lines(const char *path, char ***lines,
                              unsigned long **nos, size_t *n)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, have = 0, room = 0;
    unsigned long no = 0;
    ssize_t len;
    bl_status_t rc = BL_OK;
    *lines = NULL;
    *nos = NULL;
    *n = 0;
    if (!f)
        return bl_fail(errno == ENOENT ? BL_ENOTFOUND : BL_EIO, "%s: %s",
                       path, strerror(errno));
    while (rc == BL_OK && (len = getline(&line, &cap, f)) >= 0) {
        no++;
        if (strspn(line, " \t\r\n") == (size_t)len)
            continue;
        /* (Two arrays of one capacity: ROOM set once both grew.) */
        size_t r1 = room, r2 = room;
        char **nl = bl_grow(*lines, &r1, have + 1, sizeof *nl, 1024);
        if (nl)
            *lines = nl;
        unsigned long *nn =
            nl ? bl_grow(*nos, &r2, have + 1, sizeof *nn, 1024) : NULL;
        if (!nn) {
            rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        *nos = nn;
        room = r1;
        (*lines)[have] = strdup(line);
        (*nos)[have] = no;
        if (!(*lines)[have])
            rc = bl_fail(BL_ENOMEM, "out of memory");
        else
            have++;
    }
    if (rc == BL_OK && ferror(f))
        rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    *n = have;
    return rc;
}

static void free_lines(char **lines, unsigned long *nos, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free(nos);
}

/* Parse a whole number (possibly negative) into *OUT; 0 if S is not
 * one. */
static int whole(const char *s, long *out)
{
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || d != floor(d))
        return 0;
    *out = (long)d;
    return 1;
}

bl_status_t bl_qrels_read(const char *path, bl_qrels_t **out)
{
    char **lines = NULL, *f[MAX_FIELDS];
    unsigned long *nos = NULL;
    size_t n = 0;
    bl_qrels_t *q = NULL;
    *out = NULL;
    bl_status_t rc = read_lines(path, &lines, &nos, &n);
    /* Which layout: TREC if every line is "qid 0|Q0 docno rel". */
    int trec = n > 0, cran = n > 0;
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        char *copy = strdup(lines[i]);
        long r = 0;
        if (!copy) {
            rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        int k = split(copy, f);
        if (k < 2)
            rc = bl_fail(BL_EFORMAT, "%s:%lu: expected a query id and a "
                                     "document", path, nos[i]);
        if (k != 4 || (strcmp(f[1], "0") && strcmp(f[1], "Q0")) ||
            !whole(f[3], &r))
            trec = 0;
        if (k != 3 || !whole(f[2], &r))
            cran = 0;
        free(copy);
    }
    if (rc == BL_OK) {
        q = calloc(1, sizeof *q);
        if (!q)
            rc = bl_fail(BL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        long rel = 1;
        int k = split(lines[i], f);
        (void)k;
        if (trec) {
            whole(f[3], &rel);
            rc = push(&q->l, f[0], f[2], rel, 0);
            continue;
        }
        if (cran) {
            long code = 0;
            whole(f[2], &code);
            rel = code >= 1 && code <= 4 ? 5 - code : 1;
        }
        rc = push(&q->l, f[0], f[1], rel, 0);
    }
    free_lines(lines, nos, n);
    if (rc == BL_OK && q->l.n == 0)
        rc = bl_fail(BL_EFORMAT, "%s: no judgments", path);
    if (rc == BL_OK) {
        qsort(q->l.e, q->l.n, sizeof *q->l.e, cmp_judgment);
        /* A document judged twice for one query: trec_eval refuses it,
         * and so do we. */
        for (size_t i = 1; i < q->l.n; i++) {
            if (!cmp_judgment(&q->l.e[i - 1], &q->l.e[i])) {
                rc = bl_fail(BL_EFORMAT, "%s: query %s judges %s twice",
                             path, q->l.e[i].qid, q->l.e[i].docno);
                break;
            }
        }
    }
    if (rc != BL_OK) {
        bl_qrels_free(q);
        return rc;
    }
    *out = q;
    return BL_OK;
}

void bl_qrels_free(bl_qrels_t *q)
{
    if (!q)
        return;
    list_free(&q->l);
    free(q);
}

bl_status_t bl_run_read(const char *path, bl_run_t **out)
{
    char **lines = NULL, *f[MAX_FIELDS];
    unsigned long *nos = NULL;
    size_t n = 0;
    bl_run_t *r = NULL;
    *out = NULL;
    bl_status_t rc = read_lines(path, &lines, &nos, &n);
    if (rc == BL_OK) {
        r = calloc(1, sizeof *r);
        if (!r)
            rc = bl_fail(BL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        char *end = NULL;
        int k = split(lines[i], f);
        if (k != 6) {
            rc = bl_fail(BL_EFORMAT, "%s:%lu: expected \"qid Q0 docno rank "
                                     "score tag\"", path, nos[i]);
            break;
        }
        double score = strtod(f[4], &end);
        if (end == f[4] || *end) {
            rc = bl_fail(BL_EFORMAT, "%s:%lu: the score '%s' is not a "
                                     "number", path, nos[i], f[4]);
            break;
        }
        if (!r->tag) {
            r->tag = strdup(f[5]);
            if (!r->tag)
                rc = bl_fail(BL_ENOMEM, "out of memory");
        }
        if (rc == BL_OK)
            rc = push(&r->l, f[0], f[2], 0, score);
    }
    free_lines(lines, nos, n);
    if (rc == BL_OK)
        qsort(r->l.e, r->l.n, sizeof *r->l.e, cmp_ranked);
    if (rc != BL_OK) {
        bl_run_free(r);
        return rc;
    }
    *out = r;
    return BL_OK;
}

void bl_run_free(bl_run_t *r)
{
    if (!r)
        return;
    list_free(&r->l);
    free(r->tag);
    free(r);
}

/* The relevance of DOCNO among the judgments J[0..NJ) of one query
 * (sorted by docno); -3 when it was not judged. */
static long relevance(const entry_t *j, size_t nj, const char *docno)
{
    size_t lo = 0, hi = nj;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(j[mid].docno, docno);
        if (c == 0)
            return j[mid].rel;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -3;
}

static int cmp_long_down(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x > y ? -1 : x < y;
}

/* The measures of one query: the ranked list R[0..NR) and its judgments
 * J[0..NJ).  Returns BL_OK or BL_ENOMEM. */
static bl_status_t measure(const entry_t *r, size_t nr, const entry_t *j,
                           size_t nj, double *v)
{
    long *rel = malloc((nr ? nr : 1) * sizeof *rel);
    long *ideal = malloc((nj ? nj : 1) * sizeof *ideal);
    long num_rel = 0, num_nonrel = 0, rel_ret = 0, nonrel_so_far = 0;
    size_t ni = 0;
    double ap = 0, bpref = 0, rr = 0, dcg = 0, dcg10 = 0, dcg20 = 0;
    if (!rel || !ideal) {
        free(rel);
        free(ideal);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nj; i++) {
        if (j[i].rel >= 1) {
            num_rel++;
            ideal[ni++] = j[i].rel;
        } else if (j[i].rel == 0) {
            num_nonrel++;
        }
    }
    memset(v, 0, BL_NMEASURES * sizeof *v);
    for (size_t i = 0; i < nr; i++)
        rel[i] = relevance(j, nj, r[i].docno);
    for (size_t i = 0; i < nr; i++) {
        long g = rel[i];
        double disc = log2((double)i + 2);
        if (g >= 1) {
            rel_ret++;
            ap += (double)rel_ret / (double)(i + 1);
            if (rr == 0)
                rr = 1.0 / (double)(i + 1);
            bpref += nonrel_so_far > 0
                         ? 1.0 - (double)(nonrel_so_far < num_rel
                                              ? nonrel_so_far
                                              : num_rel) /
                                     (double)(num_nonrel < num_rel
                                                  ? num_nonrel
                                                  : num_rel)
                         : 1.0;
        } else if (g == 0) {
            nonrel_so_far++;
        }
        if (g > 0) {
            dcg += (double)g / disc;
            if (i < 10)
                dcg10 += (double)g / disc;
            if (i < 20)
                dcg20 += (double)g / disc;
        }
        if (i + 1 == 5)
            v[BL_M_P5] = rel_ret / 5.0;
        if (i + 1 == 10)
            v[BL_M_P10] = rel_ret / 10.0;
        if (i + 1 == 20)
            v[BL_M_P20] = rel_ret / 20.0;
        if (i + 1 == 30)
            v[BL_M_P30] = rel_ret / 30.0;
        if (i + 1 == 100)
            v[BL_M_P100] = rel_ret / 100.0;
        if (i + 1 == 100 && num_rel)
            v[BL_M_RECALL100] = (double)rel_ret / (double)num_rel;
        if (i + 1 == 1000 && num_rel)
            v[BL_M_RECALL1000] = (double)rel_ret / (double)num_rel;
        if ((long)(i + 1) == num_rel)
            v[BL_M_RPREC] = (double)rel_ret / (double)num_rel;
    }
    /* Cut-offs past the end of the ranking count what was retrieved. */
    static const struct {
        bl_measure_t m;
        size_t k;
    } P[] = {{BL_M_P5, 5},    {BL_M_P10, 10}, {BL_M_P20, 20},
             {BL_M_P30, 30},  {BL_M_P100, 100}};
    for (size_t p = 0; p < sizeof P / sizeof P[0]; p++) {
        if (nr < P[p].k)
            v[P[p].m] = (double)rel_ret / (double)P[p].k;
    }
    if (num_rel && nr < 100)
        v[BL_M_RECALL100] = (double)rel_ret / (double)num_rel;
    if (num_rel && nr < 1000)
        v[BL_M_RECALL1000] = (double)rel_ret / (double)num_rel;
    if (num_rel && (size_t)num_rel > nr)
        v[BL_M_RPREC] = (double)rel_ret / (double)num_rel;
    /* The ideal ranking: every relevant document, best first. */
    qsort(ideal, ni, sizeof *ideal, cmp_long_down);
    double idcg = 0, idcg10 = 0, idcg20 = 0;
    for (size_t i = 0; i < ni; i++) {
        double g = (double)ideal[i] / log2((double)i + 2);
        idcg += g;
        if (i < 10)
            idcg10 += g;
        if (i < 20)
            idcg20 += g;
    }
    v[BL_M_NUM_RET] = (double)nr;
    v[BL_M_NUM_REL] = (double)num_rel;
    v[BL_M_NUM_REL_RET] = (double)rel_ret;
    v[BL_M_MAP] = num_rel ? ap / (double)num_rel : 0;
    v[BL_M_BPREF] = num_rel ? bpref / (double)num_rel : 0;
    v[BL_M_RECIP_RANK] = rr;
    v[BL_M_NDCG] = idcg > 0 ? dcg / idcg : 0;
    v[BL_M_NDCG10] = idcg10 > 0 ? dcg10 / idcg10 : 0;
    v[BL_M_NDCG20] = idcg20 > 0 ? dcg20 / idcg20 : 0;
    free(rel);
    free(ideal);
    return BL_OK;
}

static int cmp_docno_ptr(const void *a, const void *b)
{
    const entry_t *x = *(const entry_t *const *)a,
                  *y = *(const entry_t *const *)b;
    return strcmp(x->docno, y->docno);
}

/* BL_EFORMAT if a document is ranked twice in R[0..N) (one query), as
 * trec_eval refuses it. */
static bl_status_t check_twice(const entry_t *r, size_t n)
{
    const entry_t **p = malloc((n ? n : 1) * sizeof *p);
    bl_status_t rc = BL_OK;
    if (!p)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        p[i] = &r[i];
    qsort(p, n, sizeof *p, cmp_docno_ptr);
    for (size_t i = 1; i < n && rc == BL_OK; i++) {
        if (!strcmp(p[i]->docno, p[i - 1]->docno))
            rc = bl_fail(BL_EFORMAT, "query %s ranks %s twice", p[i]->qid,
                         p[i]->docno);
    }
    free(p);
    return rc;
}

bl_status_t bl_evaluate(const bl_qrels_t *qrels, const bl_run_t *run,
                        bl_eval_t **out)
{
    bl_eval_t *e = calloc(1, sizeof *e);
    const list_t *rl = &run->l, *jl = &qrels->l;
    size_t j = 0;
    bl_status_t rc = BL_OK;
    *out = NULL;
    if (!e)
        return bl_fail(BL_ENOMEM, "out of memory");
    e->runid = strdup(run->tag ? run->tag : "");
    e->all.qid = strdup("all");
    if (!e->runid || !e->all.qid)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == BL_OK && i < rl->n;) {
        size_t end = i;
        while (end < rl->n && !cmp_qid(rl->e[end].qid, rl->e[i].qid))
            end++;
        rc = check_twice(rl->e + i, end - i);
        while (j < jl->n && cmp_qid(jl->e[j].qid, rl->e[i].qid) < 0)
            j++;
        size_t jend = j;
        while (jend < jl->n && !cmp_qid(jl->e[jend].qid, rl->e[i].qid))
            jend++;
        if (rc == BL_OK && jend > j) {
            bl_eval_row_t *nr = realloc(e->rows, (e->n + 1) * sizeof *nr);
            if (!nr) {
                rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            e->rows = nr;
            bl_eval_row_t *row = &e->rows[e->n];
            row->qid = strdup(rl->e[i].qid);
            if (!row->qid) {
                rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            e->n++;
            rc = measure(rl->e + i, end - i, jl->e + j, jend - j, row->v);
        }
        i = end;
    }
    for (size_t q = 0; rc == BL_OK && q < e->n; q++) {
        for (int m = 0; m < BL_NMEASURES; m++)
            e->all.v[m] += e->rows[q].v[m];
    }
    for (int m = BL_M_MAP; rc == BL_OK && e->n && m < BL_NMEASURES; m++)
        e->all.v[m] /= (double)e->n;
    if (rc != BL_OK) {
        bl_eval_free(e);
        return rc;
    }
    *out = e;
    return BL_OK;
}

void bl_eval_free(bl_eval_t *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++)
        free(e->rows[i].qid);
    free(e->rows);
    free(e->all.qid);
    free(e->runid);
    free(e);
}

bl_status_t bl_eval_values(const bl_qrels_t *qrels, const bl_eval_t *e,
                           bl_measure_t m, double **values, size_t *n)
{
    const list_t *jl = &qrels->l;
    double *v = NULL;
    size_t nv = 0, row = 0;
    *values = NULL;
    *n = 0;
    if ((unsigned)m >= BL_NMEASURES)
        return bl_fail(BL_EARG, "measure %d out of range", (int)m);
    /* One slot per query of the judgments is enough. */
    v = malloc((jl->n ? jl->n : 1) * sizeof *v);
    if (!v)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t j = 0; j < jl->n;) {
        size_t end = j;
        int relevant = 0;
        while (end < jl->n && !cmp_qid(jl->e[end].qid, jl->e[j].qid))
            relevant |= jl->e[end++].rel >= 1;
        if (relevant) {
            /* Rows and judgments are both in cmp_qid() order. */
            while (row < e->n && cmp_qid(e->rows[row].qid, jl->e[j].qid) < 0)
                row++;
            v[nv++] = row < e->n && !cmp_qid(e->rows[row].qid, jl->e[j].qid)
                          ? e->rows[row].v[m]
                          : 0;
        }
        j = end;
    }
    if (nv == 0) {
        free(v);
        return BL_OK;
    }
    *values = v;
    *n = nv;
    return BL_OK;
}
