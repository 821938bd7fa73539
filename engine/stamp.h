/*
 * stamp.h — what every result says about what made it (meta): the kofu
 * version, when it was computed, and which rule data (origin, path, digest).
 * The clock and its SOURCE_DATE_EPOCH override are kofu_clock (kofu.h).
 */
#ifndef KOFU_ENGINE_STAMP_H
#define KOFU_ENGINE_STAMP_H

#include <stdint.h>

#include "kofu/kofu.h"
#include "node.h"

/* The meta object of a result computed at time t (seconds since the Unix
 * epoch) with rules, made in arena a (NULL: the heap); NULL on OOM. */
kofu_node *stamp_meta(node_arena *a, const kofu_rules *rules, int64_t t);

#endif
