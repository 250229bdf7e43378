/* fs.c - whole-file reads, atomic rewrites, mkdir -p and clocks. */
#define _POSIX_C_SOURCE 200809L
#include "kt_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

kt_status kt_read_file(const char *path, size_t max_bytes, struct kt_buf *out, struct kt_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kt_err_set(err, errno == ENOENT ? KT_ENOTFOUND : KT_EIO, "%s: %s", path,
                          strerror(errno));
    size_t total = 0;
    for (;;) {
        if (kt_buf_reserve(out, 65536) != KT_OK) {
            close(fd);
            return kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
        }
        ssize_t n = read(fd, out->data + out->len, 65536);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            return kt_err_set(err, KT_EIO, "%s: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        total += (size_t)n;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (max_bytes && total > max_bytes) {
            close(fd);
            return kt_err_set(err, KT_ETOOBIG, "%s: larger than %zu bytes", path, max_bytes);
        }
    }
    close(fd);
    return KT_OK;
}

kt_status kt_write_file_atomic(const char *path, const void *data, size_t len, struct kt_err *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
    snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        kt_status rc = kt_err_set(err, KT_EIO, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto fail;
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return KT_OK;
fail: {
    int e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return kt_err_set(err, KT_EIO, "%s: %s", path, strerror(e));
}
}

kt_status kt_mkdir_p(const char *dir, struct kt_err *err)
{
    size_t len = strlen(dir);
    char *p = malloc(len + 1);
    if (!p)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", dir);
    memcpy(p, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char saved = p[i];
        p[i] = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            kt_status rc = kt_err_set(err, KT_EIO, "%s: %s", p, strerror(errno));
            free(p);
            return rc;
        }
        p[i] = saved;
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return kt_err_set(err, KT_EIO, "%s: not a directory", dir);
    return KT_OK;
}

int64_t kt_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t kt_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
