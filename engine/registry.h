/*
 * registry.h — the measures compiled into libkofu, in the order of
 * rules/measures.def (components first).
 */
#ifndef KOFU_ENGINE_REGISTRY_H
#define KOFU_ENGINE_REGISTRY_H

#include <stddef.h>
#include "measure.h"

size_t registry_count(void);
const measure_def *registry_at(size_t i);
/* Index of the measure named `name`, or -1. */
int registry_find(const char *name);

#endif
