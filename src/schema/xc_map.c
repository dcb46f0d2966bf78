/*
 * Mapping xapian-c status codes onto Byline's.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "schema/xc_map.h"
#include "util/fail.h"

bl_status_t bl_from_xc(xc_status_t rc, const char *what)
{
    const char *msg = xc_last_error();
    switch (rc) {
    case XC_OK:
        return BL_OK;
    case XC_END:
        return BL_END;
    case XC_NOT_FOUND:
        return bl_fail(BL_ENOTFOUND, "%s: %s", what, msg);
    case XC_LOCKED:
        return bl_fail(BL_ELOCKED, "%s: %s (is another byline-index running?)",
                       what, msg);
    case XC_CORRUPT:
        return bl_fail(BL_ECORRUPT, "%s: %s", what, msg);
    case XC_MODIFIED:
        return bl_fail(BL_EMODIFIED, "%s: %s (reopen and retry)", what, msg);
    case XC_CLOSED:
    case XC_IO:
        return bl_fail(BL_EIO, "%s: %s", what, msg);
    case XC_NETWORK:
        return bl_fail(BL_ENETWORK, "%s: %s", what, msg);
    case XC_INVALID_ARGUMENT:
    case XC_UNSUPPORTED:
        return bl_fail(BL_EARG, "%s: %s", what, msg);
    case XC_NO_MEMORY:
        return bl_fail(BL_ENOMEM, "%s: out of memory", what);
    case XC_TIMEOUT:
        /* (Said without WHAT: a path on the server, for a client to read.) */
        return bl_fail(BL_ELIMIT, "the search took longer than its time "
                                  "allows: narrow it (fewer or longer "
                                  "words, dates, filters)");
    case XC_OTHER:
        break;
    }
    return bl_fail(BL_EINTERNAL, "%s: %s", what, msg);
}
