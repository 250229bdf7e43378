/* xapian_bind.cpp - the C binding's error mapping and databases (read-only and writable) over
 * libxapian; documents, queries and enquire live in xapian_bind_doc/_query/_enquire.cpp. */
#include "indexer/xapian_bind_internal.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <new>
#include <sys/stat.h>

/* ============================ Errors ============================ */

namespace
{

/* Sets err to code with "path: " + the formatted text. */
__attribute__((format(printf, 4, 5))) kt_status
set_err(struct kt_err *err, kt_status code, const char *path, const char *fmt, ...) noexcept
{
    char text[KT_ERR_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (path && *path)
        return kt_err_set(err, code, "%s: %s", path, text);
    return kt_err_set(err, code, "%s", text);
}

bool exists(const std::string &p) noexcept
{
    struct stat st;
    return stat(p.c_str(), &st) == 0;
}

/* What lies at a database path: 0 nothing, 1 something that is not a glass database,
 * 2 a directory with glass files (so a failed open means damage), 3 a non-directory. */
int path_state(const char *path) noexcept
{
    try {
        struct stat st;
        if (!path || !*path || stat(path, &st) != 0)
            return 0;
        if (!S_ISDIR(st.st_mode))
            return 3;
        std::string p(path);
        for (const char *f : {"/iamglass", "/postlist.glass", "/termlist.glass", "/docdata.glass"})
            if (exists(p + f))
                return 2;
        return 1;
    } catch (...) {
        return 1;
    }
}

const char *errno_text(const Xapian::Error &e) noexcept
{
    try {
        const char *s = e.get_error_string();
        return s ? s : "";
    } catch (...) {
        return "";
    }
}

kt_status opening_error(struct kt_err *err, const char *path, const Xapian::Error &e) noexcept
{
    const char *sys = errno_text(e);
    switch (path_state(path)) {
    case 0:
        return set_err(err, KT_ENOTFOUND, path, "no index found (path does not exist)");
    case 3:
        return set_err(err, KT_ENOTFOUND, path, "not a Xapian index (not a directory)");
    case 2:
        if (*sys && strcmp(sys, strerror(ENOENT)) != 0)
            return set_err(err, KT_EIO, path, "cannot open index: %s (%s)", e.get_msg().c_str(),
                           sys);
        return set_err(err, KT_ECORRUPT, path, "index is corrupt: %s", e.get_msg().c_str());
    default:
        if (*sys && strcmp(sys, strerror(ENOENT)) != 0)
            return set_err(err, KT_EIO, path, "cannot open index: %s (%s)", e.get_msg().c_str(),
                           sys);
        return set_err(err, KT_ENOTFOUND, path, "not a Xapian index (%s)", e.get_msg().c_str());
    }
}

kt_status map_current(struct kt_err *err, const char *path)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &) {
        return set_err(err, KT_ELOCKED, path, "index is locked by another process");
    } catch (const Xapian::DatabaseModifiedError &e) {
        return set_err(err, KT_EMODIFIED, path,
                       "index changed while reading, reopen and retry (%s)", e.get_msg().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return set_err(err, KT_ECORRUPT, path, "index is corrupt: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseVersionError &e) {
        return set_err(err, KT_ECORRUPT, path, "unsupported index format: %s", e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) { /* includes DatabaseNotFoundError */
        return opening_error(err, path, e);
    } catch (const Xapian::DatabaseCreateError &e) {
        const char *sys = errno_text(e);
        return set_err(err, KT_EIO, path, "cannot create index: %s%s%s", e.get_msg().c_str(),
                       *sys ? ": " : "", sys);
    } catch (const Xapian::DatabaseError &e) {
        /* glass reports a table file shorter than its root block says as a plain DatabaseError
         * "EOF reading block N": that is truncation, i.e. damage, not an I/O failure. */
        const std::string &m = e.get_msg();
        if (m.compare(0, 17, "EOF reading block") == 0)
            return set_err(err, KT_ECORRUPT, path, "index is corrupt (truncated file): %s",
                           m.c_str());
        const char *sys = errno_text(e);
        return set_err(err, KT_EIO, path, "%s%s%s", m.c_str(), *sys ? ": " : "", sys);
    } catch (const Xapian::QueryParserError &e) {
        return set_err(err, KT_EQUERY, path, "query syntax error: %s", e.get_msg().c_str());
    } catch (const Xapian::DocNotFoundError &e) {
        return set_err(err, KT_ENOTFOUND, path, "%s", e.get_msg().c_str());
    } catch (const Xapian::InvalidArgumentError &e) {
        return set_err(err, KT_EINVAL, path, "%s", e.get_msg().c_str());
    } catch (const Xapian::InvalidOperationError &e) {
        return set_err(err, KT_EINVAL, path, "%s", e.get_msg().c_str());
    } catch (const Xapian::Error &e) {
        return set_err(err, KT_EINDEX, path, "Xapian %s: %s", e.get_type(), e.get_msg().c_str());
    } catch (const std::bad_alloc &) {
        return set_err(err, KT_ENOMEM, path, "out of memory");
    } catch (const std::exception &e) {
        return set_err(err, KT_EINDEX, path, "%s", e.what());
    } catch (...) {
        return set_err(err, KT_EINDEX, path, "unknown exception in the Xapian binding");
    }
}

} // namespace

kt_status kx_status_from_exception(struct kt_err *err, const char *path) noexcept
{
    try {
        return map_current(err, path);
    } catch (...) {
        return set_err(err, KT_EINDEX, path, "error while reporting a Xapian error");
    }
}

kt_status kx_invalid(struct kt_err *err, const char *what, const char *msg) noexcept
{
    return set_err(err, KT_EINVAL, what, "%s", msg);
}

kt_status kx_copy_out(struct kt_buf *out, const std::string &s, struct kt_err *err) noexcept
{
    if (!out)
        return kx_invalid(err, nullptr, "output buffer is NULL");
    kt_buf_reset(out);
    if (kt_buf_append(out, s.data(), s.size()) != KT_OK)
        return set_err(err, KT_ENOMEM, nullptr, "out of memory copying %zu bytes", s.size());
    return KT_OK;
}

kt_status kx_check_term(const char *term, size_t len, struct kt_err *err, const char *path) noexcept
{
    if (!term || len == 0)
        return kx_invalid(err, path, "empty term");
    if (len > KT_XTERM_MAX)
        return set_err(err, KT_EINVAL, path, "term of %zu bytes is longer than %d: %.40s...", len,
                       KT_XTERM_MAX, term);
    return KT_OK;
}

kt_status kx_not_found_term(struct kt_err *err, const std::string &path, const char *term,
                            size_t len) noexcept
{
    int n = len > 200 ? 200 : (int)len;
    return set_err(err, KT_ENOTFOUND, path.c_str(), "no document has term '%.*s'", n, term);
}

namespace
{

kt_status check_key(const char *key, struct kt_err *err, const std::string &path) noexcept
{
    if (!key || !*key)
        return kx_invalid(err, path.c_str(), "empty metadata key");
    if (strlen(key) > KT_XTERM_MAX)
        return kx_invalid(err, path.c_str(), "metadata key too long");
    return KT_OK;
}

/* The lowest docid with term, or 0. */
Xapian::docid first_with_term(const Xapian::Database &db, const std::string &term)
{
    Xapian::PostingIterator it = db.postlist_begin(term);
    return it == db.postlist_end(term) ? 0 : *it;
}

/* ==== Reads shared by kt_xdb and kt_xdbw (H is either; both hold db and path) ==== */

template <class H>
kt_status db_get_metadata(H *db, const char *key, struct kt_buf *out, struct kt_err *err) noexcept
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    kt_status st = check_key(key, err, db->path);
    if (st != KT_OK)
        return st;
    KX_TRY
    return kx_copy_out(out, db->db.get_metadata(key), err);
    KX_CATCH(err, db->path.c_str())
}

template <class H> kt_status db_doc_count(H *db, uint32_t *out, struct kt_err *err) noexcept
{
    if (!db || !out)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL argument");
    KX_TRY
    *out = db->db.get_doccount();
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

template <class H>
kt_status db_term_exists(H *db, const char *term, size_t len, bool *out,
                         struct kt_err *err) noexcept
{
    if (!db || !out)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL argument");
    kt_status st = kx_check_term(term, len, err, db->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    *out = db->db.term_exists(std::string(term, len));
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

template <class H>
kt_status db_find_by_term(H *db, const char *term, size_t len, kt_xdocid *out,
                          struct kt_err *err) noexcept
{
    if (!db || !out)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL argument");
    *out = 0;
    kt_status st = kx_check_term(term, len, err, db->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    *out = first_with_term(db->db, std::string(term, len));
    return *out ? KT_OK : kx_not_found_term(err, db->path, term, len);
    KX_CATCH(err, db->path.c_str())
}

template <class H>
kt_status db_get_document(H *db, kt_xdocid docid, kt_xdoc **out, struct kt_err *err) noexcept
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    if (!db || docid == 0)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL database or docid 0");
    KX_TRY
    *out = new kt_xdoc{db->db.get_document(docid), db->path};
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

} // namespace

extern "C" {

const char *kt_xapian_version(void)
{
    try {
        return Xapian::version_string();
    } catch (...) {
        return "unknown";
    }
}

/* ============================ Writable database ============================ */

kt_status kt_xdbw_open(const char *path, enum kt_xdbw_mode mode, kt_xdbw **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, path, "NULL output handle");
    *out = nullptr;
    if (!path || !*path)
        return kx_invalid(err, nullptr, "empty index path");
    int flags = Xapian::DB_BACKEND_GLASS;
    if (mode == KT_XDBW_CREATE_OR_OPEN) {
        kt_status st = kt_mkdir_p(path, err);
        if (st != KT_OK)
            return st;
        flags |= Xapian::DB_CREATE_OR_OPEN;
    } else if (mode == KT_XDBW_MUST_EXIST) {
        if (path_state(path) == 0)
            return set_err(err, KT_ENOTFOUND, path, "no index found (path does not exist)");
        flags |= Xapian::DB_OPEN;
    } else {
        return kx_invalid(err, path, "unknown open mode");
    }
    KX_TRY
    kt_xdbw *db = new kt_xdbw{Xapian::WritableDatabase(path, flags), path};
    *out = db;
    return KT_OK;
    KX_CATCH(err, path)
}

void kt_xdbw_close(kt_xdbw *db)
{
    if (!db)
        return;
    try {
        db->db.close();
    } catch (...) {
    }
    delete db;
}

const char *kt_xdbw_path(const kt_xdbw *db)
{
    return db ? db->path.c_str() : nullptr;
}

kt_status kt_xdbw_add_document(kt_xdbw *db, const kt_xdoc *doc, kt_xdocid *docid,
                               struct kt_err *err)
{
    if (!db || !doc)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL database or document");
    KX_TRY
    Xapian::docid id = db->db.add_document(doc->doc);
    if (docid)
        *docid = id;
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_replace_by_term(kt_xdbw *db, const char *term, size_t len, const kt_xdoc *doc,
                                  kt_xdocid *docid, struct kt_err *err)
{
    if (!db || !doc)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL database or document");
    kt_status st = kx_check_term(term, len, err, db->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    Xapian::docid id = db->db.replace_document(std::string(term, len), doc->doc);
    if (docid)
        *docid = id;
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_replace_document(kt_xdbw *db, kt_xdocid docid, const kt_xdoc *doc,
                                   struct kt_err *err)
{
    if (!db || !doc || docid == 0)
        return kx_invalid(err, db ? db->path.c_str() : nullptr,
                          "NULL database or document, or docid 0");
    KX_TRY
    db->db.replace_document(docid, doc->doc);
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_delete_by_term(kt_xdbw *db, const char *term, size_t len, struct kt_err *err)
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    kt_status st = kx_check_term(term, len, err, db->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    db->db.delete_document(std::string(term, len));
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_delete_document(kt_xdbw *db, kt_xdocid docid, struct kt_err *err)
{
    if (!db || docid == 0)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL database or docid 0");
    KX_TRY
    db->db.delete_document(docid);
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_commit(kt_xdbw *db, struct kt_err *err)
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    KX_TRY
    db->db.commit();
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_begin_transaction(kt_xdbw *db, bool flushed, struct kt_err *err)
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    KX_TRY
    db->db.begin_transaction(flushed);
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_commit_transaction(kt_xdbw *db, struct kt_err *err)
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    KX_TRY
    db->db.commit_transaction();
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_cancel_transaction(kt_xdbw *db, struct kt_err *err)
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    KX_TRY
    db->db.cancel_transaction();
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_set_metadata(kt_xdbw *db, const char *key, const void *value, size_t len,
                               struct kt_err *err)
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    kt_status st = check_key(key, err, db->path);
    if (st != KT_OK)
        return st;
    if (!value && len)
        return kx_invalid(err, db->path.c_str(), "NULL metadata value");
    KX_TRY
    db->db.set_metadata(key, len ? std::string((const char *)value, len) : std::string());
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdbw_get_metadata(kt_xdbw *db, const char *key, struct kt_buf *out, struct kt_err *err)
{
    return db_get_metadata(db, key, out, err);
}

kt_status kt_xdbw_doc_count(kt_xdbw *db, uint32_t *out, struct kt_err *err)
{
    return db_doc_count(db, out, err);
}

kt_status kt_xdbw_term_exists(kt_xdbw *db, const char *term, size_t len, bool *out,
                              struct kt_err *err)
{
    return db_term_exists(db, term, len, out, err);
}

kt_status kt_xdbw_find_by_term(kt_xdbw *db, const char *term, size_t len, kt_xdocid *out,
                               struct kt_err *err)
{
    return db_find_by_term(db, term, len, out, err);
}

kt_status kt_xdbw_get_document(kt_xdbw *db, kt_xdocid docid, kt_xdoc **out, struct kt_err *err)
{
    return db_get_document(db, docid, out, err);
}

/* ============================ Read-only database ============================ */

kt_status kt_xdb_open(const char *path, kt_xdb **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, path, "NULL output handle");
    *out = nullptr;
    if (!path || !*path)
        return kx_invalid(err, nullptr, "empty index path");
    if (path_state(path) == 0)
        return set_err(err, KT_ENOTFOUND, path, "no index found (path does not exist)");
    KX_TRY
    *out = new kt_xdb{Xapian::Database(path, Xapian::DB_BACKEND_GLASS), path};
    return KT_OK;
    KX_CATCH(err, path)
}

void kt_xdb_close(kt_xdb *db)
{
    delete db; /* derived handles keep their own references to the database */
}

const char *kt_xdb_path(const kt_xdb *db)
{
    return db ? db->path.c_str() : nullptr;
}

kt_status kt_xdb_reopen(kt_xdb *db, bool *changed, struct kt_err *err)
{
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    KX_TRY
    bool moved = db->db.reopen();
    if (changed)
        *changed = moved;
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdb_doc_count(kt_xdb *db, uint32_t *out, struct kt_err *err)
{
    return db_doc_count(db, out, err);
}

kt_status kt_xdb_last_docid(kt_xdb *db, kt_xdocid *out, struct kt_err *err)
{
    if (!db || !out)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL argument");
    KX_TRY
    *out = db->db.get_lastdocid();
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdb_get_document(kt_xdb *db, kt_xdocid docid, kt_xdoc **out, struct kt_err *err)
{
    return db_get_document(db, docid, out, err);
}

kt_status kt_xdb_term_freq(kt_xdb *db, const char *term, size_t len, uint32_t *out,
                           struct kt_err *err)
{
    if (!db || !out)
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL argument");
    kt_status st = kx_check_term(term, len, err, db->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    *out = db->db.get_termfreq(std::string(term, len));
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdb_term_exists(kt_xdb *db, const char *term, size_t len, bool *out,
                             struct kt_err *err)
{
    return db_term_exists(db, term, len, out, err);
}

kt_status kt_xdb_find_by_term(kt_xdb *db, const char *term, size_t len, kt_xdocid *out,
                              struct kt_err *err)
{
    return db_find_by_term(db, term, len, out, err);
}

kt_status kt_xdb_all_terms(kt_xdb *db, const char *prefix, size_t plen, kt_xterm_fn fn, void *ctx,
                           struct kt_err *err)
{
    if (!db || !fn || (!prefix && plen))
        return kx_invalid(err, db ? db->path.c_str() : nullptr, "NULL argument");
    KX_TRY
    std::string pfx(prefix ? prefix : "", plen);
    for (Xapian::TermIterator it = db->db.allterms_begin(pfx); it != db->db.allterms_end(pfx);
         ++it) {
        const std::string &t = *it;
        if (fn(ctx, t.data(), t.size(), it.get_termfreq()) != 0)
            break;
    }
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

kt_status kt_xdb_get_metadata(kt_xdb *db, const char *key, struct kt_buf *out, struct kt_err *err)
{
    return db_get_metadata(db, key, out, err);
}

} // extern "C"
