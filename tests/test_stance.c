/* test_stance.c: the stance plugin through the built textpipe. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

Test(stance, runs)
{
    run_result r;
    const char *argv[] = {"-p", "stance", "-O", "stance.targets=tea", "-", NULL};
    run_textpipe(&r, "I love tea.\n", argv);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    run_result_free(&r);
}
