/* testutil.c - temporary directories, ../shared lookup and subprocess capture for tests. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "tests/support/testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_mkdtemp(const char *tag)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + strlen(tag) + 32;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s/khotin-%s-XXXXXX", base, tag);
    if (!mkdtemp(p)) {
        free(p);
        return NULL;
    }
    return p;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void tu_rmtree(const char *path)
{
    if (path)
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *tu_shared_dir(void)
{
    const char *d = getenv("KHOTIN_SHARED_DIR");
    struct stat st;
    if (d && stat(d, &st) == 0 && S_ISDIR(st.st_mode))
        return d;
    return NULL;
}

char *tu_shared_path(const char *rel)
{
    const char *d = tu_shared_dir();
    if (!d)
        return NULL;
    size_t n = strlen(d) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s/%s", d, rel);
    struct stat st;
    if (stat(p, &st) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

const char *tu_source_dir(void)
{
    const char *d = getenv("KHOTIN_SOURCE_DIR");
    return d && *d ? d : ".";
}

const char *tu_khotin_bin(void)
{
    const char *b = getenv("KHOTIN_BIN");
    return b && *b ? b : "khotin";
}

bool tu_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

int tu_run(char *const argv[], const char *in, size_t in_len, struct kt_buf *out,
           struct kt_buf *errout)
{
    int pin[2], pout[2], perr[2];
    if (pipe(pin) || pipe(pout) || pipe(perr))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        dup2(perr[1], 2);
        close(pin[0]);
        close(pin[1]);
        close(pout[0]);
        close(pout[1]);
        close(perr[0]);
        close(perr[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    signal(SIGPIPE, SIG_IGN);
    size_t written = 0;
    if (!in || in_len == 0) {
        close(pin[1]);
        pin[1] = -1;
    }
    struct pollfd fds[3];
    int open_fds = 2;
    bool out_open = true, err_open = true;
    char chunk[65536];
    while (open_fds > 0 || pin[1] >= 0) {
        int nf = 0;
        int iout = -1, ierr = -1, iin = -1;
        if (out_open) {
            fds[nf] = (struct pollfd){.fd = pout[0], .events = POLLIN};
            iout = nf++;
        }
        if (err_open) {
            fds[nf] = (struct pollfd){.fd = perr[0], .events = POLLIN};
            ierr = nf++;
        }
        if (pin[1] >= 0) {
            fds[nf] = (struct pollfd){.fd = pin[1], .events = POLLOUT};
            iin = nf++;
        }
        if (poll(fds, (nfds_t)nf, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (iin >= 0 && fds[iin].revents) {
            ssize_t n = write(pin[1], in + written, in_len - written);
            if (n > 0)
                written += (size_t)n;
            if (n <= 0 || written == in_len) {
                close(pin[1]);
                pin[1] = -1;
            }
        }
        if (iout >= 0 && fds[iout].revents) {
            ssize_t n = read(pout[0], chunk, sizeof chunk);
            if (n > 0) {
                if (out)
                    kt_buf_append(out, chunk, (size_t)n);
            } else {
                out_open = false;
                open_fds--;
            }
        }
        if (ierr >= 0 && fds[ierr].revents) {
            ssize_t n = read(perr[0], chunk, sizeof chunk);
            if (n > 0) {
                if (errout)
                    kt_buf_append(errout, chunk, (size_t)n);
            } else {
                err_open = false;
                open_fds--;
            }
        }
    }
    close(pout[0]);
    close(perr[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}
