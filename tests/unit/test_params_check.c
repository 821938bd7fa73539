/* test_params_check.c — rule data checked by meaning (engine/params_check.c):
 * yen whole and >= 0, ratios and table outputs within [0, 1] or the
 * measure's declared bounds, units from the closed list that match the
 * declaration, confirmed_through not before the value's first year. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "support.h"

static const param_decl decls[] = {{"cap", PARAM_VALUE, PARAM_YEN, NULL, NULL},
                                   {"rate", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
                                   {"curve", PARAM_TABLE, PARAM_RATIO, NULL, NULL},
                                   {"factor", PARAM_VALUE, PARAM_RATIO, "1/2", "3/2"},
                                   {NULL, 0, 0, NULL, NULL}};
static const measure_def measure = {.name = "checkm", .params = decls};

#define DATED(name, key, v, through)                                                      \
    "[" name ".2021]\n" key " = " v "\nstatus = confirmed\nconfirmed_through = " through  \
    "\nsource = kofu_interp\n"
#define TABLE(points)                                                                     \
    "[curve.2021]\ninterpolation = linear\npoints = " points "\nround = none\n"           \
    "status = confirmed\nconfirmed_through = 2022\nsource = kofu_interp\n"

/* Loads META + the four values (each replaceable) and returns the status;
 * *msg gets every message, in English. */
static kofu_status load(const char *unit_cap, const char *cap, const char *rate,
                        const char *curve, const char *factor, char *msg, size_t cap_msg)
{
    char text[4096];
    snprintf(text, sizeof text,
             "[measure]\nentities = municipality\n"
             "[cap]\nlabel_ja = 上限\nlabel_en = cap\nunit = %s\n"
             "[rate]\nlabel_ja = 率\nlabel_en = rate\nunit = ratio\n"
             "[curve]\nlabel_ja = 曲線\nlabel_en = curve\nunit = ratio\n"
             "[factor]\nlabel_ja = 係数\nlabel_en = factor\nunit = ratio\n"
             "%s%s%s%s",
             unit_cap, cap, rate, curve, factor);
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    measure_rules mr;
    memset(&mr, 0, sizeof mr);
    kofu_status st = params_load_measure(&measure, "checkm.params", text, strlen(text), d, &mr);
    char *diag_text = tdiag_text(d);
    snprintf(msg, cap_msg, "%s", diag_text);
    free(diag_text);
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
    return st;
}

#define GOOD_CAP DATED("cap", "value", "15000000", "2022")
#define GOOD_RATE DATED("rate", "value", "1/2", "2022")
#define GOOD_CURVE TABLE("0:0, 0.8:1")
#define GOOD_FACTOR DATED("factor", "value", "1", "2022")

static void expect_error(const char *unit, const char *cap, const char *rate, const char *curve,
                         const char *factor, const char *want)
{
    char msg[2048];
    cr_expect_eq(load(unit, cap, rate, curve, factor, msg, sizeof msg), KOFU_ERULES,
                 "accepted; wanted: %s", want);
    cr_expect(strstr(msg, want) != NULL, "got: %s\nwanted: %s", msg, want);
}

Test(params_check, sound_data_load)
{
    char msg[2048];
    cr_expect_eq(load("yen", GOOD_CAP, GOOD_RATE, GOOD_CURVE, GOOD_FACTOR, msg, sizeof msg),
                 KOFU_OK, "%s", msg);
    /* the bounds are inclusive, and a measure's own bounds replace [0, 1] */
    cr_expect_eq(load("yen", DATED("cap", "value", "0", "2022"), DATED("rate", "value", "1", "2022"),
                      TABLE("0:0, 1:1"), DATED("factor", "value", "3/2", "2022"), msg, sizeof msg),
                 KOFU_OK, "%s", msg);
}

Test(params_check, yen_values_are_whole_and_not_negative)
{
    expect_error("yen", DATED("cap", "value", "-1", "2022"), GOOD_RATE, GOOD_CURVE, GOOD_FACTOR,
                 "checkm.params: [cap.2021] value: cap must be from 0 to 1000000000000000 (yen): -1");
    expect_error("yen", DATED("cap", "value", "15000000/9", "2022"), GOOD_RATE, GOOD_CURVE,
                 GOOD_FACTOR, "cap is an amount of yen: it must be a whole number: 5000000/3");
    expect_error("yen", DATED("cap", "value", "2000000000000000", "2022"), GOOD_RATE, GOOD_CURVE,
                 GOOD_FACTOR, "cap must be from 0 to 1000000000000000 (yen)");
}

Test(params_check, ratios_and_table_outputs_stay_in_their_bounds)
{
    expect_error("yen", GOOD_CAP, DATED("rate", "value", "-1/2", "2022"), GOOD_CURVE, GOOD_FACTOR,
                 "[rate.2021] value: rate must be from 0 to 1 (ratio): -0.5");
    expect_error("yen", GOOD_CAP, DATED("rate", "value", "2", "2022"), GOOD_CURVE, GOOD_FACTOR,
                 "rate must be from 0 to 1 (ratio): 2");
    expect_error("yen", GOOD_CAP, GOOD_RATE, TABLE("0:0, 0.8:1.2"), GOOD_FACTOR,
                 "[curve.2021] points: curve must be from 0 to 1 (ratio): 1.2");
    expect_error("yen", GOOD_CAP, GOOD_RATE, GOOD_CURVE, DATED("factor", "value", "2", "2022"),
                 "factor must be from 0.5 to 1.5 (ratio): 2");
    expect_error("yen", GOOD_CAP, GOOD_RATE, GOOD_CURVE, DATED("factor", "value", "0.4", "2022"),
                 "factor must be from 0.5 to 1.5 (ratio): 0.4");
}

Test(params_check, units_come_from_a_closed_list_matching_the_parameter)
{
    expect_error("furlong", GOOD_CAP, GOOD_RATE, GOOD_CURVE, GOOD_FACTOR,
                 "[cap] unit: the unit must be one of yen, ratio, choice (cap is in yen): furlong");
    expect_error("ratio", GOOD_CAP, GOOD_RATE, GOOD_CURVE, GOOD_FACTOR,
                 "[cap] unit: the unit of cap is yen, not ratio");
}

Test(params_check, confirmed_through_is_not_before_the_first_year)
{
    expect_error("yen", DATED("cap", "value", "15000000", "2019"), GOOD_RATE, GOOD_CURVE,
                 GOOD_FACTOR,
                 "[cap.2021] confirmed_through: confirmed_through (FY2019) is before the first "
                 "fiscal year of this value (FY2021)");
}
