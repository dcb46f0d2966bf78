/*
 * gen_corpus: write a corpus of realistic news-like articles of any size,
 * for benchmarks (a 1 GB corpus for indexing runs).  Deterministic for a
 * given seed.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: gen_corpus [--seed N] [--format text|jsonl] SIZE DIR
 *   SIZE: bytes, with an optional K, M or G suffix (10M, 1G)
 *   text: one scraped-layout article per file, 1,000 files per folder
 *   jsonl: 10,000 articles per .jsonl file
 *
 * Words follow a Zipf-like distribution over a vocabulary of common news
 * words and generated ones (so that the vocabulary keeps growing with the
 * corpus, as real text does), with names, numbers, dates and places.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const COMMON[] = {
    "the", "of", "to", "and", "a", "in", "said", "on", "for", "that", "is",
    "was", "with", "by", "at", "it", "from", "as", "be", "has", "have",
    "will", "are", "its", "an", "would", "not", "year", "percent", "were",
    "which", "government", "after", "last", "new", "market", "company",
    "minister", "police", "officials", "people", "city", "state", "report",
    "week", "million", "billion", "prices", "shares", "bank", "talks",
    "court", "election", "president", "council", "workers", "union",
    "strike", "storm", "flood", "fire", "health", "hospital", "school",
    "vote", "budget", "trade", "oil", "energy", "water", "river", "port",
    "harbor", "ship", "train", "airport", "bridge", "road", "museum",
    "team", "match", "season", "coach", "players", "record", "crowd",
    "said", "told", "added", "according", "spokesman", "statement",
    "agreement", "plan", "deal", "rise", "fall", "growth", "inflation",
    "rates", "investors", "profit", "sales", "quarter", "jobs", "cuts"};
static const char *const NAMES[] = {
    "Marta Vance", "Tom Hale", "Jonah Reyes", "Priya Natarajan",
    "Elena Sorokina", "Kenji Watanabe", "Ines Barros", "Omar Haddad",
    "Grace Wanjiru", "Lucia Montes", "Anya Petrova", "Ravi Dunmore"};
static const char *const PLACES[] = {
    "Sandmouth", "Eastham", "Pine Hollow", "Northfield", "Kestrel Island",
    "Lower Brindle", "Marlow Ridge", "Villa Seca", "Westbridge", "Skarra"};

static uint64_t state = 88172645463325252ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(next() % n);
}

/* A word: mostly common ones, a long tail of generated ones. */
static void word(FILE *f, int capital)
{
    static const char *const SYL[] = {"ba", "ro", "ten", "mi", "ka", "lor",
                                      "dis", "per", "con", "tra", "vel",
                                      "sta", "mon", "ga", "rel", "fi"};
    unsigned r = pick(1000);
    if (r < 700) {
        /* Zipf-like over the common words: low indexes far likelier. */
        unsigned n = sizeof COMMON / sizeof COMMON[0];
        unsigned i = (unsigned)((double)n * (double)(next() % 1000) / 1000.0 *
                                (double)(next() % 1000) / 1000.0);
        const char *w = COMMON[i % n];
        fprintf(f, "%c%s", capital ? w[0] - 32 : w[0], w + 1);
    } else if (r < 990) {
        /* A generated word from a vocabulary that grows like log(n). */
        uint64_t id = next() % (1u << (10 + pick(10)));
        char buf[32];
        size_t k = 0;
        do {
            const char *s = SYL[id % 16];
            id /= 16;
            while (*s && k + 1 < sizeof buf)
                buf[k++] = *s++;
        } while (id && k < 20);
        buf[k] = '\0';
        if (capital)
            buf[0] = (char)(buf[0] - 32);
        fputs(buf, f);
    } else {
        fprintf(f, "%u", pick(100) < 50 ? pick(100) : pick(100000));
    }
}

/* A sentence of 8 to 30 words, now and then with a name or a place. */
static void sentence(FILE *f)
{
    unsigned n = 8 + pick(23);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            fputs(i == n / 2 && pick(4) == 0 ? ", " : " ", f);
        if (pick(30) == 0)
            fputs(NAMES[pick(12)], f);
        else if (pick(40) == 0)
            fputs(PLACES[pick(10)], f);
        else
            word(f, i == 0);
    }
    fputs(pick(20) == 0 ? "?" : ".", f);
}

/* An article of about TARGET bytes in the scraped layout (text) or as a
 * JSON object (jsonl).  Returns the bytes written. */
static long article(FILE *f, int jsonl, unsigned long id, long target)
{
    long start = ftell(f);
    unsigned y = 2015 + pick(10), m = 1 + pick(12), d = 1 + pick(28);
    const char *author = NAMES[pick(12)];
    if (jsonl)
        fprintf(f, "{\"id\":\"gen-%lu\",\"title\":\"", id);
    for (unsigned i = 0, n = 5 + pick(6); i < n; i++) {
        if (i)
            fputc(' ', f);
        word(f, 1);
    }
    if (jsonl) {
        fprintf(f, "\",\"author\":\"%s\",\"date\":\"%u-%02u-%02u\","
                   "\"body\":\"", author, y, m, d);
    } else {
        fprintf(f, "\n\n%s\n%u/%u/%u\n\n", author, m, d, y);
    }
    while (ftell(f) - start < target) {
        for (unsigned s = 0, n = 2 + pick(4); s < n; s++) {
            if (s)
                fputc(' ', f);
            sentence(f);
        }
        fputs(jsonl ? "\\n\\n" : "\n\n", f);
    }
    fputs(jsonl ? "\"}\n" : "", f);
    return ftell(f) - start;
}

int main(int argc, char **argv)
{
    int jsonl = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            state ^= strtoull(argv[++i], NULL, 10) * 2654435761u;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            jsonl = strcmp(argv[++i], "jsonl") == 0;
        else
            break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: gen_corpus [--seed N] [--format text|jsonl] "
                        "SIZE DIR\n");
        return 2;
    }
    char *unit = NULL;
    double size = strtod(argv[i], &unit);
    if (*unit == 'K' || *unit == 'k')
        size *= 1e3;
    else if (*unit == 'M' || *unit == 'm')
        size *= 1e6;
    else if (*unit == 'G' || *unit == 'g')
        size *= 1e9;
    const char *dir = argv[i + 1];
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        perror(dir);
        return 2;
    }
    long total = 0;
    unsigned long id = 0;
    FILE *f = NULL;
    char path[4096];
    while (total < (long)size) {
        if (jsonl) {
            if (id % 10000 == 0) {
                if (f)
                    fclose(f);
                snprintf(path, sizeof path, "%s/part-%05lu.jsonl", dir,
                         id / 10000);
                f = fopen(path, "w");
            }
        } else {
            if (id % 1000 == 0) {
                snprintf(path, sizeof path, "%s/%05lu", dir, id / 1000);
                mkdir(path, 0755);
            }
            snprintf(path, sizeof path, "%s/%05lu/a%07lu.txt", dir,
                     id / 1000, id);
            f = fopen(path, "w");
        }
        if (!f) {
            perror(path);
            return 2;
        }
        /* Article sizes from 500 bytes to 8 KB, most around 2-3 KB. */
        long target = 500 + (long)pick(2000) + (long)pick(2000) +
                      (pick(10) == 0 ? (long)pick(4000) : 0);
        total += article(f, jsonl, id, target);
        if (!jsonl) {
            fclose(f);
            f = NULL;
        }
        id++;
    }
    if (f)
        fclose(f);
    fprintf(stderr, "gen_corpus: %lu articles, %.1f MB in %s\n", id,
            total / 1e6, dir);
    return 0;
}
