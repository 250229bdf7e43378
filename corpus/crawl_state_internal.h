/* crawl_state_internal.h - corpus-private access to the crawl-state SQLite handle, shared by
 * the article store which lives in the same database. */
#ifndef KHOTIN_CORPUS_CRAWL_STATE_INTERNAL_H
#define KHOTIN_CORPUS_CRAWL_STATE_INTERNAL_H

#include "corpus/crawl_state.h"

#include <sqlite3.h>

/* The connection (owned by st). */
sqlite3 *kt_crawl_state_sqlite(struct kt_crawl_state *st);
/* Whether st was opened read-only. */
bool kt_crawl_state_read_only(const struct kt_crawl_state *st);
/* Fills err from the connection's last error: "<path>: <what>: <sqlite message>", code
 * KT_ELOCKED for SQLITE_BUSY/LOCKED, KT_ECORRUPT for CORRUPT/NOTADB, KT_EIO otherwise. */
kt_status kt_crawl_state_sqlerr(struct kt_crawl_state *st, const char *what, struct kt_err *err);

#endif
