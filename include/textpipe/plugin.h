/* textpipe/plugin.h: the whole contract between textpipe and its plugins.
 *
 * Ownership.  Everything the host lends a plugin (the document, sentences,
 * tokens and every string reachable from them, option values, the host
 * table) is valid until the callback that received it returns; a plugin
 * that needs it later copies it into its instance.  Everything a plugin
 * hands the host (record fields, messages) is copied by the host before the
 * call returns, so the plugin may reuse or free its buffers at once.
 * Nothing is ever freed across the boundary: the host frees what it
 * allocated, the plugin what it allocated (in `destroy`).
 *
 * Versioning.  The entry point's name carries the ABI major version
 * (`textpipe_plugin_v1`).  The descriptor (tp_plugin), the host table
 * (tp_host) and the structs the host lends all start with their `size` and
 * only ever grow at the end; use TP_HAS() before touching a member newer
 * than the ABI minor you were built against.  Column lists are append-only.
 *
 * Threads.  With `textpipe -j N` each worker thread creates its own
 * instances; callbacks of one instance are never called concurrently.
 * Keep all state in the instance: no globals, no printing, no exit(), no
 * threads of your own.  Report through the host (`log`, `fail`) and return
 * TP_ERROR; the host adds context ("textpipe: NAME: doc ID: ...").
 *
 * A minimal plugin:
 *
 *     static int sentence(tp_ctx *ctx, void *inst, const tp_sentence *s) {
 *         const tp_host *h = inst;   (the host table, kept by create)
 *         char n[32];
 *         snprintf(n, sizeof n, "%zu", s->ntokens);
 *         const char *f[] = {n};
 *         return h->write(ctx, "length", f, 1);
 *     }
 *     ...
 *     const tp_plugin *textpipe_plugin_v1(void) { return &descriptor; }
 *
 * The README's authoring guide walks through a complete one
 * (plugins/wordfreq).
 */
#ifndef TEXTPIPE_PLUGIN_H
#define TEXTPIPE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TP_ABI_MAJOR 1
#define TP_ABI_MINOR 2

/* Is `member` inside the struct `ptr` points to, as its sender sized it? */
#define TP_HAS(ptr, member)                                                    \
    ((ptr)->size >= offsetof(__typeof__(*(ptr)), member) + sizeof((ptr)->member))

/* Return codes of every callback and host service that can fail. */
#define TP_OK 0
#define TP_ERROR (-1)

/* ---- What the host lends: documents, sentences, tokens ---------------- */

/* Token flags (tp_token.flags). */
enum {
    TP_TOK_WORD = 1u << 0,       /* letters (any script), digits inside ok */
    TP_TOK_NUMBER = 1u << 1,     /* 12, 3.5, 1,000, 2021 */
    TP_TOK_PUNCT = 1u << 2,      /* . , ; " ( ... */
    TP_TOK_SYMBOL = 1u << 3,     /* $ % + = and other symbols */
    TP_TOK_CAPITAL = 1u << 4,    /* first letter upper- or titlecase */
    TP_TOK_ALLCAPS = 1u << 5,    /* two or more letters, all uppercase */
    TP_TOK_SENT_START = 1u << 6, /* first word of its sentence */
    TP_TOK_STOPWORD = 1u << 7,   /* in the stopword list of --lang */
    TP_TOK_URL = 1u << 8,
    TP_TOK_EMAIL = 1u << 9,
    TP_TOK_MENTION = 1u << 10,   /* @name */
    TP_TOK_HASHTAG = 1u << 11,   /* #tag */
    TP_TOK_EMOJI = 1u << 12,
    TP_TOK_ABBREV = 1u << 13,    /* U.S., e.g., J. (single-letter chains;
                                    "Dr." is "Dr" then ".") */
    TP_TOK_POSSESSIVE = 1u << 14, /* 's or ’s split off a word */
    TP_TOK_QUOTE = 1u << 15,     /* a quotation mark, straight or curly */
    TP_TOK_NEWLINE = 1u << 16,   /* a line break precedes this token */
    TP_TOK_SPACE = 1u << 17,     /* white space precedes this token */
    TP_TOK_INVALID = 1u << 18,   /* held invalid UTF-8, NUL or controls */
};

typedef struct tp_token {
    size_t size;        /* sizeof(tp_token) as the host built it */
    const char *surface; /* verbatim input bytes, NUL-terminated */
    const char *norm;   /* NFKC + case fold + quote/dash folding */
    const char *stem;   /* Snowball stem of norm (== norm if none) */
    uint32_t surface_len, norm_len, stem_len; /* bytes, without the NUL */
    uint32_t flags;     /* TP_TOK_* */
    uint64_t start, end; /* byte offsets into the original input */
} tp_token;

/* Sentence flags (tp_sentence.flags). */
enum {
    TP_SENT_HEADING = 1u << 0, /* a title or heading line, not prose */
    TP_SENT_CAPPED = 1u << 1,  /* cut at the hard length cap */
    TP_SENT_PARA_START = 1u << 2, /* first sentence of its paragraph */
};

typedef struct tp_sentence {
    size_t size;
    uint64_t index;     /* 0-based within the document */
    uint64_t paragraph; /* 0-based paragraph index within the document */
    uint64_t start, end; /* byte span in the original input */
    uint32_t flags;     /* TP_SENT_* */
    const char *text;   /* input[start:end], verbatim, NUL-terminated */
    size_t ntokens;
    const tp_token *tokens;

    /* ABI 1.2 (check with TP_HAS(s, stem_hashes), and for NULL: a
     * sentence a plugin builds itself has none): tp_stem_hash() of each
     * token's stem, ntokens of them, lent like the tokens.  The host has
     * them for little (once per distinct word), so a plugin that files
     * stems by this hash need not hash every token again. */
    const uint32_t *stem_hashes;
} tp_sentence;

/* The hash of tp_sentence.stem_hashes: of `len` bytes at s, from at most
 * three word-sized reads inside them (stems are short). */
static inline uint64_t
tp_stem_hash_mix_(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

static inline uint32_t
tp_stem_hash(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len, v;
    if (len >= 8) {
        for (size_t i = 0; i + 8 < len; i += 8) {
            memcpy(&v, s + i, 8);
            h = tp_stem_hash_mix_(h, v);
        }
        memcpy(&v, s + len - 8, 8);
        h = tp_stem_hash_mix_(h, v);
    } else if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + len - 4, 4);
        h = tp_stem_hash_mix_(h, (uint64_t)hi << 32 | lo);
    } else if (len > 0) {
        v = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[len / 2] << 8 |
            (unsigned char)s[len - 1];
        h = tp_stem_hash_mix_(h, v);
    }
    return (uint32_t)h;
}

typedef struct tp_document {
    size_t size;
    const char *id;   /* file path, "-", or the --lines id */
    const char *lang; /* --lang as given ("en", "none", ...) */
    uint64_t index;   /* 0-based position in the input */
} tp_document;

/* One labelled row handed to a plugin's `train` callback. */
typedef struct tp_example {
    size_t size;
    const char *const *names;  /* the training file's header columns */
    const char *const *values; /* this row's values, same order */
    size_t nfields;
    const char *text;          /* the analysed text column's value */
    const tp_sentence *sentences;
    size_t nsentences;
} tp_example;

/* ---- What the host offers: the host table ----------------------------- */

typedef struct tp_ctx tp_ctx; /* opaque: one per plugin instance */

enum { TP_LOG_INFO = 0, TP_LOG_WARNING = 1 };

typedef struct tp_host {
    size_t size;
    unsigned abi_major, abi_minor;

    /* Write one record of a declared type: `nfields` must equal the type's
     * column count (doc id is added by the host).  Fields are escaped and
     * copied.  Returns TP_OK, or TP_ERROR for an undeclared type or a
     * wrong field count (the host reports it). */
    int (*write)(tp_ctx *ctx, const char *type, const char *const *fields,
                 size_t nfields);
    /* A message on stderr with the host's context prepended. */
    void (*log)(tp_ctx *ctx, int level, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;
    /* Record why the callback is about to return TP_ERROR; returns
     * TP_ERROR so that `return h->fail(ctx, "...");` reads well. */
    int (*fail)(tp_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 2, 3)))
#endif
        ;
    /* The value of -O NAME.key=value, or NULL when not given (the host has
     * already refused keys the descriptor does not declare). */
    const char *(*option)(tp_ctx *ctx, const char *key);
    /* The plugin's data directory (shipped lexicons and lists). */
    const char *(*data_dir)(tp_ctx *ctx);
    /* Find a data file by name: the build tree first when running
     * uninstalled, then the installed data directory.  Writes the path to
     * buf and returns TP_OK, or TP_ERROR when no such file exists. */
    int (*find_data)(tp_ctx *ctx, const char *name, char *buf, size_t bufsize);
    /* Run the core (tokenise, normalise, stem, split) over a string, as it
     * runs over documents, and call fn once per sentence.  For lexicon and
     * target entries, so that they match text exactly as tokens do. */
    int (*analyze)(tp_ctx *ctx, const char *text, size_t len,
                   int (*fn)(void *arg, const tp_sentence *s), void *arg);

    /* ABI 1.1 (check with TP_HAS(host, analyze_flags)): analyze() with
     * TP_ANALYZE_* flags. */
    int (*analyze_flags)(tp_ctx *ctx, const char *text, size_t len, unsigned flags,
                         int (*fn)(void *arg, const tp_sentence *s), void *arg);
} tp_host;

/* Flags of analyze_flags(). */
enum {
    /* Stems are the normal forms: for callers that match on norms only
     * (loading thousands of names at start-up costs a third less). */
    TP_ANALYZE_NO_STEM = 1u << 0,
};

/* ---- What the plugin declares: the descriptor ------------------------- */

/* How `textpipe merge` combines a column across records of the same key. */
typedef enum tp_role {
    TP_ROLE_KEY = 0, /* records with equal keys are merged */
    TP_ROLE_SUM,     /* numbers, added */
    TP_ROLE_MIN,     /* numbers, smallest kept */
    TP_ROLE_MAX,     /* numbers, largest kept */
    TP_ROLE_TEXT,    /* `|`-joined lists, distinct items united in order */
} tp_role;

typedef struct tp_column {
    const char *name;
    tp_role role;
} tp_column;

/* A record type: its columns after the first two (type and doc). */
typedef struct tp_record_type {
    const char *name;
    const tp_column *columns;
    size_t ncolumns;
} tp_record_type;

typedef struct tp_option {
    const char *key;
    const char *help;     /* one line */
    const char *fallback; /* shown in --list-plugins; NULL: none */
} tp_option;

typedef struct tp_plugin {
    size_t size; /* sizeof(tp_plugin) as the plugin was built */
    unsigned abi_major, abi_minor;
    const char *name;    /* [a-z0-9_-]+, what -p and -O use */
    const char *version;
    const char *summary; /* one line */
    const tp_record_type *records;
    size_t nrecords;
    const tp_option *options;
    size_t noptions;

    /* Every callback may be NULL except create.  `host` stays valid for
     * the instance's life; so does `ctx`.  Return TP_OK or TP_ERROR (after
     * host->fail).  An error from create refuses the plugin before any
     * input is read, and destroy is not called for it: create frees what
     * it allocated before failing.  An error from a document callback
     * fails that document.  Records may be written only between
     * begin_document and the return of end_document (end_stream may not
     * write: its records would depend on how -j spread the documents). */
    int (*create)(const tp_host *host, tp_ctx *ctx, void **instance);
    int (*begin_document)(tp_ctx *ctx, void *instance, const tp_document *doc);
    int (*sentence)(tp_ctx *ctx, void *instance, const tp_sentence *s);
    int (*end_document)(tp_ctx *ctx, void *instance, const tp_document *doc);
    int (*end_stream)(tp_ctx *ctx, void *instance);
    void (*destroy)(void *instance);

    /* Training (`textpipe train NAME -o MODEL FILE`): NULL when the
     * plugin does not learn.  `train_text_column` names the column of the
     * training file that holds the text (case-insensitive; NULL: "text"). */
    const char *train_text_column;
    int (*train_example)(tp_ctx *ctx, void *instance, const tp_example *ex);
    int (*train_finish)(tp_ctx *ctx, void *instance, const char *model_path);
} tp_plugin;

/* The one symbol a plugin exports.  It runs no other code of the plugin:
 * return a pointer to a static const descriptor. */
typedef const tp_plugin *(*tp_entry_fn)(void);
const tp_plugin *textpipe_plugin_v1(void);

#define TP_ENTRY_SYMBOL "textpipe_plugin_v1"

#ifdef __cplusplus
}
#endif
#endif
