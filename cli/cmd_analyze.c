/* cmd_analyze.c - `khotin analyze`: shows the Vietnamese analyzer's tokens, forms and index
 * terms for a text, so users can see why a document matches. */
#include "cli/commands.h"
#include "indexer/indexer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ANALYZE_MAX_INPUT (64u << 20)

struct collected_terms {
    struct kt_buf text; /* NUL-separated terms */
    struct {
        size_t off;
        uint32_t pos;
        enum vi_term_kind kind;
    } * v;
    size_t n, cap;
};

static kt_status keep_term(void *ud, const struct vi_term *t)
{
    struct collected_terms *c = ud;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        void *nv = realloc(c->v, cap * sizeof *c->v);
        if (!nv)
            return KT_ENOMEM;
        c->v = nv;
        c->cap = cap;
    }
    c->v[c->n].off = c->text.len;
    c->v[c->n].pos = t->pos;
    c->v[c->n].kind = t->kind;
    c->n++;
    if (kt_buf_append(&c->text, t->data, t->len) != KT_OK ||
        kt_buf_append_byte(&c->text, '\0') != KT_OK)
        return KT_ENOMEM;
    return KT_OK;
}

static void flags_str(uint32_t f, char *out)
{
    static const struct {
        uint32_t bit;
        char c;
    } names[] = {{VI_TF_SENT_START, 'S'}, {VI_TF_CAPITALIZED, 'C'}, {VI_TF_ALLCAPS, 'A'},
                 {VI_TF_DIACRITIC, 'D'},  {VI_TF_VIETNAMESE, 'V'},  {VI_TF_AMBIGUOUS, '?'},
                 {VI_TF_INVALID, '!'}};
    size_t k = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        out[k++] = (f & names[i].bit) ? names[i].c : '.';
    out[k] = '\0';
}

static void value_str(const struct vi_token *t, char *out, size_t cap)
{
    out[0] = '\0';
    switch (t->kind) {
    case VI_TOK_NUMBER:
    case VI_TOK_PERCENT:
        if (t->v.num.is_int)
            snprintf(out, cap, "%lld", (long long)t->v.num.ivalue);
        else
            snprintf(out, cap, "%.15g", t->v.num.value);
        break;
    case VI_TOK_FRACTION:
        snprintf(out, cap, "%lld/%lld", (long long)t->v.frac.num, (long long)t->v.frac.den);
        break;
    case VI_TOK_DATE:
        if (t->v.date.day_first)
            snprintf(out, cap, "%04d-%02d-%02d..%02d", t->v.date.year, t->v.date.month,
                     t->v.date.day_first, t->v.date.day);
        else
            snprintf(out, cap, "%04d-%02d-%02d", t->v.date.year, t->v.date.month, t->v.date.day);
        break;
    case VI_TOK_TIME:
        snprintf(out, cap, "%02d:%02d:%02d", t->v.time.hour, t->v.time.minute, t->v.time.second);
        break;
    case VI_TOK_RANGE:
        snprintf(out, cap, "%lld..%lld", (long long)t->v.range.lo, (long long)t->v.range.hi);
        break;
    case VI_TOK_ROMAN:
        snprintf(out, cap, "%d", t->v.roman);
        break;
    default:
        break;
    }
}

static json_t *jstr(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    return j ? j : json_string("");
}

int cmd_analyze(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin analyze [--format text|json] [--dict FILE] [--prefix P] [TEXT... | -]",
        "khotin analyze --query [--format text|json] [TEXT... | -]", NULL};
    const char *format = NULL, *dict = NULL, *prefix = NULL;
    bool query = false;
    const struct cli_opt opts[] = {
        CLI_STRING('f', "format", &format, "FMT", "output format: text (default) or json"),
        CLI_STRING(0, "dict", &dict, "FILE", "word list, one word per line (optional)"),
        CLI_STRING(0, "prefix", &prefix, "P", "field prefix for the terms (e.g. S)"),
        CLI_FLAG(0, "query", &query, "show the query-side terms instead of the index terms"),
        CLI_END};
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    int fmt = cli_format_parse(ctx, format, "text|json");
    if (fmt < 0)
        return 2;

    struct kt_buf in = {0};
    struct kt_err err = {0};
    bool from_stdin = first >= argc || (argc - first == 1 && strcmp(argv[first], "-") == 0);
    if (from_stdin) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
            if (in.len + n > ANALYZE_MAX_INPUT) {
                kt_buf_free(&in);
                return cli_error(ctx, 65, "stdin: input larger than %u bytes", ANALYZE_MAX_INPUT);
            }
            if (kt_buf_append(&in, chunk, n) != KT_OK) {
                kt_buf_free(&in);
                return cli_error(ctx, 1, "out of memory");
            }
        }
        if (ferror(stdin)) {
            kt_buf_free(&in);
            return cli_error(ctx, 74, "stdin: read error");
        }
    } else {
        for (int i = first; i < argc; i++) {
            if ((i > first && kt_buf_append_byte(&in, ' ') != KT_OK) ||
                kt_buf_append_cstr(&in, argv[i]) != KT_OK) {
                kt_buf_free(&in);
                return cli_error(ctx, 1, "out of memory");
            }
        }
    }

    vi_analyzer *an = NULL;
    struct vi_analyzer_opts aopts = {.dict_path = dict};
    if (vi_analyzer_new(&aopts, &an, &err) != KT_OK) {
        kt_buf_free(&in);
        return cli_fail(ctx, &err);
    }
    struct vi_tokens toks = {0};
    struct collected_terms terms = {0};
    kt_status st = vi_tokens_collect(an, in.data ? in.data : "", in.len, &toks, &err);
    if (st == KT_OK) {
        uint32_t pos = 0;
        st = query ? vi_query_terms(an, in.data ? in.data : "", in.len, prefix, keep_term, &terms,
                                    &err)
                   : vi_terms_for_text(an, in.data ? in.data : "", in.len, prefix, &pos, keep_term,
                                       &terms, &err);
    }
    int exit_code = 0;
    if (st != KT_OK) {
        if (err.code == KT_OK)
            kt_err_set(&err, st, "analyze: %s", kt_status_str(st));
        exit_code = cli_fail(ctx, &err);
        goto done;
    }
    char fl[16], val[64];
    if (fmt == CLI_FORMAT_TEXT) {
        printf("tokens (%zu): index sentence pos offset+length kind flags surface | canon | "
               "norm | fold [= value]\n       flags: S sentence start, C capitalized, A all caps, "
               "D diacritics, V Vietnamese syllable, ? ambiguous date, ! invalid UTF-8\n",
               toks.n);
        for (size_t i = 0; i < toks.n; i++) {
            const struct vi_token *t = &toks.v[i];
            flags_str(t->flags, fl);
            value_str(t, val, sizeof val);
            printf("%4u s%-3u p%-4u %6zu+%-3zu %-8s %s  %.*s | %.*s | %.*s | %.*s%s%s\n", t->index,
                   t->sentence, t->pos, t->off, t->len, vi_token_kind_str(t->kind), fl, (int)t->len,
                   in.data + t->off, (int)t->canon_len, t->canon, (int)t->norm_len, t->norm,
                   (int)t->fold_len, t->fold, val[0] ? " = " : "", val);
        }
        printf("terms (%zu):\n", terms.n);
        for (size_t i = 0; i < terms.n; i++)
            printf("%4u %-13s %s\n", terms.v[i].pos, vi_term_kind_str(terms.v[i].kind),
                   terms.text.data + terms.v[i].off);
    } else {
        json_t *root = json_object(), *jt = json_array(), *jterms = json_array();
        for (size_t i = 0; i < toks.n; i++) {
            const struct vi_token *t = &toks.v[i];
            flags_str(t->flags, fl);
            value_str(t, val, sizeof val);
            json_t *o = json_object();
            json_object_set_new(o, "index", json_integer(t->index));
            json_object_set_new(o, "sentence", json_integer(t->sentence));
            json_object_set_new(o, "pos", json_integer(t->pos));
            json_object_set_new(o, "offset", json_integer((json_int_t)t->off));
            json_object_set_new(o, "length", json_integer((json_int_t)t->len));
            json_object_set_new(o, "kind", json_string(vi_token_kind_str(t->kind)));
            json_object_set_new(o, "flags", json_string(fl));
            json_object_set_new(o, "surface", jstr(in.data + t->off, t->len));
            json_object_set_new(o, "canon", jstr(t->canon, t->canon_len));
            json_object_set_new(o, "norm", jstr(t->norm, t->norm_len));
            json_object_set_new(o, "fold", jstr(t->fold, t->fold_len));
            if (val[0])
                json_object_set_new(o, "value", json_string(val));
            json_array_append_new(jt, o);
        }
        for (size_t i = 0; i < terms.n; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "term", json_string(terms.text.data + terms.v[i].off));
            json_object_set_new(o, "pos", json_integer(terms.v[i].pos));
            json_object_set_new(o, "kind", json_string(vi_term_kind_str(terms.v[i].kind)));
            json_array_append_new(jterms, o);
        }
        json_object_set_new(root, "tokens", jt);
        json_object_set_new(root, "terms", jterms);
        char *s = json_dumps(root, JSON_INDENT(1));
        if (s) {
            puts(s);
            free(s);
        } else {
            exit_code = cli_error(ctx, 1, "out of memory");
        }
        json_decref(root);
    }
    if (fflush(stdout) != 0)
        exit_code = cli_error(ctx, 74, "stdout: write error");
done:
    vi_tokens_free(&toks);
    kt_buf_free(&terms.text);
    free(terms.v);
    vi_analyzer_free(an);
    kt_buf_free(&in);
    return exit_code;
}
