/* token_run.h: whether a sentence's token strings lie end to end, so that
 * a plugin keeping a sentence copies them in one piece. */
#ifndef TP_PLUGINS_TOKEN_RUN_H
#define TP_PLUGINS_TOKEN_RUN_H

#include <stddef.h>
#include <stdint.h>

#include <textpipe/plugin.h>

/* The length of the run of bytes that holds the token strings of s end
 * to end (each token's surface, norm and stem, NUL-terminated; the stem
 * left out where it is the norm), or 0 when they do not lie so.  The host
 * keeps a sentence's strings that way, though the ABI does not promise
 * it: one copy of the run then does for three copies a token. */
static inline size_t
token_run(const tp_sentence *s)
{
    if (s->ntokens == 0)
        return 0;
    uintptr_t at = (uintptr_t)s->tokens[0].surface;
    for (size_t i = 0; i < s->ntokens; i++) {
        const tp_token *t = &s->tokens[i];
        if ((uintptr_t)t->surface != at)
            return 0;
        at += t->surface_len + 1;
        if ((uintptr_t)t->norm != at)
            return 0;
        at += t->norm_len + 1;
        if (t->stem != t->norm) {
            if ((uintptr_t)t->stem != at)
                return 0;
            at += t->stem_len + 1;
        }
    }
    return (size_t)(at - (uintptr_t)s->tokens[0].surface);
}

#endif
