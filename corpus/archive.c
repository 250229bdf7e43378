/* archive.c - open an archive directory: run lock, crawl state, torn-WARC repair, lazy writer. */
#define _GNU_SOURCE
#include "corpus/archive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct kt_archive {
    char *dir;
    char *warc_dir;
    bool read_only;
    int lock_fd;
    struct kt_crawl_state *state;
    struct kt_warc_writer *writer;
    struct kt_warc_writer_opts wopts;
    char *prefix, *hostname, *warcinfo_fields;
    uint64_t max_size;
};

static bool is_warc_name(const char *n)
{
    size_t len = strlen(n);
    if (n[0] == '.')
        return false;
    return (len > 8 && strcmp(n + len - 8, ".warc.gz") == 0) ||
           (len > 5 && strcmp(n + len - 5, ".warc") == 0);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void kt_archive_free_names(char **names, size_t n)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static kt_status list_warcs(const char *warc_dir, char ***names, size_t *n, struct kt_err *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(warc_dir);
    if (!d) {
        if (errno == ENOENT)
            return KT_OK;
        return kt_err_set(err, KT_EIO, "%s: %s", warc_dir, strerror(errno));
    }
    char **v = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    kt_status st = KT_OK;
    while ((e = readdir(d)) != NULL) {
        if (!is_warc_name(e->d_name))
            continue;
        if (count == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **p = realloc(v, nc * sizeof *p);
            if (!p) {
                st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", warc_dir);
                break;
            }
            v = p;
            cap = nc;
        }
        if (!(v[count] = strdup(e->d_name))) {
            st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", warc_dir);
            break;
        }
        count++;
    }
    closedir(d);
    if (st != KT_OK) {
        kt_archive_free_names(v, count);
        return st;
    }
    if (count)
        qsort(v, count, sizeof *v, cmp_names);
    *names = v;
    *n = count;
    return KT_OK;
}

kt_status kt_archive_list_warcs(const struct kt_archive *a, char ***names, size_t *n,
                                struct kt_err *err)
{
    return list_warcs(a->warc_dir, names, n, err);
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* Takes the run lock; on contention names the pid that holds it. */
static kt_status take_lock(struct kt_archive *a, struct kt_err *err)
{
    char *path = join(a->dir, "lock");
    if (!path)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", a->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        kt_status st = kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));
        free(path);
        return st;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char buf[32] = "";
        ssize_t k = pread(fd, buf, sizeof buf - 1, 0);
        buf[k > 0 ? k : 0] = '\0';
        long pid = strtol(buf, NULL, 10);
        close(fd);
        free(path);
        if (e == EWOULDBLOCK || e == EAGAIN) {
            if (pid > 0)
                return kt_err_set(err, KT_ELOCKED,
                                  "%s: archive is in use by another khotin run (pid %ld)", a->dir,
                                  pid);
            return kt_err_set(err, KT_ELOCKED, "%s: archive is in use by another khotin run",
                              a->dir);
        }
        return kt_err_set(err, KT_EIO, "%s: lock: %s", a->dir, strerror(e));
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        kt_status st = kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        free(path);
        return st;
    }
    free(path);
    a->lock_fd = fd;
    return KT_OK;
}

/* The most recently modified WARC file in the directory (ties: the later name). */
static kt_status newest_warc(struct kt_archive *a, char **out, struct kt_err *err)
{
    *out = NULL;
    char **names;
    size_t n;
    kt_status st = list_warcs(a->warc_dir, &names, &n, err);
    if (st != KT_OK)
        return st;
    struct timespec best = {0, 0};
    size_t best_i = n;
    for (size_t i = 0; i < n; i++) {
        char *p = join(a->warc_dir, names[i]);
        struct stat sb;
        if (p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (best_i == n || sb.st_mtim.tv_sec > best.tv_sec ||
                (sb.st_mtim.tv_sec == best.tv_sec && sb.st_mtim.tv_nsec >= best.tv_nsec)) {
                best = sb.st_mtim;
                best_i = i;
            }
        }
        free(p);
    }
    if (best_i < n && !(*out = strdup(names[best_i])))
        st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", a->warc_dir);
    kt_archive_free_names(names, n);
    return st;
}

static kt_status repair_newest(struct kt_archive *a, struct kt_archive_open_report *rep,
                               struct kt_err *err)
{
    char *name;
    kt_status st = newest_warc(a, &name, err);
    if (st != KT_OK || !name)
        return st;
    char *path = join(a->warc_dir, name);
    if (!path) {
        free(name);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", a->warc_dir);
    }
    struct kt_warc_repair_report r;
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size == 0) {
        /* killed between creating the file and writing its warcinfo */
        rep->repaired = true;
        snprintf(rep->repaired_file, sizeof rep->repaired_file, "%s", name);
        snprintf(rep->repair.reason, sizeof rep->repair.reason, "%s: empty file removed", path);
        st = unlink(path) == 0 ? KT_OK : kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));
        free(path);
        free(name);
        return st;
    }
    st = kt_warc_repair(path, &r, err);
    if (st == KT_OK && r.cut) {
        rep->repaired = true;
        snprintf(rep->repaired_file, sizeof rep->repaired_file, "%s", name);
        rep->repair = r;
        if (r.new_size == 0 && unlink(path) != 0) /* nothing complete, not even the warcinfo */
            st = kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));
    }
    free(path);
    free(name);
    return st;
}

kt_status kt_archive_close(struct kt_archive *a, struct kt_err *err)
{
    if (!a)
        return KT_OK;
    kt_status st = kt_warc_writer_close(a->writer, err);
    kt_crawl_state_close(a->state);
    if (a->lock_fd >= 0)
        close(a->lock_fd); /* releases the flock */
    free(a->dir);
    free(a->warc_dir);
    free(a->prefix);
    free(a->hostname);
    free(a->warcinfo_fields);
    free(a);
    return st;
}

kt_status kt_archive_open(const char *dir, const struct kt_archive_opts *opts,
                          struct kt_archive **out, struct kt_archive_open_report *report,
                          struct kt_err *err)
{
    *out = NULL;
    struct kt_archive_open_report local;
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    static const struct kt_archive_opts defaults = {0};
    if (!opts)
        opts = &defaults;
    if (!dir || !*dir)
        return kt_err_set(err, KT_EINVAL, "archive: no directory given");
    struct kt_archive *a = calloc(1, sizeof *a);
    if (!a)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", dir);
    a->lock_fd = -1;
    a->read_only = opts->read_only;
    a->dir = strdup(dir);
    a->warc_dir = join(dir, "warc");
    a->prefix = opts->warc_prefix ? strdup(opts->warc_prefix) : NULL;
    a->hostname = opts->hostname ? strdup(opts->hostname) : NULL;
    a->warcinfo_fields = opts->warcinfo_fields ? strdup(opts->warcinfo_fields) : NULL;
    a->max_size = opts->max_warc_size;
    kt_status st = KT_OK;
    if (!a->dir || !a->warc_dir || (opts->warc_prefix && !a->prefix) ||
        (opts->hostname && !a->hostname) || (opts->warcinfo_fields && !a->warcinfo_fields)) {
        st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", dir);
        goto fail;
    }
    char *state_path = join(dir, "state.sqlite");
    if (!state_path) {
        st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", dir);
        goto fail;
    }
    if (a->read_only) {
        struct stat sb;
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            st = kt_err_set(err, KT_ENOTFOUND, "%s: archive directory does not exist", dir);
        } else {
            st = kt_crawl_state_open(state_path, true, &a->state, err);
        }
        free(state_path);
        if (st != KT_OK)
            goto fail;
        *out = a;
        return KT_OK;
    }
    if ((st = kt_mkdir_p(dir, err)) != KT_OK || (st = take_lock(a, err)) != KT_OK ||
        (st = kt_mkdir_p(a->warc_dir, err)) != KT_OK ||
        (st = repair_newest(a, report, err)) != KT_OK ||
        (st = kt_crawl_state_open(state_path, false, &a->state, err)) != KT_OK ||
        (st = kt_crawl_reset_fetching(a->state, &report->fetching_reset, err)) != KT_OK) {
        free(state_path);
        goto fail;
    }
    free(state_path);
    *out = a;
    return KT_OK;
fail:
    kt_archive_close(a, NULL);
    return st;
}

struct kt_crawl_state *kt_archive_state(struct kt_archive *a)
{
    return a->state;
}

kt_status kt_archive_writer(struct kt_archive *a, struct kt_warc_writer **w, struct kt_err *err)
{
    *w = NULL;
    if (a->read_only)
        return kt_err_set(err, KT_EINVAL, "%s: archive opened read-only", a->dir);
    if (!a->writer) {
        struct kt_warc_writer_opts o = {.dir = a->warc_dir,
                                        .prefix = a->prefix,
                                        .max_file_size = a->max_size,
                                        .hostname = a->hostname,
                                        .warcinfo_fields = a->warcinfo_fields};
        kt_status st = kt_warc_writer_open(&o, &a->writer, err);
        if (st != KT_OK)
            return st;
    }
    *w = a->writer;
    return KT_OK;
}

kt_status kt_archive_sync(struct kt_archive *a, struct kt_err *err)
{
    return a->writer ? kt_warc_writer_sync(a->writer, err) : KT_OK;
}

const char *kt_archive_dir(const struct kt_archive *a)
{
    return a->dir;
}

const char *kt_archive_warc_dir(const struct kt_archive *a)
{
    return a->warc_dir;
}

kt_status kt_archive_warc_path(const struct kt_archive *a, const char *file, char *out,
                               size_t out_size, struct kt_err *err)
{
    if (!file || !*file || strchr(file, '/') || strcmp(file, "..") == 0)
        return kt_err_set(err, KT_EINVAL, "%s: bad WARC file name \"%.100s\"", a->dir,
                          file ? file : "");
    int n = snprintf(out, out_size, "%s/%s", a->warc_dir, file);
    if (n < 0 || (size_t)n >= out_size)
        return kt_err_set(err, KT_EINVAL, "%s: WARC path too long", a->dir);
    return KT_OK;
}

kt_status kt_archive_read_record(const struct kt_archive *a, const char *file, uint64_t offset,
                                 size_t max_block, struct kt_warc_record *rec, struct kt_err *err)
{
    char path[PATH_MAX];
    kt_status st = kt_archive_warc_path(a, file, path, sizeof path, err);
    if (st != KT_OK)
        return st;
    return kt_warc_read_at(path, offset, max_block, rec, err);
}
