/* site_config.c - loading the INI crawl configuration with libinih, validating it with
 * file:line messages, config-less seed sites and the per-site lookups. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/site_config.h"
#include "crawler/url_internal.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KHOTIN_VERSION
#define KHOTIN_VERSION "0"
#endif
#define DEFAULT_USER_AGENT "khotin/" KHOTIN_VERSION " (+https://github.com/khotin/khotin)"
#define MAX_LINE           199 /* libinih's INI_MAX_LINE is 200 including the NUL */

/* ------------------------------- free / init ------------------------------- */

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_patv(struct kt_url_pattern **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kt_url_pattern_free(v[i]);
    free(v);
}

static void site_free(struct kt_site *s)
{
    free(s->name);
    free(s->base_url);
    free(s->host);
    free(s->path_prefix);
    free_strv(s->seeds, s->n_seeds);
    free_strv(s->sitemaps, s->n_sitemaps);
    free_strv(s->feeds, s->n_feeds);
    free_patv(s->article_patterns, s->n_article_patterns);
    free_patv(s->listing_patterns, s->n_listing_patterns);
    free_patv(s->skip_patterns, s->n_skip_patterns);
    free_strv(s->strip_params, s->n_strip_params);
    free(s->user_agent);
    free(s->xpath_title);
    free(s->xpath_body);
    free(s->xpath_date);
    free(s->xpath_author);
    memset(s, 0, sizeof *s);
}

void kt_site_config_free(struct kt_site_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n_sites; i++)
        site_free(&cfg->sites[i]);
    free(cfg->sites);
    free(cfg->path);
    free(cfg->crawl.user_agent);
    free(cfg->crawl.warc_prefix);
    memset(cfg, 0, sizeof *cfg);
}

kt_status kt_site_config_init(struct kt_site_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    struct kt_crawl_settings *c = &cfg->crawl;
    c->concurrency = 8;
    c->per_host_connections = 2;
    c->delay_ms = 1000;
    c->connect_timeout_ms = 10000;
    c->timeout_ms = 60000;
    c->low_speed_limit = 100;
    c->low_speed_time_s = 30;
    c->max_body = 10u * 1024 * 1024;
    c->max_redirects = 5;
    c->retries = 3;
    c->max_pagination = 50;
    c->calendar_window_days = 3;
    c->max_per_shape = 5000;
    c->max_pages = 0;
    c->warc_max_size = 1024ull * 1024 * 1024;
    c->user_agent = strdup(DEFAULT_USER_AGENT);
    c->warc_prefix = strdup("khotin");
    if (!c->user_agent || !c->warc_prefix)
        return KT_ENOMEM;
    return KT_OK;
}

static struct kt_site *new_site(struct kt_site_config *cfg, const char *name)
{
    struct kt_site *ns = realloc(cfg->sites, (cfg->n_sites + 1) * sizeof *ns);
    if (!ns)
        return NULL;
    cfg->sites = ns;
    struct kt_site *s = &cfg->sites[cfg->n_sites];
    memset(s, 0, sizeof *s);
    s->delay_ms = -1;
    s->max_pages = -1;
    s->max_pagination = -1;
    if (!(s->name = strdup(name)))
        return NULL;
    cfg->n_sites++;
    return s;
}

static bool push_str(char ***v, size_t *n, const char *s)
{
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return false;
    *v = nv;
    if (!(nv[*n] = strdup(s)))
        return false;
    (*n)++;
    return true;
}

/* ------------------------------- the loader ------------------------------- */

struct key_line {
    int line;
    char key[64];
};

struct section_info {
    char name[128]; /* the site name, or "crawl" */
    int line;
    bool is_crawl;
    int site_index; /* index into cfg->sites once created, else -1 */
    /* lines of values resolved after the section is complete */
    int base_line;
    int *seed_lines, *sitemap_lines, *feed_lines;
    size_t n_seed_lines, n_sitemap_lines, n_feed_lines;
};

struct loader {
    struct kt_site_config *cfg;
    const char *name; /* file name for messages */
    struct key_line *keys;
    size_t n_keys, key_cursor;
    struct section_info *sections;
    size_t n_sections;
    size_t cur_section; /* index, or (size_t)-1 */
    kt_status status;
    int err_line;
    char msg[KT_ERR_SIZE];
};

static int fail(struct loader *ld, int line, kt_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(struct loader *ld, int line, kt_status code, const char *fmt, ...)
{
    if (ld->status == KT_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ld->msg, sizeof ld->msg, fmt, ap);
        va_end(ap);
        ld->status = code;
        ld->err_line = line;
    }
    return 0;
}

static bool valid_site_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

/* Maps an INI section title to a site name ("site NAME" or "NAME"), or "" for [crawl]. */
static bool section_site_name(const char *title, char *out, size_t cap, bool *is_crawl)
{
    *is_crawl = false;
    while (kt_ascii_isspace(*title))
        title++;
    if (kt_ascii_ieq(title, strlen(title), "crawl")) {
        *is_crawl = true;
        snprintf(out, cap, "crawl");
        return true;
    }
    const char *n = title;
    if (kt_ascii_iprefix(title, strlen(title), "site") && kt_ascii_isspace(title[4])) {
        n = title + 4;
        while (kt_ascii_isspace(*n))
            n++;
    }
    size_t l = strlen(n);
    while (l > 0 && kt_ascii_isspace(n[l - 1]))
        l--;
    if (l == 0 || l >= cap)
        return false;
    memcpy(out, n, l);
    out[l] = '\0';
    return valid_site_name(out);
}

/* Pre-scan: line lengths, section headers (names, duplicates) and the line of every key,
 * so errors found by the handler or after parsing can name their line. */
static kt_status prescan(struct loader *ld, const char *text, size_t len)
{
    int line = 0;
    size_t i = 0;
    while (i < len) {
        line++;
        size_t s = i;
        while (i < len && text[i] != '\n')
            i++;
        size_t e = i;
        if (i < len)
            i++;
        if (e > s && text[e - 1] == '\r')
            e--;
        if (e - s > MAX_LINE) {
            fail(ld, line, KT_ECONFIG, "line longer than %d bytes", MAX_LINE);
            return ld->status;
        }
        if (memchr(text + s, '\0', e - s)) {
            fail(ld, line, KT_ECONFIG, "NUL byte in the file");
            return ld->status;
        }
        while (s < e && kt_ascii_isspace(text[s]))
            s++;
        if (line == 1 && e - s >= 3 && memcmp(text + s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        if (s == e || text[s] == ';' || text[s] == '#')
            continue;
        if (text[s] == '[') {
            const char *close = memchr(text + s, ']', e - s);
            if (!close) {
                fail(ld, line, KT_ECONFIG, "section header without ']'");
                return ld->status;
            }
            char title[160];
            size_t tl = (size_t)(close - (text + s + 1));
            if (tl >= sizeof title) {
                fail(ld, line, KT_ECONFIG, "section name too long");
                return ld->status;
            }
            memcpy(title, text + s + 1, tl);
            title[tl] = '\0';
            struct section_info si;
            memset(&si, 0, sizeof si);
            si.line = line;
            si.site_index = -1;
            if (!section_site_name(title, si.name, sizeof si.name, &si.is_crawl)) {
                fail(ld, line, KT_ECONFIG,
                     "bad section [%s]: expected [crawl], [site NAME] or [NAME] with NAME of "
                     "letters, digits, '_', '-', '.'",
                     title);
                return ld->status;
            }
            for (size_t k = 0; k < ld->n_sections; k++)
                if (strcmp(ld->sections[k].name, si.name) == 0) {
                    fail(ld, line, KT_ECONFIG, "duplicate section [%s] (first at line %d)", title,
                         ld->sections[k].line);
                    return ld->status;
                }
            struct section_info *ns = realloc(ld->sections, (ld->n_sections + 1) * sizeof *ns);
            if (!ns)
                return fail(ld, line, KT_ENOMEM, "out of memory"), ld->status;
            ld->sections = ns;
            ld->sections[ld->n_sections++] = si;
            continue;
        }
        /* key line: name up to '=' or ':' */
        size_t k = s;
        while (k < e && text[k] != '=' && text[k] != ':')
            k++;
        if (k == e) /* continuation lines or junk: libinih reports junk itself */
            continue;
        size_t ke = k;
        while (ke > s && kt_ascii_isspace(text[ke - 1]))
            ke--;
        struct key_line kl;
        kl.line = line;
        size_t kn = ke - s < sizeof kl.key - 1 ? ke - s : sizeof kl.key - 1;
        memcpy(kl.key, text + s, kn);
        kl.key[kn] = '\0';
        struct key_line *nk = realloc(ld->keys, (ld->n_keys + 1) * sizeof *nk);
        if (!nk)
            return fail(ld, line, KT_ENOMEM, "out of memory"), ld->status;
        ld->keys = nk;
        ld->keys[ld->n_keys++] = kl;
    }
    return KT_OK;
}

/* The line of the next occurrence of key (in handler order). */
static int key_line(struct loader *ld, const char *key)
{
    for (size_t i = ld->key_cursor; i < ld->n_keys; i++)
        if (kt_ascii_ieq(ld->keys[i].key, strlen(ld->keys[i].key), key)) {
            ld->key_cursor = i + 1;
            return ld->keys[i].line;
        }
    return ld->key_cursor > 0 && ld->key_cursor <= ld->n_keys ? ld->keys[ld->key_cursor - 1].line
                                                              : 0;
}

static bool parse_long(const char *v, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    while (kt_ascii_isspace(*end))
        end++;
    if (errno || end == v || *end || x < min || x > max)
        return false;
    *out = x;
    return true;
}

/* Sizes: digits with an optional K, M or G suffix (1024-based, optional trailing B/iB). */
static bool parse_size(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*v == '-')
        return false;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v)
        return false;
    while (kt_ascii_isspace(*end))
        end++;
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1024, end++;
    else if (*end == 'm' || *end == 'M')
        mul = 1024 * 1024, end++;
    else if (*end == 'g' || *end == 'G')
        mul = 1024ull * 1024 * 1024, end++;
    if (mul > 1 && (*end == 'i' || *end == 'I'))
        end++;
    if (*end == 'b' || *end == 'B')
        end++;
    if (*end)
        return false;
    if (x > UINT64_MAX / mul)
        return false;
    uint64_t r = (uint64_t)x * mul;
    if (r < min || r > max)
        return false;
    *out = r;
    return true;
}

static bool has_contact(const char *ua)
{
    return strstr(ua, "http://") || strstr(ua, "https://") || strchr(ua, '@');
}

#define INT_KEY(name, field, lo, hi)                                                               \
    if (kt_ascii_ieq(key, strlen(key), name)) {                                                    \
        long x;                                                                                    \
        if (!parse_long(value, lo, hi, &x))                                                        \
            return fail(ld, line, KT_ECONFIG, "%s: expected an integer in %ld..%ld, got \"%s\"",   \
                        name, (long)(lo), (long)(hi), value);                                      \
        field = x;                                                                                 \
        return 1;                                                                                  \
    }

static int crawl_key(struct loader *ld, int line, const char *key, const char *value)
{
    struct kt_crawl_settings *c = &ld->cfg->crawl;
    if (kt_ascii_ieq(key, strlen(key), "user_agent")) {
        if (!value[0] || !has_contact(value))
            return fail(ld, line, KT_ECONFIG,
                        "user_agent must name a contact URL or e-mail address, got \"%s\"", value);
        char *d = strdup(value);
        if (!d)
            return fail(ld, line, KT_ENOMEM, "out of memory");
        free(c->user_agent);
        c->user_agent = d;
        return 1;
    }
    if (kt_ascii_ieq(key, strlen(key), "warc_prefix")) {
        if (!valid_site_name(value))
            return fail(ld, line, KT_ECONFIG,
                        "warc_prefix: letters, digits, '_', '-', '.' only, got \"%s\"", value);
        char *d = strdup(value);
        if (!d)
            return fail(ld, line, KT_ENOMEM, "out of memory");
        free(c->warc_prefix);
        c->warc_prefix = d;
        return 1;
    }
    if (kt_ascii_ieq(key, strlen(key), "max_body")) {
        if (!parse_size(value, 1024, 4ull * 1024 * 1024 * 1024, &c->max_body))
            return fail(ld, line, KT_ECONFIG,
                        "max_body: expected a size between 1K and 4G, got \"%s\"", value);
        return 1;
    }
    if (kt_ascii_ieq(key, strlen(key), "warc_max_size")) {
        if (!parse_size(value, 1024 * 1024, 1ull << 40, &c->warc_max_size))
            return fail(ld, line, KT_ECONFIG,
                        "warc_max_size: expected a size between 1M and 1024G, got \"%s\"", value);
        return 1;
    }
    INT_KEY("concurrency", c->concurrency, 1, 256)
    INT_KEY("per_host_connections", c->per_host_connections, 1, 32)
    INT_KEY("delay_ms", c->delay_ms, 0, 600000)
    INT_KEY("connect_timeout_ms", c->connect_timeout_ms, 1, 600000)
    INT_KEY("timeout_ms", c->timeout_ms, 1, 3600000)
    INT_KEY("low_speed_limit", c->low_speed_limit, 0, 100000000)
    INT_KEY("low_speed_time_s", c->low_speed_time_s, 0, 3600)
    INT_KEY("max_redirects", c->max_redirects, 0, 20)
    INT_KEY("retries", c->retries, 0, 20)
    INT_KEY("max_pagination", c->max_pagination, 1, 100000)
    INT_KEY("calendar_window_days", c->calendar_window_days, 0, 3660)
    INT_KEY("max_per_shape", c->max_per_shape, 0, 100000000)
    INT_KEY("max_pages", c->max_pages, 0, 1000000000)
    return fail(ld, line, KT_ECONFIG, "unknown key \"%s\" in [crawl]", key);
}

static int add_pattern(struct loader *ld, int line, const char *key, const char *value,
                       struct kt_url_pattern ***v, size_t *n)
{
    struct kt_err e = {0};
    struct kt_url_pattern *p;
    if (!value[0])
        return fail(ld, line, KT_ECONFIG, "%s: empty pattern", key);
    kt_status st = kt_url_pattern_compile(value, &p, &e);
    if (st != KT_OK)
        return fail(ld, line, st == KT_ENOMEM ? KT_ENOMEM : KT_ECONFIG, "%s: %s", key, e.msg);
    struct kt_url_pattern **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        kt_url_pattern_free(p);
        return fail(ld, line, KT_ENOMEM, "out of memory");
    }
    *v = nv;
    nv[(*n)++] = p;
    return 1;
}

static int add_line(struct loader *ld, int **lines, size_t *n, int line)
{
    int *nl = realloc(*lines, (*n + 1) * sizeof *nl);
    if (!nl)
        return fail(ld, line, KT_ENOMEM, "out of memory");
    *lines = nl;
    nl[(*n)++] = line;
    return 1;
}

static int set_str(struct loader *ld, int line, char **field, const char *value)
{
    char *d = strdup(value);
    if (!d)
        return fail(ld, line, KT_ENOMEM, "out of memory");
    free(*field);
    *field = d;
    return 1;
}

static int site_key(struct loader *ld, struct section_info *si, int line, const char *key,
                    const char *value)
{
    struct kt_site *s = &ld->cfg->sites[si->site_index];
    size_t kl = strlen(key);
    if (kt_ascii_ieq(key, kl, "base_url")) {
        if (s->base_url)
            return fail(ld, line, KT_ECONFIG, "base_url given twice in [%s]", si->name);
        si->base_line = line;
        return set_str(ld, line, &s->base_url, value);
    }
    if (kt_ascii_ieq(key, kl, "seed")) {
        if (!push_str(&s->seeds, &s->n_seeds, value))
            return fail(ld, line, KT_ENOMEM, "out of memory");
        return add_line(ld, &si->seed_lines, &si->n_seed_lines, line);
    }
    if (kt_ascii_ieq(key, kl, "sitemap")) {
        if (!push_str(&s->sitemaps, &s->n_sitemaps, value))
            return fail(ld, line, KT_ENOMEM, "out of memory");
        return add_line(ld, &si->sitemap_lines, &si->n_sitemap_lines, line);
    }
    if (kt_ascii_ieq(key, kl, "feed")) {
        if (!push_str(&s->feeds, &s->n_feeds, value))
            return fail(ld, line, KT_ENOMEM, "out of memory");
        return add_line(ld, &si->feed_lines, &si->n_feed_lines, line);
    }
    if (kt_ascii_ieq(key, kl, "article_pattern"))
        return add_pattern(ld, line, key, value, &s->article_patterns, &s->n_article_patterns);
    if (kt_ascii_ieq(key, kl, "listing_pattern"))
        return add_pattern(ld, line, key, value, &s->listing_patterns, &s->n_listing_patterns);
    if (kt_ascii_ieq(key, kl, "skip_pattern"))
        return add_pattern(ld, line, key, value, &s->skip_patterns, &s->n_skip_patterns);
    if (kt_ascii_ieq(key, kl, "strip_param")) {
        if (!value[0] || strpbrk(value, "&=?# "))
            return fail(ld, line, KT_ECONFIG, "strip_param: a parameter name, got \"%s\"", value);
        if (!push_str(&s->strip_params, &s->n_strip_params, value))
            return fail(ld, line, KT_ENOMEM, "out of memory");
        return 1;
    }
    if (kt_ascii_ieq(key, kl, "user_agent")) {
        if (!value[0] || !has_contact(value))
            return fail(ld, line, KT_ECONFIG,
                        "user_agent must name a contact URL or e-mail address, got \"%s\"", value);
        return set_str(ld, line, &s->user_agent, value);
    }
    if (kt_ascii_ieq(key, kl, "xpath_title"))
        return set_str(ld, line, &s->xpath_title, value);
    if (kt_ascii_ieq(key, kl, "xpath_body"))
        return set_str(ld, line, &s->xpath_body, value);
    if (kt_ascii_ieq(key, kl, "xpath_date"))
        return set_str(ld, line, &s->xpath_date, value);
    if (kt_ascii_ieq(key, kl, "xpath_author"))
        return set_str(ld, line, &s->xpath_author, value);
    INT_KEY("delay_ms", s->delay_ms, 0, 600000)
    INT_KEY("max_pages", s->max_pages, 0, 1000000000)
    INT_KEY("max_pagination", s->max_pagination, 1, 100000)
    return fail(ld, line, KT_ECONFIG, "unknown key \"%s\" in [%s]", key, si->name);
}

static int on_ini_pair(void *user, const char *section, const char *name, const char *value)
{
    struct loader *ld = user;
    int line = key_line(ld, name);
    if (ld->status != KT_OK)
        return 1; /* keep only the first error; libinih continues */
    char sname[128];
    bool is_crawl;
    if (!section[0])
        return fail(ld, line, KT_ECONFIG, "key \"%s\" outside any section", name);
    if (!section_site_name(section, sname, sizeof sname, &is_crawl))
        return fail(ld, line, KT_ECONFIG, "bad section [%s]", section);
    struct section_info *si = NULL;
    for (size_t i = 0; i < ld->n_sections; i++)
        if (strcmp(ld->sections[i].name, sname) == 0)
            si = &ld->sections[i];
    if (!si)
        return fail(ld, line, KT_ECONFIG, "section [%s] not found", section);
    if (is_crawl)
        return crawl_key(ld, line, name, value);
    if (si->site_index < 0) {
        if (!new_site(ld->cfg, sname))
            return fail(ld, line, KT_ENOMEM, "out of memory");
        si->site_index = (int)ld->cfg->n_sites - 1;
    }
    return site_key(ld, si, line, name, value);
}

/* Resolves the URL list v against base (in place), checking each; seeds must be in scope. */
static bool resolve_list(struct loader *ld, struct kt_site *s, char **v, size_t n, const int *lines,
                         const char *key, bool scoped)
{
    for (size_t i = 0; i < n; i++) {
        char *u = NULL;
        struct kt_err e = {0};
        kt_status st = kt_url_resolve(s->base_url, v[i], &u, &e);
        if (st != KT_OK) {
            fail(ld, lines[i], st == KT_ENOMEM ? KT_ENOMEM : KT_ECONFIG, "%s: %s", key, e.msg);
            return false;
        }
        if (scoped && !kt_site_in_scope(s, u)) {
            fail(ld, lines[i], KT_ECONFIG, "%s %s is outside the scope of base_url %s", key, u,
                 s->base_url);
            free(u);
            return false;
        }
        free(v[i]);
        v[i] = u;
    }
    return true;
}

/* Sets host and path_prefix from a normalized base URL. */
static kt_status set_scope(struct kt_site *s, struct kt_err *err)
{
    kt_status st = kt_url_host(s->base_url, &s->host, err);
    if (st != KT_OK)
        return st;
    char *pq = NULL;
    if ((st = kt_url_path_query(s->base_url, &pq, err)) != KT_OK)
        return st;
    char *q = strchr(pq, '?');
    if (q)
        *q = '\0';
    s->path_prefix = pq;
    return KT_OK;
}

static void finish_sites(struct loader *ld)
{
    for (size_t k = 0; k < ld->n_sections && ld->status == KT_OK; k++) {
        struct section_info *si = &ld->sections[k];
        if (si->is_crawl)
            continue;
        if (si->site_index < 0) {
            fail(ld, si->line, KT_ECONFIG, "[%s]: missing base_url", si->name);
            return;
        }
        struct kt_site *s = &ld->cfg->sites[si->site_index];
        if (!s->base_url) {
            fail(ld, si->line, KT_ECONFIG, "[%s]: missing base_url", si->name);
            return;
        }
        char *nb = NULL;
        struct kt_err e = {0};
        kt_status st = kt_url_normalize(s->base_url, &nb, &e);
        if (st != KT_OK) {
            fail(ld, si->base_line, st == KT_ENOMEM ? st : KT_ECONFIG, "base_url: %s", e.msg);
            return;
        }
        free(s->base_url);
        s->base_url = nb;
        if ((st = set_scope(s, &e)) != KT_OK) {
            fail(ld, si->base_line, st == KT_ENOMEM ? st : KT_ECONFIG, "base_url: %s", e.msg);
            return;
        }
        if (!resolve_list(ld, s, s->seeds, s->n_seeds, si->seed_lines, "seed", true) ||
            !resolve_list(ld, s, s->sitemaps, s->n_sitemaps, si->sitemap_lines, "sitemap", false) ||
            !resolve_list(ld, s, s->feeds, s->n_feeds, si->feed_lines, "feed", false))
            return;
        if (s->n_seeds == 0 && !push_str(&s->seeds, &s->n_seeds, s->base_url)) {
            fail(ld, si->line, KT_ENOMEM, "out of memory");
            return;
        }
    }
}

kt_status kt_site_config_load_string(const char *text, size_t len, const char *name,
                                     struct kt_site_config *cfg, struct kt_err *err)
{
    if (!name)
        name = "(config)";
    if (kt_site_config_init(cfg) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", name);
    if (!(cfg->path = strdup(name)))
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", name);
    struct loader ld;
    memset(&ld, 0, sizeof ld);
    ld.cfg = cfg;
    ld.name = name;
    char *copy = kt_strndup0(text ? text : "", text ? len : 0);
    if (!copy)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", name);
    if (prescan(&ld, copy, text ? len : 0) == KT_OK) {
        int rc = ini_parse_string(copy, on_ini_pair, &ld);
        if (rc > 0 && ld.status == KT_OK)
            fail(&ld, rc, KT_ECONFIG, "syntax error (expected \"key = value\" or \"[section]\")");
        else if (rc > 0 && rc < ld.err_line)
            ld.err_line = rc; /* a syntax error came first */
        else if (rc < 0 && ld.status == KT_OK)
            fail(&ld, 0, KT_ENOMEM, "out of memory");
        if (ld.status == KT_OK)
            finish_sites(&ld);
    }
    free(copy);
    for (size_t i = 0; i < ld.n_sections; i++) {
        free(ld.sections[i].seed_lines);
        free(ld.sections[i].sitemap_lines);
        free(ld.sections[i].feed_lines);
    }
    free(ld.sections);
    free(ld.keys);
    if (ld.status != KT_OK) {
        if (ld.err_line > 0)
            return kt_err_set(err, ld.status, "%s:%d: %s", name, ld.err_line, ld.msg);
        return kt_err_set(err, ld.status, "%s: %s", name, ld.msg);
    }
    return KT_OK;
}

kt_status kt_site_config_load(const char *path, struct kt_site_config *cfg, struct kt_err *err)
{
    struct kt_buf b = {0};
    memset(cfg, 0, sizeof *cfg);
    kt_status st = kt_read_file(path, 4u * 1024 * 1024, &b, err);
    if (st != KT_OK) {
        kt_buf_free(&b);
        if (kt_site_config_init(cfg) != KT_OK)
            return kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
        return st == KT_ETOOBIG ? kt_err_set(err, KT_ECONFIG, "%s: larger than 4 MiB", path) : st;
    }
    st = kt_site_config_load_string(b.data ? b.data : "", b.len, path, cfg, err);
    kt_buf_free(&b);
    return st;
}

/* ------------------------------- seeds without a config ------------------------------- */

kt_status kt_site_config_add_seed(struct kt_site_config *cfg, const char *seed_url,
                                  struct kt_err *err)
{
    char *seed = NULL;
    kt_status st = kt_url_normalize(seed_url, &seed, err);
    if (st != KT_OK)
        return st;
    for (size_t i = 0; i < cfg->n_sites; i++) {
        struct kt_site *s = &cfg->sites[i];
        if (kt_site_in_scope(s, seed)) {
            for (size_t k = 0; k < s->n_seeds; k++)
                if (strcmp(s->seeds[k], seed) == 0) {
                    free(seed);
                    return KT_OK;
                }
            bool ok = push_str(&s->seeds, &s->n_seeds, seed);
            free(seed);
            return ok ? KT_OK : kt_err_set(err, KT_ENOMEM, "out of memory");
        }
    }
    char *origin = NULL, *pq = NULL, *host = NULL, *sitemap = NULL;
    struct kt_buf base = {0}, name = {0};
    if ((st = kt_url_origin(seed, &origin, err)) != KT_OK ||
        (st = kt_url_path_query(seed, &pq, err)) != KT_OK ||
        (st = kt_url_host(seed, &host, err)) != KT_OK)
        goto out;
    char *q = strchr(pq, '?');
    if (q)
        *q = '\0';
    char *slash = strrchr(pq, '/');
    if (slash)
        slash[1] = '\0';
    st = KT_ENOMEM;
    if (kt_buf_printf(&base, "%s%s", origin, pq[0] ? pq : "/") != KT_OK)
        goto nomem;
    if (kt_buf_append_cstr(&name, host) != KT_OK)
        goto nomem;
    for (int n = 2; kt_site_config_find(cfg, name.data); n++) {
        kt_buf_reset(&name);
        if (kt_buf_printf(&name, "%s-%d", host, n) != KT_OK)
            goto nomem;
    }
    struct kt_site *s = new_site(cfg, name.data);
    if (!s)
        goto nomem;
    s->from_seed = true;
    if (!(s->base_url = strdup(base.data)))
        goto nomem;
    size_t sl = strlen(origin) + sizeof "/sitemap.xml";
    if (!(sitemap = malloc(sl)))
        goto nomem;
    snprintf(sitemap, sl, "%s/sitemap.xml", origin);
    if (!push_str(&s->seeds, &s->n_seeds, seed) || !push_str(&s->sitemaps, &s->n_sitemaps, sitemap))
        goto nomem;
    st = set_scope(s, err);
    goto out;
nomem:
    st = kt_err_set(err, KT_ENOMEM, "out of memory");
out:
    free(seed);
    free(origin);
    free(pq);
    free(host);
    free(sitemap);
    kt_buf_free(&base);
    kt_buf_free(&name);
    return st;
}

/* ------------------------------- lookups ------------------------------- */

const struct kt_site *kt_site_config_find(const struct kt_site_config *cfg, const char *name)
{
    if (!cfg || !name)
        return NULL;
    for (size_t i = 0; i < cfg->n_sites; i++)
        if (strcmp(cfg->sites[i].name, name) == 0)
            return &cfg->sites[i];
    return NULL;
}

bool kt_site_in_scope(const struct kt_site *site, const char *url)
{
    return site && site->host && kt_url_in_scope(url, site->host, site->path_prefix);
}

const struct kt_site *kt_site_config_match_url(const struct kt_site_config *cfg, const char *url)
{
    if (!cfg)
        return NULL;
    for (size_t i = 0; i < cfg->n_sites; i++)
        if (kt_site_in_scope(&cfg->sites[i], url))
            return &cfg->sites[i];
    return NULL;
}

static bool any_match(struct kt_url_pattern *const *v, size_t n, const char *pq)
{
    for (size_t i = 0; i < n; i++)
        if (kt_url_pattern_match(v[i], pq))
            return true;
    return false;
}

enum kt_page_role kt_site_classify(const struct kt_site *site, const char *url)
{
    if (kt_url_is_print_variant(url))
        return KT_ROLE_SKIP;
    if (!site)
        return KT_ROLE_UNKNOWN;
    char *pq = NULL;
    if (kt_url_path_query(url, &pq, NULL) != KT_OK)
        return KT_ROLE_SKIP;
    enum kt_page_role r = KT_ROLE_UNKNOWN;
    if (any_match(site->skip_patterns, site->n_skip_patterns, pq))
        r = KT_ROLE_SKIP;
    else if (any_match(site->article_patterns, site->n_article_patterns, pq))
        r = KT_ROLE_ARTICLE;
    else if (any_match(site->listing_patterns, site->n_listing_patterns, pq))
        r = KT_ROLE_LISTING;
    free(pq);
    return r;
}

kt_status kt_site_normalize(const struct kt_site *site, const char *url, char **out,
                            struct kt_err *err)
{
    struct kt_url_opts o = {site ? (const char *const *)site->strip_params : NULL,
                            site ? site->n_strip_params : 0};
    return kt_url_normalize_ex(url, &o, out, err);
}

kt_status kt_site_resolve(const struct kt_site *site, const char *base, const char *ref, char **out,
                          struct kt_err *err)
{
    struct kt_url_opts o = {site ? (const char *const *)site->strip_params : NULL,
                            site ? site->n_strip_params : 0};
    return kt_url_resolve_ex(base, ref, &o, out, err);
}

int kt_site_delay_ms(const struct kt_site_config *cfg, const struct kt_site *site)
{
    if (site && site->delay_ms >= 0)
        return site->delay_ms;
    return cfg ? cfg->crawl.delay_ms : 1000;
}

long kt_site_max_pages(const struct kt_site_config *cfg, const struct kt_site *site)
{
    if (site && site->max_pages >= 0)
        return site->max_pages;
    return cfg ? cfg->crawl.max_pages : 0;
}

long kt_site_max_pagination(const struct kt_site_config *cfg, const struct kt_site *site)
{
    if (site && site->max_pagination >= 0)
        return site->max_pagination;
    return cfg ? cfg->crawl.max_pagination : 50;
}

const char *kt_site_user_agent(const struct kt_site_config *cfg, const struct kt_site *site)
{
    if (site && site->user_agent)
        return site->user_agent;
    return cfg && cfg->crawl.user_agent ? cfg->crawl.user_agent : DEFAULT_USER_AGENT;
}
