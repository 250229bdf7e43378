/* kt_common.h - the status codes, caller-owned error message and byte buffer shared by every
 * khotin module. This is the base of the dependency graph: it depends on nothing but libc. */
#ifndef KHOTIN_COMMON_KT_COMMON_H
#define KHOTIN_COMMON_KT_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One status enum for the whole project. Codes are only ever appended: each value's number is
 * fixed (it shows in JSON output and maps to exit codes), retired values keep their slot. */
typedef enum {
    KT_OK = 0,        /* 0: success */
    KT_ENOMEM,        /* 1: out of memory */
    KT_EIO,           /* 2: read/write/fsync failed, disk full */
    KT_ELOCKED,       /* 3: held by another process (index writer, archive run lock); try later */
    KT_EMODIFIED,     /* 4: database changed under a reader; reopen and retry */
    KT_ECORRUPT,      /* 5: on-disk data is damaged (index, WARC record, state file) */
    KT_EQUERY,        /* 6: query syntax error; message names the position */
    KT_EPARSE,        /* 7: malformed input data (HTML, XML, WARC, JSON, robots, URL) */
    KT_ECONFIG,       /* 8: malformed or inconsistent configuration */
    KT_ENOTFOUND,     /* 9: file, document, record or key does not exist */
    KT_EINVAL,        /* 10: invalid argument from the caller (bad option value) */
    KT_ENETWORK,      /* 11: connection, DNS, TLS or timeout failure */
    KT_EHTTP,         /* 12: HTTP status that is not a success */
    KT_ETOOBIG,       /* 13: input exceeds a configured size limit */
    KT_EROBOTS,       /* 14: disallowed by robots.txt */
    KT_EINTERRUPTED,  /* 15: stopped by a signal or a caller's request */
    KT_EINDEX,        /* 16: other search-engine (Xapian) error */
    KT_EOTHER,        /* 17: anything else */
    KT_STATUS_LAST    /* not a status: the number of values */
} kt_status;

/* Static English text for a status, never NULL ("unknown status" for out-of-range values). */
const char *kt_status_str(kt_status s);

/* The process exit code the CLI uses for a status: 0 ok, 65 data, 66 missing input, 74 I/O,
 * 75 try later, 78 config, 2 usage, 1 anything else. */
int kt_status_exit_code(kt_status s);

#define KT_ERR_SIZE 512

/* A caller-owned error: the status and a one-line message naming the input. Library functions
 * fill it on failure and leave it untouched on success. */
struct kt_err {
    kt_status code;
    char msg[KT_ERR_SIZE];
};

/* Sets err (which may be NULL) to code and a printf-formatted message; returns code so callers
 * can write `return kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));`. */
kt_status kt_err_set(struct kt_err *err, kt_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
kt_status kt_err_setv(struct kt_err *err, kt_status code, const char *fmt, va_list ap);

/* Prepends "prefix: " to an existing message, keeping the code; returns the code. */
kt_status kt_err_prefix(struct kt_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Resets err to KT_OK with an empty message. NULL is a no-op. */
void kt_err_clear(struct kt_err *err);

/* ============================ Byte buffer ============================ */

/* A growable byte buffer. data is always NUL-terminated (the NUL is not counted in len), so
 * text can be passed to C-string APIs, but byte data uses len. Zero-initialise before use:
 * `struct kt_buf b = {0};`. The buffer owns data; release with kt_buf_free(). */
struct kt_buf {
    char *data;
    size_t len;
    size_t cap;
};

/* Ensures room for extra more bytes (plus the NUL). Returns KT_OK or KT_ENOMEM. */
kt_status kt_buf_reserve(struct kt_buf *b, size_t extra);
kt_status kt_buf_append(struct kt_buf *b, const void *data, size_t len);
kt_status kt_buf_append_cstr(struct kt_buf *b, const char *s);
kt_status kt_buf_append_byte(struct kt_buf *b, char c);
kt_status kt_buf_printf(struct kt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends len bytes of data with every occurrence of needle (non-empty) replaced by with.
 * Returns KT_OK or KT_ENOMEM (b then holds a partial copy). */
kt_status kt_buf_append_replacing(struct kt_buf *b, const char *data, size_t len,
                                  const char *needle, const char *with);
/* Sets len to 0, keeping the allocation. */
void kt_buf_reset(struct kt_buf *b);
/* Releases data and zeroes b. NULL is a no-op. */
void kt_buf_free(struct kt_buf *b);
/* Hands data to the caller (who frees it with free()) and zeroes b. Never NULL after a
 * successful append: an empty buffer yields a malloc'd "" or NULL on allocation failure. */
char *kt_buf_detach(struct kt_buf *b);

/* ============================ Small helpers ============================ */

/* Reads a whole file into out (appending). Errors name the path. KT_ENOTFOUND if missing,
 * KT_ETOOBIG if larger than max_bytes (0 = no limit), KT_EIO otherwise. */
kt_status kt_read_file(const char *path, size_t max_bytes, struct kt_buf *out, struct kt_err *err);

/* Writes data to path atomically: a temporary file in the same directory, fsync, rename.
 * The temporary file is removed on error. */
kt_status kt_write_file_atomic(const char *path, const void *data, size_t len, struct kt_err *err);

/* Creates dir and its parents (mode 0755); an existing directory is fine. */
kt_status kt_mkdir_p(const char *dir, struct kt_err *err);

/* Monotonic clock in milliseconds / wall clock in microseconds since the epoch. */
int64_t kt_now_ms(void);
int64_t kt_wall_us(void);

#ifdef __cplusplus
}
#endif

#endif
