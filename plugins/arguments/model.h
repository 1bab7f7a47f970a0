/* model.h: the arguments plugin's learner: multinomial logistic regression
 * over hashed binary features, fitted by stochastic gradient descent, and
 * its model file. */
#ifndef TP_ARGUMENTS_MODEL_H
#define TP_ARGUMENTS_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Features are hashed into 2^ROLE_MODEL_BITS slots. */
#define ROLE_MODEL_BITS 16
#define ROLE_MODEL_SLOTS (1u << ROLE_MODEL_BITS)
/* Classes are the plugin's roles: none, major claim, claim, premise. */
#define ROLE_MODEL_CLASSES 4

typedef struct role_model role_model;

/* An empty model (all weights zero), or NULL when out of memory. */
role_model *role_model_new(void);
void role_model_free(role_model *m); /* NULL is fine */

/* Keep one training example: its feature slots and its class.  0, or -1
 * when out of memory. */
int role_model_add(role_model *m, const uint32_t *slots, size_t n, int label);
size_t role_model_examples(const role_model *m);

/* Fit the weights to the examples kept (deterministic). */
void role_model_fit(role_model *m, unsigned epochs);

/* The most probable class of an example. */
int role_model_predict(const role_model *m, const uint32_t *slots, size_t n);

/* Write and read the model file (text: a header line, then one line per
 * slot with a nonzero weight).  0, or -1 with a message in err. */
int role_model_save(const role_model *m, const char *path, char *err, size_t errsize);
role_model *role_model_load(const char *path, char *err, size_t errsize);

#endif
