/* case_input.h — a case sent to the server, as INI text or as JSON. */
#ifndef KOFU_SERVER_CASE_INPUT_H
#define KOFU_SERVER_CASE_INPUT_H

#include <cjson/cJSON.h>

#include "kofu/kofu.h"

/* Writes the INI text of a case given as a JSON object of sections, each an
 * object of key → string, integer or boolean:
 *     {"case": {"id": "a", "fiscal_year": "R7"}, "network.kita": {...}}
 * A fractional JSON number is refused (binary floating point is not exact:
 * write "0.7" or "70%"), and so is anything the INI form cannot hold (a
 * line break, a section or key name with characters outside letters,
 * digits and . _ -). On false, *why is a static message in lang. */
bool case_json_to_ini(const cJSON *obj, kofu_buf *ini, kofu_lang lang, const char **why);

#endif
