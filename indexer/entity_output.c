/* entity_output.c - writes entity lists as JSON Lines (through jansson) and as RFC 4180 CSV. */
#include "indexer/entity_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static json_t *span_str(const struct kt_entity_list *l, size_t a, size_t b)
{
    if (b > l->text.len)
        b = l->text.len;
    if (a > b)
        a = b;
    return json_stringn_nocheck(l->text.data + a, b - a);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string_nocheck(s) : json_null();
}

/* A JSON number: integer when the value is integral and small enough. */
static json_t *num(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static int set(json_t *o, const char *k, json_t *v)
{
    return v ? json_object_set_new_nocheck(o, k, v) : -1;
}

static json_t *entity_json(const struct kt_entity_list *l, const struct kt_entity *e,
                           const char *doc)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = 0;
    bad |= set(o, "doc", json_string(doc ? doc : ""));
    bad |= set(o, "type", json_string_nocheck(kt_entity_type_name(e->type)));
    bad |= set(o, "text", span_str(l, e->start, e->end));
    bad |= set(o, "start", json_integer((json_int_t)e->start));
    bad |= set(o, "end", json_integer((json_int_t)e->end));
    bad |= set(o, "sentence", span_str(l, e->sent_start, e->sent_end));
    switch (e->type) {
    case KT_ENTITY_OFFICIAL: {
        bad |= set(o, "name", str_or_null(e->name));
        bad |= set(o, "title", str_or_null(e->title));
        json_t *a = json_array();
        for (size_t k = 0; a && k < e->n_titles; k++)
            bad |= json_array_append_new(a, json_string_nocheck(e->titles[k]));
        bad |= set(o, "titles", a);
        if (e->linked)
            bad |= set(o, "linked", json_true());
        break;
    }
    case KT_ENTITY_PLACE:
        bad |= set(o, "level", str_or_null(e->level));
        bad |= set(o, "name", str_or_null(e->name));
        bad |= set(o, "parent", str_or_null(e->parent));
        bad |= set(o, "explicit_level", json_boolean(e->explicit_level));
        break;
    case KT_ENTITY_FIGURE:
        bad |= set(o, "value", num(e->value));
        bad |= set(o, "total", e->has_total ? num(e->total) : json_null());
        if (e->has_value_max)
            bad |= set(o, "value_max", num(e->value_max));
        bad |= set(o, "unit", str_or_null(e->unit));
        bad |= set(o, "scaled", e->has_scaled ? num(e->scaled) : json_null());
        bad |= set(o, "measure", str_or_null(e->measure));
        break;
    case KT_ENTITY_DOCUMENT:
        bad |= set(o, "kind", str_or_null(e->kind));
        bad |= set(o, "code", str_or_null(e->code));
        break;
    case KT_ENTITY_DATE:
        bad |= set(o, "value", json_string_nocheck(e->date));
        if (e->date_end[0])
            bad |= set(o, "value_end", json_string_nocheck(e->date_end));
        break;
    default:
        break;
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

kt_status kt_entities_to_jsonl(const struct kt_entity_list *l, const char *doc, struct kt_buf *out,
                               struct kt_err *err)
{
    for (size_t i = 0; i < l->n; i++) {
        json_t *o = entity_json(l, &l->items[i], doc);
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
        json_decref(o);
        kt_status rc = s ? kt_buf_append_cstr(out, s) : KT_ENOMEM;
        free(s);
        if (rc == KT_OK)
            rc = kt_buf_append_byte(out, '\n');
        if (rc != KT_OK)
            return kt_err_set(err, KT_ENOMEM, "entities: out of memory writing JSON");
    }
    return KT_OK;
}

kt_status kt_csv_field(struct kt_buf *out, const char *s, size_t len)
{
    if (!s)
        return KT_OK;
    bool formula = len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
    bool quote = formula;
    for (size_t i = 0; i < len && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = true;
    if (!quote)
        return kt_buf_append(out, s, len);
    kt_status rc = kt_buf_append_byte(out, '"');
    if (rc == KT_OK && formula)
        rc = kt_buf_append_byte(out, '\'');
    for (size_t i = 0; i < len && rc == KT_OK; i++) {
        if (s[i] == '"')
            rc = kt_buf_append_byte(out, '"');
        if (rc == KT_OK)
            rc = kt_buf_append_byte(out, s[i]);
    }
    if (rc == KT_OK)
        rc = kt_buf_append_byte(out, '"');
    return rc;
}

static kt_status csv_cstr(struct kt_buf *out, const char *s, bool last)
{
    kt_status rc = kt_csv_field(out, s, s ? strlen(s) : 0);
    if (rc == KT_OK)
        rc = kt_buf_append_byte(out, last ? '\n' : ',');
    return rc;
}

static kt_status csv_num(struct kt_buf *out, bool have, double v)
{
    kt_status rc = KT_OK;
    if (have && isfinite(v))
        rc = kt_buf_printf(out, "%.15g", v);
    if (rc == KT_OK)
        rc = kt_buf_append_byte(out, ',');
    return rc;
}

static kt_status csv_span(struct kt_buf *out, const struct kt_entity_list *l, size_t a, size_t b,
                          bool last)
{
    if (b > l->text.len)
        b = l->text.len;
    if (a > b)
        a = b;
    /* collapse line breaks inside a sentence so each row stays on one line when viewed */
    kt_status rc = kt_csv_field(out, l->text.data + a, b - a);
    if (rc == KT_OK)
        rc = kt_buf_append_byte(out, last ? '\n' : ',');
    return rc;
}

kt_status kt_entities_to_csv(const struct kt_entity_list *l, const char *doc, bool header,
                             struct kt_buf *out, struct kt_err *err)
{
    kt_status rc = KT_OK;
    if (header)
        rc = kt_buf_append_cstr(out, "doc,type,text,start,end,name,title,level,parent,value,total,"
                                     "unit,scaled,measure,kind,code,date,sentence\n");
    for (size_t i = 0; i < l->n && rc == KT_OK; i++) {
        const struct kt_entity *e = &l->items[i];
        bool fig = e->type == KT_ENTITY_FIGURE;
        rc = csv_cstr(out, doc, false);
        if (rc == KT_OK)
            rc = csv_cstr(out, kt_entity_type_name(e->type), false);
        if (rc == KT_OK)
            rc = csv_span(out, l, e->start, e->end, false);
        if (rc == KT_OK)
            rc = kt_buf_printf(out, "%zu,%zu,", e->start, e->end);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->name, false);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->title, false);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->type == KT_ENTITY_PLACE ? e->level : NULL, false);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->parent, false);
        if (rc == KT_OK)
            rc = csv_num(out, fig, e->value);
        if (rc == KT_OK)
            rc = csv_num(out, fig && e->has_total, e->total);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->unit, false);
        if (rc == KT_OK)
            rc = csv_num(out, fig && e->has_scaled, e->scaled);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->measure, false);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->kind, false);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->code, false);
        if (rc == KT_OK)
            rc = csv_cstr(out, e->type == KT_ENTITY_DATE ? e->date : NULL, false);
        if (rc == KT_OK)
            rc = csv_span(out, l, e->sent_start, e->sent_end, true);
    }
    if (rc != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "entities: out of memory writing CSV");
    return KT_OK;
}
