/* text_vn.c - Vietnamese letters (base, mark, tone) and the canonical tone-placement rule. */
#include "common/text_internal.h"

#include <string.h>

static bool unpack(uint16_t e, struct kt_vn_letter *out)
{
    if (!e)
        return false;
    out->base = (char)('a' + (e & 0x1F) - 1);
    out->mark = (uint8_t)((e >> 5) & 7);
    out->tone = (uint8_t)((e >> 8) & 7);
    out->upper = (e >> 11) & 1;
    return true;
}

bool kt_vn_letter_from_cp(uint32_t cp, struct kt_vn_letter *out)
{
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') {
            *out = (struct kt_vn_letter){(char)cp, 0, 0, false};
            return true;
        }
        if (cp >= 'A' && cp <= 'Z') {
            *out = (struct kt_vn_letter){(char)(cp - 'A' + 'a'), 0, 0, true};
            return true;
        }
        return false;
    }
    if (cp >= 0xC0 && cp <= 0x1B0)
        return unpack(kt_vn_tab_latin[cp - 0xC0], out);
    if (cp >= 0x1EA0 && cp <= 0x1EF9)
        return unpack(kt_vn_tab_ext[cp - 0x1EA0], out);
    return false;
}

uint32_t kt_vn_letter_to_cp(const struct kt_vn_letter *l)
{
    if (l->base < 'a' || l->base > 'z' || l->mark > 4 || l->tone > 5)
        return 0;
    if (l->mark == 0 && l->tone == 0)
        return (uint32_t)(l->upper ? l->base - 'a' + 'A' : l->base);
    unsigned i = (((unsigned)(l->base - 'a') * 5 + l->mark) * 6 + l->tone) * 2 + (l->upper ? 1 : 0);
    return kt_vn_tab_compose[i];
}

bool kt_vn_combining(uint32_t cp, uint8_t *mark, uint8_t *tone)
{
    *mark = 0;
    *tone = 0;
    switch (cp) {
    case 0x0300:
    case 0x0340:
        *tone = KT_VN_TONE_GRAVE;
        return true;
    case 0x0301:
    case 0x0341:
        *tone = KT_VN_TONE_ACUTE;
        return true;
    case 0x0303:
        *tone = KT_VN_TONE_TILDE;
        return true;
    case 0x0309:
        *tone = KT_VN_TONE_HOOK;
        return true;
    case 0x0323:
        *tone = KT_VN_TONE_DOT;
        return true;
    case 0x0302:
        *mark = KT_VN_MARK_CIRCUMFLEX;
        return true;
    case 0x0306:
        *mark = KT_VN_MARK_BREVE;
        return true;
    case 0x031B:
        *mark = KT_VN_MARK_HORN;
        return true;
    default:
        return false;
    }
}

static bool is_vowel(char b)
{
    return b == 'a' || b == 'e' || b == 'i' || b == 'o' || b == 'u' || b == 'y';
}

/* Vowel codes for the nucleus check: a ă â e ê i o ô ơ u ư y = 1..12, 0 = not a vowel. */
static unsigned vowel_code(const struct kt_vn_letter *l)
{
    switch (l->base) {
    case 'a':
        return l->mark == KT_VN_MARK_NONE         ? 1
               : l->mark == KT_VN_MARK_BREVE      ? 2
               : l->mark == KT_VN_MARK_CIRCUMFLEX ? 3
                                                  : 0;
    case 'e':
        return l->mark == KT_VN_MARK_NONE ? 4 : l->mark == KT_VN_MARK_CIRCUMFLEX ? 5 : 0;
    case 'i':
        return l->mark == KT_VN_MARK_NONE ? 6 : 0;
    case 'o':
        return l->mark == KT_VN_MARK_NONE         ? 7
               : l->mark == KT_VN_MARK_CIRCUMFLEX ? 8
               : l->mark == KT_VN_MARK_HORN       ? 9
                                                  : 0;
    case 'u':
        return l->mark == KT_VN_MARK_NONE ? 10 : l->mark == KT_VN_MARK_HORN ? 11 : 0;
    case 'y':
        return l->mark == KT_VN_MARK_NONE ? 12 : 0;
    default:
        return 0;
    }
}

enum { A = 1, AW, AA, E, EE, I, O, OO, OW, U, UW, Y };
#define N2(x, y)    ((x) << 4 | (y))
#define N3(x, y, z) ((x) << 8 | (y) << 4 | (z))

/* Whether the packed vowel codes form a Vietnamese nucleus. */
static bool valid_nucleus(unsigned code, size_t nv)
{
    if (nv == 1)
        return true;
    switch (code) {
    case N2(A, I):
    case N2(A, O):
    case N2(A, U):
    case N2(A, Y):
    case N2(AA, U):
    case N2(AA, Y):
    case N2(E, O):
    case N2(EE, U):
    case N2(I, A):
    case N2(I, EE):
    case N2(I, U):
    case N2(O, A):
    case N2(O, AW):
    case N2(O, E):
    case N2(O, I):
    case N2(OO, I):
    case N2(OW, I):
    case N2(O, O):
    case N2(U, A):
    case N2(U, AA):
    case N2(U, EE):
    case N2(U, I):
    case N2(U, OO):
    case N2(U, OW):
    case N2(U, Y):
    case N2(UW, A):
    case N2(UW, I):
    case N2(UW, OW):
    case N2(UW, U):
    case N2(Y, EE):
    case N2(U, E):
    case N2(U, O):
    case N3(O, A, I):
    case N3(O, A, Y):
    case N3(O, E, O):
    case N3(U, AA, Y):
    case N3(U, OO, I):
    case N3(U, Y, A):
    case N3(U, Y, EE):
    case N3(U, Y, U):
    case N3(UW, OW, I):
    case N3(UW, OW, U):
    case N3(I, EE, U):
    case N3(Y, EE, U):
    case N3(U, A, O):
    case N3(O, A, O):
    case N3(U, Y, AW):
        return true;
    default:
        return false;
    }
}

static bool plain(const struct kt_vn_letter *l, char b)
{
    return l->base == b && l->mark == 0 && l->tone == 0;
}

/* Length of the onset of letters[0..n), or -1 when it is not a Vietnamese onset. */
static int onset_len(const struct kt_vn_letter *L, size_t n)
{
    const struct kt_vn_letter *a = &L[0];
    if (a->tone)
        return is_vowel(a->base) ? 0 : -1;
    if (a->mark)
        return a->mark == KT_VN_MARK_STROKE ? (a->base == 'd' ? 1 : -1) : 0;
    char b1 = (n >= 2 && L[1].mark == 0 && L[1].tone == 0) ? L[1].base : 0;
    /* qu + vowel, gi + vowel: the u / i belongs to the onset (a tone may sit on it by error) */
    bool glide = n >= 3 && L[1].mark == 0 && is_vowel(L[2].base);
    switch (a->base) {
    case 'n':
        if (b1 == 'g')
            return (n >= 3 && plain(&L[2], 'h')) ? 3 : 2;
        return b1 == 'h' ? 2 : 1;
    case 'c':
    case 'k':
    case 'p':
        return b1 == 'h' ? 2 : 1;
    case 't':
        return (b1 == 'h' || b1 == 'r') ? 2 : 1;
    case 'g':
        if (b1 == 'h')
            return 2;
        return (glide && L[1].base == 'i') ? 2 : 1;
    case 'q':
        return (glide && L[1].base == 'u') ? 2 : -1;
    case 'b':
    case 'd':
    case 'h':
    case 'l':
    case 'm':
    case 'r':
    case 's':
    case 'v':
    case 'x':
        return 1;
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
        return 0;
    default:
        return -1; /* f j w z */
    }
}

static bool valid_final(const struct kt_vn_letter *L, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (L[i].mark != 0 || L[i].tone != 0)
            return false;
    if (n == 0)
        return true;
    char a = L[0].base;
    if (n == 1)
        return a == 'c' || a == 'm' || a == 'n' || a == 'p' || a == 't';
    if (n == 2) {
        char b = L[1].base;
        return (a == 'c' && b == 'h') || (a == 'n' && (b == 'g' || b == 'h'));
    }
    return false;
}

bool kt_vn_syllable_canon(struct kt_vn_letter *L, size_t n)
{
    if (n == 0 || n > 8)
        return false;
    int tone = 0;
    size_t tpos = 0;
    for (size_t i = 0; i < n; i++) {
        if (L[i].tone) {
            if (tone)
                return false;
            tone = L[i].tone;
            tpos = i;
        }
    }
    int on = onset_len(L, n);
    if (on < 0)
        return false;
    size_t v0 = (size_t)on, v1 = v0;
    while (v1 < n && is_vowel(L[v1].base) && L[v1].mark != KT_VN_MARK_STROKE)
        v1++;
    size_t nv = v1 - v0;
    if (nv == 0 || nv > 3 || !valid_final(L + v1, n - v1))
        return false;
    unsigned code = 0;
    for (size_t i = 0; i < nv; i++) {
        unsigned vc = vowel_code(&L[v0 + i]);
        if (!vc)
            return false;
        code = code << 4 | vc;
    }
    if (!valid_nucleus(code, nv))
        return false;
    if (!tone)
        return true;
    /* tones may sit on the nucleus or (by error) on the u of qu / i of gi, nowhere else */
    if (tpos >= v1 ||
        (tpos < v0 && !(on == 2 && tpos == 1 && (L[0].base == 'q' || L[0].base == 'g'))))
        return false;
    size_t target;
    if (nv == 1) {
        target = 0;
    } else {
        size_t marked = nv;
        for (size_t i = 0; i < nv; i++)
            if (L[v0 + i].mark != 0)
                marked = i;
        if (marked < nv)
            target = marked;
        else if (v1 < n)
            target = nv - 1;
        else
            target = nv == 3 ? 1 : 0;
    }
    L[tpos].tone = 0;
    L[v0 + target].tone = (uint8_t)tone;
    return true;
}

enum kt_text_special kt_text_special_of(uint32_t cp)
{
    if (cp < 0x20)
        return (cp == '\t' || cp == '\n' || cp == '\r') ? KT_SPECIAL_NONE : KT_SPECIAL_SPACE;
    if (cp < 0x7F)
        return KT_SPECIAL_NONE;
    if (cp <= 0x9F)
        return KT_SPECIAL_SPACE; /* DEL and C1 controls */
    switch (cp) {
    case 0x00A0:
    case 0x1680:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return KT_SPECIAL_SPACE;
    case 0x00AD:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x180E:
        return KT_SPECIAL_DROP;
    case 0x2028:
    case 0x2029:
        return KT_SPECIAL_NEWLINE;
    default:
        return (cp >= 0x2000 && cp <= 0x200A) ? KT_SPECIAL_SPACE : KT_SPECIAL_NONE;
    }
}

const char *kt_text_ascii_punct(uint32_t cp)
{
    switch (cp) {
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x00AB:
    case 0x00BB:
    case 0x2033:
    case 0xFF02:
        return "\"";
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0xFF07:
        return "'";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
        return "-";
    case 0x2026:
        return "...";
    case 0x2044:
    case 0x2215:
    case 0xFF0F:
        return "/";
    default:
        return NULL;
    }
}
