/*
 * byline-eval: score a run against relevance judgments, with trec_eval's
 * measures and output; or compare runs query by query, with paired
 * significance tests (--compare).
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
"  or:  %s --compare [OPTION]... QRELS BASE RUN...\n"
"Evaluate the ranked documents of RUN (TREC run lines \"qid Q0 docno rank\n"
"score tag\", as byline-search --format trec writes them) against the\n"
"judgments of QRELS (TREC \"qid 0 docno rel\", or the classic collections'\n"
"own files: CACM qrels.text, Cranfield cran.qrels, CISI.REL), as trec_eval\n"
"9 does, and print lines \"measure<TAB>qid<TAB>value\" in its format.\n"
"With --compare, compare each RUN with BASE query by query instead.\n"
"\n"
"Measures, in the order printed: runid (the run's tag) num_q num_ret\n"
"num_rel num_rel_ret map Rprec bpref recip_rank P_5 P_10 P_20 P_30 P_100\n"
"recall_100 recall_1000 ndcg ndcg_cut_10 ndcg_cut_20.  runid and num_q\n"
"are printed for \"all\" only, and --compare takes neither.\n"
"\n"
"  -q                   also print each query's values (before \"all\")\n"
"  -m MEASURE           print only MEASURE (repeatable); a family name\n"
"                       (P, recall, ndcg_cut) gives all of it\n"
"      --compare        compare runs: see below\n"
"      --permutations N random sign patterns of the randomization test\n"
"                       (default 100000)\n"
"      --seed S         seed of those patterns (default 1)\n"
"      --holm           add the Holm-corrected randomization p\n"
"      --header         print a line of column names first\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Conventions (trec_eval's): a query's documents are ordered by score, ties\n"
"by docno descending; unjudged documents are not relevant; queries of the\n"
"run without judgments are left out; relevance >= 1 is relevant; nDCG\n"
"gains are the relevance values.  Numeric query ids match whatever their\n"
"leading zeros.\n"
"\n"
"--compare prints, for each measure (-m, in the order given; default map,\n"
"P_10, ndcg_cut_10) and each RUN, one line of tab-separated columns:\n"
"  measure, run (as given), the run's value, the base's value, the\n"
"  difference (run - base), wins, losses, ties (queries where the run is\n"
"  above, below, equal to the base), p of a two-sided paired t-test, p of\n"
"  a two-sided paired randomization test [, with --holm, that p corrected\n"
"  by Holm's method over all the lines printed].\n"
"Values, differences and p's have 4 decimals (a p below 0.00005 prints as\n"
"0.0000).  The queries are those of QRELS with a relevant document; a\n"
"query a run lacks counts as 0 (trec_eval -c); values are means over them.\n"
"A difference within 1e-10 is a tie, and counts as 0.  The t-test's p is\n"
"1 when every difference is 0 or there is one query.  The randomization\n"
"test swaps run and base within random queries (flips the signs of the\n"
"differences) N times and p = (patterns whose mean difference is at\n"
"least as far from 0 as the one seen + 1) / (N + 1); when 2^queries <= N\n"
"it counts every pattern instead and p is exact.  The same S gives the\n"
"same p's.  A note on stderr says how many queries were compared.\n"
"\n"
"Exit status: 0, or 2 on an error.\n",
            cli_prog, cli_prog);
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

/* The measures the N patterns PAT select, in the order they were given
 * (each once), into the malloc'ed *OUT of *NOUT.  Returns 0, or -1 with a
 * message when a pattern is no per-query measure (num_q, runid) or memory
 * runs out. */
static int compare_measures(char **pat, size_t n, bl_measure_t **out,
                            size_t *nout)
{
    bl_measure_t *ms = malloc(BL_NMEASURES * sizeof *ms);
    size_t k = 0;
    if (!ms) {
        cli_error("out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(pat[i], "num_q") == 0 || strcmp(pat[i], "runid") == 0) {
            cli_error("-m: %s is not a per-query measure: --compare cannot "
                      "use it", pat[i]);
            free(ms);
            return -1;
        }
        for (int m = 0; m < BL_NMEASURES; m++) {
            int seen = 0;
            for (size_t j = 0; j < k; j++)
                seen |= ms[j] == (bl_measure_t)m;
            if (!seen && selected(bl_measure_name((bl_measure_t)m), &pat[i], 1))
                ms[k++] = (bl_measure_t)m;
        }
    }
    *out = ms;
    *nout = k;
    return 0;
}

/* Read QRELS and the N runs RUNS, evaluate them, compare RUNS[1..N) with
 * RUNS[0] as OPT says, and print the lines (see usage()).  Returns the
 * exit status. */
static int compare(const char *qrels, char **runs, size_t n,
                   bl_compare_options_t *opt, int holm, int header)
{
    bl_qrels_t *q = NULL;
    bl_eval_t **e = calloc(n, sizeof *e);
    bl_compare_t *c = NULL;
    int status = EXIT_FATAL;
    if (!e) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    if (bl_qrels_read(qrels, &q) != BL_OK) {
        cli_error("%s", bl_last_error());
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        bl_run_t *r = NULL;
        bl_status_t rc = bl_run_read(runs[i], &r);
        if (rc == BL_OK) {
            rc = bl_evaluate(q, r, &e[i]);
            if (rc != BL_OK)
                cli_error("%s: %s", runs[i], bl_last_error());
        } else {
            cli_error("%s", bl_last_error());
        }
        bl_run_free(r);
        if (rc != BL_OK)
            goto done;
    }
    if (bl_compare(q, (const bl_eval_t *const *)e, n, opt, &c) != BL_OK) {
        cli_error("%s: %s", qrels, bl_last_error());
        goto done;
    }
    if (c->exact)
        cli_error("%zu queries compared; randomization test exact (every "
                  "sign pattern)", c->queries);
    else
        cli_error("%zu queries compared; randomization test over %lu "
                  "random sign patterns, seed %llu", c->queries,
                  opt->permutations, (unsigned long long)opt->seed);
    if (header)
        printf("measure\trun\tvalue\tbase\tdiff\twins\tlosses\tties\tp_t\t"
               "p_rand%s\n", holm ? "\tp_holm" : "");
    for (size_t i = 0; i < c->n; i++) {
        const bl_compare_line_t *l = &c->lines[i];
        printf("%s\t%s\t%.4f\t%.4f\t%.4f\t%zu\t%zu\t%zu\t%.4f\t%.4f",
               bl_measure_name(l->measure), runs[l->run], l->value, l->base,
               l->diff, l->wins, l->losses, l->ties, l->p_t, l->p_rand);
        if (holm)
            printf("\t%.4f", l->p_holm);
        putchar('\n');
    }
    status = fflush(stdout) == 0 ? EXIT_ALL_OK : EXIT_FATAL;
done:
    bl_compare_free(c);
    for (size_t i = 0; i < n; i++)
        bl_eval_free(e[i]);
    free(e);
    bl_qrels_free(q);
    return status;
}

int main(int argc, char **argv)
{
    enum { OPT_COMPARE = 256, OPT_PERMUTATIONS, OPT_SEED, OPT_HOLM,
           OPT_HEADER };
    static const struct option opts[] = {
        {"compare", no_argument, NULL, OPT_COMPARE},
        {"permutations", required_argument, NULL, OPT_PERMUTATIONS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"holm", no_argument, NULL, OPT_HOLM},
        {"header", no_argument, NULL, OPT_HEADER},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    char **pat = NULL;
    size_t npat = 0;
    int c, per_query = 0, comparing = 0, holm = 0, header = 0;
    const char *compare_only = NULL;
    bl_compare_options_t copt = {.permutations = BL_COMPARE_PERMUTATIONS,
                                 .seed = 1};
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
        case OPT_COMPARE: comparing = 1; break;
        case OPT_PERMUTATIONS:
            copt.permutations = cli_uint("--permutations", optarg);
            if (copt.permutations == 0) {
                cli_error("--permutations: at least 1");
                free(pat);
                return EXIT_FATAL;
            }
            compare_only = "--permutations";
            break;
        case OPT_SEED:
            copt.seed = cli_uint("--seed", optarg);
            compare_only = "--seed";
            break;
        case OPT_HOLM: holm = 1; compare_only = "--holm"; break;
        case OPT_HEADER: header = 1; compare_only = "--header"; break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (comparing) {
        bl_measure_t *ms = NULL;
        int status = EXIT_FATAL;
        if (per_query || argc - optind < 3) {
            cli_error(per_query ? "-q: not with --compare"
                                : "--compare: expected QRELS, BASE and at "
                                  "least one RUN");
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        } else if (compare_measures(pat, npat, &ms, &copt.nmeasures) == 0) {
            copt.measures = npat ? ms : NULL;
            status = compare(argv[optind], argv + optind + 1,
                             (size_t)(argc - optind - 1), &copt, holm,
                             header);
        }
        free(ms);
        free(pat);
        return status;
    }
    if (compare_only) {
        cli_error("%s: only with --compare", compare_only);
        free(pat);
        return EXIT_FATAL;
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
