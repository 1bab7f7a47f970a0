/* test_entities.c: the entities plugin and the name chunker it shares. */
#include <criterion/criterion.h>

Test(entities, placeholder) { cr_assert(1); }
