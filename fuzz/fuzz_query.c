/* fuzz_query.c - libFuzzer target for the search query parser and query builder: any bytes
 * must parse or fail with KT_EQUERY (a message naming a position), never crash, the tree must
 * be well formed, and building the Xapian query from it must succeed or fail cleanly. */
#include "query/query_parse.h"
#include "query/search_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Walks the tree checking spans and shapes; aborts on a malformed node. */
static void check(const struct kt_qnode *n, size_t len, int depth)
{
    if (depth > 2 * KT_QUERY_MAX_DEPTH + 8)
        abort();
    switch (n->kind) {
    case KT_QN_TEXT:
    case KT_QN_PHRASE:
    case KT_QN_SITE:
    case KT_QN_ENTITY:
        if (n->start > len || n->len > len - n->start)
            abort();
        break;
    case KT_QN_DATE:
        if (strlen(n->date_from) > 8 || strlen(n->date_to) > 8)
            abort();
        break;
    case KT_QN_NOT:
        if (n->n_kids != 1)
            abort();
        break;
    default:
        break;
    }
    for (size_t i = 0; i < n->n_kids; i++)
        check(n->kids[i], len, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kt_qnode *root = NULL;
    struct kt_err err = {0};
    kt_status s = kt_query_parse((const char *)data, size, &root, &err);
    static vi_analyzer *an; /* one analyzer for the whole fuzzing run */
    if (!an && vi_analyzer_new(NULL, &an, &err) != KT_OK)
        abort();
    if (s == KT_OK) {
        if (root)
            check(root, size, 0);
        for (int relaxed = 0; relaxed < 2; relaxed++) {
            struct kt_built_query bq;
            kt_status bs = kt_build_query(an, (const char *)data, root, relaxed, &bq, &err);
            if (bs != KT_OK && bs != KT_EQUERY)
                abort();
            if (bs == KT_OK && bq.n_forms > KT_QUERY_MAX_WORDS)
                abort();
            kt_built_query_free(&bq);
        }
    } else if (s != KT_EQUERY || strncmp(err.msg, "position ", 9) != 0) {
        abort();
    }
    kt_qnode_free(root);
    return 0;
}
