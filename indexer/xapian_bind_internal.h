/* xapian_bind_internal.h - private C++ definitions shared by the xapian_bind*.cpp files: the
 * handle structs and the exception-to-kt_status mapping. Never included from C. */
#ifndef KHOTIN_INDEXER_XAPIAN_BIND_INTERNAL_H
#define KHOTIN_INDEXER_XAPIAN_BIND_INTERNAL_H

#ifndef __cplusplus
#error "xapian_bind_internal.h is C++ only"
#endif

#include "indexer/kt_xapian.h"

#include <string>
#include <xapian.h>

struct kt_xdb {
    Xapian::Database db;
    std::string path;
};

struct kt_xdbw {
    Xapian::WritableDatabase db;
    std::string path;
};

struct kt_xdoc {
    Xapian::Document doc;
    std::string path; /* database the document was read from, "" for a new one */
};

struct kt_xquery {
    Xapian::Query q;
};

struct kt_xenquire {
    Xapian::Enquire enq;
    std::string path;
    explicit kt_xenquire(const Xapian::Database &db) : enq(db) {}
};

struct kt_xmset {
    Xapian::MSet mset;
    std::string path;
};

struct kt_xspy {
    /* Reference-counted (after release()) so the Enquire it is added to shares it. */
    Xapian::Internal::opt_intrusive_ptr<Xapian::ValueCountMatchSpy> spy;
};

/* Maps the exception being handled (call only inside a catch block) to a status, fills err
 * with a message prefixed by path (NULL or "" = no prefix) and returns the status. Never
 * throws. */
kt_status kx_status_from_exception(struct kt_err *err, const char *path) noexcept;

/* Sets err to KT_EINVAL "<what>: <msg>" (what may be NULL) and returns KT_EINVAL. */
kt_status kx_invalid(struct kt_err *err, const char *what, const char *msg) noexcept;

/* Copies bytes into out, replacing its contents. */
kt_status kx_copy_out(struct kt_buf *out, const std::string &s, struct kt_err *err) noexcept;

/* Checks a term's length (1..KT_XTERM_MAX) and pointer; KT_EINVAL (message prefixed by path,
 * which may be NULL) otherwise. */
kt_status kx_check_term(const char *term, size_t len, struct kt_err *err,
                        const char *path) noexcept;

/* Sets err to KT_ENOTFOUND "<path>: no document has term '<term>'". */
kt_status kx_not_found_term(struct kt_err *err, const std::string &path, const char *term,
                            size_t len) noexcept;

/* Wraps an exported function body: `KX_TRY ... KX_CATCH(err, path)`. */
#define KX_TRY try {
#define KX_CATCH(err, path)                                                                        \
    }                                                                                              \
    catch (...)                                                                                    \
    {                                                                                              \
        return kx_status_from_exception((err), (path));                                            \
    }

#endif
