/*
 * Checks the server's fuzzers make of what it wrote: well-formed UTF-8, a
 * page whose only markup is the page's own, JSON that parses.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each returns 1 when S (LEN bytes) passes, 0 when not; the harness
 * aborts.  Static inline: each harness takes what it uses.
 */
#ifndef BYLINE_FUZZ_CHECK_H
#define BYLINE_FUZZ_CHECK_H

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* The checks are not the code under test: no coverage of their own for
 * the fuzzer to chase (and they run faster without it). */
#define CHECK_FN static inline __attribute__((no_sanitize("coverage")))

/* Non-zero if S is well-formed UTF-8 (RFC 3629: shortest forms only, no
 * surrogates, nothing past U+10FFFF). */
CHECK_FN int check_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        size_t n;
        unsigned min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 2, min = 0x80, cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3, min = 0x800, cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4, min = 0x10000, cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i < n)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n;
    }
    return 1;
}

/* Non-zero if S at I starts an entity the page writes ("&amp;", "&lt;",
 * "&gt;", "&quot;", "&#39;"). */
CHECK_FN int check_entity(const char *s, size_t len, size_t i)
{
    static const char *const ENT[] = {"&amp;", "&lt;", "&gt;", "&quot;",
                                      "&#39;"};
    for (size_t k = 0; k < sizeof ENT / sizeof ENT[0]; k++) {
        size_t n = strlen(ENT[k]);
        if (len - i >= n && memcmp(s + i, ENT[k], n) == 0)
            return 1;
    }
    return 0;
}

/* The elements the page writes, and of those the void ones. */
CHECK_FN int check_tag_known(const char *name, size_t n, int *is_void)
{
    static const char *const TAGS[] = {
        "!DOCTYPE",   "html",   "head",   "meta",   "title",   "link",
        "script",     "body",   "header", "a",      "form",    "label",
        "input",      "select", "option", "button", "main",    "section",
        "p",          "h1",     "h2",     "aside",  "ul",      "li",
        "span",       "bdi",    "mark",   "nav",    "article", "figure",
        "figcaption", "svg",    "rect",   "text",   "div",     "fieldset",
        "legend",     "small"};
    static const char *const VOID[] = {"!DOCTYPE", "meta", "link", "input"};
    for (size_t k = 0; k < sizeof TAGS / sizeof TAGS[0]; k++) {
        if (strlen(TAGS[k]) == n && memcmp(name, TAGS[k], n) == 0) {
            *is_void = 0;
            for (size_t v = 0; v < sizeof VOID / sizeof VOID[0]; v++)
                *is_void |= strcmp(TAGS[k], VOID[v]) == 0;
            return 1;
        }
    }
    return 0;
}

/* Non-zero if S is a page as the page's writers make it: UTF-8 with no
 * control characters but newline and tab; every '<' starts one of the
 * page's own elements, balanced; no attribute is an event handler ("on"
 * anything); every href is a path on this server ("/...", never "//..."
 * nor "javascript:"), a fragment ("#results") or an article's http(s)
 * link; the one script is the page's own
 * (<script src="/static/app.js" defer></script>); element text and
 * attribute values hold no '<' nor '>', and '&' only in an entity. */
CHECK_FN int check_page(const char *s, size_t len)
{
    static const char SCRIPT[] =
        "<script src=\"/static/app.js\" defer></script>";
    size_t open_at[64], open_len[64]; /* The open elements' names in S. */
    size_t depth = 0, scripts = 0;
    if (!check_utf8(s, len))
        return 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\n' && c != '\t')
            return 0;
        if (c == '>')
            return 0;
        if (c == '&' && !check_entity(s, len, i))
            return 0;
        if (c != '<') {
            i++;
            continue;
        }
        /* A tag: <name attr="value" attr ...> or </name>. */
        size_t j = i + 1;
        int closing = j < len && s[j] == '/';
        j += closing;
        size_t name = j;
        while (j < len &&
               (s[j] == '!' || (s[j] >= 'a' && s[j] <= 'z') ||
                (s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9')))
            j++;
        size_t nlen = j - name;
        int is_void = 0;
        if (!check_tag_known(s + name, nlen, &is_void))
            return 0;
        if (!closing && nlen == 6 && memcmp(s + name, "script", 6) == 0) {
            if (len - i < sizeof SCRIPT - 1 ||
                memcmp(s + i, SCRIPT, sizeof SCRIPT - 1) != 0)
                return 0;
            scripts++;
        }
        for (;;) {
            while (j < len && s[j] == ' ')
                j++;
            if (j >= len)
                return 0;
            if (s[j] == '>')
                break;
            if (closing)
                return 0;
            size_t an = j;
            while (j < len && ((s[j] >= 'a' && s[j] <= 'z') ||
                               (s[j] >= 'A' && s[j] <= 'Z') || s[j] == '-'))
                j++;
            if (j == an)
                return 0;
            if (j - an >= 2 && strncasecmp(s + an, "on", 2) == 0)
                return 0;
            int href = j - an == 4 && memcmp(s + an, "href", 4) == 0;
            int src = j - an == 3 && memcmp(s + an, "src", 3) == 0;
            if (j >= len || s[j] != '=') {
                if (href || src)
                    return 0;
                continue;
            }
            if (++j >= len || s[j] != '"')
                return 0;
            size_t v = ++j;
            while (j < len && s[j] != '"') {
                unsigned char b = (unsigned char)s[j];
                if (b == '<' || b == '>' ||
                    (b < 0x20 && b != '\n' && b != '\t'))
                    return 0;
                if (s[j] == '&' && !check_entity(s, len, j))
                    return 0;
                j++;
            }
            if (j >= len)
                return 0;
            /* A path here, or an article's own http(s) link. */
            int web = (j - v > 7 && strncasecmp(s + v, "http://", 7) == 0) ||
                      (j - v > 8 && strncasecmp(s + v, "https://", 8) == 0);
            int frag = j - v > 1 && s[v] == '#'; /* "#results" */
            if (href && !web && !frag &&
                (j == v || s[v] != '/' || (j - v > 1 && s[v + 1] == '/')))
                return 0;
            if (src && (j - v != 14 || memcmp(s + v, "/static/app.js", 14)))
                return 0;
            j++; /* The closing quote. */
            if (j < len && s[j] != ' ' && s[j] != '>')
                return 0;
        }
        /* s[j] is the tag's '>'. */
        if (closing) {
            if (depth == 0 || open_len[depth - 1] != nlen ||
                memcmp(s + open_at[depth - 1], s + name, nlen) != 0)
                return 0;
            depth--;
        } else if (!is_void) {
            if (depth == sizeof open_at / sizeof open_at[0])
                return 0;
            open_at[depth] = name;
            open_len[depth] = nlen;
            depth++;
        }
        i = j + 1;
    }
    return depth == 0 && scripts == 1;
}

/* ---- JSON -------------------------------------------------------------- */

CHECK_FN int json_value(const char *s, size_t len, size_t *i, int depth);

CHECK_FN void json_space(const char *s, size_t len, size_t *i)
{
    while (*i < len &&
           (s[*i] == ' ' || s[*i] == '\n' || s[*i] == '\t' || s[*i] == '\r'))
        (*i)++;
}

CHECK_FN int json_string(const char *s, size_t len, size_t *i)
{
    if (*i >= len || s[*i] != '"')
        return 0;
    for ((*i)++; *i < len; (*i)++) {
        unsigned char c = (unsigned char)s[*i];
        if (c == '"') {
            (*i)++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c != '\\')
            continue;
        if (++(*i) >= len)
            return 0;
        c = (unsigned char)s[*i];
        if (c == 'u') {
            for (int k = 0; k < 4; k++) {
                if (++(*i) >= len)
                    return 0;
                c = (unsigned char)s[*i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                      (c >= 'A' && c <= 'F')))
                    return 0;
            }
        } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
            return 0;
        }
    }
    return 0;
}

CHECK_FN int json_digits(const char *s, size_t len, size_t *i)
{
    size_t start = *i;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9')
        (*i)++;
    return *i > start;
}

CHECK_FN int json_number(const char *s, size_t len, size_t *i)
{
    if (*i < len && s[*i] == '-')
        (*i)++;
    if (*i < len && s[*i] == '0')
        (*i)++;
    else if (!json_digits(s, len, i))
        return 0;
    if (*i < len && s[*i] == '.') {
        (*i)++;
        if (!json_digits(s, len, i))
            return 0;
    }
    if (*i < len && (s[*i] == 'e' || s[*i] == 'E')) {
        (*i)++;
        if (*i < len && (s[*i] == '+' || s[*i] == '-'))
            (*i)++;
        if (!json_digits(s, len, i))
            return 0;
    }
    return 1;
}

CHECK_FN int json_value(const char *s, size_t len, size_t *i, int depth)
{
    json_space(s, len, i);
    if (*i >= len || depth > 64)
        return 0;
    char c = s[*i];
    if (c == '{' || c == '[') {
        char end = c == '{' ? '}' : ']';
        (*i)++;
        json_space(s, len, i);
        if (*i < len && s[*i] == end) {
            (*i)++;
            return 1;
        }
        for (;;) {
            if (c == '{') {
                json_space(s, len, i);
                if (!json_string(s, len, i))
                    return 0;
                json_space(s, len, i);
                if (*i >= len || s[*i] != ':')
                    return 0;
                (*i)++;
            }
            if (!json_value(s, len, i, depth + 1))
                return 0;
            json_space(s, len, i);
            if (*i >= len)
                return 0;
            if (s[*i] == end) {
                (*i)++;
                return 1;
            }
            if (s[*i] != ',')
                return 0;
            (*i)++;
        }
    }
    if (c == '"')
        return json_string(s, len, i);
    static const char *const LIT[] = {"true", "false", "null"};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(LIT[k]);
        if (len - *i >= n && memcmp(s + *i, LIT[k], n) == 0) {
            *i += n;
            return 1;
        }
    }
    return json_number(s, len, i);
}

/* Non-zero if S is one JSON object (with white space around it), in
 * UTF-8. */
CHECK_FN int check_json_object(const char *s, size_t len)
{
    size_t i = 0;
    if (!check_utf8(s, len) || len == 0 || s[0] != '{')
        return 0;
    if (!json_value(s, len, &i, 0))
        return 0;
    json_space(s, len, &i);
    return i == len;
}

#endif
