/*
 * A small JSON reader for one object per line.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "corpus/json.h"

#include <stdlib.h>
#include <string.h>

#include "corpus/corpus_internal.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/fail.h"

#define MAX_DEPTH 64

typedef struct parser {
    const char *s;
    size_t len, i;
    bl_buf_t key, val, tmp; /* TMP: scratch of read_string(). */
    bl_buf_t skip;          /* Values read only to be skipped. */
} parser_t;

static void skip_ws(parser_t *p)
{
    while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
                             p->s[p->i] == '\r' || p->s[p->i] == '\n'))
        p->i++;
}

static bl_status_t syntax(const parser_t *p, const char *what)
{
    return bl_fail(BL_EFORMAT, "bad JSON at column %zu: %s", p->i + 1, what);
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}


/* Read a string (P->i at its opening quote) into OUT as clean UTF-8. */
static bl_status_t read_string(parser_t *p, bl_buf_t *out)
{
    bl_status_t rc = BL_OK;
    bl_buf_clear(out);
    bl_buf_clear(&p->tmp);
    p->i++;
    while (rc == BL_OK) {
        size_t run = p->i;
        while (p->i < p->len && p->s[p->i] != '"' && p->s[p->i] != '\\')
            p->i++;
        rc = bl_buf_append(&p->tmp, p->s + run, p->i - run);
        if (rc != BL_OK)
            break;
        if (p->i >= p->len)
            return syntax(p, "unterminated string");
        if (p->s[p->i] == '"') {
            p->i++;
            break;
        }
        /* An escape. */
        if (p->i + 1 >= p->len)
            return syntax(p, "unterminated escape");
        char e = p->s[p->i + 1];
        p->i += 2;
        static const char esc[] = "\"\\/bfnrt";
        static const char map[] = "\"\\/\b\f\n\r\t";
        const char *simple = e ? strchr(esc, e) : NULL;
        if (simple) {
            rc = bl_buf_putc(&p->tmp, map[simple - esc]);
            continue;
        }
        if (e != 'u')
            return syntax(p, "unknown escape");
        unsigned cp, lo;
        if (p->i + 4 > p->len || !hex4(p->s + p->i, &cp))
            return syntax(p, "bad \\u escape");
        p->i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && p->i + 6 <= p->len &&
            p->s[p->i] == '\\' && p->s[p->i + 1] == 'u' &&
            hex4(p->s + p->i + 2, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p->i += 6;
        } else if (cp >= 0xd800 && cp <= 0xdfff) {
            cp = 0xfffd; /* A lone surrogate. */
        }
        if (cp == 0)
            cp = ' '; /* No NUL inside our strings. */
        rc = bl_buf_put_cp(&p->tmp, cp);
    }
    /* Raw bytes may be invalid UTF-8 or control characters: clean them. */
    if (rc == BL_OK)
        rc = bl_utf8_clean(out, p->tmp.data ? p->tmp.data : "", p->tmp.len);
    if (rc == BL_OK && !out->data)
        rc = bl_buf_reserve(out, 0);
    return rc;
}

/* Read a number, true, false or null as its text into OUT. */
static bl_status_t read_bare(parser_t *p, bl_buf_t *out)
{
    size_t start = p->i;
    while (p->i < p->len && strchr("+-.0123456789eEtrufalsn", p->s[p->i]) &&
           p->s[p->i])
        p->i++;
    if (p->i == start)
        return syntax(p, "expected a value");
    bl_buf_clear(out);
    bl_status_t rc = bl_buf_append(out, p->s + start, p->i - start);
    if (rc == BL_OK && strcmp(out->data, "true") != 0 &&
        strcmp(out->data, "false") != 0 && strcmp(out->data, "null") != 0) {
        char *end = NULL;
        strtod(out->data, &end);
        if (!end || *end || !strchr("-0123456789", out->data[0]))
            return syntax(p, "expected a value");
    }
    if (rc == BL_OK && !out->data)
        rc = bl_buf_reserve(out, 0);
    return rc;
}

/* Skip any value (nested objects and arrays included). */
static bl_status_t skip_value(parser_t *p, int depth)
{
    skip_ws(p);
    if (p->i >= p->len)
        return syntax(p, "expected a value");
    if (depth > MAX_DEPTH)
        return syntax(p, "nested too deeply");
    char c = p->s[p->i];
    if (c == '"')
        return read_string(p, &p->skip);
    if (c != '{' && c != '[')
        return read_bare(p, &p->skip);
    char close = c == '{' ? '}' : ']';
    p->i++;
    skip_ws(p);
    if (p->i < p->len && p->s[p->i] == close) {
        p->i++;
        return BL_OK;
    }
    for (;;) {
        bl_status_t rc;
        if (c == '{') {
            skip_ws(p);
            if (p->i >= p->len || p->s[p->i] != '"')
                return syntax(p, "expected a member name");
            rc = read_string(p, &p->skip);
            if (rc != BL_OK)
                return rc;
            skip_ws(p);
            if (p->i >= p->len || p->s[p->i] != ':')
                return syntax(p, "expected ':'");
            p->i++;
        }
        rc = skip_value(p, depth + 1);
        if (rc != BL_OK)
            return rc;
        skip_ws(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == close) {
            p->i++;
            return BL_OK;
        }
        return syntax(p, "expected ',' or a closing bracket");
    }
}

/* Read one scalar (string or bare) into P->val; *SCALAR is 0 for objects
 * and arrays, which are then skipped. */
static bl_status_t read_scalar(parser_t *p, int *scalar)
{
    skip_ws(p);
    if (p->i >= p->len)
        return syntax(p, "expected a value");
    *scalar = 1;
    if (p->s[p->i] == '"')
        return read_string(p, &p->val);
    if (p->s[p->i] == '{' || p->s[p->i] == '[') {
        *scalar = 0;
        return skip_value(p, 1);
    }
    return read_bare(p, &p->val);
}

bl_status_t bl_json_object(const char *text, size_t len, bl_json_member_fn fn,
                           void *ctx)
{
    parser_t p = {text, len, 0, BL_BUF_INIT, BL_BUF_INIT, BL_BUF_INIT,
                  BL_BUF_INIT};
    bl_status_t rc = BL_OK;
    int stop = 0;
    skip_ws(&p);
    if (p.i >= p.len || p.s[p.i] != '{') {
        rc = syntax(&p, "expected an object");
        goto done;
    }
    p.i++;
    skip_ws(&p);
    if (p.i < p.len && p.s[p.i] == '}') {
        p.i++;
        goto end;
    }
    for (;;) {
        skip_ws(&p);
        if (p.i >= p.len || p.s[p.i] != '"') {
            rc = syntax(&p, "expected a member name");
            goto done;
        }
        rc = read_string(&p, &p.key);
        if (rc != BL_OK)
            goto done;
        skip_ws(&p);
        if (p.i >= p.len || p.s[p.i] != ':') {
            rc = syntax(&p, "expected ':'");
            goto done;
        }
        p.i++;
        skip_ws(&p);
        if (p.i < p.len && p.s[p.i] == '[') {
            /* An array: its scalars one by one. */
            size_t index = 0;
            p.i++;
            skip_ws(&p);
            if (p.i < p.len && p.s[p.i] == ']') {
                p.i++;
            } else {
                for (;;) {
                    int scalar = 0;
                    rc = read_scalar(&p, &scalar);
                    if (rc != BL_OK)
                        goto done;
                    if (scalar && !stop)
                        stop = fn(p.key.data, p.val.data, p.val.len, index++,
                                  ctx);
                    skip_ws(&p);
                    if (p.i < p.len && p.s[p.i] == ',') {
                        p.i++;
                        continue;
                    }
                    if (p.i < p.len && p.s[p.i] == ']') {
                        p.i++;
                        break;
                    }
                    rc = syntax(&p, "expected ',' or ']'");
                    goto done;
                }
            }
        } else {
            int scalar = 0;
            rc = read_scalar(&p, &scalar);
            if (rc != BL_OK)
                goto done;
            if (scalar && !stop)
                stop = fn(p.key.data, p.val.data, p.val.len, 0, ctx);
        }
        skip_ws(&p);
        if (p.i < p.len && p.s[p.i] == ',') {
            p.i++;
            continue;
        }
        if (p.i < p.len && p.s[p.i] == '}') {
            p.i++;
            break;
        }
        rc = syntax(&p, "expected ',' or '}'");
        goto done;
    }
end:
    skip_ws(&p);
    if (p.i < p.len)
        rc = syntax(&p, "text after the object");
    else if (stop)
        rc = BL_END;
done:
    bl_buf_free(&p.key);
    bl_buf_free(&p.val);
    bl_buf_free(&p.tmp);
    bl_buf_free(&p.skip);
    return rc;
}
