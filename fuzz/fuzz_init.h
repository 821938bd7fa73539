/* fuzz_init.h — what each fuzz target loads once, before the first input. */
#ifndef KOFU_FUZZ_INIT_H
#define KOFU_FUZZ_INIT_H
#include "kofu/kofu.h"

/* The built-in rule data; aborts (the target cannot run) when it does not load. */
kofu_rules *fuzz_builtin_rules(void);

#endif
