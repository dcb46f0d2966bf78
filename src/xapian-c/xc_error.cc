/*
 * Status codes and the mapping of Xapian's exceptions onto them.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>

#include "xc_internal.h"

/* The last failure's message in this thread.  A fixed buffer, so that
 * recording an error can never itself fail. */
static thread_local char last_error[1024];

const char *xc_status_to_string(xc_status_t status)
{
    switch (status) {
    case XC_OK: return "ok";
    case XC_END: return "end of iteration";
    case XC_NOT_FOUND: return "not found";
    case XC_LOCKED: return "locked";
    case XC_CORRUPT: return "corrupt";
    case XC_MODIFIED: return "modified";
    case XC_CLOSED: return "closed";
    case XC_IO: return "I/O error";
    case XC_NETWORK: return "network error";
    case XC_INVALID_ARGUMENT: return "invalid argument";
    case XC_UNSUPPORTED: return "unsupported";
    case XC_NO_MEMORY: return "out of memory";
    case XC_OTHER: return "error";
    case XC_TIMEOUT: return "past its deadline";
    }
    return "unknown status";
}

const char *xc_last_error(void)
{
    return last_error;
}

const char *xc_xapian_version(void)
{
    return Xapian::version_string();
}

xc_status_t xc_fail(xc_status_t status, const char *message) noexcept
{
    snprintf(last_error, sizeof last_error, "%s", message);
    return status;
}

/* Record "Type: message (context)" for a Xapian exception. */
static xc_status_t fail_xapian(xc_status_t status,
                               const Xapian::Error &e) noexcept
{
    try {
        std::string msg = e.get_type();
        msg += ": ";
        msg += e.get_msg();
        if (!e.get_context().empty()) {
            msg += " (";
            msg += e.get_context();
            msg += ")";
        }
        const char *err = e.get_error_string();
        if (err && *err) {
            msg += ": ";
            msg += err;
        }
        return xc_fail(status, msg.c_str());
    } catch (...) {
        return xc_fail(status, e.get_type());
    }
}

xc_status_t xc_fail_current() noexcept
{
    /* Most specific classes first: each catch clause below would also catch
     * the subclasses listed above it. */
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return fail_xapian(XC_LOCKED, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fail_xapian(XC_NOT_FOUND, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return fail_xapian(XC_CORRUPT, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fail_xapian(XC_CORRUPT, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fail_xapian(XC_MODIFIED, e);
    } catch (const Xapian::DatabaseClosedError &e) {
        return fail_xapian(XC_CLOSED, e);
    } catch (const Xapian::DatabaseError &e) {
        return fail_xapian(XC_IO, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return fail_xapian(XC_NOT_FOUND, e);
    } catch (const Xapian::NetworkError &e) {
        return fail_xapian(XC_NETWORK, e);
    } catch (const Xapian::UnimplementedError &e) {
        return fail_xapian(XC_UNSUPPORTED, e);
    } catch (const Xapian::FeatureUnavailableError &e) {
        return fail_xapian(XC_UNSUPPORTED, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fail_xapian(XC_INVALID_ARGUMENT, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return fail_xapian(XC_INVALID_ARGUMENT, e);
    } catch (const Xapian::RangeError &e) {
        return fail_xapian(XC_INVALID_ARGUMENT, e);
    } catch (const Xapian::WildcardError &e) {
        return fail_xapian(XC_INVALID_ARGUMENT, e);
    } catch (const Xapian::QueryParserError &e) {
        return fail_xapian(XC_INVALID_ARGUMENT, e);
    } catch (const Xapian::Error &e) {
        return fail_xapian(XC_OTHER, e);
    } catch (const std::bad_alloc &) {
        return xc_fail(XC_NO_MEMORY, "out of memory");
    } catch (const std::exception &e) {
        return xc_fail(XC_OTHER, e.what());
    } catch (...) {
        return xc_fail(XC_OTHER, "unknown C++ exception");
    }
}

xc_status_t xc_need_writable(const xc_db_t *db) noexcept
{
    if (!db)
        return xc_fail(XC_INVALID_ARGUMENT, "database handle is NULL");
    if (!db->writable)
        return xc_fail(XC_INVALID_ARGUMENT,
                       "the database was opened read-only");
    return XC_OK;
}
