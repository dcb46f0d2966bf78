/*
 * byline-serve: a Byline index as an HTTP JSON API and a search page.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libmicrohttpd answers, a thread per connection; the requests themselves
 * are handler.c's (a pool of searchers, each following the index's
 * commits by itself), without HTTP.  Here: options, the daemon, the
 * deadline of a whole request, and the headers every answer carries (a
 * strict Content-Security-Policy among them).  Read-only; GET and HEAD
 * only.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "byline/search.h"
#include "cli.h"
#include "serve.h"

/* Each connection's memory, where libmicrohttpd reads a request's line
 * and headers: four times the handler's limit on headers (64 KB), so
 * that a request a little too long reaches the handler and gets its 414
 * or 431, with the security headers; only one longer than this gets
 * libmicrohttpd's own answer (a fixed text, without them).  A connection
 * holds all of it once it has served a request (libmicrohttpd 0.9.75
 * clears the whole pool between the requests of a kept-alive
 * connection): 64 MB for 256 connections. */
#define CONN_MEMORY (256 * 1024)

/* ---- Whole-request deadlines ---------------------------------------------- */

/* libmicrohttpd's timeout is for a connection that sends nothing: each
 * byte starts it again, so a client that trickles its request would keep
 * its connection for ever.  Here a request must arrive whole within
 * request_seconds of its first byte (of the connection, or of the end of
 * the previous answer on a kept-alive one); a watchdog shuts the socket
 * of one that does not.  The watchdog shuts a dup() of the socket, its
 * own, so that it never touches a descriptor libmicrohttpd has closed
 * and the system given to someone else. */
typedef struct conn {
    int fd;                /* Our dup() of the connection's socket. */
    struct timespec since; /* When the request being read began. */
    int reading;           /* Its request is still arriving. */
    struct conn *prev, *next;
} conn_t;

static unsigned request_seconds = 10;
static pthread_mutex_t conns_mu = PTHREAD_MUTEX_INITIALIZER;
static conn_t *conns;
static volatile int stopping;
static unsigned long cut_off; /* Connections the watchdog shut. */

static void notify_connection(void *cls, struct MHD_Connection *c,
                              void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *in =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn_t *k = calloc(1, sizeof *k);
        if (!k || !in || (k->fd = dup(in->connect_fd)) < 0) {
            free(k); /* (The idle timeout still holds for it.) */
            *socket_context = NULL;
            return;
        }
        clock_gettime(CLOCK_MONOTONIC, &k->since);
        k->reading = 1;
        pthread_mutex_lock(&conns_mu);
        k->next = conns;
        if (conns)
            conns->prev = k;
        conns = k;
        pthread_mutex_unlock(&conns_mu);
        *socket_context = k;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        conn_t *k = *socket_context;
        pthread_mutex_lock(&conns_mu);
        if (k->prev)
            k->prev->next = k->next;
        else
            conns = k->next;
        if (k->next)
            k->next->prev = k->prev;
        pthread_mutex_unlock(&conns_mu);
        close(k->fd);
        free(k);
        *socket_context = NULL;
    }
}

/* The deadline record of connection C (NULL if it has none). */
static conn_t *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *in =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return in ? in->socket_context : NULL;
}

/* C's request has arrived (READING 0), or its next one may begin (1). */
static void set_reading(struct MHD_Connection *c, int reading)
{
    conn_t *k = conn_of(c);
    if (!k)
        return;
    pthread_mutex_lock(&conns_mu);
    k->reading = reading;
    clock_gettime(CLOCK_MONOTONIC, &k->since);
    pthread_mutex_unlock(&conns_mu);
}

static void *watchdog(void *arg)
{
    (void)arg;
    while (!stopping) {
        struct timespec nap = {0, 200000000L}, now;
        nanosleep(&nap, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        pthread_mutex_lock(&conns_mu);
        for (conn_t *k = conns; k; k = k->next) {
            if (k->reading && now.tv_sec - k->since.tv_sec >=
                                  (time_t)request_seconds) {
                shutdown(k->fd, SHUT_RDWR);
                k->reading = 0; /* (Once.) */
                cut_off++;
            }
        }
        pthread_mutex_unlock(&conns_mu);
    }
    return NULL;
}

/* ---- HTTP ---------------------------------------------------------------- */

static const char *get(void *ctx, int kind, const char *name)
{
    return MHD_lookup_connection_value(
        ctx, kind == SERVE_ARG ? MHD_GET_ARGUMENT_KIND : MHD_HEADER_KIND,
        name);
}

/* A streamed body (an export), as libmicrohttpd reads it. */
typedef struct stream {
    long (*read)(void *cls, char *buf, size_t max);
    void (*done)(void *cls);
    void *cls;
} stream_t;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream_t *st = cls;
    long n = st->read(st->cls, buf, max);
    return n > 0 ? (ssize_t)n
                 : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
                          : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
    stream_t *st = cls;
    st->done(st->cls);
    free(st);
}

/* Queue the answer A (its body taken) on C, with the security headers
 * every answer carries. */
static enum MHD_Result send_answer(struct MHD_Connection *c, serve_resp_t *a)
{
    struct MHD_Response *r = NULL;
    if (a->read) {
        stream_t *st = malloc(sizeof *st);
        if (st) {
            st->read = a->read;
            st->done = a->done;
            st->cls = a->cls;
            r = MHD_create_response_from_callback(
                MHD_SIZE_UNKNOWN, 32 * 1024, stream_read, st, stream_free);
            if (!r)
                free(st);
            else
                a->done = NULL; /* (Now the response's to call.) */
        }
    } else {
        r = MHD_create_response_from_buffer(
            a->len, a->body ? a->body : (char *)"",
            a->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (r)
            a->body = NULL; /* (Now the response's.) */
    }
    if (!r) {
        serve_resp_clear(a);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", a->type ? a->type
                                                       : "text/plain");
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (a->allow)
        MHD_add_response_header(r, "Allow", a->allow);
    if (a->disposition)
        MHD_add_response_header(r, "Content-Disposition", a->disposition);
    if (a->retry_after) {
        char n[16];
        snprintf(n, sizeof n, "%u", a->retry_after);
        MHD_add_response_header(r, "Retry-After", n);
    }
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)a->status, r);
    MHD_destroy_response(r);
    serve_resp_clear(a);
    return ret;
}

/* Adds the bytes of one header or argument to the count at CLS. */
static enum MHD_Result count_bytes(void *cls, enum MHD_ValueKind kind,
                                   const char *name, const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(name) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    (void)upload;
    serve_req_t req = {.method = method, .url = url, .get = get, .ctx = c};
    serve_resp_t a;
    if (!*state) {
        /* First call: the headers are in.  Other methods and bodies are
         * refused before a body is read. */
        *state = c;
        set_reading(c, 0);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     "Content-Length");
        req.has_body = (cl && strcmp(cl, "0") != 0) ||
                       MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                   "Transfer-Encoding");
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
            serve_fail(&req, 405, "only GET and HEAD", &a);
            return send_answer(c, &a);
        }
        if (req.has_body) {
            serve_fail(&req, 413, "requests take no body", &a);
            return send_answer(c, &a);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        serve_fail(&req, 413, "requests take no body", &a);
        return send_answer(c, &a);
    }
    /* (Requests too long for the handler get its 414 or 431, with the
     * security headers, up to the connection's memory: past that,
     * libmicrohttpd answers them itself.) */
    req.target_bytes = strlen(url);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_bytes,
                              &req.target_bytes);
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_bytes,
                              &req.head_bytes);
    serve_handle(&req, &a);
    return send_answer(c, &a);
}

/* A request is over: its state goes; the connection's next request may
 * begin. */
static void completed(void *cls, struct MHD_Connection *c, void **state,
                      enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)code;
    *state = NULL;
    set_reading(c, 1);
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]...\n"
"Serve a Byline index: a search page at / and a JSON API at /api/v1/.\n"
"\n"
"  -d, --db PATH          the index (default: $BYLINE_DB, else ./byline.db)\n"
"  -l, --listen ADDR:PORT where to listen: an IPv4 address, or an IPv6 one\n"
"                         in brackets, and a port (default 127.0.0.1:8080;\n"
"                         0.0.0.0:8080 every IPv4 address, [::1]:8080 IPv6\n"
"                         loopback, [::]:8080 every address, IPv6 and IPv4)\n"
"  -j, --threads N        searches run at once (default: 2 per processor)\n"
"  -c, --cache-mb N       stored articles each searcher keeps in memory,\n"
"                         in MB (default 8; 0: none)\n"
"\n"
"Limits:\n"
"      --max-query-ms N   wall time of one search, in ms (default 2000;\n"
"                         0: none): past it the answer is partial, and\n"
"                         says so\n"
"      --max-wildcard-terms N  words all the wildcards of a query stand\n"
"                         for together (default 1000; 0: none): more is\n"
"                         a 422\n"
"      --max-wildcard-scan N   indexed words the wildcards of a query may\n"
"                         read through (default 100000; 0: none): more is\n"
"                         a 422\n"
"      --max-expensive N  expensive searches (wildcards, expansion, more\n"
"                         than 40 hits or passages) at once, at least 1\n"
"                         (default: half of --threads, at least 1); the\n"
"                         others stay free for cheap ones; a request that\n"
"                         finds none free within 3 s is a 503 with\n"
"                         Retry-After\n"
"      --max-connections N     connections at once, 1 to 10000 (default\n"
"                         256)\n"
"      --max-client-connections N  from one address, at least 1 (default\n"
"                         32)\n"
"      --request-seconds N     a request must arrive whole within N s of\n"
"                         its first byte, and a connection that sends\n"
"                         nothing for N s is closed; 1 to 3600 (default\n"
"                         10)\n"
"\n"
"      --allow-host NAME  answer requests for host NAME too (repeatable;\n"
"                         behind a reverse proxy); on a loopback address\n"
"                         any other Host is a 421 (DNS rebinding)\n"
"      --show-paths       answers give articles' file paths on the server\n"
"                         (default: null)\n"
"      --export-max N     rows an export may have, 1 to 10000000 (default\n"
"                         100000): a search with more is a 422, not a cut\n"
"                         file\n"
"      --shard-timeout S  seconds a remote shard (a stub of \"remote\n"
"                         HOST:PORT\" lines) has to answer (default 5; up\n"
"                         to 2 of them to connect): one that does not is\n"
"                         left out, the answers say so (a banner; JSON\n"
"                         \"shards\"), and tried again every 2 s\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"API (GET): /api/v1/search?q=...&limit=&offset=&sort=&match=&facets=\n"
"  &duplicates=&expand=&passages=   /api/v1/article/ID?q=...\n"
"  /api/v1/similar/ID   /api/v1/suggest?q=...   /api/v1/stats\n"
"  /api/v1/export?q=...&format=csv|jsonl (and the search's parameters)\n"
"Also: /feed?q=... (Atom, the 50 newest), and from=, to=, author=,\n"
"source=, category= on every search.\n"
"Errors are JSON {\"error\":{\"status\":N,\"message\":...}} with the\n"
"HTTP status: 400 (a query syntax error, with its column), 404, 405,\n"
"413, 414, 421, 422 (a query over a limit, with \"limit\" and \"value\"),\n"
"431, 503 (busy, or a shard that cannot be reached).\n"
"\n"
"Exit status: 0 after SIGINT or SIGTERM, 2 on a usage error or when the\n"
"index cannot be opened or the address taken.\n",
            cli_prog);
}

/* Where to listen: the address, how a Host header names it, and what
 * kind it is. */
typedef struct listen_at {
    struct sockaddr_storage sa;
    char host[INET6_ADDRSTRLEN + 2]; /* "127.0.0.1", "[::1]" */
    uint16_t port;
    int v6, loopback;
} listen_at_t;

/* Read AT, "ADDR:PORT" with an IPv4 ADDR or "[ADDR]:PORT" with an IPv6
 * one, into *L.  Returns 0, or -1 with a message. */
static int parse_listen(const char *at, listen_at_t *l)
{
    char addr[INET6_ADDRSTRLEN];
    const char *from = at, *to = NULL; /* The address: [FROM, TO). */
    char *end = NULL;
    unsigned long port = 0;
    memset(l, 0, sizeof *l);
    if (at[0] == '[') {
        from = at + 1;
        to = strchr(at, ']');
        l->v6 = 1;
        if (to && to[1] != ':')
            to = NULL;
    } else {
        to = strrchr(at, ':');
    }
    /* The port follows the ':' after TO ("]:" for IPv6). */
    const char *digits = to ? to + 1 + l->v6 : NULL;
    if (digits && *digits >= '0' && *digits <= '9')
        port = strtoul(digits, &end, 10);
    if (!to || !end || *end || port == 0 || port > 65535 ||
        (size_t)(to - from) >= sizeof addr) {
        cli_error("--listen: expected ADDR:PORT (127.0.0.1:8080, or "
                  "[::1]:8080 for IPv6), not '%s'", at);
        return -1;
    }
    memcpy(addr, from, (size_t)(to - from));
    addr[to - from] = '\0';
    l->port = (uint16_t)port;
    if (l->v6) {
        struct sockaddr_in6 *sa = (struct sockaddr_in6 *)&l->sa;
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(l->port);
        if (inet_pton(AF_INET6, addr, &sa->sin6_addr) != 1) {
            cli_error("--listen: '%s' is not an IPv6 address", addr);
            return -1;
        }
        l->loopback = IN6_IS_ADDR_LOOPBACK(&sa->sin6_addr) ||
                      (IN6_IS_ADDR_V4MAPPED(&sa->sin6_addr) &&
                       sa->sin6_addr.s6_addr[12] == 127);
        l->host[0] = '[';
        inet_ntop(AF_INET6, &sa->sin6_addr, l->host + 1, INET6_ADDRSTRLEN);
        strcat(l->host, "]");
    } else {
        struct sockaddr_in *sa = (struct sockaddr_in *)&l->sa;
        sa->sin_family = AF_INET;
        sa->sin_port = htons(l->port);
        if (inet_pton(AF_INET, addr, &sa->sin_addr) != 1) {
            cli_error(strchr(addr, ':')
                          ? "--listen: '%s': an IPv6 address goes in "
                            "brackets: [::1]:8080"
                          : "--listen: '%s' is not an IPv4 address",
                      addr);
            return -1;
        }
        l->loopback = (ntohl(sa->sin_addr.s_addr) >> 24) == 127;
        inet_ntop(AF_INET, &sa->sin_addr, l->host, sizeof l->host);
    }
    return 0;
}

enum {
    OPT_MAX_QUERY_MS = 256,
    OPT_MAX_WILD_TERMS,
    OPT_MAX_WILD_SCAN,
    OPT_MAX_EXPENSIVE,
    OPT_MAX_CONNS,
    OPT_MAX_CLIENT_CONNS,
    OPT_REQUEST_SECONDS,
    OPT_ALLOW_HOST,
    OPT_SHOW_PATHS,
    OPT_EXPORT_MAX,
    OPT_SHARD_TIMEOUT
};

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 'j'},
        {"cache-mb", required_argument, NULL, 'c'},
        {"max-query-ms", required_argument, NULL, OPT_MAX_QUERY_MS},
        {"max-wildcard-terms", required_argument, NULL, OPT_MAX_WILD_TERMS},
        {"max-wildcard-scan", required_argument, NULL, OPT_MAX_WILD_SCAN},
        {"max-expensive", required_argument, NULL, OPT_MAX_EXPENSIVE},
        {"max-connections", required_argument, NULL, OPT_MAX_CONNS},
        {"max-client-connections", required_argument, NULL,
         OPT_MAX_CLIENT_CONNS},
        {"request-seconds", required_argument, NULL, OPT_REQUEST_SECONDS},
        {"allow-host", required_argument, NULL, OPT_ALLOW_HOST},
        {"show-paths", no_argument, NULL, OPT_SHOW_PATHS},
        {"export-max", required_argument, NULL, OPT_EXPORT_MAX},
        {"shard-timeout", required_argument, NULL, OPT_SHARD_TIMEOUT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *listen_at = "127.0.0.1:8080";
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    serve_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.searchers = ncpu > 0 ? 2 * (unsigned)ncpu : 2;
    cfg.cache_bytes = BL_CACHE_DEFAULT;
    cfg.queue_ms = 3000;
    cfg.limits.time_ms = 2000;
    cfg.limits.wildcard_terms = 1000;
    cfg.limits.wildcard_scan = 100000;
    cfg.export_max = 100000;
    unsigned max_conns = 256, max_client = 32;
    static const char *hosts[64];
    size_t nhosts = 0;
    int c;
    cli_prog = "byline-serve";
    while ((c = getopt_long(argc, argv, "d:l:j:c:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': cfg.db = optarg; break;
        case 'l': listen_at = optarg; break;
        case 'j':
            cfg.searchers = cli_uint("--threads", optarg);
            if (cfg.searchers < 1 || cfg.searchers > 256) {
                cli_error("--threads must be between 1 and 256");
                return EXIT_FATAL;
            }
            break;
        case 'c':
            cfg.cache_bytes = cli_uint("--cache-mb", optarg);
            if (cfg.cache_bytes > 4096) {
                cli_error("--cache-mb must be at most 4096");
                return EXIT_FATAL;
            }
            cfg.cache_bytes <<= 20;
            break;
        case OPT_MAX_QUERY_MS:
            cfg.limits.time_ms = cli_uint("--max-query-ms", optarg);
            break;
        case OPT_MAX_WILD_TERMS:
            cfg.limits.wildcard_terms =
                cli_uint("--max-wildcard-terms", optarg);
            break;
        case OPT_MAX_WILD_SCAN:
            cfg.limits.wildcard_scan = cli_uint("--max-wildcard-scan", optarg);
            break;
        case OPT_MAX_EXPENSIVE:
            cfg.heavy_slots = cli_uint("--max-expensive", optarg);
            if (cfg.heavy_slots < 1) {
                cli_error("--max-expensive must be at least 1");
                return EXIT_FATAL;
            }
            break;
        case OPT_MAX_CONNS:
            max_conns = cli_uint("--max-connections", optarg);
            if (max_conns < 1 || max_conns > 10000) {
                cli_error("--max-connections must be between 1 and 10000");
                return EXIT_FATAL;
            }
            break;
        case OPT_MAX_CLIENT_CONNS:
            max_client = cli_uint("--max-client-connections", optarg);
            if (max_client < 1) {
                cli_error("--max-client-connections must be at least 1");
                return EXIT_FATAL;
            }
            break;
        case OPT_REQUEST_SECONDS:
            request_seconds = cli_uint("--request-seconds", optarg);
            if (request_seconds < 1 || request_seconds > 3600) {
                cli_error("--request-seconds must be between 1 and 3600");
                return EXIT_FATAL;
            }
            break;
        case OPT_ALLOW_HOST:
            if (nhosts == sizeof hosts / sizeof hosts[0] - 1) {
                cli_error("--allow-host: at most 63 names");
                return EXIT_FATAL;
            }
            hosts[nhosts++] = optarg;
            cfg.check_host = 1;
            break;
        case OPT_SHOW_PATHS: cfg.show_paths = 1; break;
        case OPT_SHARD_TIMEOUT:
            cfg.shard_timeout_ms = cli_shard_timeout(optarg);
            break;
        case OPT_EXPORT_MAX:
            cfg.export_max = cli_uint("--export-max", optarg);
            if (cfg.export_max < 1 || cfg.export_max > 10000000) {
                cli_error("--export-max must be between 1 and 10000000");
                return EXIT_FATAL;
            }
            break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    if (!cfg.heavy_slots)
        cfg.heavy_slots = cfg.searchers > 1 ? cfg.searchers / 2 : 1;
    if (cfg.heavy_slots > cfg.searchers)
        cfg.heavy_slots = cfg.searchers;
    cfg.db = cli_db_path(cfg.db);
    /* The index must open now, not at the first request. */
    bl_searcher_t *probe = NULL;
    if (bl_searcher_open_with(cfg.db, cfg.shard_timeout_ms, &probe) !=
        BL_OK) {
        cli_error("%s", bl_last_error());
        return EXIT_FATAL;
    }
    bl_searcher_free(probe);
    static listen_at_t la;
    if (parse_listen(listen_at, &la) != 0)
        return EXIT_FATAL;
    /* On loopback, only this machine's names: a web page elsewhere whose
     * name resolves to 127.0.0.1 (DNS rebinding) gets nothing. */
    if (la.loopback)
        cfg.check_host = 1;
    hosts[nhosts++] = la.host;
    cfg.hosts = hosts;
    cfg.nhosts = nhosts;
    if (serve_start(&cfg) != 0) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    /* Each connection holds a socket, and the watchdog a dup() of it. */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
        nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    /* SIGINT and SIGTERM are taken by sigwait() below, in no thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    pthread_t dog;
    if (pthread_create(&dog, NULL, watchdog, NULL) != 0) {
        cli_error("cannot start a thread");
        return EXIT_FATAL;
    }
    /* A thread per connection: one that searches long holds up no other
     * connection (searchers are shared out by handler.c).
     * An IPv6 address is dual stack: [::] takes IPv4 connections too. */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
            MHD_USE_POLL | MHD_USE_ERROR_LOG |
            (la.v6 ? MHD_USE_DUAL_STACK : 0),
        la.port, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&la.sa, MHD_OPTION_CONNECTION_TIMEOUT,
        request_seconds, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONN_MEMORY, MHD_OPTION_CONNECTION_LIMIT, max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, max_client,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, notify_connection, NULL,
        MHD_OPTION_END);
    if (!d) {
        cli_error("cannot listen on %s (in use, or not this machine's?)",
                  listen_at);
        stopping = 1;
        pthread_join(dog, NULL);
        serve_stop();
        return EXIT_FATAL;
    }
    fprintf(stderr, "%s: serving %s at http://%s/ (%u searchers, %u for "
                    "expensive searches)\n",
            cli_prog, cfg.db, listen_at, cfg.searchers, cfg.heavy_slots);
    int sig = 0;
    do {
        sigwait(&sigs, &sig);
    } while (sig == SIGPIPE);
    fprintf(stderr, "%s: stopping (%lu slow requests cut off)\n", cli_prog,
            cut_off);
    MHD_stop_daemon(d);
    stopping = 1;
    pthread_join(dog, NULL);
    serve_stop();
    return EXIT_ALL_OK;
}
