/* model.h: trainable stance: a document's features (stem n-grams,
 * character n-grams, whatever else the caller adds), a multinomial
 * logistic regression over them, and its versioned model file. */
#ifndef TP_STANCE_MODEL_H
#define TP_STANCE_MODEL_H

#include <stddef.h>

#include <textpipe/plugin.h>

enum { LABEL_FAVOR = 0, LABEL_AGAINST = 1, LABEL_NONE = 2, NLABELS = 3 };

/* The label's name (FAVOR, AGAINST, NONE) and back (-1: none such). */
const char *label_name(int label);
int label_parse(const char *s);

/* The distinct features of one document.  Buffers are kept across
 * bag_clear(), so a bag costs no allocation once it has grown. */
typedef struct feature_bag feature_bag;

feature_bag *bag_new(void);
void bag_free(feature_bag *b); /* NULL is fine */
void bag_clear(feature_bag *b);
/* Add one feature (a repeat is ignored).  0, or -1 when out of memory. */
int bag_add(feature_bag *b, const char *s, size_t len);
/* Add the n-gram features of a sentence's tokens. */
int bag_add_tokens(feature_bag *b, const tp_token *toks, size_t n);

typedef struct stance_model stance_model;

/* Let the bag hold only the features model_predict() reads with m (the
 * same prediction, and a bag no larger than the model however long the
 * document); NULL: all. */
void bag_use_model(feature_bag *b, const stance_model *m);

/* Training: examples are kept (as feature ids) until trainer_finish. */
typedef struct stance_trainer stance_trainer;

typedef struct train_params {
    int epochs;
    double l2;     /* L2 penalty per example */
    int min_count; /* drop features seen in fewer examples */
} train_params;

stance_trainer *trainer_new(void);
void trainer_free(stance_trainer *tr); /* NULL is fine */
/* One example: its features (the bag's, plus `extra` ones that belong to
 * this target only), its target's key ("" when none), its label.  Each
 * feature counts once for all targets and once for this target, so the
 * model learns shared and per-target weights.  0, or -1 (memory). */
int trainer_add(stance_trainer *tr, const feature_bag *b, const char *const *extra, size_t nextra,
                const char *target_key, int label);
/* Fit and write the model file.  0, or -1 with a message in err. */
int trainer_finish(stance_trainer *tr, const train_params *p, const char *path, char *err,
                   size_t errsize);

/* Read a model file; NULL with a message in err for a missing, foreign,
 * wrong-version or corrupt file. */
stance_model *model_load(const char *path, char *err, size_t errsize);
void model_free(stance_model *m); /* NULL is fine */
/* Class probabilities of a document's features toward a target. */
void model_predict(const stance_model *m, const feature_bag *b, const char *const *extra,
                   size_t nextra, const char *target_key, double prob[NLABELS]);

#endif
