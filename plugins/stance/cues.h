/* cues.h: lexicon-mode stance: the cue words of a sentence, shifted by
 * negation, degree words and contrast, with their voice (author or
 * quoted), and their polarity toward a target's mentions. */
#ifndef TP_STANCE_CUES_H
#define TP_STANCE_CUES_H

#include <stddef.h>
#include <stdint.h>

#include <textpipe/plugin.h>

#include "lexicon.h"
#include "targets.h"

/* The word lists lexicon mode reads (all shipped with the plugin; the
 * evaluative one may be the user's). */
typedef struct cue_lexicons {
    /* The lists looked up at every token, in one lexicon tagged
     * CUE_LIST_*, so that one lookup a token serves them all:
     * evaluative: words that judge (unwise, prudent, hostile);
     * actions: verbs whose polarity goes to their object (support,
     * welcome, avoid, stop short of); contrast: > 0, the clause after
     * outweighs the one before (but, however), < 0, the marker's own
     * clause is the weaker (although, despite); prescriptive: sentence
     * multipliers (should, must). */
    lexicon *per_token;
    lexicon *negators; /* not, never, without */
    lexicon *degree;   /* multipliers: intensifiers > 1, hedges < 1 */
    lexicon *passive;  /* forms of "be" before a participle */
} cue_lexicons;

enum { CUE_LIST_EVALUATIVE, CUE_LIST_ACTIONS, CUE_LIST_CONTRAST, CUE_LIST_PRESCRIPTIVE, CUE_LISTS };

/* The longest entry of each per-token list at one token (length 0: none). */
typedef struct token_cues {
    uint32_t len[CUE_LISTS];
    double weight[CUE_LISTS];
} token_cues;

/* Load the shipped lists; `evaluative_path` (may be NULL) replaces the
 * shipped evaluative lexicon.  TP_OK, or TP_ERROR after host->fail. */
int cue_lexicons_load(cue_lexicons *cl, const tp_host *host, tp_ctx *ctx,
                      const char *evaluative_path);
void cue_lexicons_free(cue_lexicons *cl);

typedef struct cue {
    uint32_t start, end;  /* tokens [start, end) of the sentence */
    double weight;        /* the lexicon's, after degree, negation, contrast */
    double toward;        /* set by cues_toward(): its part of the polarity */
    unsigned quoted : 1;  /* inside quotation marks: a quoted speaker's */
    unsigned action : 1;  /* from the action list */
    unsigned passive : 1; /* an action after a form of "be" */
} cue;

/* One sentence's cues; buffers are reused from sentence to sentence. */
typedef struct sentence_cues {
    cue *cues;
    size_t ncues, cues_cap;
    double emphasis;     /* the strongest prescriptive marker, or 1 */
    uint8_t *quoted;     /* per token */
    float *factor;       /* per token: contrast weighting */
    uint32_t *hashes;    /* per token: lexicon_hash_tokens', for matching */
    token_cues *found;   /* per token */
    lexicon_hit *hits;   /* the sentence's, before they go into found */
    uint32_t *hit_first; /* per token, and one more: where its hits start */
    size_t quoted_cap, factor_cap, hashes_cap, found_cap, hits_cap, hit_first_cap;
} sentence_cues;

void sentence_cues_free(sentence_cues *sc);

/* Does t open or close a quotation (as cues_scan counts them)? */
int cues_quote_mark(const tp_token *t);

/* Find the cues of toks[0, n).  *in_quote carries an open quotation from
 * one sentence to the next (the caller resets it at paragraphs).  0, or
 * -1 when out of memory. */
int cues_scan(sentence_cues *sc, const cue_lexicons *cl, const tp_token *toks, size_t n,
              int *in_quote);

/* The sentence's polarity toward the mentions m[0, nm) of one target: each
 * cue's `toward` is set (0 for a cue that does not bear on them), and the
 * sum of the ones in the author's voice (all, with `voice_all`) is
 * returned, times the sentence's emphasis. */
double cues_toward(sentence_cues *sc, const tp_token *toks, size_t n, const mention *m, size_t nm,
                   int voice_all);

/* The sentence's evaluative cues in the author's voice, whatever they are
 * about: positive and negative weights summed apart. */
void cues_overall(const sentence_cues *sc, double *pos, double *neg);

#endif
