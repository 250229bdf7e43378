/* query_parse.h - the search query syntax: words, "quoted phrases", AND/OR/NOT, -word, +word,
 * (groups), field prefixes (title: lead: body: author: source: site: date:) and date ranges,
 * parsed into a small tree that search.c turns into a Xapian query.
 *
 * Grammar (keywords AND, OR, NOT are upper case; juxtaposition means AND):
 *   query   := or
 *   or      := and ( "OR" and )*
 *   and     := unary ( ["AND"] unary )*
 *   unary   := "NOT" unary | "-" primary | "+" primary | primary
 *   primary := "(" or ")" | FIELD ":" ( word | phrase ) | "date:" DATES | phrase | word
 *   FIELD   := title | lead | body | author | source | site | official | place
 *   DATES   := D | D ".." D | D ".." | ".." D      D := YYYY | YYYY-MM | YYYY-MM-DD
 * A word is a run of bytes other than white space (ASCII space, tab, CR, LF, NUL), '(', ')' and
 * '"'. "foo:bar" with an unknown field name is an ordinary word. Adjacent plain words are kept
 * together in one TEXT node, so ranking can see which words the user typed side by side. */
#ifndef KHOTIN_QUERY_QUERY_PARSE_H
#define KHOTIN_QUERY_QUERY_PARSE_H

#include "common/kt_common.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds that keep a hostile query cheap; exceeding one is KT_EQUERY. */
#define KT_QUERY_MAX_BYTES 8192 /* query text */
#define KT_QUERY_MAX_DEPTH 16   /* nested parentheses / NOT */
#define KT_QUERY_MAX_NODES 256  /* words, phrases, filters and operators */

enum kt_qfield {
    KT_QF_ANY, /* title, lead, body, author and source together */
    KT_QF_TITLE,
    KT_QF_LEAD,
    KT_QF_BODY,
    KT_QF_AUTHOR,
    KT_QF_SOURCE,   /* source attribution ("Theo X") */
    KT_QF_SITE,     /* boolean filter */
    KT_QF_DATE,     /* range over the date value */
    KT_QF_OFFICIAL, /* entity filter: an official's name */
    KT_QF_PLACE,    /* entity filter: an administrative unit ("huyện Thường Tín") */
};

enum kt_qkind {
    KT_QN_TEXT,   /* one or more adjacent words: text [start, start+len) of the query */
    KT_QN_PHRASE, /* the inside of a quoted phrase */
    KT_QN_SITE,   /* site filter; the value is the text span */
    KT_QN_ENTITY, /* official/place filter (field); the value is the text span */
    KT_QN_DATE,   /* date_from..date_to, inclusive, "YYYYMMDD" ("" = open end) */
    KT_QN_AND,    /* all kids; KT_QN_NOT kids are excluded */
    KT_QN_OR,     /* any kid */
    KT_QN_NOT,    /* one kid; meaningful inside AND (alone: everything but the kid) */
};

struct kt_qnode {
    enum kt_qkind kind;
    enum kt_qfield field; /* for TEXT and PHRASE */
    size_t start, len;    /* byte span in the query text (TEXT, PHRASE, SITE) */
    char date_from[9];    /* DATE */
    char date_to[9];
    struct kt_qnode **kids; /* AND, OR, NOT */
    size_t n_kids;
};

/* Parses len bytes of q. *out is the root (NULL for a query with no words at all, which is not
 * an error); the caller frees it with kt_qnode_free(). Returns KT_OK, KT_EQUERY ("position N:
 * ..." where N is the 1-based character position of the problem), KT_ENOMEM. */
kt_status kt_query_parse(const char *q, size_t len, struct kt_qnode **out, struct kt_err *err);

/* Frees a tree; NULL is a no-op. */
void kt_qnode_free(struct kt_qnode *n);

/* The 1-based character (UTF-8 code point) position of byte offset off in q. */
size_t kt_query_char_pos(const char *q, size_t off);

#ifdef __cplusplus
}
#endif

#endif
