/* entity_gazetteer.c - loads administrative-unit JSON files (provinces -> districts -> wards
 * before 2025, provinces -> wards after) into a name-keyed table for the place extractor. */
#include "indexer/entity_internal.h"

#include "common/kt_text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Level prefixes of "FullName" values, longest first. */
static const struct {
    const char *prefix;
    int level;
} name_levels[] = {
    {"Thành phố ", LV_THANHPHO}, {"Thị trấn ", LV_THITRAN},
    {"Thị xã ", LV_THIXA},       {"Tỉnh ", LV_TINH},
    {"Quận ", LV_QUAN},          {"Huyện ", LV_HUYEN},
    {"Phường ", LV_PHUONG},      {"Xã ", LV_XA},
    {"Đặc khu ", LV_HUYEN},
};

static size_t gz_slot(uint64_t key, size_t mask)
{
    return (size_t)(key ^ (key >> 31)) & mask;
}

static kt_status gz_rehash(struct kt_gazetteer *g, size_t want)
{
    size_t cap = 64;
    while (cap < want * 2)
        cap <<= 1;
    int32_t *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return KT_ENOMEM;
    for (size_t i = 0; i < cap; i++)
        slots[i] = -1;
    for (size_t k = 0; k < g->n; k++) {
        size_t i = gz_slot(g->u[k].key, cap - 1);
        while (slots[i] >= 0)
            i = (i + 1) & (cap - 1);
        slots[i] = (int32_t)k;
    }
    free(g->slots);
    g->slots = slots;
    g->mask = cap - 1;
    return KT_OK;
}

/* Adds "Huyện Thường Tín" with its parent; sets *idx (-1 when the name has no known level). */
static kt_status gz_add(struct kt_gazetteer *g, const char *full, int32_t parent, int32_t *idx,
                        struct kt_buf *tmp)
{
    *idx = -1;
    int level = 0;
    size_t skip = 0;
    for (size_t i = 0; i < sizeof name_levels / sizeof name_levels[0]; i++) {
        size_t pl = strlen(name_levels[i].prefix);
        if (strncmp(full, name_levels[i].prefix, pl) == 0) {
            level = name_levels[i].level;
            skip = pl;
            break;
        }
    }
    if (!level || !full[skip])
        return KT_OK;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        struct gz_unit *u = realloc(g->u, cap * sizeof *u);
        if (!u)
            return KT_ENOMEM;
        g->u = u;
        g->cap = cap;
    }
    const char *name = full + skip;
    (void)tmp;
    uint64_t key = 0;
    kt_status rc = et_text_key(name, strlen(name), &key);
    if (rc != KT_OK)
        return rc;
    char *copy = et_strdup(name);
    if (!copy)
        return KT_ENOMEM;
    struct gz_unit *u = &g->u[g->n];
    u->key = key;
    u->level = (int8_t)level;
    u->parent = parent;
    u->name = copy;
    *idx = (int32_t)g->n++;
    return KT_OK;
}

static const char *full_name(json_t *o)
{
    json_t *v = json_object_get(o, "FullName");
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static kt_status load_units(struct kt_gazetteer *g, json_t *root, struct kt_buf *tmp)
{
    size_t pi;
    json_t *prov;
    json_array_foreach(root, pi, prov)
    {
        const char *pn = full_name(prov);
        if (!pn)
            continue;
        int32_t p = -1;
        kt_status rc = gz_add(g, pn, -1, &p, tmp);
        if (rc != KT_OK)
            return rc;
        json_t *districts = json_object_get(prov, "District");
        size_t di;
        json_t *dist;
        json_array_foreach(districts, di, dist)
        {
            const char *dn = full_name(dist);
            if (!dn)
                continue;
            int32_t d = -1;
            if ((rc = gz_add(g, dn, p, &d, tmp)) != KT_OK)
                return rc;
            size_t wi;
            json_t *ward;
            json_array_foreach(json_object_get(dist, "Ward"), wi, ward)
            {
                const char *wn = full_name(ward);
                int32_t w;
                if (wn && (rc = gz_add(g, wn, d, &w, tmp)) != KT_OK)
                    return rc;
            }
        }
        size_t wi;
        json_t *ward;
        json_array_foreach(json_object_get(prov, "Wards"), wi, ward)
        {
            const char *wn = full_name(ward);
            int32_t w;
            if (wn && (rc = gz_add(g, wn, p, &w, tmp)) != KT_OK)
                return rc;
        }
    }
    return KT_OK;
}

kt_status kt_gazetteer_load(struct kt_gazetteer **gp, const char *path, struct kt_err *err)
{
    if (!gp || !path)
        return kt_err_set(err, KT_EINVAL, "gazetteer: no path");
    struct kt_buf raw = {0};
    kt_status rc = kt_read_file(path, 256u << 20, &raw, err);
    if (rc != KT_OK) {
        kt_buf_free(&raw);
        return rc;
    }
    json_error_t je;
    json_t *root = json_loadb(raw.data, raw.len, 0, &je);
    kt_buf_free(&raw);
    if (!root)
        return kt_err_set(err, KT_EPARSE, "%s: line %d: %s", path, je.line, je.text);
    if (!json_is_array(root)) {
        json_decref(root);
        return kt_err_set(err, KT_EPARSE, "%s: not a list of provinces", path);
    }
    bool created = *gp == NULL;
    struct kt_gazetteer *g = *gp ? *gp : calloc(1, sizeof *g);
    if (!g) {
        json_decref(root);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
    }
    size_t before = g->n;
    struct kt_buf tmp = {0};
    rc = load_units(g, root, &tmp);
    json_decref(root);
    kt_buf_free(&tmp);
    if (rc == KT_OK && g->n == before)
        rc = KT_EPARSE;
    if (rc == KT_OK)
        rc = gz_rehash(g, g->n);
    if (rc != KT_OK) {
        for (size_t i = before; i < g->n; i++)
            free(g->u[i].name);
        g->n = before;
        if (created)
            kt_gazetteer_free(g);
        else
            (void)gz_rehash(g, g->n);
        if (rc == KT_EPARSE)
            return kt_err_set(err, rc, "%s: no administrative units (expected FullName fields)",
                              path);
        return kt_err_set(err, rc, "%s: %s", path, kt_status_str(rc));
    }
    *gp = g;
    return KT_OK;
}

size_t kt_gazetteer_size(const struct kt_gazetteer *g)
{
    return g ? g->n : 0;
}

void kt_gazetteer_free(struct kt_gazetteer *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++)
        free(g->u[i].name);
    free(g->u);
    free(g->slots);
    free(g);
}

void gz_each(const struct kt_gazetteer *g, uint64_t key,
             bool (*fn)(void *ud, const struct gz_unit *u, int32_t idx), void *ud)
{
    if (!g || !g->slots)
        return;
    for (size_t i = gz_slot(key, g->mask); g->slots[i] >= 0; i = (i + 1) & g->mask) {
        int32_t k = g->slots[i];
        if (g->u[k].key == key && fn(ud, &g->u[k], k))
            return;
    }
}
