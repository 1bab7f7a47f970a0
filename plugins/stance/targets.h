/* targets.h: stance targets, their aliases, and finding their mentions in
 * a sentence's tokens. */
#ifndef TP_STANCE_TARGETS_H
#define TP_STANCE_TARGETS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <textpipe/plugin.h>

typedef struct target_list target_list;

/* How a mention of a name or alias bears on its target.  An alias file
 * writes `!alias` for an opponent, whose praise counts against the target
 * (sign -1); `alias=for` or `alias=against` for a concern, where any
 * strong words, praise or blame, count for or against the target ("kill
 * babies" and "precious babies" both argue against abortion); and
 * `alias=NUMBER` for a loaded word that carries a stance by itself
 * (a slur, an honorific). */
typedef struct mention_kind {
    int sign;      /* 1, or -1 for an opponent */
    int concern;   /* 0, or +1/-1: any evaluation counts this way */
    double charge; /* the word's own polarity toward the target */
} mention_kind;

/* A mention: tokens [start, end) of a sentence. */
typedef struct mention {
    uint32_t start, end;
    mention_kind kind;
    /* A #tag or @handle that runs a name into other words
     * (#stophillary): where the name lies in the token's norm. */
    uint32_t tag_at, tag_len;
} mention;

target_list *targets_new(void);     /* NULL when out of memory */
void targets_free(target_list *tl); /* NULL is fine */

/* Add the targets of an option value: "A,B,C", or "@FILE" with one target
 * a line and, after a TAB, `|`-separated aliases (see mention_kind).
 * TP_OK, or TP_ERROR after host->fail. */
int targets_parse(target_list *tl, const tp_host *host, tp_ctx *ctx, const char *spec);
/* Add aliases from a file in the @FILE layout to the targets already
 * present whose names match (case-insensitively); other lines are
 * ignored, so one file can serve many runs. */
int targets_load_aliases(target_list *tl, const tp_host *host, tp_ctx *ctx, const char *path);
/* Add one target (no aliases); returns its index, or -1 after host->fail. */
long targets_add(target_list *tl, const tp_host *host, tp_ctx *ctx, const char *name, size_t len);
/* Drop every target (to reuse the list for the next document). */
void targets_clear(target_list *tl);

size_t targets_count(const target_list *tl);
const char *targets_name(const target_list *tl, size_t t);
/* The target's name as normalised words joined by spaces: what a trained
 * model keys its per-target weights on. */
const char *targets_key(const target_list *tl, size_t t);

/* What may start a mention, found once per sentence: masks[i] gets the
 * targets (bit t % 64) that toks[i] may start a mention of; returns all
 * the masks ORed, so a target whose bit is clear has no mention in
 * toks[0, n).  Most tokens start none, and most sentences name few
 * targets. */
uint64_t targets_screen(const target_list *tl, const tp_token *toks, size_t n, uint64_t *masks);

/* The screen goes by a token's slot, which does not depend on the
 * targets: a caller that keeps tokens for later may keep their slots and
 * screen them with targets_screen_slots(). */

/* Stems that differ (a close derivation) share at least this many bytes
 * at their start. */
#define TARGETS_SHARED 6
/* Slots are 0 to TARGETS_SLOT_ANY - 1 by stem; TARGETS_SLOT_ANY for a
 * token that may name any target (a #tag or @handle, which match by their
 * norm, and an empty stem). */
#define TARGETS_SLOT_BITS 12
#define TARGETS_SLOT_ANY (1u << TARGETS_SLOT_BITS)

static inline uint64_t
targets_load16_(const char *s)
{
    uint16_t v;
    memcpy(&v, s, sizeof v);
    return v;
}

static inline uint64_t
targets_load32_(const char *s)
{
    uint32_t v;
    memcpy(&v, s, sizeof v);
    return v;
}

/* The slot of a stem (without its '#' or '@'): by its first
 * TARGETS_SHARED bytes, or all of a shorter one, which matches only
 * itself.  Slots are shared: a few tokens more go the long way. */
static inline unsigned
targets_stem_slot(const char *s, size_t len)
{
    size_t n = len < TARGETS_SHARED ? len : TARGETS_SHARED;
    uint64_t v;
    /* overlapping reads that cover the n bytes */
    if (n >= 4)
        v = targets_load32_(s) ^ targets_load16_(s + n - 2) << 32;
    else if (n)
        v = (unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
            (uint64_t)(unsigned char)s[n - 1] << 16;
    else
        v = 0;
    v |= (uint64_t)n << 56;
    return (unsigned)((v * 0x9e3779b97f4a7c15u) >> (64 - TARGETS_SLOT_BITS));
}

static inline unsigned
targets_slot(const tp_token *t)
{
    const char *s = t->stem;
    size_t len = t->stem_len;
    if (len > 1 && (*s == '#' || *s == '@')) {
        s++;
        len--;
    }
    if ((t->flags & (TP_TOK_HASHTAG | TP_TOK_MENTION)) || len == 0)
        return TARGETS_SLOT_ANY;
    return targets_stem_slot(s, len);
}

/* targets_screen() over the slots of n tokens. */
uint64_t targets_screen_slots(const target_list *tl, const uint16_t *slots, size_t n,
                              uint64_t *masks);
/* What targets_screen_slots() returns, without the masks: most sentences
 * name no target. */
uint64_t targets_named_slots(const target_list *tl, const uint16_t *slots, size_t n);

/* The mentions of target t in toks[0, n), left to right, not overlapping;
 * at most `max` are stored in out.  Returns how many were found.  masks:
 * targets_screen's for the same tokens, or NULL. */
size_t targets_find(const target_list *tl, size_t t, const tp_token *toks, size_t n,
                    const uint64_t *masks, mention *out, size_t max);

/* The normalised key of any text, built as targets_key() builds it:
 * written to buf (NUL-terminated, cut at bufsize).  TP_OK or TP_ERROR. */
int targets_make_key(const tp_host *host, tp_ctx *ctx, const char *text, size_t len, char *buf,
                     size_t bufsize);

#endif
