/* cmd_eval_entities.c - `khotin eval entities GOLD.jsonl PRED.jsonl`: precision, recall and F1
 * per entity type (officials by doc+name, places by doc+level+name, figures one-to-one by
 * value/total with a lenient unit, documents by code with short references matched). */
#include "cli/commands.h"
#include "indexer/indexer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_eval_entities(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {"khotin eval entities [--format text|json] GOLD.jsonl "
                                        "PRED.jsonl",
                                        NULL};
    const char *format = NULL;
    bool show = false;
    const struct cli_opt opts[] = {
        CLI_STRING('f', "format", &format, "FMT", "text (default) or json"),
        CLI_FLAG(0, "details", &show, "list every miss (FN) and false alarm (FP) on stderr"),
        CLI_END,
    };
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    int fmt = cli_format_parse(ctx, format, "text|json");
    if (fmt < 0)
        return 2;
    if (argc - first != 2)
        return cli_error(ctx, 2, "need GOLD.jsonl and PRED.jsonl (see --help)");
    struct kt_entity_eval ev;
    struct kt_err err = {0};
    if (kt_entity_evaluate(argv[first], argv[first + 1], &ev, &err) != KT_OK)
        return cli_fail(ctx, &err);
    if (show || ctx->verbosity >= 2)
        fwrite(ev.detail.data ? ev.detail.data : "", 1, ev.detail.len, stderr);
    if (fmt == CLI_FORMAT_JSON) {
        json_t *o = json_object();
        for (int t = 0; o && t < KT_ENTITY_TYPE_COUNT; t++) {
            const struct kt_entity_score *s = &ev.by_type[t];
            if (!s->gold && !s->pred)
                continue;
            json_object_set_new(o, kt_entity_type_name((enum kt_entity_type)t),
                                json_pack("{s:I,s:I,s:I,s:f,s:f,s:f}", "gold", (json_int_t)s->gold,
                                          "pred", (json_int_t)s->pred, "tp", (json_int_t)s->tp,
                                          "precision", s->precision, "recall", s->recall, "f1",
                                          s->f1));
        }
        if (o)
            json_object_set_new(o, "docs", json_integer((json_int_t)ev.docs));
        char *txt = o ? json_dumps(o, JSON_INDENT(1) | JSON_REAL_PRECISION(4)) : NULL;
        if (txt)
            printf("%s\n", txt);
        free(txt);
        json_decref(o);
    } else {
        printf("%-9s %6s %6s %6s %9s %7s %6s\n", "type", "gold", "pred", "tp", "precision",
               "recall", "f1");
        for (int t = 0; t < KT_ENTITY_TYPE_COUNT; t++) {
            const struct kt_entity_score *s = &ev.by_type[t];
            if (!s->gold && !s->pred)
                continue;
            printf("%-9s %6zu %6zu %6zu %9.3f %7.3f %6.3f\n",
                   kt_entity_type_name((enum kt_entity_type)t), s->gold, s->pred, s->tp,
                   s->precision, s->recall, s->f1);
        }
        printf("docs: %zu", ev.docs);
        if (ev.title_checked)
            printf("; official titles equal to a gold title: %zu/%zu", ev.title_ok,
                   ev.title_checked);
        printf("\n");
    }
    kt_buf_free(&ev.detail);
    return 0;
}
