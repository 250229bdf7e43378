/* cmd_eval_extract.c - `khotin eval extract`: scores article extraction on the fixture site
 * (gold.jsonl + site directory) or on the plain-text seeds against the hand-made gold text. */
#include "cli/commands.h"
#include "crawler/crawler.h"

#include <stdio.h>
#include <string.h>

static double rate(size_t ok, size_t n)
{
    return n ? (double)ok / (double)n : 0.0;
}

static void print_result(const char *set, const struct kt_eval_extract_result *r, int fmt)
{
    double dup_p =
        r->dup_tp + r->dup_fp ? (double)r->dup_tp / (double)(r->dup_tp + r->dup_fp) : 1.0;
    double dup_r =
        r->dup_tp + r->dup_fn ? (double)r->dup_tp / (double)(r->dup_tp + r->dup_fn) : 1.0;
    if (fmt == CLI_FORMAT_JSON) {
        printf("{\"set\":\"%s\",\"docs\":%zu,\"missing\":%zu,\"not_article\":%zu,"
               "\"text_precision\":%.4f,\"text_recall\":%.4f,\"text_f1\":%.4f,"
               "\"text_f1_mean_doc\":%.4f,\"title_rate\":%.4f,\"title_ok\":%zu,\"title_n\":%zu,"
               "\"date_rate\":%.4f,\"date_ok\":%zu,\"date_n\":%zu,\"author_rate\":%.4f,"
               "\"author_ok\":%zu,\"author_n\":%zu,\"attribution_rate\":%.4f,"
               "\"dup_tp\":%zu,\"dup_fp\":%zu,\"dup_fn\":%zu,\"dup_precision\":%.4f,"
               "\"dup_recall\":%.4f}\n",
               set, r->docs, r->missing, r->not_article, r->text_precision, r->text_recall,
               r->text_f1, r->text_f1_mean_doc, rate(r->title_ok, r->title_n), r->title_ok,
               r->title_n, rate(r->date_ok, r->date_n), r->date_ok, r->date_n,
               rate(r->author_ok, r->author_n), r->author_ok, r->author_n,
               rate(r->attribution_ok, r->attribution_n), r->dup_tp, r->dup_fp, r->dup_fn, dup_p,
               dup_r);
        return;
    }
    printf("extraction scores (%s): %zu documents, %zu missing, %zu called non-articles\n", set,
           r->docs, r->missing, r->not_article);
    printf("  text F1        %.4f  (P %.4f, R %.4f: means over documents; F1 of the means; "
           "mean per-doc F1 %.4f)\n",
           r->text_f1, r->text_precision, r->text_recall, r->text_f1_mean_doc);
    printf("  title exact    %.4f  (%zu/%zu)\n", rate(r->title_ok, r->title_n), r->title_ok,
           r->title_n);
    printf("  date           %.4f  (%zu/%zu, to the minute when gold has a time)\n",
           rate(r->date_ok, r->date_n), r->date_ok, r->date_n);
    printf("  author         %.4f  (%zu/%zu)\n", rate(r->author_ok, r->author_n), r->author_ok,
           r->author_n);
    printf("  attribution    %.4f  (%zu/%zu)\n", rate(r->attribution_ok, r->attribution_n),
           r->attribution_ok, r->attribution_n);
    printf("  duplicates     P %.4f R %.4f  (tp %zu, fp %zu, fn %zu)\n", dup_p, dup_r, r->dup_tp,
           r->dup_fp, r->dup_fn);
}

static bool meets_goals(const struct kt_eval_extract_result *r)
{
    return r->docs > 0 && r->text_f1 >= 0.97 && rate(r->title_ok, r->title_n) >= 0.99 &&
           rate(r->date_ok, r->date_n) >= 0.98 && rate(r->author_ok, r->author_n) >= 0.90 &&
           r->dup_fp == 0 && r->dup_fn == 0;
}

int cmd_eval_extract(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin eval extract [options] GOLD.jsonl SITE_DIR",
        "khotin eval extract [options] --seeds SEEDS_DIR --gold-text GOLD_TEXT_DIR", NULL};
    const char *seeds = NULL, *gold_text = NULL, *format = NULL;
    bool check = false, details = false;
    const struct cli_opt opts[] = {
        CLI_STRING(0, "seeds", &seeds, "DIR", "plain-text seed pages (<doc>.txt)"),
        CLI_STRING(0, "gold-text", &gold_text, "DIR", "gold clean texts and meta.jsonl"),
        CLI_STRING(0, "format", &format, "FMT", "text (default) or json"),
        CLI_FLAG(0, "details", &details, "print one line per document and every mismatch"),
        CLI_FLAG(0, "check", &check,
                 "exit 1 unless F1 >= 0.97, titles >= 99%, dates >= 98%, authors >= 90% and "
                 "duplicates are all found"),
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
    struct kt_eval_extract_result res;
    memset(&res, 0, sizeof res);
    struct kt_err err = {0};
    kt_status st;
    const char *set;
    if (seeds || gold_text) {
        if (!seeds || !gold_text || first < argc)
            return cli_error(ctx, 2, "--seeds and --gold-text go together, without operands");
        st = kt_eval_extract_seeds(seeds, gold_text, &res, &err);
        set = "seeds";
    } else {
        if (argc - first != 2)
            return cli_error(ctx, 2, "expected GOLD.jsonl and SITE_DIR (see -h)");
        st = kt_eval_extract_site(argv[first], argv[first + 1], &res, &err);
        set = "site";
    }
    if (st != KT_OK) {
        kt_eval_extract_result_free(&res);
        return cli_fail(ctx, &err);
    }
    if ((details || ctx->verbosity >= 2) && res.detail.len)
        fwrite(res.detail.data, 1, res.detail.len, fmt == CLI_FORMAT_JSON ? stderr : stdout);
    print_result(set, &res, fmt);
    bool ok = meets_goals(&res);
    kt_eval_extract_result_free(&res);
    if (check && !ok)
        return cli_error(ctx, 1, "below the extraction goals");
    return 0;
}
