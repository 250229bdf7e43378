/* test_query_parse.c - the search query syntax: trees for valid queries, one-line errors with
 * the character position for invalid ones, and bounds on hostile input. */
#include "query/query_parse.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *field_name(enum kt_qfield f)
{
    switch (f) {
    case KT_QF_TITLE:
        return "title:";
    case KT_QF_LEAD:
        return "lead:";
    case KT_QF_BODY:
        return "body:";
    case KT_QF_AUTHOR:
        return "author:";
    case KT_QF_SOURCE:
        return "source:";
    default:
        return "";
    }
}

/* Serialises a tree: AND(..) OR(..) NOT(..) T[text] P[phrase] SITE[x] DATE[from-to]. */
static void dump(const char *q, const struct kt_qnode *n, struct kt_buf *b)
{
    switch (n->kind) {
    case KT_QN_TEXT:
        kt_buf_printf(b, "T[%s%.*s]", field_name(n->field), (int)n->len, q + n->start);
        return;
    case KT_QN_PHRASE:
        kt_buf_printf(b, "P[%s%.*s]", field_name(n->field), (int)n->len, q + n->start);
        return;
    case KT_QN_SITE:
        kt_buf_printf(b, "SITE[%.*s]", (int)n->len, q + n->start);
        return;
    case KT_QN_ENTITY:
        kt_buf_printf(b, "%s[%.*s]", n->field == KT_QF_OFFICIAL ? "OFFICIAL" : "PLACE", (int)n->len,
                      q + n->start);
        return;
    case KT_QN_DATE:
        kt_buf_printf(b, "DATE[%s-%s]", n->date_from, n->date_to);
        return;
    default:
        break;
    }
    kt_buf_append_cstr(b, n->kind == KT_QN_AND ? "AND(" : n->kind == KT_QN_OR ? "OR(" : "NOT(");
    for (size_t i = 0; i < n->n_kids; i++) {
        if (i)
            kt_buf_append_byte(b, ' ');
        dump(q, n->kids[i], b);
    }
    kt_buf_append_byte(b, ')');
}

static const struct {
    const char *query;
    const char *tree;
} valid[] = {
    {"thuong tin", "T[thuong tin]"},
    {"Thường Tín", "T[Thường Tín]"},
    {"  a   b  ", "T[a   b]"},
    {"\"nông thôn mới\"", "P[nông thôn mới]"},
    {"\"obama gọi\" bầu cử", "AND(P[obama gọi] T[bầu cử])"},
    {"a AND b", "AND(T[a] T[b])"},
    {"a OR b", "OR(T[a] T[b])"},
    {"a b OR c", "OR(T[a b] T[c])"},
    {"a NOT b", "AND(T[a] NOT(T[b]))"},
    {"a -b", "AND(T[a] NOT(T[b]))"},
    {"-b", "AND(NOT(T[b]))"},
    {"+a b", "T[a b]"},
    {"a - b", "T[a - b]"},
    {"(a OR b) c", "AND(OR(T[a] T[b]) T[c])"},
    {"title:hà", "T[title:hà]"},
    {"TITLE:\"Hà Nội\"", "P[title:Hà Nội]"},
    {"author:An lead:x body:y source:z", "AND(T[author:An] T[lead:x] T[body:y] T[source:z])"},
    {"site:hanoimoi.vn", "SITE[hanoimoi.vn]"},
    {"official:\"Ngô Thị Thanh Hằng\" place:\"huyện Thường Tín\"",
     "AND(OFFICIAL[Ngô Thị Thanh Hằng] PLACE[huyện Thường Tín])"},
    {"place:hanoi", "PLACE[hanoi]"},
    {"date:2020", "DATE[20200101-20201231]"},
    {"date:2020-05", "DATE[20200501-20200531]"},
    {"date:2020-05-01..2020-07-31", "DATE[20200501-20200731]"},
    {"date:2020..", "DATE[20200101-]"},
    {"date:..2019-02", "DATE[-20190231]"},
    {"x date:2020/5/1", "AND(T[x] DATE[20200501-20200501])"},
    {"foo:bar", "T[foo:bar]"},
    {"and or not", "T[and or not]"},
    {"11-CT/HU", "T[11-CT/HU]"},
    {"a (b)", "AND(T[a] T[b])"},
    {"\"\"", "P[]"},
};

static void test_valid_queries(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        struct kt_qnode *root = NULL;
        struct kt_err err = {0};
        const char *q = valid[i].query;
        kt_status s = kt_query_parse(q, strlen(q), &root, &err);
        if (s != KT_OK)
            fail_msg("'%s': %s", q, err.msg);
        struct kt_buf b = {0};
        if (root)
            dump(q, root, &b);
        if (strcmp(b.data ? b.data : "", valid[i].tree) != 0)
            fail_msg("'%s': got %s, want %s", q, b.data ? b.data : "(null)", valid[i].tree);
        kt_buf_free(&b);
        kt_qnode_free(root);
    }
}

static const struct {
    const char *query;
    const char *msg; /* expected start of the message */
} invalid[] = {
    {"(a b", "position 1: missing ')'"},
    {"a b)", "position 4: unmatched ')'"},
    {"\"a b", "position 1: unterminated quoted phrase"},
    {"a OR", "position 3: OR needs a right operand"},
    {"OR a", "position 1: OR needs a left operand"},
    {"AND a", "position 1: AND needs a left operand"},
    {"a AND", "position 3: AND needs a right operand"},
    {"a NOT", "position 3: NOT needs something"},
    {"title:", "position 1: field needs a value"},
    {"date:2020-13", "position 6: bad date"},
    {"date:yesterday", "position 6: bad date"},
    {"date:2021..2020", "position 6: date range ends before it starts"},
    {"Hà Nội (x", "position 8: missing ')'"},
};

static void test_errors_have_positions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        struct kt_qnode *root = NULL;
        struct kt_err err = {0};
        const char *q = invalid[i].query;
        kt_status s = kt_query_parse(q, strlen(q), &root, &err);
        if (s != KT_EQUERY)
            fail_msg("'%s': status %d, want KT_EQUERY", q, s);
        if (strncmp(err.msg, invalid[i].msg, strlen(invalid[i].msg)) != 0)
            fail_msg("'%s': message '%s', want '%s...'", q, err.msg, invalid[i].msg);
        assert_null(strchr(err.msg, '\n'));
        assert_null(root);
    }
}

static void test_hostile_queries_are_bounded(void **state)
{
    (void)state;
    struct kt_buf b = {0};
    struct kt_qnode *root = NULL;
    struct kt_err err = {0};
    /* deep nesting */
    for (int i = 0; i < 5000; i++)
        kt_buf_append_byte(&b, '(');
    assert_int_equal(kt_query_parse(b.data, b.len, &root, &err), KT_EQUERY);
    assert_non_null(strstr(err.msg, "position"));
    /* too many operators */
    kt_buf_reset(&b);
    for (int i = 0; i < 2000; i++)
        kt_buf_append_cstr(&b, "a OR ");
    kt_buf_append_cstr(&b, "b");
    assert_int_equal(kt_query_parse(b.data, b.len, &root, &err), KT_EQUERY);
    /* very long */
    kt_buf_reset(&b);
    for (int i = 0; i < 10000; i++)
        kt_buf_append_cstr(&b, "từ ");
    assert_int_equal(kt_query_parse(b.data, b.len, &root, &err), KT_EQUERY);
    /* NUL bytes and invalid UTF-8 are ordinary bytes / spaces */
    static const char nul[] = "a\0b \xff\xfe (c";
    assert_int_equal(kt_query_parse(nul, sizeof nul - 1, &root, &err), KT_EQUERY);
    static const char nul2[] = "a\0b \xff\xfe c";
    assert_int_equal(kt_query_parse(nul2, sizeof nul2 - 1, &root, &err), KT_OK);
    assert_non_null(root);
    kt_qnode_free(root);
    /* NOT chains */
    kt_buf_reset(&b);
    for (int i = 0; i < 100; i++)
        kt_buf_append_cstr(&b, "NOT ");
    kt_buf_append_cstr(&b, "x");
    assert_int_equal(kt_query_parse(b.data, b.len, &root, &err), KT_EQUERY);
    kt_buf_free(&b);
    /* empty */
    assert_int_equal(kt_query_parse("   ", 3, &root, &err), KT_OK);
    assert_null(root);
}

static void test_char_positions_count_code_points(void **state)
{
    (void)state;
    assert_int_equal(kt_query_char_pos("Hà Nội", 0), 1);
    assert_int_equal(kt_query_char_pos("Hà Nội", 4), 4); /* after "Hà " (H, à=2 bytes, space) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_queries),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_hostile_queries_are_bounded),
        cmocka_unit_test(test_char_positions_count_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
