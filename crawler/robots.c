/* robots.c - robots.txt parsing and matching per RFC 9309 (groups, longest match, Allow wins
 * ties, '*' and '$'), Crawl-delay, Sitemap lines, fetch-status states and serialization. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/robots.h"
#include "crawler/url.h"
#include "crawler/url_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct robots_rule {
    char *pattern; /* percent-normalized */
    size_t len;    /* bytes, the match priority */
    bool allow;
};

struct robots_group {
    char **agents; /* product tokens, "*" for the default group */
    size_t n_agents;
    struct robots_rule *rules;
    size_t n_rules, cap_rules;
    int64_t crawl_delay_ms; /* -1 = none */
};

struct kt_robots {
    enum kt_robots_state state;
    char *body; /* the parsed bytes (at most KT_ROBOTS_MAX_BYTES), for serialization */
    size_t body_len;
    struct robots_group *groups;
    size_t n_groups, cap_groups;
    char **sitemaps;
    size_t n_sitemaps, cap_sitemaps;
};

static void group_free(struct robots_group *g)
{
    for (size_t i = 0; i < g->n_agents; i++)
        free(g->agents[i]);
    free(g->agents);
    for (size_t i = 0; i < g->n_rules; i++)
        free(g->rules[i].pattern);
    free(g->rules);
}

void kt_robots_free(struct kt_robots *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_groups; i++)
        group_free(&r->groups[i]);
    free(r->groups);
    for (size_t i = 0; i < r->n_sitemaps; i++)
        free(r->sitemaps[i]);
    free(r->sitemaps);
    free(r->body);
    free(r);
}

static bool grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 4;
    void *p = realloc(*arr, nc * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = nc;
    return true;
}

char *kt_robots_ua_token(const char *user_agent, char *out, size_t cap)
{
    size_t n = 0;
    if (!out || cap == 0)
        return out;
    if (user_agent) {
        while (kt_ascii_isspace(*user_agent))
            user_agent++;
        if (user_agent[0] == '*') {
            if (cap > 1)
                out[n++] = '*';
        } else {
            for (const char *p = user_agent; n + 1 < cap; p++) {
                char c = *p;
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
                    break;
                out[n++] = c;
            }
        }
    }
    out[n] = '\0';
    return out;
}

/* Parses "1", "2.5", " 10 " into milliseconds (capped at 1 h); false if not a number. */
static bool parse_delay(const char *v, size_t len, int64_t *ms)
{
    size_t i = 0;
    int64_t whole = 0, frac = 0, scale = 1000;
    bool any = false;
    while (i < len && v[i] >= '0' && v[i] <= '9') {
        if (whole < 3600)
            whole = whole * 10 + (v[i] - '0');
        i++;
        any = true;
    }
    if (i < len && (v[i] == '.' || v[i] == ',')) {
        i++;
        while (i < len && v[i] >= '0' && v[i] <= '9') {
            if (scale > 1) {
                scale /= 10;
                frac += (v[i] - '0') * scale;
            }
            i++;
            any = true;
        }
    }
    while (i < len && kt_ascii_isspace(v[i]))
        i++;
    if (!any || i != len)
        return false;
    int64_t total = whole * 1000 + frac;
    *ms = total > 3600000 ? 3600000 : total;
    return true;
}

/* Parser state for one body. */
struct parse_state {
    struct kt_robots *r;
    bool in_agents;  /* the previous significant line was a user-agent line */
    bool have_group; /* a group is open */
};

static kt_status add_group(struct parse_state *ps)
{
    struct kt_robots *r = ps->r;
    if (!grow((void **)&r->groups, &r->cap_groups, r->n_groups, sizeof *r->groups))
        return KT_ENOMEM;
    memset(&r->groups[r->n_groups], 0, sizeof *r->groups);
    r->groups[r->n_groups].crawl_delay_ms = -1;
    r->n_groups++;
    ps->have_group = true;
    return KT_OK;
}

static kt_status handle_line(struct parse_state *ps, const char *key, size_t klen, const char *val,
                             size_t vlen)
{
    struct kt_robots *r = ps->r;
    if (kt_ascii_ieq(key, klen, "user-agent") || kt_ascii_ieq(key, klen, "useragent") ||
        kt_ascii_ieq(key, klen, "user agent")) {
        if (!ps->in_agents) {
            if (add_group(ps) != KT_OK)
                return KT_ENOMEM;
        }
        ps->in_agents = true;
        struct robots_group *g = &r->groups[r->n_groups - 1];
        char tok[128];
        char *v = kt_strndup0(val, vlen);
        if (!v)
            return KT_ENOMEM;
        kt_robots_ua_token(v, tok, sizeof tok);
        free(v);
        if (!tok[0])
            return KT_OK;
        char **na = realloc(g->agents, (g->n_agents + 1) * sizeof *na);
        if (!na)
            return KT_ENOMEM;
        g->agents = na;
        if (!(g->agents[g->n_agents] = strdup(tok)))
            return KT_ENOMEM;
        g->n_agents++;
        return KT_OK;
    }
    if (kt_ascii_ieq(key, klen, "sitemap") || kt_ascii_ieq(key, klen, "site-map")) {
        /* not group-member: does not end a user-agent run */
        if (vlen == 0)
            return KT_OK;
        if (!grow((void **)&r->sitemaps, &r->cap_sitemaps, r->n_sitemaps, sizeof *r->sitemaps))
            return KT_ENOMEM;
        if (!(r->sitemaps[r->n_sitemaps] = kt_strndup0(val, vlen)))
            return KT_ENOMEM;
        r->n_sitemaps++;
        return KT_OK;
    }
    bool allow = kt_ascii_ieq(key, klen, "allow");
    bool disallow = kt_ascii_ieq(key, klen, "disallow") || kt_ascii_ieq(key, klen, "dissallow") ||
                    kt_ascii_ieq(key, klen, "disalow");
    bool delay = kt_ascii_ieq(key, klen, "crawl-delay") || kt_ascii_ieq(key, klen, "crawldelay");
    if (!allow && !disallow && !delay)
        return KT_OK; /* unknown keys are ignored and do not close the agent run */
    ps->in_agents = false;
    if (!ps->have_group)
        return KT_OK; /* rules before any user-agent line are ignored */
    struct robots_group *g = &r->groups[r->n_groups - 1];
    if (delay) {
        int64_t ms;
        if (g->crawl_delay_ms < 0 && parse_delay(val, vlen, &ms))
            g->crawl_delay_ms = ms;
        return KT_OK;
    }
    if (vlen == 0)
        return KT_OK; /* "Disallow:" with no path allows everything: no rule */
    struct kt_buf norm = {0};
    if (kt_pct_normalize(val, vlen, &norm) != KT_OK) {
        kt_buf_free(&norm);
        return KT_ENOMEM;
    }
    if (!grow((void **)&g->rules, &g->cap_rules, g->n_rules, sizeof *g->rules)) {
        kt_buf_free(&norm);
        return KT_ENOMEM;
    }
    g->rules[g->n_rules].len = norm.len;
    g->rules[g->n_rules].allow = allow;
    g->rules[g->n_rules].pattern = kt_buf_detach(&norm);
    if (!g->rules[g->n_rules].pattern)
        return KT_ENOMEM;
    g->n_rules++;
    return KT_OK;
}

static kt_status parse_body(struct kt_robots *r, const char *bytes, size_t len)
{
    struct parse_state ps = {r, false, false};
    size_t i = 0;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        size_t s = i;
        while (i < len && bytes[i] != '\n' && bytes[i] != '\r')
            i++;
        size_t e = i;
        if (i < len && bytes[i] == '\r')
            i++;
        if (i < len && bytes[i] == '\n' && (i == e || bytes[i - 1] == '\r'))
            i++;
        /* strip comment */
        const char *hash = memchr(bytes + s, '#', e - s);
        if (hash)
            e = (size_t)(hash - bytes);
        const char *colon = memchr(bytes + s, ':', e - s);
        if (!colon)
            continue; /* blank or junk line */
        size_t ks = s, ke = (size_t)(colon - bytes);
        while (ks < ke && kt_ascii_isspace(bytes[ks]))
            ks++;
        while (ke > ks && kt_ascii_isspace(bytes[ke - 1]))
            ke--;
        size_t vs = (size_t)(colon - bytes) + 1, ve = e;
        while (vs < ve && kt_ascii_isspace(bytes[vs]))
            vs++;
        while (ve > vs && kt_ascii_isspace(bytes[ve - 1]))
            ve--;
        if (ke == ks)
            continue;
        kt_status st = handle_line(&ps, bytes + ks, ke - ks, bytes + vs, ve - vs);
        if (st != KT_OK)
            return st;
    }
    return KT_OK;
}

static kt_status robots_new(enum kt_robots_state state, struct kt_robots **out, struct kt_err *err)
{
    if (!out)
        return kt_err_set(err, KT_EINVAL, "NULL output");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return kt_err_set(err, KT_ENOMEM, "out of memory");
    (*out)->state = state;
    return KT_OK;
}

kt_status kt_robots_parse(const char *bytes, size_t len, struct kt_robots **out, struct kt_err *err)
{
    kt_status st = robots_new(KT_ROBOTS_PARSED, out, err);
    if (st != KT_OK)
        return st;
    if (!bytes)
        len = 0;
    if (len > KT_ROBOTS_MAX_BYTES)
        len = KT_ROBOTS_MAX_BYTES;
    struct kt_robots *r = *out;
    r->body = malloc(len + 1);
    if (!r->body)
        goto nomem;
    if (len)
        memcpy(r->body, bytes, len);
    r->body[len] = '\0';
    r->body_len = len;
    if (parse_body(r, r->body, len) != KT_OK)
        goto nomem;
    return KT_OK;
nomem:
    kt_robots_free(r);
    *out = NULL;
    return kt_err_set(err, KT_ENOMEM, "out of memory parsing robots.txt");
}

kt_status kt_robots_new_allow_all(struct kt_robots **out, struct kt_err *err)
{
    return robots_new(KT_ROBOTS_ALLOW_ALL, out, err);
}

kt_status kt_robots_new_disallow_all(struct kt_robots **out, struct kt_err *err)
{
    return robots_new(KT_ROBOTS_DISALLOW_ALL, out, err);
}

kt_status kt_robots_from_fetch(int http_status, const char *body, size_t len,
                               struct kt_robots **out, struct kt_err *err)
{
    if (http_status >= 200 && http_status <= 299)
        return kt_robots_parse(body, body ? len : 0, out, err);
    if ((http_status >= 300 && http_status <= 399) ||
        (http_status >= 400 && http_status <= 499 && http_status != 429))
        return kt_robots_new_allow_all(out, err);
    return kt_robots_new_disallow_all(out, err);
}

enum kt_robots_state kt_robots_get_state(const struct kt_robots *r)
{
    return r ? r->state : KT_ROBOTS_DISALLOW_ALL;
}

/* True when pattern (with '*' wildcards and an optional final '$') matches a prefix of
 * path (or all of it with '$'). Iterative with backtracking to the last '*'. */
static bool pattern_match(const char *pat, size_t plen, const char *path, size_t tlen)
{
    bool anchored = plen > 0 && pat[plen - 1] == '$';
    if (anchored)
        plen--;
    size_t p = 0, t = 0, star_p = (size_t)-1, star_t = 0;
    for (;;) {
        if (p == plen) {
            if (!anchored || t == tlen)
                return true;
            /* anchored but text remains: backtrack */
        } else if (pat[p] == '*') {
            star_p = ++p;
            star_t = t;
            continue;
        } else if (t < tlen && pat[p] == path[t]) {
            p++, t++;
            continue;
        }
        if (star_p == (size_t)-1 || star_t >= tlen)
            return false;
        p = star_p;
        t = ++star_t;
    }
}

/* Whether group g applies to token. */
static bool group_has(const struct robots_group *g, const char *token)
{
    for (size_t i = 0; i < g->n_agents; i++)
        if (kt_ascii_ieq(g->agents[i], strlen(g->agents[i]), token))
            return true;
    return false;
}

/* Marks the selected groups in sel (n_groups entries); returns how many. */
static size_t select_groups(const struct kt_robots *r, const char *user_agent_token, bool *sel)
{
    char tok[128];
    kt_robots_ua_token(user_agent_token, tok, sizeof tok);
    size_t n = 0;
    if (tok[0] && strcmp(tok, "*") != 0)
        for (size_t i = 0; i < r->n_groups; i++)
            if ((sel[i] = group_has(&r->groups[i], tok)))
                n++;
    if (n == 0)
        for (size_t i = 0; i < r->n_groups; i++)
            if ((sel[i] = group_has(&r->groups[i], "*")))
                n++;
    return n;
}

bool kt_robots_allowed(const struct kt_robots *r, const char *user_agent_token,
                       const char *path_and_query)
{
    if (!r)
        return false;
    if (r->state == KT_ROBOTS_ALLOW_ALL)
        return true;
    if (r->state == KT_ROBOTS_DISALLOW_ALL)
        return false;
    if (!path_and_query || !path_and_query[0])
        path_and_query = "/";
    struct kt_buf path = {0};
    if (kt_pct_normalize(path_and_query, strlen(path_and_query), &path) != KT_OK) {
        kt_buf_free(&path);
        return false; /* out of memory: err on the polite side */
    }
    if (strcmp(path.data, "/robots.txt") == 0) {
        kt_buf_free(&path);
        return true;
    }
    bool *sel = r->n_groups ? calloc(r->n_groups, sizeof *sel) : NULL;
    if (r->n_groups && !sel) {
        kt_buf_free(&path);
        return false;
    }
    bool allowed = true;
    if (select_groups(r, user_agent_token, sel) > 0) {
        size_t best = 0;
        bool have = false;
        for (size_t gi = 0; gi < r->n_groups; gi++) {
            if (!sel[gi])
                continue;
            const struct robots_group *g = &r->groups[gi];
            for (size_t k = 0; k < g->n_rules; k++) {
                const struct robots_rule *rule = &g->rules[k];
                if (have && rule->len < best)
                    continue;
                if (have && rule->len == best && !rule->allow)
                    continue; /* Allow wins ties */
                if (!pattern_match(rule->pattern, rule->len, path.data, path.len))
                    continue;
                if (!have || rule->len > best || rule->allow) {
                    allowed = rule->allow;
                    best = rule->len;
                    have = true;
                }
            }
        }
    }
    free(sel);
    kt_buf_free(&path);
    return allowed;
}

bool kt_robots_allowed_url(const struct kt_robots *r, const char *user_agent_token, const char *url)
{
    char *pq = NULL;
    if (kt_url_path_query(url, &pq, NULL) != KT_OK)
        return false;
    bool ok = kt_robots_allowed(r, user_agent_token, pq);
    free(pq);
    return ok;
}

int64_t kt_robots_crawl_delay_ms(const struct kt_robots *r, const char *user_agent_token)
{
    if (!r || r->state != KT_ROBOTS_PARSED || r->n_groups == 0)
        return -1;
    bool *sel = calloc(r->n_groups, sizeof *sel);
    if (!sel)
        return -1;
    int64_t d = -1;
    if (select_groups(r, user_agent_token, sel) > 0)
        for (size_t i = 0; i < r->n_groups && d < 0; i++)
            if (sel[i])
                d = r->groups[i].crawl_delay_ms;
    free(sel);
    return d;
}

size_t kt_robots_sitemap_count(const struct kt_robots *r)
{
    return r ? r->n_sitemaps : 0;
}

const char *kt_robots_sitemap(const struct kt_robots *r, size_t i)
{
    return r && i < r->n_sitemaps ? r->sitemaps[i] : NULL;
}

#define SERIAL_MAGIC "KTROBOTS1 "

kt_status kt_robots_serialize(const struct kt_robots *r, struct kt_buf *out, struct kt_err *err)
{
    if (!r || !out)
        return kt_err_set(err, KT_EINVAL, "NULL robots or buffer");
    size_t len = r->state == KT_ROBOTS_PARSED ? r->body_len : 0;
    if (kt_buf_printf(out, SERIAL_MAGIC "%d %zu\n", (int)r->state, len) != KT_OK ||
        (len && kt_buf_append(out, r->body, len) != KT_OK))
        return kt_err_set(err, KT_ENOMEM, "out of memory serializing robots.txt");
    return KT_OK;
}

kt_status kt_robots_deserialize(const char *bytes, size_t len, struct kt_robots **out,
                                struct kt_err *err)
{
    if (!out)
        return kt_err_set(err, KT_EINVAL, "NULL output");
    *out = NULL;
    size_t ml = strlen(SERIAL_MAGIC);
    const char *nl = bytes ? memchr(bytes, '\n', len < 64 ? len : 64) : NULL;
    if (!nl || len < ml || memcmp(bytes, SERIAL_MAGIC, ml) != 0)
        return kt_err_set(err, KT_ECORRUPT, "not a serialized robots.txt record");
    char head[64];
    size_t hl = (size_t)(nl - bytes);
    memcpy(head, bytes, hl);
    head[hl] = '\0';
    int state;
    size_t blen;
    char extra;
    if (sscanf(head + ml, "%d %zu%c", &state, &blen, &extra) != 2 || state < 0 || state > 2 ||
        blen != len - hl - 1 || (state != KT_ROBOTS_PARSED && blen != 0))
        return kt_err_set(err, KT_ECORRUPT, "corrupt serialized robots.txt record header");
    if (state == KT_ROBOTS_PARSED)
        return kt_robots_parse(nl + 1, blen, out, err);
    return robots_new((enum kt_robots_state)state, out, err);
}
