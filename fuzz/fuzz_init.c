/* fuzz_init.c — see fuzz_init.h. */
#include "fuzz_init.h"

#include <stdlib.h>

kofu_rules *fuzz_builtin_rules(void)
{
    kofu_diag *d = NULL;
    kofu_rules *rules = NULL;
    if (kofu_diag_new(KOFU_LANG_EN, &d) != KOFU_OK || kofu_rules_load_builtin(d, &rules) != KOFU_OK)
        abort();
    kofu_diag_free(&d);
    return rules;
}
