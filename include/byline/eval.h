/*
 * The evaluation layer: topics (queries), relevance judgments and runs.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_EVAL_H
#define BYLINE_EVAL_H

#include <stddef.h>

#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One topic: its id and the query text to run. */
typedef struct bl_topic {
    char *id;
    char *query;
} bl_topic_t;

/* Which part of a TREC topic is the query. */
typedef enum bl_topic_field {
    BL_TOPIC_TITLE = 0,  /* <title> (the default) */
    BL_TOPIC_DESC,       /* <desc> */
    BL_TOPIC_TITLE_DESC  /* both */
} bl_topic_field_t;

/* Read the topics in PATH into a malloc'ed array *OUT of *N: a TREC topic
 * file (<top> <num> Number: 401 <title> ... <desc> ... </top>; FIELD
 * picks the text) or lines "qid<TAB>query" (blank lines and lines starting
 * with '#' are skipped).  A topic without an id or a query is an error
 * naming its line.  Returns BL_OK, BL_ENOTFOUND, BL_EIO, BL_EFORMAT or
 * BL_ENOMEM. */
bl_status_t bl_topics_read(const char *path, bl_topic_field_t field,
                           bl_topic_t **out, size_t *n);

/* Free N topics T.  Accepts NULL. */
void bl_topics_free(bl_topic_t *t, size_t n);

#ifdef __cplusplus
}
#endif

#endif
