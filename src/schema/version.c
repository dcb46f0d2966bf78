/*
 * The versions a program reports: Byline's, and that of the Xapian
 * library it runs on (the schema layer is the lowest that knows the
 * binding).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/schema.h"

#include "xapian-c/xapian-c.h"

const char *bl_version(void)
{
    return BYLINE_VERSION;
}

const char *bl_xapian_version(void)
{
    return xc_xapian_version();
}
