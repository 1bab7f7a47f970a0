/* names.h: the name chunker: finds runs of capitalised words in a sentence
 * that may be proper names ("Jawaharlal Nehru University", "Bashar
 * al-Assad", "Islamic Emirate of Afghanistan"), for the plugins that look
 * for names (entities, stance).
 *
 * A chunk is a maximal run of name words: words with a capital (or all
 * capitals, or an abbreviation like "U.S."), joined by connectors (a
 * caller's list of lower-case words such as "of", "al", "von") only when a
 * name word follows the connector, and by a hyphen written without spaces
 * around it.  Inside a token, a hyphenated part in lower case is cut off
 * ("Taliban-ruled" gives "Taliban", "pro-Russian" gives "Russian") unless
 * it is a connector ("al-Assad" stays whole), and so is a possessive the
 * tokeniser left attached ("Firstpost's").  A possessive token ('s) or any
 * punctuation ends a chunk.
 *
 * The chunker only finds candidates; deciding which are names is the
 * caller's: flags say when a capital may owe nothing to the name (the
 * sentence's first word, a heading, a line in capitals).
 *
 * Stable API: these functions and the struct; new flags and functions may
 * be added.  Nothing is allocated: the caller passes room for the chunks
 * (a sentence never has more chunks than tokens). */
#ifndef TP_NAMES_H
#define TP_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <textpipe/plugin.h>

/* names_chunk.flags */
enum {
    NAMES_INITIAL = 1u << 0,   /* starts the sentence (or a quotation in it) */
    NAMES_HEADING = 1u << 1,   /* in a heading line (TP_SENT_HEADING) */
    NAMES_CAPS_LINE = 1u << 2, /* in a line written in capitals */
    NAMES_CONNECTED = 1u << 3, /* a connector or a spaced hyphen inside */
    NAMES_ALLCAPS = 1u << 4,   /* every word in capitals */
};

typedef struct names_chunk {
    uint32_t first, last; /* tokens first..last of the sentence, inclusive */
    /* The name starts `skip` bytes into tokens[first].surface and ends
     * after `keep` bytes of tokens[last].surface; nskip and nkeep are the
     * same cuts in the tokens' norm.  Untrimmed: skip 0, keep surface_len. */
    uint32_t skip, keep, nskip, nkeep;
    uint32_t flags; /* NAMES_* */
} names_chunk;

/* Find the chunks of `s` in text order.  `connectors`: NULL-terminated list
 * of normalised words allowed inside a name (NULL: none).  Writes at most
 * `cap` chunks to `out` and returns how many it wrote. */
size_t names_find(const tp_sentence *s, const char *const *connectors, names_chunk *out,
                  size_t cap);

/* NAMES_HEADING, NAMES_CAPS_LINE, both or neither, for the whole sentence:
 * is its capitalisation a style rather than a sign of names?  A heading
 * (TP_SENT_HEADING) with a lower-case word longer than three letters that
 * is not a stopword ("Davenport beat Sidot 6-0") is read as prose. */
uint32_t names_line_style(const tp_sentence *s);

/* names_find() with the connector list prepared once: for callers that
 * chunk many sentences with one list.  *seen gets NAMES_SEEN_* bits: what
 * the scan noticed on its way, so that a caller need not look again.
 * NAMES_SEEN_CASELESS: a word in lower case, or in a script without case,
 * starts with a byte 0xd6 or above (Hebrew, Arabic, Indic, Thai, Han,
 * Hangul, ...); when it is clear, no word of the sentence does. */
typedef struct names_connectors {
    const char *const *list;
    uint64_t first[4]; /* a bit per byte that starts a connector */
    uint64_t lengths;  /* a bit per connector length (63: 63 or more) */
} names_connectors;

void names_connectors_init(names_connectors *set, const char *const *list);
enum { NAMES_SEEN_CASELESS = 1u << 0 };
size_t names_find_set(const tp_sentence *s, const names_connectors *set, names_chunk *out,
                      size_t cap, uint32_t *seen);

/* Keys of list entries (gazetteers, targets) without running the core.
 *
 * A list entry is matched on its key: the core's normal forms of its
 * tokens joined by single spaces ("United States" -> "united states").
 * Running the core over thousands of entries at start-up is slow, so:
 *
 * names_plain_key(): for a name of ASCII letters in words joined by single
 * spaces or inner hyphens, with no capital after a small letter inside a
 * word (the core may split "MacDonald"), the key is the name in lower case:
 * writes it to out (room for len bytes), sets *ntok and returns 1.  Any
 * other name: returns 0, and only the core can key it.
 *
 * names_fold_hash(): a hash of a name's letters and digits, blind to case
 * and to punctuation and spaces, that a name and its key share, so a
 * caller can file names by it and key them only when a lookup comes near.
 * Returns NAMES_FOLD_* bits: LETTER when it saw a letter outside ASCII,
 * UNKNOWN when it saw a character whose normal form it cannot vouch for
 * (the hash of such a name may differ from its key's).  tests/test_entities.c
 * checks both against the core on every shipped gazetteer name. */
enum {
    NAMES_FOLD_LETTER = 1u << 0,
    NAMES_FOLD_UNKNOWN = 1u << 1,
};

int names_plain_key(const char *name, size_t len, char *out, size_t *ntok);
unsigned names_fold_hash(const char *s, size_t len, uint32_t *hash);

/* Does the name hold a letter beyond ASCII that its key keeps beyond
 * ASCII (one names_fold_hash() knows)?  Then no key in ASCII is its key.
 * Cheaper than names_fold_hash(): it stops at the first such letter. */
int names_keeps_letter(const char *s, size_t len);

/* A hash of a name's ASCII letters and digits alone, blind to case:
 * coarser than names_fold_hash() (all of a Chinese name hashes alike) but
 * good for any name, as long as *safe says no character outside ASCII may
 * normalise into an ASCII letter or digit ("ß" -> "ss", "ﬁ", "Ⅻ") or
 * combine with one ("H" + U+0331 -> "ẖ"). */
uint32_t names_skeleton_hash(const char *s, size_t len, int *safe);

#endif
