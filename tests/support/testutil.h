/* testutil.h - helpers shared by the cmocka suites: temporary directories, ../shared lookup,
 * running the khotin binary and capturing its output. */
#ifndef KHOTIN_TESTS_TESTUTIL_H
#define KHOTIN_TESTS_TESTUTIL_H

#include "common/kt_common.h"

#include <stdbool.h>

/* Creates a fresh directory under $TMPDIR (or /tmp) and returns its malloc'd path. */
char *tu_mkdtemp(const char *tag);
/* rm -rf path; ignores errors. */
void tu_rmtree(const char *path);
/* The ../shared directory (KHOTIN_SHARED_DIR) if it exists, else NULL. */
const char *tu_shared_dir(void);
/* A malloc'd path "<shared>/<rel>", or NULL when ../shared or the file is absent. */
char *tu_shared_path(const char *rel);
/* The source tree (KHOTIN_SOURCE_DIR), never NULL. */
const char *tu_source_dir(void);
/* The khotin binary (KHOTIN_BIN), never NULL. */
const char *tu_khotin_bin(void);

/* Runs argv (argv[0] is the program) with stdin from in (may be NULL), capturing stdout and
 * stderr into the given buffers (either may be NULL). Returns the exit code, or 128+signal,
 * or -1 if it could not be started. */
int tu_run(char *const argv[], const char *in, size_t in_len, struct kt_buf *out,
           struct kt_buf *errout);

/* Writes a file (creating it), returns true on success. */
bool tu_write_file(const char *path, const void *data, size_t len);

#endif
