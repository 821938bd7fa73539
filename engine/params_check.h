/*
 * params_check.h — rule data checked by meaning, not only by form.
 *
 * Each parameter's declaration in its measure (param_decl: unit, bounds)
 * says what its values may be:
 *   - unit: the file's `unit =` is one of a closed list (yen, ratio, choice)
 *     and the one the measure declares;
 *   - yen: a whole number of yen, 0 to 10^15;
 *   - ratio (rates, shares, a taper, a factor table's outputs): within
 *     [0, 1], or the measure's own bounds (param_decl.min/max);
 *   - confirmed_through, when given, is not before the value's first year.
 * The loader (params.c) calls these after reading each section; they only
 * report (KOFU_ERULES items naming file, section, key and line) and return
 * false when something is wrong.
 */
#ifndef KOFU_ENGINE_PARAMS_CHECK_H
#define KOFU_ENGINE_PARAMS_CHECK_H

#include <stdbool.h>

#include "inifile.h"
#include "params.h"

/* [name]: the unit stated in s against the declaration. */
bool params_check_meta(kofu_diag *diag, const char *file, const ini_section *s,
                       const param_decl *d);
/* [name.<fy>]: the dated value v read from s. */
bool params_check_value(kofu_diag *diag, const char *file, const ini_section *s,
                        const param_decl *d, const param_value *v);

#endif
