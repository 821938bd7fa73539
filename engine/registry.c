/* registry.c — the table of measures, generated from rules/measures.def. */
#include "registry.h"

#include <string.h>

#define KOFU_MEASURE(name) extern const measure_def measure_##name;
#include "measures.def"
#undef KOFU_MEASURE

static const measure_def *const measures[] = {
#define KOFU_MEASURE(name) &measure_##name,
#include "measures.def"
#undef KOFU_MEASURE
};

size_t registry_count(void) { return sizeof measures / sizeof measures[0]; }

const measure_def *registry_at(size_t i)
{
    return i < registry_count() ? measures[i] : NULL;
}

int registry_find(const char *name)
{
    for (size_t i = 0; i < registry_count(); i++)
        if (strcmp(measures[i]->name, name) == 0)
            return (int)i;
    return -1;
}
