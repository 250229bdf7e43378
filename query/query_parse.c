/* query_parse.c - recursive-descent parser for the search query syntax (see query_parse.h). */
#include "query/query_parse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *q;
    size_t len;
    size_t pos;     /* byte offset of the next unread byte */
    int depth;      /* current nesting */
    size_t n_nodes; /* allocated so far */
    struct kt_err *err;
    kt_status status; /* first error */
};

size_t kt_query_char_pos(const char *q, size_t off)
{
    size_t n = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)q[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0' || c == '\f' || c == '\v';
}

static bool is_word_byte(char c)
{
    return !is_space(c) && c != '(' && c != ')' && c != '"';
}

static kt_status fail(struct parser *p, size_t off, const char *what)
{
    if (p->status == KT_OK)
        p->status =
            kt_err_set(p->err, KT_EQUERY, "position %zu: %s", kt_query_char_pos(p->q, off), what);
    return p->status;
}

static struct kt_qnode *node_new(struct parser *p, enum kt_qkind kind, size_t off)
{
    if (++p->n_nodes > KT_QUERY_MAX_NODES) {
        fail(p, off, "query too long (more than 256 words and operators)");
        return NULL;
    }
    struct kt_qnode *n = calloc(1, sizeof *n);
    if (!n) {
        if (p->status == KT_OK)
            p->status = kt_err_set(p->err, KT_ENOMEM, "query: out of memory");
        return NULL;
    }
    n->kind = kind;
    return n;
}

void kt_qnode_free(struct kt_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_kids; i++)
        kt_qnode_free(n->kids[i]);
    free(n->kids);
    free(n);
}

static bool add_kid(struct parser *p, struct kt_qnode *parent, struct kt_qnode *kid)
{
    struct kt_qnode **k = realloc(parent->kids, (parent->n_kids + 1) * sizeof *k);
    if (!k) {
        if (p->status == KT_OK)
            p->status = kt_err_set(p->err, KT_ENOMEM, "query: out of memory");
        kt_qnode_free(kid);
        return false;
    }
    parent->kids = k;
    parent->kids[parent->n_kids++] = kid;
    return true;
}

static void skip_space(struct parser *p)
{
    while (p->pos < p->len && is_space(p->q[p->pos]))
        p->pos++;
}

/* Length of the word starting at pos. */
static size_t word_len(const struct parser *p, size_t pos)
{
    size_t e = pos;
    while (e < p->len && is_word_byte(p->q[e]))
        e++;
    return e - pos;
}

/* Whether the next word is exactly kw (and ends there). */
static bool at_keyword(const struct parser *p, const char *kw)
{
    size_t n = strlen(kw);
    return p->pos + n <= p->len && memcmp(p->q + p->pos, kw, n) == 0 && word_len(p, p->pos) == n;
}

static const struct {
    const char *name;
    enum kt_qfield field;
} fields[] = {
    {"title", KT_QF_TITLE},   {"lead", KT_QF_LEAD},         {"body", KT_QF_BODY},
    {"author", KT_QF_AUTHOR}, {"source", KT_QF_SOURCE},     {"site", KT_QF_SITE},
    {"date", KT_QF_DATE},     {"official", KT_QF_OFFICIAL}, {"place", KT_QF_PLACE},
};

/* If a field name and ':' start at pos, returns its length (name + ':') and sets *f. */
static size_t field_at(const struct parser *p, size_t pos, enum kt_qfield *f)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        size_t n = strlen(fields[i].name);
        if (pos + n + 1 > p->len || p->q[pos + n] != ':')
            continue;
        bool same = true;
        for (size_t j = 0; j < n && same; j++) {
            char c = p->q[pos + j];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            same = c == fields[i].name[j];
        }
        if (same) {
            *f = fields[i].field;
            return n + 1;
        }
    }
    return 0;
}

/* ============================ Dates ============================ */

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parses YYYY, YYYY-MM or YYYY-MM-DD (also with '/') into the first (end=false) or last
 * (end=true) day it covers, as "YYYYMMDD". */
static bool parse_date(const char *s, size_t n, bool end, char out[9])
{
    int y = -1, m = end ? 12 : 1, d = end ? 31 : 1;
    if (n == 4) {
        y = digits(s, 4);
    } else if ((n == 7 || n == 6) && (s[4] == '-' || s[4] == '/')) {
        y = digits(s, 4);
        m = digits(s + 5, n - 5);
    } else if (n >= 8 && n <= 10 && (s[4] == '-' || s[4] == '/')) {
        y = digits(s, 4);
        const char *rest = s + 5;
        size_t rn = n - 5;
        const char *sep = memchr(rest, s[4], rn);
        if (!sep)
            return false;
        m = digits(rest, (size_t)(sep - rest));
        d = digits(sep + 1, rn - (size_t)(sep + 1 - rest));
        if (sep - rest < 1 || sep - rest > 2 || rn - (size_t)(sep + 1 - rest) < 1 ||
            rn - (size_t)(sep + 1 - rest) > 2)
            return false;
    } else {
        return false;
    }
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = (char)('0' + m / 10);
    out[5] = (char)('0' + m % 10);
    out[6] = (char)('0' + d / 10);
    out[7] = (char)('0' + d % 10);
    out[8] = '\0';
    return true;
}

static struct kt_qnode *parse_date_value(struct parser *p, size_t start, size_t n)
{
    const char *s = p->q + start;
    struct kt_qnode *node = NULL;
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    char from[9] = "", to[9] = "";
    bool ok;
    if (dots) {
        size_t a = (size_t)(dots - s), b = n - a - 2;
        ok = (a > 0 || b > 0) && (a == 0 || parse_date(s, a, false, from)) &&
             (b == 0 || parse_date(dots + 2, b, true, to));
        if (ok && a > 0 && b > 0 && strcmp(from, to) > 0) {
            fail(p, start, "date range ends before it starts");
            return NULL;
        }
    } else {
        ok = parse_date(s, n, false, from) && parse_date(s, n, true, to);
    }
    if (!ok) {
        fail(p, start, "bad date (use YYYY, YYYY-MM, YYYY-MM-DD or FROM..TO)");
        return NULL;
    }
    node = node_new(p, KT_QN_DATE, start);
    if (!node)
        return NULL;
    memcpy(node->date_from, from, sizeof from);
    memcpy(node->date_to, to, sizeof to);
    return node;
}

/* ============================ Grammar ============================ */

static struct kt_qnode *parse_or(struct parser *p);

/* A quoted phrase starting at the '"' at pos. */
static struct kt_qnode *parse_phrase(struct parser *p, enum kt_qfield field)
{
    size_t open = p->pos;
    const char *close = memchr(p->q + open + 1, '"', p->len - open - 1);
    if (!close) {
        fail(p, open, "unterminated quoted phrase");
        return NULL;
    }
    struct kt_qnode *n = node_new(p, KT_QN_PHRASE, open);
    if (!n)
        return NULL;
    n->field = field;
    n->start = open + 1;
    n->len = (size_t)(close - (p->q + open + 1));
    p->pos = (size_t)(close - p->q) + 1;
    return n;
}

static struct kt_qnode *parse_primary(struct parser *p)
{
    skip_space(p);
    if (p->pos >= p->len) {
        fail(p, p->pos, "a word or phrase is missing at the end");
        return NULL;
    }
    char c = p->q[p->pos];
    if (c == '(') {
        size_t open = p->pos++;
        if (++p->depth > KT_QUERY_MAX_DEPTH) {
            fail(p, open, "parentheses nested too deeply");
            return NULL;
        }
        struct kt_qnode *n = parse_or(p);
        if (p->status != KT_OK) {
            kt_qnode_free(n);
            return NULL;
        }
        skip_space(p);
        if (p->pos >= p->len || p->q[p->pos] != ')') {
            kt_qnode_free(n);
            fail(p, open, "missing ')' for this '('");
            return NULL;
        }
        p->pos++;
        p->depth--;
        if (!n) { /* "()" */
            n = node_new(p, KT_QN_AND, open);
        }
        return n;
    }
    if (c == ')') {
        fail(p, p->pos, "unmatched ')'");
        return NULL;
    }
    if (c == '"')
        return parse_phrase(p, KT_QF_ANY);
    enum kt_qfield f = KT_QF_ANY;
    size_t flen = field_at(p, p->pos, &f);
    if (flen > 0) {
        size_t fstart = p->pos;
        size_t vstart = p->pos + flen;
        if (vstart < p->len && p->q[vstart] == '"' && f != KT_QF_DATE && f != KT_QF_SITE) {
            p->pos = vstart;
            struct kt_qnode *ph = parse_phrase(p, f);
            if (ph && (f == KT_QF_OFFICIAL || f == KT_QF_PLACE))
                ph->kind = KT_QN_ENTITY; /* a quoted name is the whole value */
            return ph;
        }
        size_t vlen = word_len(p, vstart);
        if (vlen == 0) {
            fail(p, fstart, "field needs a value right after ':'");
            return NULL;
        }
        p->pos = vstart + vlen;
        if (f == KT_QF_DATE)
            return parse_date_value(p, vstart, vlen);
        enum kt_qkind kind = f == KT_QF_SITE                             ? KT_QN_SITE
                             : (f == KT_QF_OFFICIAL || f == KT_QF_PLACE) ? KT_QN_ENTITY
                                                                         : KT_QN_TEXT;
        struct kt_qnode *n = node_new(p, kind, fstart);
        if (!n)
            return NULL;
        n->field = f;
        n->start = vstart;
        n->len = vlen;
        return n;
    }
    size_t wlen = word_len(p, p->pos);
    struct kt_qnode *n = node_new(p, KT_QN_TEXT, p->pos);
    if (!n)
        return NULL;
    n->field = KT_QF_ANY;
    n->start = p->pos;
    n->len = wlen;
    p->pos += wlen;
    return n;
}

static struct kt_qnode *negate(struct parser *p, struct kt_qnode *kid, size_t off)
{
    if (!kid)
        return NULL;
    struct kt_qnode *n = node_new(p, KT_QN_NOT, off);
    if (!n || !add_kid(p, n, kid)) {
        if (!n)
            kt_qnode_free(kid);
        kt_qnode_free(n);
        return NULL;
    }
    return n;
}

static struct kt_qnode *parse_unary(struct parser *p)
{
    skip_space(p);
    size_t off = p->pos;
    if (at_keyword(p, "NOT")) {
        p->pos += 3;
        skip_space(p);
        if (p->pos >= p->len || p->q[p->pos] == ')' || at_keyword(p, "OR") ||
            at_keyword(p, "AND")) {
            fail(p, off, "NOT needs something to exclude");
            return NULL;
        }
        if (++p->depth > KT_QUERY_MAX_DEPTH) {
            fail(p, off, "NOT nested too deeply");
            return NULL;
        }
        struct kt_qnode *n = negate(p, parse_unary(p), off);
        p->depth--;
        return n;
    }
    char c = p->q[p->pos];
    if ((c == '-' || c == '+') && p->pos + 1 < p->len && !is_space(p->q[p->pos + 1]) &&
        p->q[p->pos + 1] != ')') {
        p->pos++;
        struct kt_qnode *n = parse_primary(p);
        return c == '-' ? negate(p, n, off) : n;
    }
    return parse_primary(p);
}

/* True at the end of an AND list: end of input, ')' or OR. */
static bool and_ends(struct parser *p)
{
    skip_space(p);
    return p->pos >= p->len || p->q[p->pos] == ')' || at_keyword(p, "OR");
}

static struct kt_qnode *parse_and(struct parser *p)
{
    struct kt_qnode *list = NULL;
    size_t start = p->pos;
    while (!and_ends(p)) {
        size_t off = p->pos;
        if (at_keyword(p, "AND")) {
            if (!list || list->n_kids == 0) {
                fail(p, off, "AND needs a left operand");
                break;
            }
            p->pos += 3;
            if (and_ends(p) || at_keyword(p, "AND")) {
                fail(p, off, "AND needs a right operand");
                break;
            }
            continue;
        }
        struct kt_qnode *u = parse_unary(p);
        if (!u)
            break;
        if (!list && !(list = node_new(p, KT_QN_AND, start))) {
            kt_qnode_free(u);
            break;
        }
        /* Merge a plain word into the previous plain words typed right before it. */
        if (u->kind == KT_QN_TEXT && u->field == KT_QF_ANY && list->n_kids > 0) {
            struct kt_qnode *prev = list->kids[list->n_kids - 1];
            if (prev->kind == KT_QN_TEXT && prev->field == KT_QF_ANY) {
                bool only_space = true;
                for (size_t i = prev->start + prev->len; i < u->start && only_space; i++)
                    only_space = is_space(p->q[i]);
                if (only_space) {
                    prev->len = u->start + u->len - prev->start;
                    kt_qnode_free(u);
                    p->n_nodes--;
                    continue;
                }
            }
        }
        if (!add_kid(p, list, u))
            break;
    }
    if (p->status != KT_OK) {
        kt_qnode_free(list);
        return NULL;
    }
    if (list && list->n_kids == 1 && list->kids[0]->kind != KT_QN_NOT) {
        struct kt_qnode *only = list->kids[0];
        list->n_kids = 0;
        kt_qnode_free(list);
        return only;
    }
    return list;
}

static struct kt_qnode *parse_or(struct parser *p)
{
    size_t start = p->pos;
    skip_space(p);
    if (at_keyword(p, "OR")) {
        fail(p, p->pos, "OR needs a left operand");
        return NULL;
    }
    struct kt_qnode *left = parse_and(p);
    if (p->status != KT_OK)
        return NULL;
    struct kt_qnode *list = NULL;
    while (p->status == KT_OK) {
        skip_space(p);
        if (!at_keyword(p, "OR"))
            break;
        size_t off = p->pos;
        p->pos += 2;
        struct kt_qnode *right = parse_and(p);
        if (p->status != KT_OK)
            break;
        if (!right) {
            fail(p, off, "OR needs a right operand");
            break;
        }
        if (!list) {
            if (!(list = node_new(p, KT_QN_OR, start))) {
                kt_qnode_free(right);
                break;
            }
            if (!left) {
                fail(p, start, "OR needs a left operand");
                kt_qnode_free(right);
                break;
            }
            if (!add_kid(p, list, left)) {
                left = NULL;
                kt_qnode_free(right);
                break;
            }
            left = NULL;
        }
        if (!add_kid(p, list, right))
            break;
    }
    if (p->status != KT_OK) {
        kt_qnode_free(left);
        kt_qnode_free(list);
        return NULL;
    }
    return list ? list : left;
}

kt_status kt_query_parse(const char *q, size_t len, struct kt_qnode **out, struct kt_err *err)
{
    *out = NULL;
    if (len > KT_QUERY_MAX_BYTES)
        return kt_err_set(err, KT_EQUERY, "position %zu: query longer than %d bytes",
                          kt_query_char_pos(q, KT_QUERY_MAX_BYTES), KT_QUERY_MAX_BYTES);
    struct parser p = {q, len, 0, 0, 0, err, KT_OK};
    struct kt_qnode *root = parse_or(&p);
    if (p.status == KT_OK) {
        skip_space(&p);
        if (p.pos < p.len)
            fail(&p, p.pos, p.q[p.pos] == ')' ? "unmatched ')'" : "unexpected text");
    }
    if (p.status != KT_OK) {
        kt_qnode_free(root);
        return p.status;
    }
    *out = root;
    return KT_OK;
}
