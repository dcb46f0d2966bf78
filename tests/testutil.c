/*
 * Helpers shared by Byline's tests.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *tu_mkdtemp(void)
{
    const char *base = getenv("TMPDIR");
    char *path = NULL;
    if (!base || !*base)
        base = "/tmp";
    path = malloc(strlen(base) + 32);
    if (!path)
        abort();
    sprintf(path, "%s/byline-test-XXXXXX", base);
    if (!mkdtemp(path))
        abort();
    return path;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int tu_rmrf(const char *path)
{
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_join(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    if (!p)
        abort();
    sprintf(p, "%s/%s", dir, name);
    return p;
}

void tu_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        abort();
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got < 4096)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

unsigned tu_free_port(void)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    unsigned port = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

int tu_have_tcpsrv(void)
{
    char *argv[] = {"xapian-tcpsrv", "--version", NULL};
    return tu_run(argv, NULL, NULL) == 0;
}

/* Non-zero once something accepts connections on 127.0.0.1:PORT. */
static int port_open(unsigned port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int ok = 0;
    if (fd < 0)
        return 0;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

/* Servers still running, for tu_stop_all_servers(). */
#define MAX_SERVERS 16
static pid_t servers[MAX_SERVERS];
static size_t nservers;

/* Start xapian-tcpsrv on *PORT if FIXED, else on a free port (into
 * *PORT). */
static pid_t start_tcpsrv(const char *const *paths, size_t n, int writable,
                          unsigned *port, int fixed)
{
    char portbuf[16];
    char **argv = calloc(n + 10, sizeof *argv);
    pid_t pid;
    size_t k = 0;
    if (!argv)
        return -1;
    for (int attempt = 0; attempt < (fixed ? 50 : 5); attempt++) {
        if (!fixed)
            *port = tu_free_port();
        snprintf(portbuf, sizeof portbuf, "%u", *port);
        k = 0;
        argv[k++] = "xapian-tcpsrv";
        argv[k++] = "--port";
        argv[k++] = portbuf;
        argv[k++] = "--interface";
        argv[k++] = "127.0.0.1";
        argv[k++] = "--quiet";
        if (writable)
            argv[k++] = "--writable";
        for (size_t i = 0; i < n; i++)
            argv[k++] = tu_lend(paths[i]);
        argv[k] = NULL;
        pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            /* xapian-tcpsrv answers SIGTERM with kill(0, SIGTERM): give it
             * a process group of its own so it does not take us along. */
            setpgid(0, 0);
            int devnull = open("/dev/null", O_RDWR);
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
            execvp(argv[0], argv);
            _exit(127);
        }
        /* Wait up to 10 s for the server to listen. */
        for (int i = 0; i < 1000; i++) {
            int status;
            if (port_open(*port)) {
                if (nservers < MAX_SERVERS)
                    servers[nservers++] = pid;
                free(argv);
                return pid;
            }
            if (waitpid(pid, &status, WNOHANG) == pid) {
                /* It died (port taken?): another port, or (FIXED) the
                 * same once the old connections are gone. */
                struct timespec ts = {0, 100 * 1000 * 1000};
                nanosleep(&ts, NULL);
                break;
            }
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    free(argv);
    return -1;
}

pid_t tu_start_tcpsrv(const char *const *paths, size_t n, int writable,
                      unsigned *port)
{
    return start_tcpsrv(paths, n, writable, port, 0);
}

pid_t tu_start_tcpsrv_at(const char *const *paths, size_t n, unsigned port)
{
    return start_tcpsrv(paths, n, 0, &port, 1);
}

void tu_stop_server(pid_t pid)
{
    if (pid <= 0)
        return;
    for (size_t i = 0; i < nservers; i++) {
        if (servers[i] == pid)
            servers[i] = servers[--nservers];
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

void tu_stop_all_servers(void)
{
    while (nservers > 0)
        tu_stop_server(servers[nservers - 1]);
}

/* Append what one read() of FD gives to the growing string *B (length *N,
 * capacity *CAP).  Returns the read() result. */
static ssize_t read_some(int fd, char **b, size_t *n, size_t *cap)
{
    char tmp[4096];
    ssize_t got = read(fd, tmp, sizeof tmp);
    if (got <= 0)
        return got;
    if (*n + (size_t)got + 1 > *cap) {
        *cap = (*n + (size_t)got + 1) * 2;
        *b = realloc(*b, *cap);
        if (!*b)
            abort();
    }
    memcpy(*b + *n, tmp, (size_t)got);
    *n += (size_t)got;
    (*b)[*n] = '\0';
    return got;
}

int tu_run(char *const argv[], char **out, char **err)
{
    int po[2], pe[2], status;
    char *b[2] = {NULL, NULL};
    size_t n[2] = {0, 0}, cap[2] = {0, 0};
    struct pollfd pf[2];
    int open_fds = 2;
    pid_t pid;
    if (pipe(po) != 0 || pipe(pe) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    pf[0].fd = po[0];
    pf[1].fd = pe[0];
    pf[0].events = pf[1].events = POLLIN;
    /* Drain both pipes together so that neither can fill and block. */
    while (open_fds > 0) {
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP)))
                continue;
            ssize_t got = read_some(pf[i].fd, &b[i], &n[i], &cap[i]);
            if (got == 0 || (got < 0 && errno != EINTR)) {
                close(pf[i].fd);
                pf[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        char **dst = i == 0 ? out : err;
        if (!b[i])
            b[i] = calloc(1, 1);
        if (dst)
            *dst = b[i];
        else
            free(b[i]);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}
