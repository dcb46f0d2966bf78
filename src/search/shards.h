/*
 * The shards of an index served from other machines: a stub whose
 * entries are opened one by one, so that a shard that does not answer
 * leaves the others searchable, and is tried again later.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Xapian opens a stub as one database and fails as a whole when one of
 * its remote entries is down.  Here each entry is a database of its own
 * (a remote one with the searcher's timeouts), and the database searched
 * is the union of those that answered.  Not thread-safe: a set belongs to
 * one searcher, used by one thread at a time.
 */
#ifndef BYLINE_SEARCH_SHARDS_H
#define BYLINE_SEARCH_SHARDS_H

#include <stddef.h>

#include "byline/search.h"
#include "xapian-c/xapian-c.h"

typedef struct shards shards_t;

/* Default time a shard has to answer, and to accept a connection: a LAN's
 * (a shard that takes longer is taken for down, and its part of an answer
 * is missing, said so). */
#define SHARDS_TIMEOUT_MS 5000
#define SHARDS_CONNECT_MS 2000

/* A shard found down is tried again at most this often (so that a host
 * that is gone costs the connect timeout once in a while, not on every
 * search). */
#define SHARDS_RETRY_NS 2000000000LL

/* Open the entries of the stub at PATH (PATH/XAPIANDB, or PATH itself
 * when it is a file) one by one; TIMEOUT_MS (0: SHARDS_TIMEOUT_MS) bounds
 * each exchange with a remote shard, and the smaller of it and
 * SHARDS_CONNECT_MS a connection.  On success *OUT holds the union of
 * those that opened, and the others as failed.  Returns BL_OK, BL_EARG
 * (an entry this cannot open alone, e.g. "remote :PROGRAM": open the stub
 * as a whole instead), BL_ENOTFOUND (no stub), BL_EIO, BL_ENETWORK (no
 * shard answered: the message names them) or BL_ENOMEM. */
bl_status_t shards_open(const char *path, unsigned timeout_ms,
                        shards_t **out);

/* The union of the shards that answer: owned by SH, valid until the next
 * shards_refresh() or shards_check() that returns 1, or shards_free(). */
xc_db_t *shards_db(shards_t *sh);

/* How many shards the stub lists. */
unsigned shards_total(const shards_t *sh);

/* The shards that did not answer, in stub order: *N of them (owned by SH,
 * valid as shards_db()'s). */
const bl_shard_failure_t *shards_failed(const shards_t *sh, size_t *n);

/* Connections to the shards are made anew this often: a server
 * (xapian-tcpsrv) opens its database for each connection, and only then
 * sees parts the indexer published since (a run's final merge), or a
 * replica's new copy. */
#define SHARDS_RECONNECT_NS 10000000000LL

/* Try the failed shards again, if SHARDS_RETRY_NS have passed since they
 * were last tried; and connect to every shard anew when
 * SHARDS_RECONNECT_NS have passed since the last time (one that then
 * does not answer is failed).  Returns 1 if the union changed (shards_db()
 * is then a new one), 0 if not or it was too soon, -1 out of memory
 * (nothing changed). */
int shards_refresh(shards_t *sh);

/* After a search met a network error: connect to every remote shard in
 * the union anew (the others' connections may hold replies the failed
 * match left unread) and leave out those that do not answer.  Returns 1
 * (shards_db() is a new union: search again), 0 if there is no remote
 * shard to connect to, -1 if none answers any more or out of memory
 * (shards_db() is then the union as it was, and searches over it fail). */
int shards_check(shards_t *sh);

/* Copy SH's failures into *OUT and *N (free with bl_shard_failures_free()).
 * Returns BL_OK or BL_ENOMEM. */
bl_status_t shards_copy_failed(const shards_t *sh, bl_shard_failure_t **out,
                               size_t *n);

void shards_free(shards_t *sh);

#endif
