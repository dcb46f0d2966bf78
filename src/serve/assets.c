/*
 * byline-serve's page assets, compiled in: the style sheet and the little
 * script the page uses (no framework, nothing fetched from elsewhere; the
 * page works without the script).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "serve.h"

const char SERVE_CSS[] =
    ":root{--ink:#1b1f24;--muted:#4a5560;--line:#d5dbe1;--accent:#0b5cad;"
    "--mark:#ffe58a;--bg:#fff;}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',"
    "Roboto,sans-serif;color:var(--ink);background:var(--bg)}\n"
    "a{color:var(--accent)}\n"
    "a:focus,input:focus,select:focus,button:focus{outline:3px solid "
    "#f0a500;outline-offset:2px}\n"
    "header{border-bottom:1px solid var(--line);padding:.75rem 1rem}\n"
    "header .brand{font-weight:700;font-size:1.2rem;color:var(--ink);"
    "text-decoration:none;margin-right:1rem}\n"
    "form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;"
    "margin-top:.5rem}\n"
    "form.search input[type=search]{flex:1 1 18rem;font-size:1.05rem;"
    "padding:.45rem .6rem;border:1px solid #8a96a3;border-radius:4px}\n"
    "form.search button{font-size:1rem;padding:.45rem 1rem;border:0;"
    "border-radius:4px;background:var(--accent);color:#fff}\n"
    "main{display:flex;gap:2rem;padding:1rem;max-width:72rem;"
    "margin:0 auto}\n"
    "#results{flex:1 1 auto;min-width:0}\n"
    "aside{flex:0 0 15rem}\n"
    "aside h2{font-size:1rem;margin:1rem 0 .25rem}\n"
    "aside ul{list-style:none;margin:0;padding:0}\n"
    "aside li{display:flex;justify-content:space-between;gap:.5rem}\n"
    "aside .count{color:var(--muted)}\n"
    ".hit{padding:.6rem 0;border-bottom:1px solid var(--line)}\n"
    ".hit h2{font-size:1.1rem;margin:0}\n"
    ".meta{color:var(--muted);font-size:.9rem;margin:.1rem 0}\n"
    ".passage{margin:.25rem 0}\n"
    "mark{background:var(--mark);color:inherit;padding:0 .1em}\n"
    ".summary{color:var(--muted)}\n"
    ".pages{display:flex;gap:1rem;margin:1rem 0}\n"
    ".timeline{margin:.5rem 0 1rem}\n"
    ".timeline figcaption{color:var(--muted);font-size:.9rem}\n"
    ".timeline svg{width:100%;max-width:40rem;height:6rem}\n"
    ".timeline rect{fill:var(--accent)}\n"
    ".timeline a:focus rect,.timeline a:hover rect{fill:#f0a500}\n"
    ".timeline text{font-size:10px;fill:var(--muted)}\n"
    "article.full{max-width:44rem}\n"
    "article.full p{margin:.75rem 0}\n"
    ".error{color:#a00000}\n"
    "@media (max-width:48rem){main{flex-direction:column}"
    "aside{flex:none}}\n";

const char SERVE_JS[] =
    "'use strict';\n"
    "// Press / to search (unless typing somewhere already).\n"
    "document.addEventListener('keydown', function (e) {\n"
    "  var box = document.getElementById('q');\n"
    "  var t = e.target && e.target.tagName;\n"
    "  if (e.key === '/' && box && t !== 'INPUT' && t !== 'TEXTAREA' &&\n"
    "      t !== 'SELECT') {\n"
    "    e.preventDefault();\n"
    "    box.focus();\n"
    "    box.select();\n"
    "  }\n"
    "});\n"
    "// Changing the order searches again.\n"
    "var sort = document.getElementById('sort');\n"
    "if (sort && sort.form) {\n"
    "  sort.addEventListener('change', function () { sort.form.submit(); });\n"
    "}\n";
