/*
 * Mapping xapian-c status codes onto Byline's.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_XC_MAP_H
#define BYLINE_XC_MAP_H

#include "byline/status.h"
#include "xapian-c/xapian-c.h"

/* Turn RC into a Byline status, recording "WHAT: <xapian's message>" (with
 * a hint for the common cases) as the failure detail.  XC_OK gives BL_OK,
 * XC_END gives BL_END. */
bl_status_t bl_from_xc(xc_status_t rc, const char *what);

#endif
