/*
 * consumer.c — a program of its own, linked against the installed libkofu.a
 * (build/export/libkofu.a): it defines functions named like the library's
 * internal ones (num_add, ini_parse, rules_embedded), which must not clash
 * with them, and uses the library through its public API only.
 */
#include <stdio.h>
#include <string.h>

#include "kofu/kofu.h"

int num_add(int a, int b);
int ini_parse(void);
extern const char rules_embedded[];

int num_add(int a, int b) { return a + b; }
int ini_parse(void) { return 1; }
const char rules_embedded[] = "mine";

int main(void)
{
    kofu_rules *r = NULL;
    if (kofu_rules_load_builtin(NULL, &r) != KOFU_OK)
        return 1;
    int ok = strcmp(kofu_rules_origin(r), "builtin") == 0 && strlen(kofu_rules_digest(r)) == 64 &&
             num_add(1, ini_parse()) == 2 && strcmp(rules_embedded, "mine") == 0;
    printf("%s\n", ok ? "the program's own num_add, ini_parse and rules_embedded, and kofu's API"
                      : "FAIL");
    kofu_rules_free(&r);
    return ok ? 0 : 1;
}
