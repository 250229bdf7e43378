/* kt_xapian.h - the C API over libxapian: databases, documents, queries, enquire/results,
 * snippets and value-count facets, with every Xapian exception turned into a kt_status. */
#ifndef KHOTIN_INDEXER_KT_XAPIAN_H
#define KHOTIN_INDEXER_KT_XAPIAN_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ============================ Conventions ============================
 *
 * Errors: every function that can fail returns a kt_status and, on failure, fills the
 * caller-owned *err (which may be NULL) with the same code and a one-line message, copied into
 * err->msg (never a pointer into a temporary). Messages name the database path when one is
 * involved. No C++ exception ever crosses this API. Every function may return KT_ENOMEM and
 * KT_EINDEX (any other Xapian error) in addition to the statuses listed for it; KT_EINVAL means
 * a NULL handle/argument or an out-of-range parameter. Status mapping:
 *   DatabaseLockError               -> KT_ELOCKED   "<path>: index is locked by another process"
 *   DatabaseModifiedError           -> KT_EMODIFIED (reader: kt_xdb_reopen() and retry)
 *   DatabaseCorruptError            -> KT_ECORRUPT
 *   DatabaseError "EOF reading block" (what glass throws for a truncated table) -> KT_ECORRUPT
 *   DatabaseNotFoundError / DatabaseOpeningError: KT_ENOTFOUND when the path does not exist or
 *     holds no glass files ("not a Xapian index"), KT_ECORRUPT when glass files are there
 *     (e.g. a deleted or unreadable revision file), KT_EIO for a system error (permission)
 *   QueryParserError                -> KT_EQUERY
 *   DocNotFoundError                -> KT_ENOTFOUND
 *   InvalidArgumentError, InvalidOperationError -> KT_EINVAL
 *   other DatabaseError             -> KT_EIO
 *   std::bad_alloc                  -> KT_ENOMEM
 *   any other Xapian::Error, std::exception or unknown exception -> KT_EINDEX
 *
 * Ownership: constructors (`*_open`, `*_new`, query builders, `get_*` returning a handle) set
 * *out to a new handle that the caller frees with the matching `*_free`/`*_close`, and set
 * *out = NULL on failure. Free/close functions accept NULL and never fail. Input handles are
 * borrowed, never consumed. Byte results are copied into a caller-owned struct kt_buf whose
 * previous contents are REPLACED (kt_buf_reset + append); the caller frees it with
 * kt_buf_free(). Pointers passed to callbacks are valid only during that call.
 *
 * Lifetimes: handles share Xapian's reference-counted internals, so a kt_xenquire, kt_xmset or
 * kt_xdoc read from a kt_xdb stays valid after that kt_xdb is closed, and a kt_xspy stays
 * valid after the kt_xenquire it was added to is freed. kt_xdbw_close() really closes the
 * database (to release the lock): documents read from that writer then fail cleanly with
 * KT_EIO ("database has been closed") when read.
 *
 * Thread safety: no handle is thread-safe, and handles derived from one database (documents,
 * enquires, result sets) share state with it. Use each database and everything derived from it
 * from one thread at a time; give each thread its own kt_xdb. Query handles are immutable once
 * built but their reference counts are not atomic: do not share them between threads either.
 *
 * Single writer: at most one kt_xdbw may be open on a database path at a time, in the whole
 * system. A second open (from this or another process) fails with KT_ELOCKED until the first
 * is closed. Readers (kt_xdb) never block the writer and see a consistent snapshot: the one at
 * open or at their last kt_xdb_reopen(). A reader that falls too far behind the writer gets
 * KT_EMODIFIED and must reopen and retry.
 *
 * Limits: terms are byte strings of 1..KT_XTERM_MAX bytes (Xapian's glass backend cannot store
 * longer ones; adding a longer term fails with KT_EINVAL). Value slots are 0..KT_XSLOT_MAX.
 */

/* The longest term (in bytes) the glass backend can store. */
#define KT_XTERM_MAX 245
/* The largest usable value slot number. */
#define KT_XSLOT_MAX 0xfffffffeu
/* "No slot": clears a collapse key. */
#define KT_XSLOT_NONE 0xffffffffu

typedef uint32_t kt_xdocid; /* document id, >= 1; 0 means none */
typedef uint32_t kt_xslot;  /* value slot number */

typedef struct kt_xdb kt_xdb;           /* read-only database */
typedef struct kt_xdbw kt_xdbw;         /* writable database (the single writer) */
typedef struct kt_xdoc kt_xdoc;         /* a document being built, or one read back */
typedef struct kt_xquery kt_xquery;     /* an immutable query tree */
typedef struct kt_xenquire kt_xenquire; /* a search session over one kt_xdb */
typedef struct kt_xmset kt_xmset;       /* one page of results */
typedef struct kt_xspy kt_xspy;         /* value-count match spy (facet counts) */

/* Term visitor: term bytes (not NUL-terminated), length, and the within-document frequency
 * (for database-wide iteration: the term frequency, i.e. number of documents). Return 0 to
 * continue, non-zero to stop early (the iterating function then still returns KT_OK). The
 * callback must not longjmp out (no cmocka asserts inside it). */
typedef int (*kt_xterm_fn)(void *ctx, const char *term, size_t len, uint32_t freq);

/* Returns the libxapian version string, e.g. "1.4.22". Static, never NULL. */
const char *kt_xapian_version(void);

/* ============================ Writable database ============================ */

enum kt_xdbw_mode {
    KT_XDBW_CREATE_OR_OPEN = 0, /* create the database (and its directory) if missing */
    KT_XDBW_MUST_EXIST = 1,     /* open an existing database, KT_ENOTFOUND if missing */
};

/* Opens the database at path for writing (glass backend). Errors: KT_ENOTFOUND (MUST_EXIST and
 * no database there), KT_ELOCKED (another writer holds it, message names path), KT_ECORRUPT,
 * KT_EIO (cannot create, permission). The handle copies path for messages. */
kt_status kt_xdbw_open(const char *path, enum kt_xdbw_mode mode, kt_xdbw **out, struct kt_err *err);

/* Closes the writer and releases the lock. As Xapian does, pending (uncommitted) changes
 * outside a transaction are committed; an open transaction is cancelled. Any error doing so is
 * swallowed: call kt_xdbw_commit() first if you need to know. NULL-safe, never fails. */
void kt_xdbw_close(kt_xdbw *db);

/* The path given at open. Owned by the handle, valid until close. NULL for a NULL handle. */
const char *kt_xdbw_path(const kt_xdbw *db);

/* Adds doc and stores its new id in *docid (may be NULL). Errors: KT_EINVAL (term too long),
 * KT_EIO. The document is copied; the caller still owns and frees doc. */
kt_status kt_xdbw_add_document(kt_xdbw *db, const kt_xdoc *doc, kt_xdocid *docid,
                               struct kt_err *err);

/* Replaces every document indexed by the unique term (e.g. "Q" + url) with doc, or adds doc if
 * none has that term. doc should itself contain the unique term. *docid (may be NULL) gets the
 * id used. Document count is unchanged on replacement. Errors as kt_xdbw_add_document(). */
kt_status kt_xdbw_replace_by_term(kt_xdbw *db, const char *term, size_t len, const kt_xdoc *doc,
                                  kt_xdocid *docid, struct kt_err *err);

/* Replaces document docid (adding it with that id if absent). Errors as add. */
kt_status kt_xdbw_replace_document(kt_xdbw *db, kt_xdocid docid, const kt_xdoc *doc,
                                   struct kt_err *err);

/* Deletes every document indexed by term; deleting none is not an error. */
kt_status kt_xdbw_delete_by_term(kt_xdbw *db, const char *term, size_t len, struct kt_err *err);

/* Deletes document docid. KT_ENOTFOUND if there is no such document. */
kt_status kt_xdbw_delete_document(kt_xdbw *db, kt_xdocid docid, struct kt_err *err);

/* Makes all changes so far durable and visible to readers that reopen. KT_EIO (disk full).
 * KT_EINVAL inside a transaction (use kt_xdbw_commit_transaction). */
kt_status kt_xdbw_commit(kt_xdbw *db, struct kt_err *err);

/* Transactions group changes atomically. flushed=true commits pending changes first and makes
 * commit_transaction durable by itself; flushed=false merges the transaction into the next
 * commit. Nesting is not allowed (KT_EINVAL). cancel discards the transaction's changes. */
kt_status kt_xdbw_begin_transaction(kt_xdbw *db, bool flushed, struct kt_err *err);
kt_status kt_xdbw_commit_transaction(kt_xdbw *db, struct kt_err *err);
kt_status kt_xdbw_cancel_transaction(kt_xdbw *db, struct kt_err *err);

/* Metadata: key (NUL-terminated, 1..KT_XTERM_MAX bytes) -> value bytes. Setting an empty value
 * deletes the key. Stored with the next commit. Used for the index format version and
 * incremental-indexing progress. */
kt_status kt_xdbw_set_metadata(kt_xdbw *db, const char *key, const void *value, size_t len,
                               struct kt_err *err);
/* Copies the value of key into out (replacing its contents). Xapian cannot tell an absent key
 * from an empty value: both give KT_OK with out->len == 0. Sees uncommitted changes. */
kt_status kt_xdbw_get_metadata(kt_xdbw *db, const char *key, struct kt_buf *out,
                               struct kt_err *err);

/* Number of documents (including uncommitted changes). */
kt_status kt_xdbw_doc_count(kt_xdbw *db, uint32_t *out, struct kt_err *err);

/* Whether any document is indexed by term (including uncommitted changes). */
kt_status kt_xdbw_term_exists(kt_xdbw *db, const char *term, size_t len, bool *out,
                              struct kt_err *err);

/* The lowest docid indexed by term, in *out. KT_ENOTFOUND (err filled) if none. */
kt_status kt_xdbw_find_by_term(kt_xdbw *db, const char *term, size_t len, kt_xdocid *out,
                               struct kt_err *err);

/* Reads document docid (a new kt_xdoc the caller frees). KT_ENOTFOUND if absent. */
kt_status kt_xdbw_get_document(kt_xdbw *db, kt_xdocid docid, kt_xdoc **out, struct kt_err *err);

/* ============================ Documents ============================ */

/* A new empty document. */
kt_status kt_xdoc_new(kt_xdoc **out, struct kt_err *err);
void kt_xdoc_free(kt_xdoc *doc);

/* Adds a term (no position), increasing its wdf by wdf_inc (usually 1). KT_EINVAL if len is 0
 * or greater than KT_XTERM_MAX. */
kt_status kt_xdoc_add_term(kt_xdoc *doc, const char *term, size_t len, uint32_t wdf_inc,
                           struct kt_err *err);
/* Adds a term at position pos (>= 1; positions make phrase/NEAR queries work). wdf_inc as
 * above. KT_EINVAL for an empty/too long term or pos 0. */
kt_status kt_xdoc_add_posting(kt_xdoc *doc, const char *term, size_t len, uint32_t pos,
                              uint32_t wdf_inc, struct kt_err *err);
/* Adds a boolean term (wdf 0, no positions: does not affect weights), e.g. a filter term
 * "XSITEhanoimoi.vn" or the unique id term "Q<url>". Same length rules. */
kt_status kt_xdoc_add_boolean_term(kt_xdoc *doc, const char *term, size_t len, struct kt_err *err);
/* Removes a term and all its postings. KT_ENOTFOUND if the document lacks it. */
kt_status kt_xdoc_remove_term(kt_xdoc *doc, const char *term, size_t len, struct kt_err *err);
/* Sets value slot to the bytes (len 0 removes the value). Values are used for sorting, ranges,
 * collapsing and facets; sortable numbers must be encoded so that byte order is numeric order
 * (see kt_xsortable_serialise). */
kt_status kt_xdoc_set_value(kt_xdoc *doc, kt_xslot slot, const void *value, size_t len,
                            struct kt_err *err);
/* Sets the document data (opaque bytes returned with results, e.g. a serialised record). */
kt_status kt_xdoc_set_data(kt_xdoc *doc, const void *data, size_t len, struct kt_err *err);

/* Copies the document data / value of slot into out (replacing). A missing value gives KT_OK
 * with out->len == 0. On a document read from a database these read from disk. */
kt_status kt_xdoc_get_data(const kt_xdoc *doc, struct kt_buf *out, struct kt_err *err);
kt_status kt_xdoc_get_value(const kt_xdoc *doc, kt_xslot slot, struct kt_buf *out,
                            struct kt_err *err);
/* Calls fn for every term of the document starting with prefix (plen 0 = all terms), in byte
 * order, with the term's wdf. */
kt_status kt_xdoc_terms(const kt_xdoc *doc, const char *prefix, size_t plen, kt_xterm_fn fn,
                        void *ctx, struct kt_err *err);
/* Number of distinct terms in the document. */
kt_status kt_xdoc_term_count(const kt_xdoc *doc, uint32_t *out, struct kt_err *err);
/* The docid of a document read from a database, 0 for one built with kt_xdoc_new. */
kt_status kt_xdoc_docid(const kt_xdoc *doc, kt_xdocid *out, struct kt_err *err);

/* Encodes a double so that byte-wise order equals numeric order (Xapian's
 * sortable_serialise); writes at most 9 bytes into buf and returns the length used. Pure. */
size_t kt_xsortable_serialise(double value, char buf[9]);
/* Decodes a value produced by kt_xsortable_serialise (0.0 for garbage). Pure. */
double kt_xsortable_unserialise(const void *data, size_t len);

/* ============================ Read-only database ============================ */

/* Opens the database at path for reading. KT_ENOTFOUND (no database there), KT_ECORRUPT
 * (damaged files), KT_EIO. */
kt_status kt_xdb_open(const char *path, kt_xdb **out, struct kt_err *err);
void kt_xdb_close(kt_xdb *db);
/* The path given at open. Owned by the handle. NULL for a NULL handle. */
const char *kt_xdb_path(const kt_xdb *db);

/* Moves the reader to the latest committed revision. *changed (may be NULL) tells whether it
 * moved. KT_ECORRUPT, KT_EIO. */
kt_status kt_xdb_reopen(kt_xdb *db, bool *changed, struct kt_err *err);

kt_status kt_xdb_doc_count(kt_xdb *db, uint32_t *out, struct kt_err *err);
/* The highest docid ever used (0 for an empty database). */
kt_status kt_xdb_last_docid(kt_xdb *db, kt_xdocid *out, struct kt_err *err);
/* Reads a document (a new kt_xdoc the caller frees). KT_ENOTFOUND if absent. */
kt_status kt_xdb_get_document(kt_xdb *db, kt_xdocid docid, kt_xdoc **out, struct kt_err *err);
/* Number of documents indexed by term (0 if none). */
kt_status kt_xdb_term_freq(kt_xdb *db, const char *term, size_t len, uint32_t *out,
                           struct kt_err *err);
kt_status kt_xdb_term_exists(kt_xdb *db, const char *term, size_t len, bool *out,
                             struct kt_err *err);
/* The lowest docid indexed by term. KT_ENOTFOUND (err filled) if none. */
kt_status kt_xdb_find_by_term(kt_xdb *db, const char *term, size_t len, kt_xdocid *out,
                              struct kt_err *err);
/* Calls fn(term, termfreq) for every term in the database starting with prefix, in byte order
 * (e.g. all site filter terms). */
kt_status kt_xdb_all_terms(kt_xdb *db, const char *prefix, size_t plen, kt_xterm_fn fn, void *ctx,
                           struct kt_err *err);
/* Copies the metadata value of key into out (replacing); absent -> KT_OK, out->len == 0. */
kt_status kt_xdb_get_metadata(kt_xdb *db, const char *key, struct kt_buf *out, struct kt_err *err);
/* Any of these may return KT_EMODIFIED: reopen and retry. */

/* ============================ Queries ============================ */

/* Operators for kt_xquery_combine(). */
enum kt_xop {
    KT_XOP_AND,       /* all subqueries match */
    KT_XOP_OR,        /* any subquery matches */
    KT_XOP_AND_NOT,   /* first matches, none of the others */
    KT_XOP_XOR,       /* an odd number of subqueries match */
    KT_XOP_AND_MAYBE, /* first must match; others only add weight */
    KT_XOP_FILTER,    /* first matches and the others match, weight from the first only */
    KT_XOP_NEAR,      /* all terms within param (window) positions, any order */
    KT_XOP_PHRASE,    /* terms in order within param positions (0 = exactly adjacent) */
    KT_XOP_ELITE_SET, /* OR of the param (0 = 10) best-weighted subqueries */
    KT_XOP_SYNONYM,   /* OR, but weighted as if a single term */
    KT_XOP_MAX,       /* weight is the maximum of the subqueries' weights */
};

/* A term query: term bytes, within-query frequency wqf (0 taken as 1), position pos in the
 * query (0 = none). KT_EINVAL for len 0 or > KT_XTERM_MAX. */
kt_status kt_xquery_term(const char *term, size_t len, uint32_t wqf, uint32_t pos, kt_xquery **out,
                         struct kt_err *err);
/* Matches every document / no document. */
kt_status kt_xquery_match_all(kt_xquery **out, struct kt_err *err);
kt_status kt_xquery_match_nothing(kt_xquery **out, struct kt_err *err);
/* Combines n >= 1 subqueries (borrowed; free them yourself) with op. param is the window for
 * NEAR/PHRASE (0 = number of subqueries, i.e. adjacent) and the set size for ELITE_SET;
 * ignored otherwise. NEAR and PHRASE accept only term subqueries (or OR of terms). */
kt_status kt_xquery_combine(enum kt_xop op, kt_xquery *const *subs, size_t n, uint32_t param,
                            kt_xquery **out, struct kt_err *err);
/* Convenience: a phrase of n terms (terms[i] has lens[i] bytes) within window (0 = adjacent).
 * A single term gives a term query. */
kt_status kt_xquery_phrase(const char *const *terms, const size_t *lens, size_t n, uint32_t window,
                           kt_xquery **out, struct kt_err *err);
/* q with its weight multiplied by factor (>= 0; 0 makes it boolean). KT_EINVAL if negative or
 * not finite. */
kt_status kt_xquery_scale(const kt_xquery *q, double factor, kt_xquery **out, struct kt_err *err);
/* Documents whose value in slot is in [begin, end] by byte order (e.g. "20240101".."20241231").
 * begin == NULL: no lower bound; end == NULL: no upper bound; both NULL: every document with
 * a value in slot. */
kt_status kt_xquery_value_range(kt_xslot slot, const void *begin, size_t blen, const void *end,
                                size_t elen, kt_xquery **out, struct kt_err *err);
/* OR (synonym-weighted) of all terms starting with prefix, expanded at search time, at most
 * max_expansion terms (0 = unlimited; more -> KT_EINDEX at search time, "too many terms"). */
kt_status kt_xquery_wildcard(const char *prefix, size_t plen, uint32_t max_expansion,
                             kt_xquery **out, struct kt_err *err);
/* Copies the query's Xapian description (e.g. "Query((a AND b))") into out, for debugging. */
kt_status kt_xquery_describe(const kt_xquery *q, struct kt_buf *out, struct kt_err *err);
/* *out = true if q is the empty query (matches nothing, e.g. a parse of ""). */
kt_status kt_xquery_is_empty(const kt_xquery *q, bool *out, struct kt_err *err);
void kt_xquery_free(kt_xquery *q);

/* Flags for the Xapian QueryParser wrapper (a plain-Xapian baseline). */
enum {
    KT_XQP_BOOLEAN = 1 << 0,          /* AND OR NOT XOR and brackets */
    KT_XQP_PHRASE = 1 << 1,           /* "quoted phrases" */
    KT_XQP_LOVEHATE = 1 << 2,         /* +must -mustnot */
    KT_XQP_WILDCARD = 1 << 3,         /* trailing '*' (needs opts->db) */
    KT_XQP_BOOLEAN_ANY_CASE = 1 << 4, /* and/or/not in lower case too */
    KT_XQP_DEFAULT = KT_XQP_BOOLEAN | KT_XQP_PHRASE | KT_XQP_LOVEHATE,
};

/* A field prefix for the parser: "site:hanoimoi.vn" -> term "XSITEhanoimoi.vn". */
struct kt_xqp_prefix {
    const char *field;  /* what the user types before ':' */
    const char *prefix; /* the term prefix */
    bool boolean;       /* filter (boolean) rather than free-text prefix */
};

struct kt_xqp_opts {
    unsigned flags;         /* KT_XQP_* (0 = none; see KT_XQP_DEFAULT) */
    enum kt_xop default_op; /* KT_XOP_OR (Xapian's default) or KT_XOP_AND; others KT_EINVAL */
    const struct kt_xqp_prefix *prefixes;
    size_t n_prefixes;
    kt_xdb *db; /* needed for KT_XQP_WILDCARD; may be NULL otherwise */
};

/* Parses text (len bytes of UTF-8) with Xapian::QueryParser: no stemming, terms lowercased by
 * Xapian's tokenizer. opts == NULL means KT_XQP_DEFAULT, OR, no prefixes. KT_EQUERY with
 * Xapian's message on a syntax error (Xapian retries without flags first, so only queries it
 * cannot recover from fail). */
kt_status kt_xquery_parse(const char *text, size_t len, const struct kt_xqp_opts *opts,
                          kt_xquery **out, struct kt_err *err);

/* ============================ Enquire and results ============================ */

/* A search session over db (which may be closed afterwards, see Lifetimes). */
kt_status kt_xenquire_new(kt_xdb *db, kt_xenquire **out, struct kt_err *err);
void kt_xenquire_free(kt_xenquire *e);

/* Sets the query (copied; the caller still frees q). qlen is the query length used by BM25's
 * k3 term (0 = number of terms in q). */
kt_status kt_xenquire_set_query(kt_xenquire *e, const kt_xquery *q, uint32_t qlen,
                                struct kt_err *err);

/* BM25 parameters (Xapian's defaults: k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5). */
struct kt_xbm25 {
    double k1, k2, k3, b, min_normlen;
};
#define KT_XBM25_DEFAULT                                                                           \
    {                                                                                              \
        1.0, 0.0, 1.0, 0.5, 0.5                                                                    \
    }
/* Uses BM25 with p (NULL = defaults). KT_EINVAL if any is negative or not finite, or b > 1. */
kt_status kt_xenquire_set_bm25(kt_xenquire *e, const struct kt_xbm25 *p, struct kt_err *err);
/* Pure boolean matching: every match weighs 0 (use with sort by value or docid order). */
kt_status kt_xenquire_set_bool_weight(kt_xenquire *e, struct kt_err *err);

enum kt_xsort {
    KT_XSORT_RELEVANCE,            /* by weight (default); slot/reverse ignored */
    KT_XSORT_VALUE,                /* by value in slot only */
    KT_XSORT_VALUE_THEN_RELEVANCE, /* by value, ties by weight */
    KT_XSORT_RELEVANCE_THEN_VALUE, /* by weight, ties by value */
};
/* Sort order. reverse=true sorts values descending (newest first for a date slot). */
kt_status kt_xenquire_set_sort(kt_xenquire *e, enum kt_xsort sort, kt_xslot slot, bool reverse,
                               struct kt_err *err);

enum kt_xdocid_order {
    KT_XDOCID_ASC,      /* ties (and boolean results) in ascending docid (default) */
    KT_XDOCID_DESC,     /* descending docid */
    KT_XDOCID_DONTCARE, /* whatever is fastest */
};
kt_status kt_xenquire_set_docid_order(kt_xenquire *e, enum kt_xdocid_order order,
                                      struct kt_err *err);

/* Keeps at most max_per_key (0 taken as 1) results per distinct value of slot (e.g. a
 * duplicate-content hash). Documents without a value in slot are never collapsed.
 * slot == KT_XSLOT_NONE turns collapsing off. */
kt_status kt_xenquire_set_collapse_key(kt_xenquire *e, kt_xslot slot, uint32_t max_per_key,
                                       struct kt_err *err);

/* Drops results whose percentage score is below min_percent (0 = off). */
kt_status kt_xenquire_set_cutoff(kt_xenquire *e, int min_percent, struct kt_err *err);

/* A value-count spy on slot: counts the values of slot over the documents the match looks at
 * (at least check_at_least of kt_xenquire_get_mset). */
kt_status kt_xspy_new(kt_xslot slot, kt_xspy **out, struct kt_err *err);
void kt_xspy_free(kt_xspy *spy);
/* Attaches spy to e; counts accumulate over every later kt_xenquire_get_mset(). The spy may
 * be freed before or after e. */
kt_status kt_xenquire_add_spy(kt_xenquire *e, kt_xspy *spy, struct kt_err *err);
/* Detaches all spies. */
kt_status kt_xenquire_clear_spies(kt_xenquire *e, struct kt_err *err);
/* Number of documents the spy has seen. */
kt_status kt_xspy_total(const kt_xspy *spy, uint32_t *out, struct kt_err *err);
/* Calls fn(value, len, count) for the max (0 = all) most frequent values, most frequent first
 * (ties in byte order of value). fn's value pointer is valid only during the call. */
kt_status kt_xspy_top_values(const kt_xspy *spy, size_t max, kt_xterm_fn fn, void *ctx,
                             struct kt_err *err);

/* Runs the search: results offset..offset+limit-1 (limit 0 is allowed: just estimates and spy
 * counts), looking at least check_at_least documents (for exact counts and spies; 0 =
 * limit). The new kt_xmset is the caller's. KT_EMODIFIED: reopen the kt_xdb and retry. */
kt_status kt_xenquire_get_mset(kt_xenquire *e, uint32_t offset, uint32_t limit,
                               uint32_t check_at_least, kt_xmset **out, struct kt_err *err);

/* Calls fn(term, len, 0) for each query term the document docid matches, in byte order. */
kt_status kt_xenquire_matching_terms(kt_xenquire *e, kt_xdocid docid, kt_xterm_fn fn, void *ctx,
                                     struct kt_err *err);

void kt_xmset_free(kt_xmset *m);

struct kt_xmset_info {
    uint32_t size;              /* number of hits in this page */
    uint32_t first;             /* offset of the first hit */
    uint32_t matches_estimated; /* estimated total matches */
    uint32_t matches_lower;     /* bounds on the total */
    uint32_t matches_upper;
};
kt_status kt_xmset_info(const kt_xmset *m, struct kt_xmset_info *out, struct kt_err *err);

struct kt_xhit {
    kt_xdocid docid;
    uint32_t rank;           /* 0-based rank over the whole result list (first + i) */
    double weight;           /* relevance weight (0 with bool weighting) */
    int percent;             /* 0..100 */
    uint32_t collapse_count; /* lower bound of documents collapsed into this hit */
};
/* Hit i (0 <= i < size). KT_EINVAL if out of range. */
kt_status kt_xmset_hit(const kt_xmset *m, size_t i, struct kt_xhit *out, struct kt_err *err);
/* Copies hit i's document data / value of slot / collapse key into out (replacing). */
kt_status kt_xmset_data(const kt_xmset *m, size_t i, struct kt_buf *out, struct kt_err *err);
kt_status kt_xmset_value(const kt_xmset *m, size_t i, kt_xslot slot, struct kt_buf *out,
                         struct kt_err *err);
kt_status kt_xmset_collapse_key(const kt_xmset *m, size_t i, struct kt_buf *out,
                                struct kt_err *err);
/* Hit i's document (a new kt_xdoc the caller frees). */
kt_status kt_xmset_document(const kt_xmset *m, size_t i, kt_xdoc **out, struct kt_err *err);

/* Snippet flags (Xapian's MSet::snippet flags). */
enum {
    KT_XSNIP_BACKGROUND_MODEL = 1,    /* prefer fragments with rarer words too */
    KT_XSNIP_EXHAUSTIVE = 2,          /* consider every fragment (slower, better) */
    KT_XSNIP_EMPTY_WITHOUT_MATCH = 4, /* empty result if no query term occurs */
    KT_XSNIP_DEFAULT = KT_XSNIP_BACKGROUND_MODEL | KT_XSNIP_EXHAUSTIVE,
};
/* Copies into out (replacing) a fragment of text (len bytes of UTF-8) of about length bytes
 * around the query's terms, with each matched term wrapped in hi_start/hi_end (NULL = no
 * highlighting; a matched phrase is wrapped as a whole) and omit (NULL = "") placed where text
 * was cut ("..." gives ellipses). Words
 * are matched as Xapian's tokenizer sees them (lowercased, no stemming); query terms with a
 * prefix or in a folded form (e.g. without diacritics) only match words equal to them. The
 * text is not HTML-escaped. */
kt_status kt_xmset_snippet(const kt_xmset *m, const char *text, size_t len, size_t length,
                           const char *hi_start, const char *hi_end, const char *omit,
                           unsigned flags, struct kt_buf *out, struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
