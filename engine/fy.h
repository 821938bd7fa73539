/*
 * fy.h — Japanese fiscal years (年度).
 *
 * Fiscal year N runs from 1 April N to 31 March N+1 (docs/output.md). Users write
 * it in many ways; kofu keeps the Western year of its start as an int.
 *
 * Accepted (surrounding ASCII blanks ignored, nothing else):
 *   2025, FY2025, fy2025, R7, r7, 令和7, 令和7年度, 令和元年度, R1, H30, h30,
 *   平成30年度, 平成31年度 (=2019, same as 令和元年度), 平成元年度 (=1989),
 *   and the same with 年度 omitted. Full-width digits (令和７年度) are accepted
 *   since they are what Japanese IMEs produce.
 * Rejected: empty, 令和0, H32 and later (平成 ended in its 31st year), R with
 *   no number, anything before 1989 or after 2200, trailing garbage.
 */
#ifndef KOFU_ENGINE_FY_H
#define KOFU_ENGINE_FY_H

#include <stdbool.h>
#include <stddef.h>

#define FY_MIN 1989
#define FY_MAX 2200

/* Parses s; returns true and stores the Western start year in *out. */
bool fy_parse(const char *s, int *out);

/* "令和7年度 (FY2025)", "令和元年度 (FY2019)", "平成30年度 (FY2018)"; in
 * English "FY2025 (R7)". Writes at most cap bytes including NUL; returns the
 * length it needed, like snprintf. */
size_t fy_format_ja(int fy, char *buf, size_t cap);
size_t fy_format_en(int fy, char *buf, size_t cap);
/* Short era form used in rule data and tables: "R7", "R1", "H30". */
size_t fy_format_era(int fy, char *buf, size_t cap);

#endif
