/* url.c - URL normalization and resolution on top of libcurl's URL API, host/origin/scope
 * helpers and the tracking/print parameter tables. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/url.h"
#include "crawler/url_internal.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

/* Query parameters that only track the visitor: removed by every normalization.
 * Entries ending in '*' are prefixes. */
static const char *const tracking_params[] = {
    "utm_*",      "pk_*",    "mtm_*",         "hsa_*",           "fbclid",
    "gclid",      "gclsrc",  "dclid",         "gbraid",          "wbraid",
    "msclkid",    "mc_cid",  "mc_eid",        "zarsrc",          "_ga",
    "_gl",        "_hsenc",  "_hsmi",         "igshid",          "yclid",
    "twclid",     "ttclid",  "mkt_tok",       "li_fat_id",       "oly_anon_id",
    "oly_enc_id", "vero_id", "wickedid",      "s_cid",           "rb_clickid",
    "ref_src",    "cmpid",   "fb_action_ids", "fb_action_types", "fb_ref",
    "fb_source",
};

bool kt_url_is_tracking_param(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof tracking_params / sizeof *tracking_params; i++) {
        const char *t = tracking_params[i];
        size_t tl = strlen(t);
        if (t[tl - 1] == '*') {
            char pre[16];
            if (tl - 1 >= sizeof pre)
                continue;
            memcpy(pre, t, tl - 1);
            pre[tl - 1] = '\0';
            if (kt_ascii_iprefix(name, len, pre))
                return true;
        } else if (kt_ascii_ieq(name, len, t)) {
            return true;
        }
    }
    return false;
}

/* Length of an RFC 3986 scheme followed by ':' at the start of s, else 0. */
static size_t scheme_len(const char *s)
{
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    p++;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':' ? (size_t)(p - s) : 0;
}

/* Trims, drops tab/CR/LF and percent-encodes unsafe bytes outside the authority, so libcurl
 * only sees ASCII in path, query and fragment. */
static kt_status preprocess(const char *ref, struct kt_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(ref);
    while (len > 0 && (unsigned char)ref[len - 1] <= 0x20)
        len--;
    size_t i = 0;
    while (i < len && (unsigned char)ref[i] <= 0x20)
        i++;
    /* authority region: after "//" at the start or after "scheme://" */
    size_t auth_start = (size_t)-1;
    size_t sl = scheme_len(ref + i);
    if (sl && i + sl + 2 < len + 1 && strncmp(ref + i + sl, "://", 3) == 0)
        auth_start = i + sl + 3;
    else if (strncmp(ref + i, "//", 2) == 0)
        auth_start = i + 2;
    bool in_auth = false;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)ref[i];
        if (i == auth_start)
            in_auth = true;
        if (c == '\t' || c == '\r' || c == '\n')
            continue;
        if (in_auth && (c == '/' || c == '?' || c == '#' || c == '\\'))
            in_auth = false;
        if (!in_auth && (c <= 0x20 || c >= 0x7f || strchr("<>\"\\^`{|}", c))) {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (kt_buf_append(out, enc, 3) != KT_OK)
                return KT_ENOMEM;
            continue;
        }
        if (kt_buf_append_byte(out, (char)c) != KT_OK)
            return KT_ENOMEM;
    }
    if (kt_buf_terminate(out) != KT_OK)
        return KT_ENOMEM;
    return KT_OK;
}

static bool param_stripped(const char *name, size_t len, const struct kt_url_opts *opts)
{
    if (kt_url_is_tracking_param(name, len))
        return true;
    if (opts)
        for (size_t i = 0; i < opts->n_strip_params; i++)
            if (opts->strip_params[i] && kt_ascii_ieq(name, len, opts->strip_params[i]))
                return true;
    return false;
}

/* Normalizes percent-encoding of a query and drops tracking/stripped and empty params. */
static kt_status filter_query(const char *q, const struct kt_url_opts *opts, struct kt_buf *out)
{
    struct kt_buf norm = {0};
    kt_status st = KT_OK;
    const char *p = q;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t plen = amp ? (size_t)(amp - p) : strlen(p);
        if (plen > 0) {
            kt_buf_reset(&norm);
            if ((st = kt_pct_normalize(p, plen, &norm)) != KT_OK)
                break;
            const char *eq = memchr(norm.data, '=', norm.len);
            size_t nlen = eq ? (size_t)(eq - norm.data) : norm.len;
            if (!param_stripped(norm.data, nlen, opts)) {
                if (out->len > 0 && (st = kt_buf_append_byte(out, '&')) != KT_OK)
                    break;
                if ((st = kt_buf_append(out, norm.data, norm.len)) != KT_OK)
                    break;
            }
        }
        if (!amp)
            break;
        p = amp + 1;
    }
    kt_buf_free(&norm);
    return st;
}

static kt_status curl_fail(struct kt_err *err, CURLUcode rc, const char *what, const char *url)
{
    if (rc == CURLUE_OUT_OF_MEMORY)
        return kt_err_set(err, KT_ENOMEM, "out of memory parsing URL");
    return kt_err_set(err, KT_EPARSE, "%s %.200s: %s", what, url, curl_url_strerror(rc));
}

static bool is_http_scheme(const char *s)
{
    return s && (kt_ascii_ieq(s, strlen(s), "http") || kt_ascii_ieq(s, strlen(s), "https"));
}

/* Parses (base may be NULL) ref into a fresh CURLU handle; checks http(s) and a host. */
static kt_status parse_into(CURLU **hout, const char *base, const char *ref, struct kt_err *err)
{
    *hout = NULL;
    if (!ref)
        return kt_err_set(err, KT_EINVAL, "NULL URL");
    if (strlen(ref) > KT_URL_MAX)
        return kt_err_set(err, KT_EPARSE, "URL longer than %d bytes: %.100s...", KT_URL_MAX, ref);
    struct kt_buf pre = {0};
    if (preprocess(ref, &pre) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "out of memory parsing URL");
    kt_status st = KT_OK;
    CURLU *h = NULL;
    size_t sl = scheme_len(pre.data);
    if (pre.len == 0) {
        st = kt_err_set(err, KT_EPARSE, "empty URL");
        goto out;
    }
    if (pre.data[0] == '#') {
        st = kt_err_set(err, KT_EPARSE, "fragment-only URL %.200s", ref);
        goto out;
    }
    if (sl) {
        char scheme[16];
        if (sl >= sizeof scheme || (memcpy(scheme, pre.data, sl), scheme[sl] = '\0', 0) ||
            !is_http_scheme(scheme)) {
            st = kt_err_set(err, KT_EPARSE, "not an http(s) URL: %.200s", ref);
            goto out;
        }
        if (strncmp(pre.data + sl, "://", 3) != 0) {
            st = kt_err_set(err, KT_EPARSE, "malformed URL %.200s: no // after scheme", pre.data);
            goto out;
        }
    } else if (!base) {
        st = kt_err_set(err, KT_EPARSE, "not an absolute URL: %.200s", ref);
        goto out;
    }
    h = curl_url();
    if (!h) {
        st = kt_err_set(err, KT_ENOMEM, "out of memory parsing URL");
        goto out;
    }
    CURLUcode rc;
    if (base && !sl) {
        if (strlen(base) > KT_URL_MAX) {
            st = kt_err_set(err, KT_EPARSE, "base URL too long: %.100s...", base);
            goto out;
        }
        struct kt_buf pb = {0};
        if (preprocess(base, &pb) != KT_OK) {
            kt_buf_free(&pb);
            st = kt_err_set(err, KT_ENOMEM, "out of memory parsing URL");
            goto out;
        }
        rc = curl_url_set(h, CURLUPART_URL, pb.data, 0);
        kt_buf_free(&pb);
        if (rc != CURLUE_OK) {
            st = curl_fail(err, rc, "bad base URL", base);
            goto out;
        }
        char *bs = NULL;
        bool http = curl_url_get(h, CURLUPART_SCHEME, &bs, 0) == CURLUE_OK && is_http_scheme(bs);
        curl_free(bs);
        if (!http) {
            st = kt_err_set(err, KT_EPARSE, "base URL is not http(s): %.200s", base);
            goto out;
        }
    }
    if ((rc = curl_url_set(h, CURLUPART_URL, pre.data, 0)) != CURLUE_OK) {
        st = curl_fail(err, rc, "bad URL", ref);
        goto out;
    }
    char *scheme = NULL, *host = NULL;
    if ((rc = curl_url_get(h, CURLUPART_SCHEME, &scheme, 0)) != CURLUE_OK) {
        st = curl_fail(err, rc, "bad URL", ref);
        goto out;
    }
    bool http = is_http_scheme(scheme);
    curl_free(scheme);
    if (!http) {
        st = kt_err_set(err, KT_EPARSE, "not an http(s) URL: %.200s", ref);
        goto out;
    }
    rc = curl_url_get(h, CURLUPART_HOST, &host, 0);
    if (rc != CURLUE_OK || !host || !host[0]) {
        curl_free(host);
        st = kt_err_set(err, KT_EPARSE, "URL without host: %.200s", ref);
        goto out;
    }
    curl_free(host);
out:
    kt_buf_free(&pre);
    if (st != KT_OK) {
        curl_url_cleanup(h);
        return st;
    }
    *hout = h;
    return KT_OK;
}

/* Applies the khotin normalization to a parsed handle and returns the URL string. The URL
 * is reassembled by hand (setting PATH through libcurl would lowercase %xx) and parsed once
 * more, so dot segments revealed by percent-decoding ("%2E%2E") are removed too. */
static kt_status normalize_handle(CURLU *h, const struct kt_url_opts *opts, char **out,
                                  struct kt_err *err)
{
    kt_status st = KT_OK;
    char *scheme = NULL, *user = NULL, *password = NULL, *host = NULL, *port = NULL;
    char *path = NULL, *query = NULL, *url = NULL;
    struct kt_buf b = {0}, q = {0};
    CURLUcode rc;
    CURLU *h2 = NULL;

    if ((rc = curl_url_get(h, CURLUPART_SCHEME, &scheme, 0)) != CURLUE_OK)
        goto curlerr;
    for (char *p = scheme; *p; p++)
        *p = kt_ascii_lower(*p);
    rc = curl_url_get(h, CURLUPART_USER, &user, 0);
    if (rc != CURLUE_OK && rc != CURLUE_NO_USER)
        goto curlerr;
    rc = curl_url_get(h, CURLUPART_PASSWORD, &password, 0);
    if (rc != CURLUE_OK && rc != CURLUE_NO_PASSWORD)
        goto curlerr;
    if ((rc = curl_url_get(h, CURLUPART_HOST, &host, 0)) != CURLUE_OK)
        goto curlerr;
    for (char *p = host; *p; p++)
        *p = kt_ascii_lower(*p);
    size_t hl = strlen(host);
    while (hl > 1 && host[hl - 1] == '.') /* "example.com." */
        host[--hl] = '\0';
    rc = curl_url_get(h, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
    if (rc != CURLUE_OK && rc != CURLUE_NO_PORT)
        goto curlerr;
    if ((rc = curl_url_get(h, CURLUPART_PATH, &path, 0)) != CURLUE_OK)
        goto curlerr;
    rc = curl_url_get(h, CURLUPART_QUERY, &query, 0);
    if (rc != CURLUE_OK && rc != CURLUE_NO_QUERY)
        goto curlerr;
    if (query && filter_query(query, opts, &q) != KT_OK)
        goto nomem;

    if (kt_buf_printf(&b, "%s://", scheme) != KT_OK)
        goto nomem;
    if (user) {
        if (kt_buf_append_cstr(&b, user) != KT_OK)
            goto nomem;
        if (password && kt_buf_printf(&b, ":%s", password) != KT_OK)
            goto nomem;
        if (kt_buf_append_byte(&b, '@') != KT_OK)
            goto nomem;
    }
    if (kt_buf_append_cstr(&b, host) != KT_OK)
        goto nomem;
    if (port && kt_buf_printf(&b, ":%s", port) != KT_OK)
        goto nomem;
    if (path[0] != '/' && kt_buf_append_byte(&b, '/') != KT_OK)
        goto nomem;
    if (kt_pct_normalize(path, strlen(path), &b) != KT_OK)
        goto nomem;
    if (q.len && kt_buf_printf(&b, "?%s", q.data) != KT_OK)
        goto nomem;

    h2 = curl_url();
    if (!h2)
        goto nomem;
    if ((rc = curl_url_set(h2, CURLUPART_URL, b.data, 0)) != CURLUE_OK)
        goto curlerr;
    if ((rc = curl_url_get(h2, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT)) != CURLUE_OK)
        goto curlerr;
    if (strlen(url) > KT_URL_MAX) {
        st = kt_err_set(err, KT_EPARSE, "URL longer than %d bytes: %.100s...", KT_URL_MAX, url);
        goto done;
    }
    *out = strdup(url);
    if (!*out)
        goto nomem;
    goto done;
curlerr:
    st = curl_fail(err, rc, "bad URL", b.data ? b.data : (host ? host : ""));
    goto done;
nomem:
    st = kt_err_set(err, KT_ENOMEM, "out of memory normalizing URL");
done:
    curl_free(scheme);
    curl_free(user);
    curl_free(password);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    curl_free(url);
    curl_url_cleanup(h2);
    kt_buf_free(&b);
    kt_buf_free(&q);
    return st;
}

kt_status kt_url_resolve_ex(const char *base, const char *ref, const struct kt_url_opts *opts,
                            char **out, struct kt_err *err)
{
    if (!out)
        return kt_err_set(err, KT_EINVAL, "NULL output");
    *out = NULL;
    CURLU *h;
    kt_status st = parse_into(&h, base, ref, err);
    if (st != KT_OK)
        return st;
    st = normalize_handle(h, opts, out, err);
    curl_url_cleanup(h);
    return st;
}

kt_status kt_url_resolve(const char *base, const char *ref, char **out, struct kt_err *err)
{
    return kt_url_resolve_ex(base, ref, NULL, out, err);
}

kt_status kt_url_normalize_ex(const char *url, const struct kt_url_opts *opts, char **out,
                              struct kt_err *err)
{
    return kt_url_resolve_ex(NULL, url, opts, out, err);
}

kt_status kt_url_normalize(const char *url, char **out, struct kt_err *err)
{
    return kt_url_resolve_ex(NULL, url, NULL, out, err);
}

/* Gets one part of an absolute URL as a malloc'd string ("" when absent). */
static kt_status get_part(const char *url, CURLUPart part, char **out, struct kt_err *err)
{
    *out = NULL;
    CURLU *h;
    kt_status st = parse_into(&h, NULL, url, err);
    if (st != KT_OK)
        return st;
    char *v = NULL;
    CURLUcode rc = curl_url_get(h, part, &v, 0);
    if (rc == CURLUE_OK) {
        *out = strdup(v);
    } else if (rc == CURLUE_NO_QUERY || rc == CURLUE_NO_PORT || rc == CURLUE_NO_FRAGMENT) {
        *out = strdup("");
    } else {
        st = curl_fail(err, rc, "bad URL", url);
    }
    curl_free(v);
    curl_url_cleanup(h);
    if (st == KT_OK && !*out)
        st = kt_err_set(err, KT_ENOMEM, "out of memory");
    return st;
}

kt_status kt_url_host(const char *url, char **host, struct kt_err *err)
{
    kt_status st = get_part(url, CURLUPART_HOST, host, err);
    if (st == KT_OK) {
        for (char *p = *host; *p; p++)
            *p = kt_ascii_lower(*p);
        size_t hl = strlen(*host);
        while (hl > 1 && (*host)[hl - 1] == '.')
            (*host)[--hl] = '\0';
    }
    return st;
}

kt_status kt_url_origin(const char *url, char **origin, struct kt_err *err)
{
    *origin = NULL;
    char *scheme = NULL, *host = NULL, *port = NULL;
    kt_status st = get_part(url, CURLUPART_SCHEME, &scheme, err);
    if (st == KT_OK)
        st = kt_url_host(url, &host, err);
    if (st == KT_OK)
        st = get_part(url, CURLUPART_PORT, &port, err);
    if (st == KT_OK) {
        for (char *p = scheme; *p; p++)
            *p = kt_ascii_lower(*p);
        bool dflt = !port[0] || (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0) ||
                    (strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0);
        struct kt_buf b = {0};
        if (kt_buf_printf(&b, "%s://%s%s%s", scheme, host, dflt ? "" : ":", dflt ? "" : port) !=
            KT_OK) {
            kt_buf_free(&b);
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
        } else {
            *origin = kt_buf_detach(&b);
        }
    }
    free(scheme);
    free(host);
    free(port);
    return st;
}

kt_status kt_url_robots_url(const char *url, char **robots_url, struct kt_err *err)
{
    char *origin;
    *robots_url = NULL;
    kt_status st = kt_url_origin(url, &origin, err);
    if (st != KT_OK)
        return st;
    size_t n = strlen(origin) + sizeof "/robots.txt";
    *robots_url = malloc(n);
    if (*robots_url)
        snprintf(*robots_url, n, "%s/robots.txt", origin);
    free(origin);
    return *robots_url ? KT_OK : kt_err_set(err, KT_ENOMEM, "out of memory");
}

kt_status kt_url_path_query(const char *url, char **path_query, struct kt_err *err)
{
    char *path = NULL, *query = NULL;
    *path_query = NULL;
    kt_status st = get_part(url, CURLUPART_PATH, &path, err);
    if (st == KT_OK)
        st = get_part(url, CURLUPART_QUERY, &query, err);
    if (st == KT_OK) {
        struct kt_buf b = {0};
        kt_status s2 = kt_buf_append_cstr(&b, path[0] ? path : "/");
        if (s2 == KT_OK && query[0])
            s2 = kt_buf_printf(&b, "?%s", query);
        if (s2 != KT_OK) {
            kt_buf_free(&b);
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
        } else {
            *path_query = kt_buf_detach(&b);
        }
    }
    free(path);
    free(query);
    return st;
}

static const char *skip_www(const char *h)
{
    return kt_ascii_iprefix(h, strlen(h), "www.") ? h + 4 : h;
}

bool kt_url_same_host(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    a = skip_www(a);
    b = skip_www(b);
    size_t al = strlen(a), bl = strlen(b);
    while (al > 1 && a[al - 1] == '.')
        al--;
    while (bl > 1 && b[bl - 1] == '.')
        bl--;
    if (al != bl)
        return false;
    for (size_t i = 0; i < al; i++)
        if (kt_ascii_lower(a[i]) != kt_ascii_lower(b[i]))
            return false;
    return al > 0;
}

bool kt_url_in_scope(const char *url, const char *host, const char *path_prefix)
{
    char *uhost = NULL, *path = NULL;
    bool ok = false;
    if (kt_url_host(url, &uhost, NULL) != KT_OK)
        return false;
    if (!kt_url_same_host(uhost, host))
        goto out;
    if (!path_prefix || !path_prefix[0] || strcmp(path_prefix, "/") == 0) {
        ok = true;
        goto out;
    }
    if (get_part(url, CURLUPART_PATH, &path, NULL) != KT_OK)
        goto out;
    {
        size_t pl = strlen(path_prefix);
        /* "/a/" also admits "/a" itself */
        if (strncmp(path, path_prefix, pl) == 0)
            ok = true;
        else if (pl > 1 && path_prefix[pl - 1] == '/' && strlen(path) == pl - 1 &&
                 strncmp(path, path_prefix, pl - 1) == 0)
            ok = true;
    }
out:
    free(uhost);
    free(path);
    return ok;
}

/* ------------------------------- print variants ------------------------------- */

static bool value_is(const char *v, size_t vl, const char *want)
{
    return kt_ascii_ieq(v, vl, want);
}

bool kt_url_is_print_variant(const char *url)
{
    char *pq = NULL;
    if (kt_url_path_query(url, &pq, NULL) != KT_OK)
        return false;
    bool hit = false;
    char *q = strchr(pq, '?');
    size_t plen = q ? (size_t)(q - pq) : strlen(pq);
    /* last path segment */
    size_t s = plen;
    while (s > 0 && pq[s - 1] == '/' && s == plen)
        s--, plen--;
    while (s > 0 && pq[s - 1] != '/')
        s--;
    const char *seg = pq + s;
    size_t sl = plen - s;
    if (value_is(seg, sl, "print") || value_is(seg, sl, "print.html") ||
        value_is(seg, sl, "print.htm") || value_is(seg, sl, "print.aspx") ||
        value_is(seg, sl, "in-bai") || value_is(seg, sl, "in-bai.html"))
        hit = true;
    for (char *p = q ? q + 1 : NULL; p && *p && !hit;) {
        char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        char *eq = memchr(p, '=', len);
        size_t nl = eq ? (size_t)(eq - p) : len;
        const char *v = eq ? eq + 1 : "";
        size_t vl = eq ? len - nl - 1 : 0;
        if (kt_ascii_ieq(p, nl, "print") || kt_ascii_ieq(p, nl, "printable") ||
            kt_ascii_ieq(p, nl, "printer") || kt_ascii_ieq(p, nl, "printview") ||
            kt_ascii_ieq(p, nl, "print_view") || kt_ascii_ieq(p, nl, "inbai")) {
            hit = !(value_is(v, vl, "0") || value_is(v, vl, "false") || value_is(v, vl, "no"));
        } else if (kt_ascii_ieq(p, nl, "view") || kt_ascii_ieq(p, nl, "output") ||
                   kt_ascii_ieq(p, nl, "format") || kt_ascii_ieq(p, nl, "layout") ||
                   kt_ascii_ieq(p, nl, "mode") || kt_ascii_ieq(p, nl, "in") ||
                   kt_ascii_ieq(p, nl, "type") || kt_ascii_ieq(p, nl, "template")) {
            hit = value_is(v, vl, "print") || value_is(v, vl, "printable") ||
                  value_is(v, vl, "printer");
        }
        p = amp ? amp + 1 : NULL;
    }
    free(pq);
    return hit;
}
