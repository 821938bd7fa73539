/*
 * amounts.h — naming the amounts of a result the way the output contract names them
 * ("cooperative.balance", "fiscal_capacity.index", "totals.national_grant"),
 * for `kofu sweep --show` and `kofu solve --target`: finding one in a result,
 * suggesting a near miss, and the label people read in a column heading.
 */
#ifndef KOFU_CLI_AMOUNTS_H
#define KOFU_CLI_AMOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "kofu/kofu.h"

/* The node of `name` in a result: measures.<name>, or <name> at the top
 * (a component such as fiscal_capacity, or totals); NULL when absent. */
const kofu_node *amount_get(const kofu_node *root, const char *name, bool *top_level);
/* The amount of the result nearest to `name` in spelling (edit distance of
 * at most a third of its length), or NULL. Points into root. Written as
 * "measure.amount" into buf. */
const char *amount_suggest(const kofu_node *root, const char *name, char *buf, size_t cap);
/* true for an amount that is a ratio people read as a percentage. */
bool amount_is_percent(const char *name);
/* An exact ratio ("0.78125", "625/816") as a percentage with at most two
 * decimals, cut with "…" beyond ("78.12…%"); writes into buf. */
const char *amount_percent_text(const char *exact, char *buf, size_t cap);
/* A plain decimal with thousands separators ("5,138.25"); other text (a
 * fraction "7/12") as it is. Writes into buf or returns exact. */
const char *amount_decimal_text(const char *exact, char *buf, size_t cap);
#endif
