/* bench_crawl.c - crawl throughput and memory: `khotin crawl` (politeness off) against a
 * 10,000-article loopback site versus `wget --recursive --warc-file` on the same site in the same
 * run (pages/s, peak RSS of each child, ratio), then peak RSS of a crawl whose frontier knows
 * 100,000 URLs. Goals: >= 10x wget's pages/s; <= 64 MB peak RSS with 100k URLs known.
 *
 *   bench_crawl [--khotin PATH] [--articles N] [--known N] [--known-pages N] [--concurrency N]
 *   environment: BENCH_CRAWL_SKIP_WGET=1 (khotin only), BENCH_CRAWL_NO_EXTRACT=1 (every page a
 *   listing: fetch, WARC, state and links without article extraction)
 *
 * The site is served in this process by the test server (tests/support/httpd.c, compiled in
 * here because benchmark programs link only the module libraries). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "tests/support/crawl_site.c"
#include "tests/support/httpd.c"

#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

struct child_result {
    int status;
    double seconds;
    long max_rss_kb;
    double cpu_user, cpu_sys;
    struct kt_buf out;
};

/* Runs argv with stdout captured (stderr to /dev/null) and measures wall time and peak RSS. */
static bool run_child(char *const argv[], struct child_result *r)
{
    memset(r, 0, sizeof *r);
    int p[2];
    if (pipe(p) != 0)
        return false;
    int64_t t0 = kt_now_ms();
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        dup2(p[1], 1);
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        close(p[0]);
        close(p[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    char buf[4096];
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0)
        kt_buf_append(&r->out, buf, (size_t)n);
    close(p[0]);
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    int status = 0;
    if (wait4(pid, &status, 0, &ru) < 0)
        return false;
    r->seconds = (double)(kt_now_ms() - t0) / 1000.0;
    r->max_rss_kb = ru.ru_maxrss;
    r->cpu_user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    r->cpu_sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
}

static char *make_dir(const char *tag)
{
    char *p = malloc(256);
    if (!p)
        return NULL;
    snprintf(p, 256, "/tmp/khotin-bench-%s-XXXXXX", tag);
    if (!mkdtemp(p)) {
        free(p);
        return NULL;
    }
    return p;
}

static void remove_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* A config for the loopback site: politeness off, deep pagination allowed. */
static bool write_config(const char *dir, const char *seed, const char *conc, bool sitemap,
                         char *path, size_t size)
{
    snprintf(path, size, "%s/bench.ini", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f,
            "[crawl]\nuser_agent = khotin-bench/1.0 (+http://example.org/contact)\n"
            "delay_ms = 0\nconcurrency = %s\nper_host_connections = %s\n"
            "max_pagination = 100000\n\n[site gen]\nbase_url = %s\nseed = /\n%s%s",
            conc, conc, seed, sitemap ? "sitemap = /sitemap.xml\n" : "",
            /* every page a listing: no article extraction (to measure the crawl alone) */
            getenv("BENCH_CRAWL_NO_EXTRACT") ? "listing_pattern = .\n" : "");
    return fclose(f) == 0;
}

static long long json_int(const struct kt_buf *b, const char *key)
{
    json_error_t e;
    json_t *o = json_loadb(b->data ? b->data : "", b->len, 0, &e);
    long long v = o ? (long long)json_integer_value(json_object_get(o, key)) : -1;
    json_decref(o);
    return v;
}

static size_t requests_logged(struct tu_httpd *srv)
{
    size_t n = tu_httpd_log_count(srv);
    return n;
}

int main(int argc, char **argv)
{
    char khotin[PATH_MAX];
    snprintf(khotin, sizeof khotin, "%s", argv[0]);
    char *slash = strrchr(khotin, '/');
    if (slash)
        snprintf(slash, sizeof khotin - (size_t)(slash - khotin), "/../khotin");
    else
        snprintf(khotin, sizeof khotin, "khotin");
    unsigned articles = 10000, known = 100000, known_pages = 3000;
    bool skip_wget = false;
    const char *conc = "32";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--khotin") == 0)
            snprintf(khotin, sizeof khotin, "%s", argv[i + 1]);
        else if (strcmp(argv[i], "--articles") == 0)
            articles = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--known") == 0)
            known = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--known-pages") == 0)
            known_pages = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--concurrency") == 0)
            conc = argv[i + 1];
        else {
            fprintf(stderr, "usage: bench_crawl [--khotin PATH] [--articles N] [--known N] "
                            "[--known-pages N] [--concurrency N]\n");
            return 2;
        }
    }
    if (getenv("BENCH_CRAWL_SKIP_WGET"))
        skip_wget = true;
    if (access(khotin, X_OK) != 0) {
        fprintf(stderr, "bench_crawl: %s: not executable (use --khotin PATH)\n", khotin);
        return 66;
    }
    signal(SIGPIPE, SIG_IGN);

    /* ---- 1. khotin vs wget on the same site ---- */
    struct tu_httpd *srv = tu_httpd_start();
    struct tu_gen_site gen = {.n_articles = articles, .per_page = 50};
    if (!srv || !tu_gen_site_add(srv, &gen)) {
        fprintf(stderr, "bench_crawl: cannot start the loopback site\n");
        return 74;
    }
    unsigned pages_total = articles + (articles + 49) / 50 + 1;
    char seed[96];
    snprintf(seed, sizeof seed, "http://127.0.0.1:%u/", tu_httpd_port(srv));
    printf("site: %u articles, %u listing pages, home (%u HTML pages) on %s\n", articles,
           (articles + 49) / 50, pages_total, seed);

    char *kdir = make_dir("khotin");
    char cfg[512], archive[512];
    if (!kdir || !write_config(kdir, seed, conc, false, cfg, sizeof cfg))
        return 74;
    snprintf(archive, sizeof archive, "%s/archive", kdir);
    char *kargv[] = {khotin,      "-q",    "crawl",    "--config", cfg,
                     "--archive", archive, "--format", "json",     NULL};
    struct child_result kr;
    size_t before = requests_logged(srv);
    if (!run_child(kargv, &kr))
        return 74;
    size_t k_requests = requests_logged(srv) - before;
    long long k_fetched = json_int(&kr.out, "fetched");
    long long k_articles = json_int(&kr.out, "new_articles");
    double k_rate = (double)k_fetched / kr.seconds;
    printf("khotin crawl (concurrency %s, delay 0): exit %d, %lld pages fetched (%zu requests), "
           "%lld articles stored, %.2f s, %.0f pages/s, peak RSS %.1f MB, CPU %.1f s user + %.1f "
           "s sys\n",
           conc, kr.status, k_fetched, k_requests, k_articles, kr.seconds, k_rate,
           (double)kr.max_rss_kb / 1024.0, kr.cpu_user, kr.cpu_sys);

    if (!skip_wget) {
        char *wdir = make_dir("wget");
        char warc_opt[400], dir_opt[400];
        snprintf(warc_opt, sizeof warc_opt, "--warc-file=%s/wget", wdir);
        snprintf(dir_opt, sizeof dir_opt, "--directory-prefix=%s/mirror", wdir);
        char *wargv[] = {"wget",   "--recursive", "--level=inf", "--no-parent", "-e", "robots=on",
                         warc_opt, dir_opt,       "--quiet",     seed,          NULL};
        struct child_result wr;
        before = requests_logged(srv);
        if (!run_child(wargv, &wr))
            return 74;
        size_t w_requests = requests_logged(srv) - before;
        double w_rate = (double)w_requests / wr.seconds;
        printf("wget --recursive --warc-file: exit %d, %zu requests, %.2f s, %.0f pages/s, peak "
               "RSS %.1f MB, CPU %.1f s user + %.1f s sys\n",
               wr.status, w_requests, wr.seconds, w_rate, (double)wr.max_rss_kb / 1024.0,
               wr.cpu_user, wr.cpu_sys);
        printf("ratio khotin/wget pages/s: %.1fx (goal >= 10x)\n",
               w_rate > 0 ? k_rate / w_rate : 0);
        remove_dir(wdir);
        free(wdir);
        kt_buf_free(&wr.out);
    }
    tu_httpd_stop(srv);
    remove_dir(kdir);
    free(kdir);
    kt_buf_free(&kr.out);

    /* ---- 2. peak RSS with 100k URLs known ---- */
    if (known == 0)
        return 0;
    srv = tu_httpd_start();
    struct tu_gen_site big = {.n_articles = known, .per_page = 100, .sitemap = true};
    if (!srv || !tu_gen_site_add(srv, &big)) {
        fprintf(stderr, "bench_crawl: cannot start the loopback site\n");
        return 74;
    }
    snprintf(seed, sizeof seed, "http://127.0.0.1:%u/", tu_httpd_port(srv));
    char *bdir = make_dir("known");
    char maxp[32];
    snprintf(maxp, sizeof maxp, "%u", known_pages);
    if (!bdir || !write_config(bdir, seed, conc, true, cfg, sizeof cfg))
        return 74;
    snprintf(archive, sizeof archive, "%s/archive", bdir);
    char *bargv[] = {khotin,  "-q",          "crawl", "--config", cfg,    "--archive",
                     archive, "--max-pages", maxp,    "--format", "json", NULL};
    struct child_result br;
    if (!run_child(bargv, &br))
        return 74;
    long long b_urls = json_int(&br.out, "new_urls");
    long long b_fetched = json_int(&br.out, "fetched");
    printf("frontier of %lld known URLs (sitemap index of %u articles), %lld pages fetched: "
           "%.2f s, peak RSS %.1f MB (goal <= 64 MB)\n",
           b_urls, known, b_fetched, br.seconds, (double)br.max_rss_kb / 1024.0);
    tu_httpd_stop(srv);
    remove_dir(bdir);
    free(bdir);
    kt_buf_free(&br.out);
    return 0;
}
