/*
 * byline-eval: score a run against relevance judgments, with trec_eval's
 * measures and output.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/eval.h"
#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]... QRELS RUN\n"
"Evaluate the ranked documents of RUN (TREC run lines \"qid Q0 docno rank\n"
"score tag\", as byline-search --format trec writes them) against the\n"
"judgments of QRELS (TREC \"qid 0 docno rel\", or the classic collections'\n"
"own files: CACM qrels.text, Cranfield cran.qrels, CISI.REL), as trec_eval\n"
"9 does, and print lines \"measure<TAB>qid<TAB>value\" in its format.\n"
"\n"
"Measures: num_q num_ret num_rel num_rel_ret map Rprec bpref recip_rank\n"
"P_5 P_10 P_20 P_30 P_100 recall_100 recall_1000 ndcg ndcg_cut_10\n"
"ndcg_cut_20.\n"
"\n"
"  -q                   also print each query's values (before \"all\")\n"
"  -m MEASURE           print only MEASURE (repeatable); a family name\n"
"                       (P, recall, ndcg_cut) gives all of it\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Conventions (trec_eval's): a query's documents are ordered by score, ties\n"
"by docno descending; unjudged documents are not relevant; queries of the\n"
"run without judgments are left out; relevance >= 1 is relevant; nDCG\n"
"gains are the relevance values.  Numeric query ids match whatever their\n"
"leading zeros.\n"
"\n"
"Exit status: 0, or 2 on an error.\n",
            cli_prog);
}

/* Non-zero if measure NAME is selected by the N patterns PAT. */
static int selected(const char *name, char **pat, size_t n)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(pat[i]);
        if (strcmp(name, pat[i]) == 0 ||
            (strncmp(name, pat[i], l) == 0 && name[l] == '_' &&
             strchr("0123456789", name[l + 1])))
            return 1;
    }
    return 0;
}

/* Print ROW's values (those selected). */
static void print_row(const bl_eval_row_t *row, char **pat, size_t npat)
{
    for (int m = 0; m < BL_NMEASURES; m++) {
        const char *name = bl_measure_name((bl_measure_t)m);
        if (!selected(name, pat, npat))
            continue;
        if (m <= BL_M_NUM_REL_RET)
            printf("%-22s\t%s\t%.0f\n", name, row->qid, row->v[m]);
        else
            printf("%-22s\t%s\t%.4f\n", name, row->qid, row->v[m]);
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    char **pat = NULL;
    size_t npat = 0;
    int c, per_query = 0;
    bl_qrels_t *q = NULL;
    bl_run_t *r = NULL;
    bl_eval_t *e = NULL;

    cli_prog = "byline-eval";
    while ((c = getopt_long(argc, argv, "qm:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'q': per_query = 1; break;
        case 'm': {
            char **np = realloc(pat, (npat + 1) * sizeof *np);
            if (!np) {
                cli_error("out of memory");
                return EXIT_FATAL;
            }
            pat = np;
            pat[npat++] = optarg;
            int known = strcmp(optarg, "num_q") == 0 ||
                        strcmp(optarg, "runid") == 0;
            for (int m = 0; m < BL_NMEASURES && !known; m++)
                known = selected(bl_measure_name((bl_measure_t)m), &optarg,
                                 1);
            if (!known) {
                cli_error("-m: unknown measure '%s' (see --help)", optarg);
                free(pat);
                return EXIT_FATAL;
            }
            break;
        }
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (argc - optind != 2) {
        cli_error("expected QRELS and RUN");
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        free(pat);
        return EXIT_FATAL;
    }
    if (bl_qrels_read(argv[optind], &q) != BL_OK ||
        bl_run_read(argv[optind + 1], &r) != BL_OK ||
        bl_evaluate(q, r, &e) != BL_OK) {
        cli_error("%s", bl_last_error());
        bl_qrels_free(q);
        bl_run_free(r);
        free(pat);
        return EXIT_FATAL;
    }
    for (size_t i = 0; per_query && i < e->n; i++)
        print_row(&e->rows[i], pat, npat);
    if (selected("runid", pat, npat))
        printf("%-22s\t%s\t%s\n", "runid", "all", e->runid);
    if (selected("num_q", pat, npat))
        printf("%-22s\t%s\t%zu\n", "num_q", "all", e->n);
    print_row(&e->all, pat, npat);
    int status = fflush(stdout) == 0 ? EXIT_ALL_OK : EXIT_FATAL;
    bl_eval_free(e);
    bl_qrels_free(q);
    bl_run_free(r);
    free(pat);
    return status;
}
