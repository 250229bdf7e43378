/* status.c - text and exit codes for kt_status, and the caller-owned struct kt_err. */
#define _POSIX_C_SOURCE 200809L
#include "kt_common.h"

#include <stdio.h>
#include <string.h>

const char *kt_status_str(kt_status s)
{
    switch (s) {
    case KT_OK: return "success";
    case KT_ENOMEM: return "out of memory";
    case KT_EIO: return "input/output error";
    case KT_ELOCKED: return "locked by another process";
    case KT_EMODIFIED: return "database modified, reopen and retry";
    case KT_ECORRUPT: return "corrupt data";
    case KT_EQUERY: return "query syntax error";
    case KT_EPARSE: return "malformed input";
    case KT_ECONFIG: return "configuration error";
    case KT_ENOTFOUND: return "not found";
    case KT_EINVAL: return "invalid argument";
    case KT_ENETWORK: return "network error";
    case KT_EHTTP: return "HTTP error";
    case KT_ETOOBIG: return "size limit exceeded";
    case KT_EROBOTS: return "disallowed by robots.txt";
    case KT_EINTERRUPTED: return "interrupted";
    case KT_EINDEX: return "search engine error";
    case KT_EOTHER: return "error";
    case KT_STATUS_LAST: break;
    }
    return "unknown status";
}

int kt_status_exit_code(kt_status s)
{
    switch (s) {
    case KT_OK: return 0;
    case KT_EQUERY:
    case KT_EPARSE:
    case KT_ECORRUPT: return 65;  /* EX_DATAERR */
    case KT_ENOTFOUND: return 66; /* EX_NOINPUT */
    case KT_EIO:
    case KT_ENOMEM: return 74;    /* EX_IOERR */
    case KT_ELOCKED:
    case KT_EMODIFIED: return 75; /* EX_TEMPFAIL */
    case KT_ECONFIG: return 78;   /* EX_CONFIG */
    case KT_EINVAL: return 2;
    default: return 1;
    }
}

kt_status kt_err_setv(struct kt_err *err, kt_status code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return code;
}

kt_status kt_err_set(struct kt_err *err, kt_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kt_err_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

kt_status kt_err_prefix(struct kt_err *err, const char *fmt, ...)
{
    if (!err)
        return KT_EOTHER;
    char prefix[KT_ERR_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char old[KT_ERR_SIZE];
    memcpy(old, err->msg, sizeof old);
    size_t plen = strlen(prefix);
    if (plen > sizeof err->msg - 3)
        plen = sizeof err->msg - 3;
    memcpy(err->msg, prefix, plen);
    memcpy(err->msg + plen, ": ", 2);
    size_t room = sizeof err->msg - plen - 3;
    size_t olen = strnlen(old, sizeof old - 1);
    if (olen > room)
        olen = room;
    memcpy(err->msg + plen + 2, old, olen);
    err->msg[plen + 2 + olen] = '\0';
    return err->code;
}

void kt_err_clear(struct kt_err *err)
{
    if (err) {
        err->code = KT_OK;
        err->msg[0] = '\0';
    }
}
