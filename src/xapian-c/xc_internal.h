/*
 * Internal definitions shared by the files of the xapian-c library.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef XC_INTERNAL_H
#define XC_INTERNAL_H

#include <xapian.h>

#include <memory>
#include <string>
#include <chrono>
#include <type_traits>
#include <vector>

#include "xapian-c/xapian-c.h"

struct xc_db {
    Xapian::Database db;        /* Every read goes through this handle. */
    Xapian::WritableDatabase wdb; /* The same database, when writable. */
    bool writable = false;
};

struct xc_doc {
    Xapian::Document doc;
    std::string buf; /* Backs the pointers that get_value/get_data return. */
};

/*
 * One iterator type serves every list of terms: Xapian's TermIterator
 * (allterms, termlists, metadata keys, spellings, facet values) or a
 * vector of terms computed here (matching terms).
 */
struct xc_termit {
    Xapian::TermIterator cur, end;
    std::vector<std::string> list; /* Used when from_list is true. */
    size_t list_pos = 0;
    bool from_list = false;
    bool started = false;
    bool has_positions = false; /* A document termlist. */
    std::string term;           /* The current term. */
};

struct xc_postit {
    Xapian::PostingIterator cur, end;
    bool started = false;
};

struct xc_posit {
    Xapian::PositionIterator cur, end;
    bool started = false;
};

struct xc_query {
    Xapian::Query q;
};

struct xc_enquire {
    explicit xc_enquire(const Xapian::Database &d) : db(d), enq(d) {}
    Xapian::Database db;
    Xapian::Enquire enq;
    Xapian::Query query;
    bool has_query = false;
    std::vector<Xapian::valueno> facet_slots;
    bool has_deadline = false; /* xc_enquire_set_deadline() */
    std::chrono::steady_clock::time_point deadline;
};

struct xc_termgen {
    Xapian::TermGenerator tg;
    bool has_doc = false;
};

struct xc_mset {
    Xapian::MSet ms;
    Xapian::Database db;
    Xapian::Query query;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
};

/* Record STATUS with MESSAGE as this thread's last error; returns STATUS.
 * Cannot fail (a message that cannot be stored is truncated). */
xc_status_t xc_fail(xc_status_t status, const char *message) noexcept;

/* Classify the exception being handled (call only inside a catch block),
 * record its message, and return its status.  Cannot fail. */
xc_status_t xc_fail_current() noexcept;

/*
 * Run BODY, a lambda, and return the status it returns (XC_OK if it returns
 * nothing).  If BODY throws, the exception is recorded as this thread's last
 * error (see xc_fail_current()) and its status returned: nothing thrown ever
 * leaves.  Every exported call that may throw runs its work through this
 * (mu's xapian_try).  Whatever BODY allocates must free itself when it
 * throws: a std::unique_ptr, released into the out-parameter at the end.
 */
template <class Body> static inline xc_status_t xc_try(Body &&body) noexcept
{
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            return XC_OK;
        } else {
            return body();
        }
    } catch (...) {
        return xc_fail_current();
    }
}

/*
 * The same for a call that returns a value, not a status: BODY's value, or
 * ON_FAILURE when BODY throws (the error is recorded all the same).
 */
template <class T, class Body>
static inline T xc_try_or(T on_failure, Body &&body) noexcept
{
    T value = on_failure;
    xc_try([&] { value = body(); });
    return value;
}

/* Fail with XC_INVALID_ARGUMENT unless DB is writable. */
xc_status_t xc_need_writable(const xc_db_t *db) noexcept;

/* Turn a (pointer, length-or-XC_NTS) pair into a std::string. */
static inline std::string xc_str(const char *s, size_t len)
{
    return len == XC_NTS ? std::string(s) : std::string(s, len);
}

#endif /* XC_INTERNAL_H */
