/*
 * cooperative.c — 特定地域づくり事業協同組合 (特定地域づくり事業推進交付金),
 * docs/measures/cooperative.md.
 *
 * A cooperative employs workers and dispatches them to local businesses. The
 * town subsidises part of the eligible running cost (市町村助成); the nation
 * pays part of that subsidy (交付金); part of the town's own share comes back
 * as 特別交付税. Eligible cost is capped per worker-year of personnel cost
 * (lowered when utilization is below a threshold) and per year of secretariat
 * cost. Every amount, rate and threshold is rule data (cooperative.params);
 * this file holds the formula:
 *
 *   worker_years   = workers, or Σ months / 12
 *   personnel_cap  = floor_1(personnel_cap_per_worker × worker_years × taper(u))
 *   secretariat_cap= floor_1(secretariat_cap_per_year × operating_months / 12)
 *   eligible_cost  = min(personnel_cost, personnel_cap) + min(secretariat_cost, secretariat_cap)
 *   subsidy_max    = floor_1(eligible_cost × public_support_rate)
 *   national_grant = floor_1000(min(subsidy, subsidy_max) × national_rate)
 *   special_tax    = half_up_1000(min(subsidy − national, subsidy_max − national) × special_tax_rate)
 *
 * plus the founders' budget (usage fees the cooperative must earn, the
 * break-even hourly fee), the establishment support, and the single-employer
 * check (the share of a worker's dispatched hours one business may take).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"

/* ---- schema -------------------------------------------------------------- */

static const key_def coop_keys[] = {
    {"name", KEY_TEXT, 0, NULL, NULL, "組合の名称", "name of the cooperative"},
    {"secretariat_cost", KEY_AMOUNT, 0, NULL, NULL, "事務局運営費", "secretariat cost"},
    {"other_costs", KEY_AMOUNT, 0, NULL, NULL, "その他の経費（交付対象外）", "other costs (not eligible)"},
    {"operating_months", KEY_INT, 0, "1", "12", "事務局の運営月数（既定 12）",
     "months of operation (default 12)"},
    {"utilization", KEY_RATIO, 0, "0", "1", "派遣職員の稼働率", "utilization of the dispatched workers"},
    {"municipal_subsidy", KEY_AMOUNT, 0, NULL, NULL, "市町村助成額（省略時は上限額）",
     "municipal subsidy (default: the maximum)"},
    {"usage_fee_income", KEY_AMOUNT, 0, NULL, NULL, "利用料金収入の見込み", "expected usage-fee income"},
    {"hourly_fee", KEY_AMOUNT, 0, NULL, NULL, "派遣料金単価（派遣1時間あたり、税抜）",
     "hourly fee (per dispatched hour, before consumption tax)"},
    {"establishment_cost", KEY_AMOUNT, 0, NULL, NULL, "設立支援の経費（市町村単独事業）",
     "establishment support cost (municipal own project)"},
    {"workers", KEY_INT, 0, "0", "100000", "派遣職員数（人数で書く場合）",
     "number of dispatched workers (simple form)"},
    {"personnel_cost", KEY_AMOUNT, 0, NULL, NULL, "派遣職員人件費の合計（人数で書く場合）",
     "total personnel cost of the workers (simple form)"},
    {"hours_dispatched", KEY_DECIMAL2, 0, NULL, NULL, "派遣労働時間の合計（人数で書く場合）",
     "total dispatched hours (simple form)"},
    {"hours_scheduled", KEY_DECIMAL2, 0, "0.01", NULL, "年間の所定労働時間（人数で書く場合は合計）",
     "scheduled hours in the year (the total in the simple form)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const key_def worker_keys[] = {
    {"name", KEY_TEXT, 0, NULL, NULL, "職員の氏名", "name of the worker"},
    {"personnel_cost", KEY_AMOUNT, KEY_REQUIRED, NULL, NULL, "派遣職員人件費", "personnel cost"},
    {"months", KEY_INT, 0, "1", "12", "雇用月数（既定 12）", "months employed (default 12)"},
    {"start_month", KEY_TEXT, 0, NULL, NULL, "採用月（4〜12, 1〜3。10 または 10月。months の代わり）",
     "month of hire (4 … 12, 1 … 3; 10 or 10月; instead of months)"},
    {"hours_scheduled", KEY_DECIMAL2, 0, "0.01", NULL, "年間の所定労働時間", "scheduled hours in the year"},
    {"hours_dispatched", KEY_DECIMAL2, 0, NULL, NULL, "年間の派遣労働時間", "dispatched hours in the year"},
    {"hours_top_employer", KEY_DECIMAL2, 0, NULL, NULL, "最も多い派遣先（一の事業者）での労働時間",
     "hours at the business that takes the most"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"cooperative", SEC_PLAIN, coop_keys, "特定地域づくり事業協同組合", "specified regional-development cooperative"},
    {"cooperative.worker", SEC_SUFFIXED, worker_keys, "派遣職員", "dispatched worker"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {"personnel_cap_per_worker", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {"personnel_cap_basis", PARAM_CHOICE, PARAM_UNIT_CHOICE, NULL, NULL},
    {"secretariat_cap_per_year", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {"taper", PARAM_TABLE, PARAM_RATIO, NULL, NULL},
    {"public_support_rate", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
    {"national_rate", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
    {"special_tax_rate", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
    {"establishment_cap", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {"establishment_rate", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
    {"single_employer_limit", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
    {NULL, 0, 0, NULL, NULL},
};

static const param_choices choices[] = {
    {"personnel_cap_basis", "pooled|per_worker"},
    {NULL, NULL},
};

static const output_def outputs[] = {
    {"utilization", OUT_SWEEP, "稼働率", "utilization"},
    {"worker_years", 0, "人年（職員数×月数/12）", "worker-years"},
    {"personnel_cap", OUT_SWEEP, "派遣職員人件費の上限額", "personnel cap"},
    {"secretariat_cap", 0, "事務局運営費の上限額", "secretariat cap"},
    {"eligible_personnel", 0, "対象となる派遣職員人件費", "eligible personnel cost"},
    {"eligible_secretariat", 0, "対象となる事務局運営費", "eligible secretariat cost"},
    {"eligible_cost", OUT_CLAIMABLE | OUT_SWEEP, "交付対象経費", "eligible cost"},
    {"municipal_subsidy_max", OUT_CLAIMABLE, "市町村助成の上限額", "maximum municipal subsidy"},
    {"municipal_subsidy", OUT_CLAIMABLE | OUT_HEADLINE, "市町村助成額", "municipal subsidy"},
    {"national_grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_NATIONAL | OUT_SWEEP,
     "国の交付金（特定地域づくり事業推進交付金）", "national grant"},
    {"municipal_share", OUT_CLAIMABLE, "市町村負担額", "municipal share"},
    {"special_tax_grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_SPECIAL, "特別交付税",
     "special tax grant"},
    {"municipal_net_burden", OUT_CLAIMABLE | OUT_HEADLINE | OUT_SWEEP, "市町村の実質負担額",
     "municipal net burden"},
    {"personnel_cost", 0, "派遣職員人件費", "personnel cost"},
    {"total_cost", 0, "組合の経費合計", "the cooperative's total cost"},
    {"required_usage_fees", OUT_CLAIMABLE | OUT_HEADLINE | OUT_SWEEP, "必要な利用料金収入",
     "required usage fees"},
    {"hours_dispatched", 0, "派遣労働時間の合計", "total dispatched hours"},
    {"usage_fee_income", OUT_SWEEP, "利用料金収入", "usage-fee income"},
    {"balance", OUT_CLAIMABLE | OUT_SWEEP, "利用料金収入の過不足", "usage-fee balance"},
    {"break_even_hourly_fee", OUT_CLAIMABLE | OUT_SWEEP, "損益分岐の派遣1時間あたり料金",
     "break-even fee per dispatched hour"},
    {"establishment_special_tax_grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_SPECIAL,
     "設立支援の特別交付税", "special tax grant on establishment support"},
    {"violations", 0, "違反", "violations"},
    {NULL, 0, NULL, NULL},
};

/* Citations of the bibliography (rules/sources.params). */
#define SOURCE "soumu_coop_r4 特定地域づくり事業協同組合に対する財政支援の概要"
#define SOURCE_PER_ITEM "mima_coop_yoko 第4条（種目ごとに交付限度額と比較して少ない方の額の合計額）"
#define SOURCE_FLOOR_1 "kofu_interp 上限額・助成額の円未満切捨て"
#define SOURCE_FLOOR_1000 "kofu_interp 国の交付金の千円未満切捨て"
#define SOURCE_SPECIAL "tokko_shorei 第五条 表第八十二号（財政力補正なし）"
#define SOURCE_ESTABLISHMENT "tokko_shorei 第五条 表第八十三号（財政力補正なし）"
#define SOURCE_ROUND "tokko_shorei 第五条第一項第三号イ（表示単位は千円とし、表示単位未満の端数は四捨五入）"
#define SOURCE_BUDGET "kofu_interp 組合の収支の見積り（利用料金）"
#define SOURCE_CAP_BASIS "kofu_interp 人件費上限額の適用単位（プールか1人ごとか）"
static const char *const citations[] = {SOURCE_PER_ITEM, SOURCE_FLOOR_1, SOURCE_FLOOR_1000,
                                        SOURCE_SPECIAL, SOURCE_ESTABLISHMENT, SOURCE_ROUND,
                                        SOURCE_BUDGET, SOURCE_CAP_BASIS, NULL};

/* The keys of [cooperative] that belong to the simple form only. */
static const char *const simple_keys[] = {"workers", "personnel_cost", "hours_dispatched",
                                          "hours_scheduled", NULL};

/* ---- reading what people type ---------------------------------------------- */

/* One digit, ASCII or full-width (as offices type): its value, or -1; *len
 * is the number of bytes it takes. */
static int digit_at(const unsigned char *p, int *len)
{
    *len = 1;
    if (*p >= '0' && *p <= '9')
        return *p - '0';
    if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
        *len = 3;
        return p[2] - 0x90;
    }
    return -1;
}

/* The months from a month of hire through March (4 → 12, 10 → 6, 1 → 3,
 * 3 → 1), from "10", "10月", "１０月"; 0 when it is no month. */
static int months_from_start(const char *raw)
{
    const unsigned char *p = (const unsigned char *)raw;
    int m = 0, digits = 0, len;
    while (*p == ' ')
        p++;
    for (int d; (d = digit_at(p, &len)) >= 0 && digits < 3; p += len, digits++)
        m = m * 10 + d;
    if (strncmp((const char *)p, "月", strlen("月")) == 0)
        p += strlen("月");
    while (*p == ' ')
        p++;
    if (*p || digits == 0 || digits > 2 || m < 1 || m > 12)
        return 0;
    return m >= 4 ? 16 - m : 4 - m;
}

/* The decimals a declared ratio carries as a fraction of 1: "78.1%" → 3,
 * "78%" → 2, "0.78" → 2, "７８．１％" → 3. The hours ratio is compared at
 * this precision. */
static int declared_decimals(const char *raw)
{
    int k = 0, len;
    bool after = false, percent = false;
    for (const unsigned char *p = (const unsigned char *)raw; *p; p += len) {
        if (digit_at(p, &len) >= 0) {
            k += after;
        } else if (*p == '.' || (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8E)) {
            after = true;
            len = *p == '.' ? 1 : 3;
        } else if (*p == '%' || (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x85)) {
            percent = true;
            len = *p == '%' ? 1 : 3;
        }
    }
    k += percent ? 2 : 0;
    return k > 15 ? 15 : k;
}

/* a then b into buf, cut to cap - 1 bytes as snprintf("%s%s") would: the
 * texts of warnings and findings are made in every evaluation, sweeps
 * included, where printf's machinery cost more than the rest of a finding. */
static const char *join2(char *buf, size_t cap, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= cap)
        la = cap - 1;
    if (lb >= cap - la)
        lb = cap - 1 - la;
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    buf[la + lb] = '\0';
    return buf;
}

/* A ratio as a percentage for people: "80%", "78.125%", "86.66…%". */
static const char *pct_of(const kofu_num *x, char *buf, size_t cap)
{
    kofu_num p, hundred;
    num_init(&p);
    num_init(&hundred);
    num_set_int(&hundred, 100);
    num_mul(&p, x, &hundred);
    char *s = num_approx(&p, 2);
    join2(buf, cap, s ? s : "?", "%");
    free(s);
    num_clear(&p);
    num_clear(&hundred);
    return buf;
}

/* Hours (or any non-negative number) with thousands separators. */
static const char *hours(const kofu_num *x, char *buf, size_t cap)
{
    char *s = num_to_yen_string(x);
    join2(buf, cap, s ? s : "?", "");
    free(s);
    return buf;
}

/* ---- validation (both forms, hours, months, fees) -------------------------- */

static bool is_worker(const case_section *s)
{
    return strcmp(sec_def_name(s), "cooperative.worker") == 0;
}

/* Dispatched hours are given, or follow from scheduled hours and the
 * declared utilization. */
static void check_worker_hours(case_check *chk, const case_section *w, bool utilization_given)
{
    const kofu_num *sched = sec_num(w, "hours_scheduled");
    const kofu_num *disp = sec_num(w, "hours_dispatched");
    const kofu_num *top = sec_num(w, "hours_top_employer");
    if (sched && disp && num_cmp(disp, sched) > 0)
        check_error(chk, w, "hours_dispatched",
                    "派遣労働時間 %s が所定労働時間 hours_scheduled = %s を超えています",
                    "dispatched hours %s exceed the scheduled hours (hours_scheduled = %s)",
                    sec_raw(w, "hours_dispatched"), sec_raw(w, "hours_scheduled"));
    if (top && !disp && !(sched && utilization_given))
        check_error(chk, w, "hours_top_employer",
                    "一の事業者での労働時間の確認には hours_dispatched（派遣労働時間）が必要です",
                    "checking the hours at one business needs hours_dispatched");
    else if (top && disp && num_cmp(top, disp) > 0)
        check_error(chk, w, "hours_top_employer",
                    "一の事業者での労働時間 %s が派遣労働時間 hours_dispatched = %s を超えています",
                    "hours at one business %s exceed the dispatched hours (hours_dispatched = %s)",
                    sec_raw(w, "hours_top_employer"), sec_raw(w, "hours_dispatched"));
}

static void check_worker_months(case_check *chk, const case_section *w)
{
    const char *start = sec_raw(w, "start_month");
    if (!start)
        return;
    if (sec_has(w, "months"))
        check_error(chk, w, "start_month",
                    "months（雇用月数）と start_month（採用月）は同時に書けません。どちらか一方にしてください",
                    "months and start_month cannot both be given; use one of them");
    else if (!months_from_start(start))
        check_error(chk, w, "start_month",
                    "採用月は年度内の月で書きます（4〜12, 1〜3。例: 10 または 10月）: %s",
                    "the month of hire is a calendar month of the fiscal year (4 … 12, 1 … 3; e.g. "
                    "10 or 10月): %s",
                    start);
}

/* Appends ", id" to buf (cut with "…" when it would not fit). */
static void append_id(char *buf, size_t cap, const char *id)
{
    size_t len = strlen(buf);
    if (len + strlen(id) + 8 >= cap) {
        if (!strstr(buf, "…"))
            snprintf(buf + len, cap - len, "%s", ", …");
        return;
    }
    snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", id);
}

/* Every worker gives `key`, or none does: a mix names those without it. */
static void check_hours_alike(case_check *chk, const char *key, size_t n_have, size_t n)
{
    if (n_have == 0 || n_have == n)
        return;
    char lack[240] = "", have[240] = "";
    const case_section *first = NULL;
    for (size_t i = 0; i < check_count(chk); i++) {
        const case_section *w = check_section(chk, i);
        if (!is_worker(w))
            continue;
        if (sec_has(w, key)) {
            append_id(have, sizeof have, sec_id(w));
        } else {
            append_id(lack, sizeof lack, sec_id(w));
            first = first ? first : w;
        }
    }
    check_error(chk, first, key,
                "労働時間の書き方が職員によって違います: %s が職員 %s にありません（%s にはあります）。"
                "全員に書くか、全員から外してください",
                "the workers' hours are not given alike: %s is missing for %s (given for %s); give it "
                "for every worker or for none",
                key, lack, have);
}

/* Evidence over declarations: a declared utilization must be the hours
 * ratio rounded half-up to the declared value's own precision. */
static void check_declared_utilization(case_check *chk, const case_section *coop,
                                       const kofu_num *disp, const kofu_num *sched)
{
    const kofu_num *declared = sec_num(coop, "utilization");
    if (!declared || num_sign(sched) <= 0)
        return;
    int k = declared_decimals(sec_raw(coop, "utilization"));
    int64_t scale = 1;
    for (int i = 0; i < k; i++)
        scale *= 10;
    kofu_num ratio, x, t;
    num_init(&ratio);
    num_init(&x);
    num_init(&t);
    num_div(&ratio, disp, sched);
    num_set_int(&t, scale);
    num_mul(&x, &ratio, &t);
    num_set_frac(&t, 1, 2);
    num_add(&x, &x, &t);
    num_round(&x, &x, NUM_ROUND_FLOOR_1);
    num_set_int(&t, scale);
    num_div(&x, &x, &t);
    if (num_cmp(&x, declared) != 0) {
        char a[64], b[64], c[64], d[64], e[64];
        num_set_frac(&t, 1, scale);
        char *precision = num_to_string(&t);
        check_error(chk, coop, "utilization",
                    "書かれた稼働率 %s が、労働時間から求めた稼働率 %s（派遣 %s ÷ 所定 %s 時間）と一致しません"
                    "（書かれた精度 %s で丸めると %s）。労働時間に合わせて直すか、utilization を外してください",
                    "the declared utilization %s does not agree with the utilization the hours give, %s "
                    "(dispatched %s ÷ scheduled %s hours; at the declared precision of %s it is %s): "
                    "correct it to the hours, or remove utilization",
                    pct_of(declared, a, sizeof a), pct_of(&ratio, b, sizeof b), hours(disp, c, sizeof c),
                    hours(sched, d, sizeof d), precision ? precision : "?", pct_of(&x, e, sizeof e));
        free(precision);
    }
    num_clear(&ratio);
    num_clear(&x);
    num_clear(&t);
}

/* Which hours are known decides utilization and the fee lines:
 * scheduled hours alone need a declared utilization; an hourly fee needs
 * dispatched hours (given, or utilization × scheduled) and replaces a
 * usage-fee income. */
static void check_hours_and_fees(case_check *chk, const case_section *coop, bool all_sched,
                                 bool all_disp, const kofu_num *sched, const kofu_num *disp)
{
    bool u = sec_has(coop, "utilization");
    if (all_sched && all_disp)
        check_declared_utilization(chk, coop, disp, sched);
    if (all_sched && !all_disp && !u)
        check_error(chk, coop, "utilization",
                    "所定労働時間（hours_scheduled）だけでは派遣労働時間が決まりません。utilization（稼働率）を"
                    "書くか、hours_dispatched（派遣労働時間）も書いてください",
                    "scheduled hours alone do not give the dispatched hours: set utilization, or give "
                    "hours_dispatched too");
    if (!sec_has(coop, "hourly_fee"))
        return;
    if (sec_has(coop, "usage_fee_income"))
        check_error(chk, coop, "hourly_fee",
                    "hourly_fee（派遣料金単価）と usage_fee_income（利用料金収入）は同時に書けません"
                    "（収入は単価 × 派遣労働時間で決まります）。どちらか一方にしてください",
                    "hourly_fee and usage_fee_income cannot both be given (the income is the fee × the "
                    "dispatched hours); use one of them");
    else if (!all_disp && !(all_sched && u))
        check_error(chk, coop, "hourly_fee",
                    "hourly_fee（派遣料金単価）から利用料金収入を求めるには派遣労働時間が必要です。"
                    "hours_dispatched か、hours_scheduled と utilization を書いてください",
                    "hourly_fee needs the dispatched hours to give the usage-fee income: give "
                    "hours_dispatched, or hours_scheduled and utilization");
}

/* The simple form needs both the head count and the total cost. */
static void check_simple_form(case_check *chk, const case_section *coop)
{
    bool workers = sec_has(coop, "workers");
    if (workers && !sec_has(coop, "personnel_cost"))
        check_error(chk, coop, "personnel_cost",
                    "workers（派遣職員数）を書くときは personnel_cost（人件費の合計）も必要です",
                    "workers (the head count) needs personnel_cost (their total cost)");
    for (int i = 1; simple_keys[i] && !workers; i++)
        if (sec_has(coop, simple_keys[i]))
            check_error(chk, coop, simple_keys[i],
                        "%s を書くときは workers（派遣職員数）も必要です"
                        "（職員ごとに書く場合は [cooperative.worker.<ID>] セクションに）",
                        "%s needs workers (the head count); per-worker values go in "
                        "[cooperative.worker.<id>] sections",
                        simple_keys[i]);
    const kofu_num *sched = sec_num(coop, "hours_scheduled"), *disp = sec_num(coop, "hours_dispatched");
    if (sched && disp && num_cmp(disp, sched) > 0)
        check_error(chk, coop, "hours_dispatched",
                    "派遣労働時間 %s が所定労働時間 hours_scheduled = %s を超えています",
                    "dispatched hours %s exceed the scheduled hours (hours_scheduled = %s)",
                    sec_raw(coop, "hours_dispatched"), sec_raw(coop, "hours_scheduled"));
    kofu_num zero;
    num_init(&zero);
    check_hours_and_fees(chk, coop, sched != NULL, disp != NULL, sched ? sched : &zero,
                         disp ? disp : &zero);
}

static void check_worker_forms(case_check *chk, const case_section *coop,
                               const case_section *first_worker)
{
    for (int i = 0; simple_keys[i]; i++)
        if (sec_has(coop, simple_keys[i]))
            check_error(chk, coop, simple_keys[i],
                        "派遣職員の書き方が2通り混ざっています: %s（人数で書く形）と [%s] など"
                        "（職員ごとのセクション）は同時に使えません。どちらか一方にしてください",
                        "two ways of giving the workers are mixed: %s (the simple form) and [%s] "
                        "(per-worker sections) cannot be used together; use one of them",
                        simple_keys[i], sec_name(first_worker));
}

static void validate(case_check *chk)
{
    const case_section *coop = NULL, *first_worker = NULL;
    for (size_t i = 0; i < check_count(chk); i++) {
        const case_section *s = check_section(chk, i);
        if (!is_worker(s))
            coop = s;
        else if (!first_worker)
            first_worker = s;
    }
    if (!coop) {
        check_error(chk, first_worker, NULL,
                    "組合の [cooperative] セクションがありません。派遣職員のセクションを書くときは "
                    "[cooperative] も必要です（中身は空でもかまいません）",
                    "the cooperative's [cooperative] section is missing: worker sections need "
                    "it (it may be empty)");
        return;
    }
    if (!first_worker) {
        check_simple_form(chk, coop);
        return;
    }
    check_worker_forms(chk, coop, first_worker);
    bool u = sec_has(coop, "utilization");
    size_t n = 0, n_sched = 0, n_disp = 0;
    kofu_num sched, disp;
    num_init(&sched);
    num_init(&disp);
    for (size_t i = 0; i < check_count(chk); i++) {
        const case_section *w = check_section(chk, i);
        if (!is_worker(w))
            continue;
        n++;
        check_worker_hours(chk, w, u);
        check_worker_months(chk, w);
        if (sec_has(w, "hours_scheduled")) {
            n_sched++;
            num_add(&sched, &sched, sec_num(w, "hours_scheduled"));
        }
        if (sec_has(w, "hours_dispatched")) {
            n_disp++;
            num_add(&disp, &disp, sec_num(w, "hours_dispatched"));
        }
    }
    check_hours_alike(chk, "hours_scheduled", n_sched, n);
    check_hours_alike(chk, "hours_dispatched", n_disp, n);
    if ((n_sched == 0 || n_sched == n) && (n_disp == 0 || n_disp == n))
        check_hours_and_fees(chk, coop, n_sched == n, n_disp == n, &sched, &disp);
    num_clear(&sched);
    num_clear(&disp);
}

/* ---- evaluation state ---------------------------------------------------- */

typedef struct coop {
    kofu_eval *ev;
    const case_section *s;       /* [cooperative]                            */
    size_t n_worker_sections;
    bool has_workers;            /* any worker, in either form               */
    /* Each value points at the number that computed it (a traced
     * operation's result, or the case's own value): nothing is copied. */
    const kofu_num *personnel_cost, *worker_years;
    const kofu_num *hours_scheduled, *hours_dispatched; /* 0 when unknown */
    bool scheduled_known;        /* every worker gives hours_scheduled       */
    bool dispatched_given;       /* every worker gives hours_dispatched      */
    bool dispatched_derived;     /* ... or they are utilization × scheduled  */
    bool dispatched_known;       /* Σ hours_dispatched is known (either way) */
    bool per_worker;             /* personnel_cap_basis = per_worker         */
    const kofu_num *zero, *twelve;  /* shared constants (a sweep evaluates
                                       often: each number costs allocations) */
    const kofu_num *cap_per_worker; /* rule data, read once (traced once)  */
    const kofu_num *secretariat_per_year, *establishment_cap;
    const kofu_num *limit;          /* single_employer_limit, or NULL      */
    const kofu_num *support_rate, *national_rate, *special_rate; /* rule data,
                                       which the report quotes, never restates */
    const kofu_num *establishment_rate;
    const kofu_num *u, *taper, *personnel_cap, *secretariat_cap, *months;
    const char *u_how_ja, *u_how_en; /* where u came from, for the report   */
    const kofu_num *eligible_personnel, *eligible_secretariat, *eligible_cost;
    const kofu_num *subsidy_max, *subsidy, *national;
    const kofu_num *share, *net;
    const kofu_num *special;
    const kofu_num *total_cost, *required;
    const kofu_num *income;      /* usage-fee income: given, or hourly_fee ×
                                    hours; NULL when unknown                 */
    const kofu_num *balance;     /* NULL when the income is not known        */
    const kofu_num *break_even;  /* NULL when the hours are not known        */
    const kofu_num *establishment; /* NULL when establishment_cost absent    */
    const kofu_num *establishment_grant;
    kofu_node *violations;
} coop;

#define TR(c, ja, en) EV_TR((c)->ev, ja, en)

/* The value of a [cooperative] amount key, 0 when absent (traced either way:
 * an absent cost is a cost of nothing, said so in the trace). */
static const kofu_num *input(coop *c, const char *key)
{
    return ev_case_value(c->ev, c->s, NULL, key, c->zero, "0");
}

/* ---- text helpers for the report (only called when tracing) ------------ */

static const char *yen(const coop *c, const kofu_num *x, char *buf, size_t cap)
{
    char *s = num_to_yen_string(x);
    join2(buf, cap, s ? s : "?", TR(c, "円", " yen"));
    free(s);
    return buf;
}

/* A ratio as a percentage for people: "80%", "86.66…%". */
static const char *pct(const coop *c, const kofu_num *x, char *buf, size_t cap)
{
    (void)c;
    return pct_of(x, buf, cap);
}

/* A rate of the rule data as the documents write it: "1/2" for one k-th
 * (k up to 10), else a percentage ("80%"). */
static const char *rate_text(const kofu_num *x, char *buf, size_t cap)
{
    kofu_num inv, one;
    num_init(&inv);
    num_init(&one);
    num_set_int(&one, 1);
    int64_t k = 0;
    if (num_sign(x) > 0) {
        num_div(&inv, &one, x);
        if (!num_is_integer(&inv) || !num_to_int64(&inv, &k) || k < 2 || k > 10)
            k = 0;
    }
    num_clear(&inv);
    num_clear(&one);
    if (!k)
        return pct_of(x, buf, cap);
    snprintf(buf, cap, "1/%d", (int)k);
    return buf;
}

static const char *plain(const kofu_num *x, char *buf, size_t cap)
{
    char *s = num_approx(x, 4);
    join2(buf, cap, s ? s : "?", "");
    free(s);
    return buf;
}

/* ---- workers --------------------------------------------------------------- */

/* A worker's months: `months`, or from `start_month` through March, else 12. */
static const kofu_num *worker_months(coop *c, const case_section *w)
{
    const kofu_num *m = sec_num(w, "months");
    if (m)
        return m;
    const char *start = sec_raw(w, "start_month");
    return start ? ev_int(c->ev, months_from_start(start)) : c->twelve;
}

static void simple_workers(coop *c)
{
    kofu_eval *ev = c->ev;
    /* the validation asks for both keys or neither */
    c->worker_years = ev_case_value_as(ev, c->s, NULL, "worker_years", "workers", c->zero, "0");
    c->has_workers = num_sign(c->worker_years) > 0;
    c->personnel_cost = ev_case_value(ev, c->s, NULL, "personnel_cost", c->zero, "0");
    const kofu_num *h = ev_case_value(ev, c->s, NULL, "hours_dispatched", NULL, NULL);
    c->dispatched_given = h != NULL;
    c->hours_dispatched = h ? h : c->zero;
    const kofu_num *sh = ev_case_value(ev, c->s, NULL, "hours_scheduled", NULL, NULL);
    c->scheduled_known = sh != NULL;
    c->hours_scheduled = sh ? sh : c->zero;
}

/* The workers' totals, summed section by section. */
typedef struct worker_sums {
    kofu_num *cost, *months, *scheduled, *dispatched;
} worker_sums;

/* One worker's cost, months and hours, added to the totals. */
static void one_worker(coop *c, const case_section *w, const worker_sums *sum)
{
    kofu_eval *ev = c->ev;
    const char *id = sec_id(w);
    const kofu_num *cost = ev_case_value(ev, w, id, "personnel_cost", NULL, NULL);
    const kofu_num *months = worker_months(c, w);
    num_add(sum->cost, sum->cost, cost);
    num_add(sum->months, sum->months, months);
    if (sec_has(w, "start_month"))
        ev_case_months_to_march(ev, w, id, "months", "start_month", months);
    else
        ev_case_value(ev, w, id, "months", c->twelve, "12");

    const kofu_num *sched = ev_case_value(ev, w, id, "hours_scheduled", NULL, NULL);
    const kofu_num *disp = ev_case_value(ev, w, id, "hours_dispatched", NULL, NULL);
    if (!sched)
        c->scheduled_known = false;
    if (!disp)
        c->dispatched_given = false;
    if (sched)
        num_add(sum->scheduled, sum->scheduled, sched);
    if (disp)
        num_add(sum->dispatched, sum->dispatched, disp);
    if (!ev_tracing(ev))
        return;
    const ev_term share[] = {EV_T(c->cap_per_worker, "personnel_cap_per_worker"),
                             EV_T(months, "months")};
    ev_product(ev, id, "cap_share", share, 2, EV_T(c->twelve, "12"), NULL);
}

static void section_workers(coop *c)
{
    kofu_eval *ev = c->ev;
    worker_sums sum = {ev_num(ev), ev_num(ev), ev_num(ev), ev_num(ev)};
    c->personnel_cost = sum.cost;
    c->hours_scheduled = sum.scheduled;
    c->hours_dispatched = sum.dispatched;
    c->scheduled_known = true;
    c->dispatched_given = true;
    for (size_t i = 0; i < c->n_worker_sections; i++)
        one_worker(c, ev_section(ev, "cooperative.worker", i), &sum);
    c->has_workers = true;
    ev_sum_over(ev, NULL, "personnel_cost", c->personnel_cost, "職員", "workers", "personnel_cost", NULL);
    ev_sum_over(ev, NULL, "months", sum.months, "職員", "workers", "months", NULL);
    c->worker_years = ev_div(ev, NULL, "worker_years", EV_T(sum.months, "months"),
                             EV_T(c->twelve, "12"), NULL);
    if (c->dispatched_given)
        ev_sum_over(ev, NULL, "hours_dispatched", c->hours_dispatched, "職員", "workers",
                    "hours_dispatched", NULL);
    if (c->scheduled_known)
        ev_sum_over(ev, NULL, "hours_scheduled", c->hours_scheduled, "職員", "workers",
                    "hours_scheduled", NULL);
}

/* ---- utilization, hours and caps --------------------------------------------- */

/* Evidence over declarations: hours, when both are known, give u exactly (a
 * declared value was checked to agree at its precision when the case was
 * loaded); else the declared value; else 1, assumed and said so. */
static void utilization(coop *c)
{
    kofu_eval *ev = c->ev;
    if (c->scheduled_known && c->dispatched_given && num_sign(c->hours_scheduled) > 0) {
        /* the declared value, when given, is shown beside the exact ratio */
        ev_case_value_as(ev, c->s, NULL, "utilization_declared", "utilization", NULL, NULL);
        c->u = ev_div(ev, NULL, "utilization", EV_T(c->hours_dispatched, "hours_dispatched"),
                      EV_T(c->hours_scheduled, "hours_scheduled"), NULL);
        c->u_how_ja = "、派遣/所定時間から";
        c->u_how_en = ", from the hours";
        return;
    }
    c->u = ev_case_value(ev, c->s, NULL, "utilization", NULL, NULL);
    if (c->u) {
        c->u_how_ja = "";
        c->u_how_en = "";
        return;
    }
    c->u = ev_case_value(ev, c->s, NULL, "utilization", ev_int(ev, 1), "1");
    c->u_how_ja = "、仮定";
    c->u_how_en = ", assumed";
    if (c->has_workers)
        ev_warn(ev, "utilization_assumed",
                "稼働率が与えられておらず、全職員の所定・派遣労働時間もないため、稼働率を100%%と仮定しました"
                "（[cooperative] utilization を書いてください）",
                "utilization was neither given nor derivable from every worker's scheduled and "
                "dispatched hours, so 100%% is assumed (set [cooperative] utilization)");
    if (c->has_workers)
        ev_finding(ev, "utilization_assumed", "", "taper", EV_TR(ev, "utilization = 1（指定がなく時間からも求められない）", "utilization = 1 (not given nor derivable from hours)"),
                   "稼働率が申請にも労働時間にも示されていないため、100%%（逓減なし）と仮定して計算しました。"
                   "派遣職員人件費の上限額に裏付けがありません",
                   "utilization is neither given nor derivable from the hours, so 100%% (no taper) is "
                   "assumed: the personnel cap is not supported by the claim");
}

/* Scheduled hours and a declared utilization give the dispatched hours:
 * each worker's u × hours_scheduled, exactly. */
static void derive_hours(coop *c)
{
    kofu_eval *ev = c->ev;
    c->dispatched_known = c->dispatched_given;
    if (c->dispatched_given || !c->scheduled_known || !sec_has(c->s, "utilization"))
        return;
    c->dispatched_derived = c->dispatched_known = true;
    for (size_t i = 0; ev_tracing(ev) && i < c->n_worker_sections; i++) {
        const case_section *w = ev_section(ev, "cooperative.worker", i);
        ev_mul(ev, sec_id(w), "hours_dispatched", EV_T(c->u, "utilization"),
               EV_T(sec_num(w, "hours_scheduled"), "hours_scheduled"), NULL);
    }
    c->hours_dispatched = ev_mul(ev, NULL, "hours_dispatched", EV_T(c->u, "utilization"),
                                 EV_T(c->hours_scheduled, "hours_scheduled"), NULL);
}

static void caps(coop *c)
{
    kofu_eval *ev = c->ev;
    c->taper = ev_table(ev, NULL, "taper", c->u);
    c->per_worker = c->n_worker_sections &&
                    strcmp(ev_param_choice(ev, NULL, "personnel_cap_basis"), "per_worker") == 0;
    const ev_term factors[] = {EV_T(c->cap_per_worker, "personnel_cap_per_worker"),
                               EV_T(c->worker_years, "worker_years"), EV_T(c->taper, "taper")};
    const kofu_num *x = ev_product(ev, NULL, "personnel_cap_exact", factors, 3, EV_T(NULL, NULL), NULL);
    c->personnel_cap = ev_round(ev, NULL, c->per_worker ? "personnel_cap_pooled" : "personnel_cap", x,
                                NUM_ROUND_FLOOR_1, SOURCE_FLOOR_1);
    if (c->has_workers && num_cmp_int(c->taper, 1) < 0 && ev_param_provisional(ev, "taper")) {
        char a[48], b[48];
        ev_warn(ev, "taper_provisional",
                "稼働率 %s により人件費の上限額を %s 倍にしました（逓減）。逓減の形は暫定です"
                "（kofu rules --export で taper を編集できます）",
                "utilization %s lowers the personnel cap: it is multiplied by %s (the taper); the "
                "form of this taper is provisional (edit taper via kofu rules --export)",
                pct(c, c->u, a, sizeof a), plain(c->taper, b, sizeof b));
    }
    c->months = ev_case_value(ev, c->s, NULL, "operating_months", c->twelve, "12");
    c->secretariat_per_year = ev_param(ev, NULL, "secretariat_cap_per_year");
    const ev_term per_year[] = {EV_T(c->secretariat_per_year, "secretariat_cap_per_year"),
                                EV_T(c->months, "operating_months")};
    const kofu_num *y = ev_product(ev, NULL, "secretariat_cap_exact", per_year, 2,
                                   EV_T(c->twelve, "12"), NULL);
    c->secretariat_cap = ev_round(ev, NULL, "secretariat_cap", y, NUM_ROUND_FLOOR_1, SOURCE_FLOOR_1);
}

/* The per_worker reading: each worker's cost against that worker's own
 * share of the cap, Σ min(personnel_cost_i, floor_1(cap × months_i / 12 × taper)). */
static void per_worker_caps(coop *c, kofu_num *cap_sum, kofu_num *eligible_sum)
{
    kofu_eval *ev = c->ev;
    for (size_t i = 0; i < c->n_worker_sections; i++) {
        const case_section *w = ev_section(ev, "cooperative.worker", i);
        const char *id = sec_id(w);
        const ev_term factors[] = {EV_T(c->cap_per_worker, "personnel_cap_per_worker"),
                                   EV_T(worker_months(c, w), "months"), EV_T(c->taper, "taper")};
        const kofu_num *x = ev_product(ev, id, "personnel_cap_exact", factors, 3,
                                       EV_T(c->twelve, "12"), SOURCE_CAP_BASIS);
        const kofu_num *cap = ev_round(ev, id, "personnel_cap", x, NUM_ROUND_FLOOR_1, SOURCE_CAP_BASIS);
        const kofu_num *e = ev_min(ev, id, "eligible_personnel",
                                   EV_T(sec_num(w, "personnel_cost"), "personnel_cost"),
                                   EV_T(cap, "personnel_cap"), SOURCE_CAP_BASIS);
        num_add(cap_sum, cap_sum, cap);
        num_add(eligible_sum, eligible_sum, e);
    }
}

static void eligible_personnel(coop *c)
{
    kofu_eval *ev = c->ev;
    if (!c->n_worker_sections) {
        c->eligible_personnel = ev_min(ev, NULL, "eligible_personnel",
                                       EV_T(c->personnel_cost, "personnel_cost"),
                                       EV_T(c->personnel_cap, "personnel_cap"), SOURCE_PER_ITEM);
        return;
    }
    /* Both readings are computed (the warning compares them); the trace
     * names the one in force eligible_personnel and the other after its
     * reading. */
    kofu_num *cap_sum = ev_num(ev), *per = ev_num(ev);
    per_worker_caps(c, cap_sum, per);
    const kofu_num *pooled = ev_min(ev, NULL, c->per_worker ? "eligible_personnel_pooled" : "eligible_personnel",
                                    EV_T(c->personnel_cost, "personnel_cost"),
                                    EV_T(c->personnel_cap, c->per_worker ? "personnel_cap_pooled" : "personnel_cap"),
                                    SOURCE_PER_ITEM);
    if (c->per_worker) {
        c->personnel_cap = cap_sum;
        ev_sum_over(ev, NULL, "personnel_cap", cap_sum, "職員", "workers", "personnel_cap", SOURCE_CAP_BASIS);
        c->eligible_personnel = per;
        ev_sum_over(ev, NULL, "eligible_personnel", per, "職員", "workers", "eligible_personnel",
                    SOURCE_CAP_BASIS);
    } else {
        c->eligible_personnel = pooled;
        ev_sum_over(ev, NULL, "eligible_personnel_per_worker", per, "職員", "workers",
                    "eligible_personnel", SOURCE_CAP_BASIS);
    }
    if (num_cmp(pooled, per) != 0) {
        char a[64], b[64];
        ev_warn(ev, "cap_basis_provisional",
                "派遣職員人件費の上限の当てはめ方（personnel_cap_basis）は暫定です。人年の合計で一括に当てはめると"
                "（pooled）対象となる人件費は %s、職員ごとに当てはめると（per_worker）%s です。この計算は %s に"
                "よります（kofu rules --export で切り替えられます）",
                "how the personnel cap applies (personnel_cap_basis) is provisional: applied to the total "
                "worker-years (pooled) the eligible personnel cost is %s, worker by worker (per_worker) it "
                "is %s; this result uses %s (switch it via kofu rules --export)",
                yen(c, pooled, a, sizeof a), yen(c, per, b, sizeof b), c->per_worker ? "per_worker" : "pooled");
    }
}

static void eligible(coop *c, const kofu_num *secretariat_cost)
{
    kofu_eval *ev = c->ev;
    eligible_personnel(c);
    c->eligible_secretariat = ev_min(ev, NULL, "eligible_secretariat",
                                     EV_T(secretariat_cost, "secretariat_cost"),
                                     EV_T(c->secretariat_cap, "secretariat_cap"), SOURCE_PER_ITEM);
    const ev_term items[] = {EV_T(c->eligible_personnel, "eligible_personnel"),
                             EV_T(c->eligible_secretariat, "eligible_secretariat")};
    c->eligible_cost = ev_sum(ev, NULL, "eligible_cost", items, 2, SOURCE_PER_ITEM);
}

/* ---- who pays what --------------------------------------------------------- */

static void funding(coop *c)
{
    kofu_eval *ev = c->ev;
    c->support_rate = ev_param(ev, NULL, "public_support_rate");
    const kofu_num *x = ev_mul(ev, NULL, "municipal_subsidy_max_exact",
                               EV_T(c->eligible_cost, "eligible_cost"),
                               EV_T(c->support_rate, "public_support_rate"), NULL);
    c->subsidy_max = ev_round(ev, NULL, "municipal_subsidy_max", x, NUM_ROUND_FLOOR_1, SOURCE_FLOOR_1);
    c->subsidy = ev_case_value(ev, c->s, NULL, "municipal_subsidy", c->subsidy_max, "municipal_subsidy_max");
    if (c->subsidy != c->subsidy_max) { /* given: the case's own number */
        const kofu_num *given = c->subsidy;
        if (num_cmp(given, c->subsidy_max) > 0) {
            char a[64], b[64], r[48];
            ev_warn(ev, "subsidy_above_max",
                    "市町村助成額 %s は上限額 %s（交付対象経費の %s）を超えています。超える部分は国の交付金・"
                    "特別交付税の対象になりません",
                    "the municipal subsidy %s exceeds its maximum %s (%s of the eligible cost); the "
                    "excess earns no national grant nor special tax grant",
                    yen(c, given, a, sizeof a), yen(c, c->subsidy_max, b, sizeof b),
                    rate_text(c->support_rate, r, sizeof r));
        }
    }
    c->national_rate = ev_param(ev, NULL, "national_rate");
    const kofu_num *n = ev_min_mul(ev, NULL, "national_grant_exact", EV_T(c->subsidy, "municipal_subsidy"),
                                   EV_T(c->subsidy_max, "municipal_subsidy_max"),
                                   EV_T(c->national_rate, "national_rate"), NULL);
    c->national = ev_round(ev, NULL, "national_grant", n, NUM_ROUND_FLOOR_1000, SOURCE_FLOOR_1000);
    c->share = ev_sub(ev, NULL, "municipal_share", EV_T(c->subsidy, "municipal_subsidy"),
                      EV_T(c->national, "national_grant"), NULL);
    /* a subsidy above its maximum earns no special tax grant either */
    const kofu_num *share_max = ev_sub(ev, NULL, "municipal_share_max",
                                       EV_T(c->subsidy_max, "municipal_subsidy_max"),
                                       EV_T(c->national, "national_grant"), SOURCE_SPECIAL);
    c->special_rate = ev_param(ev, NULL, "special_tax_rate");
    const kofu_num *y = ev_min_mul(ev, NULL, "special_tax_grant_exact", EV_T(c->share, "municipal_share"),
                                   EV_T(share_max, "municipal_share_max"),
                                   EV_T(c->special_rate, "special_tax_rate"), SOURCE_SPECIAL);
    c->special = ev_round(ev, NULL, "special_tax_grant", y, NUM_ROUND_HALF_UP_1000, SOURCE_ROUND);
    c->net = ev_sub(ev, NULL, "municipal_net_burden", EV_T(c->share, "municipal_share"),
                    EV_T(c->special, "special_tax_grant"), NULL);
}

static void budget(coop *c, const kofu_num *secretariat_cost, const kofu_num *other)
{
    kofu_eval *ev = c->ev;
    const ev_term costs[] = {EV_T(c->personnel_cost, "personnel_cost"),
                             EV_T(secretariat_cost, "secretariat_cost"), EV_T(other, "other_costs")};
    c->total_cost = ev_sum(ev, NULL, "total_cost", costs, 3, SOURCE_BUDGET);
    c->required = ev_excess(ev, NULL, "required_usage_fees", EV_T(c->total_cost, "total_cost"),
                            EV_T(c->subsidy, "municipal_subsidy"), SOURCE_BUDGET);
    const kofu_num *fee = sec_num(c->s, "hourly_fee");
    c->income = sec_num(c->s, "usage_fee_income");
    if (fee && c->dispatched_known) {
        ev_case_value(ev, c->s, NULL, "hourly_fee", NULL, NULL);
        const kofu_num *x = ev_mul(ev, NULL, "usage_fee_income_exact", EV_T(fee, "hourly_fee"),
                                   EV_T(c->hours_dispatched, "hours_dispatched"), SOURCE_BUDGET);
        c->income = ev_round(ev, NULL, "usage_fee_income", x, NUM_ROUND_FLOOR_1, SOURCE_FLOOR_1);
    } else if (c->income) {
        ev_case_value(ev, c->s, NULL, "usage_fee_income", NULL, NULL);
    }
    if (c->income) {
        c->balance = ev_sub(ev, NULL, "balance", EV_T(c->income, "usage_fee_income"),
                            EV_T(c->required, "required_usage_fees"), SOURCE_BUDGET);
    }
    if (c->dispatched_known && num_sign(c->hours_dispatched) > 0) {
        const kofu_num *x = ev_div(ev, NULL, "hourly_cost_exact",
                                   EV_T(c->required, "required_usage_fees"),
                                   EV_T(c->hours_dispatched, "hours_dispatched"), SOURCE_BUDGET);
        c->break_even = ev_round(ev, NULL, "break_even_hourly_fee", x, NUM_ROUND_CEIL_1, SOURCE_BUDGET);
    }
}

static void establishment(coop *c)
{
    kofu_eval *ev = c->ev;
    c->establishment = sec_num(c->s, "establishment_cost");
    const kofu_num *cost = input(c, "establishment_cost");
    if (!c->establishment) {
        /* nothing claimed: the cap and rate are not read, so no warning
         * about them either */
        c->establishment_grant = ev_case_zero(ev, c->s, NULL, "establishment_special_tax_grant",
                                              "establishment_cost", SOURCE_ESTABLISHMENT);
        return;
    }
    c->establishment_cap = ev_param(ev, NULL, "establishment_cap");
    c->establishment_rate = ev_param(ev, NULL, "establishment_rate");
    const kofu_num *x = ev_min_mul(ev, NULL, "establishment_exact", EV_T(cost, "establishment_cost"),
                                   EV_T(c->establishment_cap, "establishment_cap"),
                                   EV_T(c->establishment_rate, "establishment_rate"),
                                   SOURCE_ESTABLISHMENT);
    c->establishment_grant = ev_round(ev, NULL, "establishment_special_tax_grant", x,
                                      NUM_ROUND_HALF_UP_1000, SOURCE_ROUND);
}

/* A worker's dispatched hours: given, or u × hours_scheduled; NULL when unknown. */
static const kofu_num *worker_dispatched(coop *c, const case_section *w)
{
    const kofu_num *disp = sec_num(w, "hours_dispatched");
    if (disp || !c->dispatched_derived)
        return disp;
    kofu_num *h = ev_num(c->ev);
    num_mul(h, c->u, sec_num(w, "hours_scheduled"));
    return h;
}

/* A violation is also a finding: an auditor's outputs must show it. */
static void finding_over_limit(coop *c, const case_section *w, const kofu_num *top,
                               const kofu_num *disp, const kofu_num *limit)
{
    kofu_eval *ev = c->ev;
    kofu_num *share = ev_num(ev);
    num_div(share, top, disp);
    char a[48], b[48], p[48], l[48], f[48], m[48], rule[320];
    hours(top, a, sizeof a);
    hours(disp, b, sizeof b);
    pct(c, share, p, sizeof p);
    hours(limit, l, sizeof l);
    snprintf(rule, sizeof rule,
             "hours_top_employer ≤ single_employer_limit × hours_dispatched (%s > %s × %s = %s)", a,
             plain(c->limit, f, sizeof f), b, l);
    ev_finding(ev, "single_employer_over_80", sec_id(w), "single_employer_limit", rule,
               "派遣職員 %s: 一の事業者での労働時間 %s 時間は派遣労働時間 %s 時間の %s で、%s を超えています",
               "worker %s: %s of %s dispatched hours (%s) went to one business, above the %s limit",
               sec_id(w), a, b, p, pct(c, c->limit, m, sizeof m));
}

/* One business may take at most single_employer_limit of a worker's
 * dispatched hours; each worker over it is a violation. */
static void violations(coop *c)
{
    kofu_eval *ev = c->ev;
    c->violations = node_array(ev_nodes(ev));
    for (size_t i = 0; i < c->n_worker_sections; i++) {
        const case_section *w = ev_section(ev, "cooperative.worker", i);
        const kofu_num *top = sec_num(w, "hours_top_employer"), *disp = worker_dispatched(c, w);
        if (!top || !disp)
            continue;
        if (!c->limit)
            c->limit = ev_param(ev, NULL, "single_employer_limit");
        const kofu_num *limit =
            ev_mul(ev, sec_id(w), "top_employer_limit", EV_T(c->limit, "single_employer_limit"),
                   EV_T(disp, "hours_dispatched"), NULL);
        if (num_cmp(top, limit) <= 0)
            continue;
        finding_over_limit(c, w, top, disp, limit);
        kofu_node *v = node_object(ev_nodes(ev));
        node_set_static(v, "code", node_string(ev_nodes(ev), "single_employer_over_80"));
        node_set_static(v, "worker", node_string(ev_nodes(ev), sec_id(w)));
        node_push(c->violations, v);
    }
}

/* ---- the report: a budget sheet for the founders' meeting ----------------- */

/* One worker's line: cost, months, share of the cap, hours. */
static void report_worker(coop *c, const case_section *w)
{
    kofu_eval *ev = c->ev;
    const kofu_num *months = worker_months(c, w);
    kofu_num *share = ev_num(ev);
    num_set_frac(share, 1, 12);
    num_mul(share, share, months);
    num_mul(share, share, c->cap_per_worker);
    const kofu_num *sched = sec_num(w, "hours_scheduled"), *disp = worker_dispatched(c, w);
    char label[320], a[64], b[64], h1[48], h2[48];
    const char *name = sec_raw(w, "name");
    snprintf(label, sizeof label, "%s %s%s%s%s", TR(c, "職員", "worker"), sec_id(w), name ? TR(c, "（", " (") : "",
             name ? name : "", name ? TR(c, "）", ")") : "");
    if (sched && disp)
        ev_report(ev, 2, label, sec_num(w, "personnel_cost"),
                  TR(c, "%s か月（上限の持ち分 %s）、派遣 %s / 所定 %s 時間",
                     "%s months (cap share %s), dispatched %s of %s hours"),
                  plain(months, a, sizeof a), yen(c, share, b, sizeof b), hours(disp, h1, sizeof h1),
                  hours(sched, h2, sizeof h2));
    else if (disp)
        ev_report(ev, 2, label, sec_num(w, "personnel_cost"),
                  TR(c, "%s か月（上限の持ち分 %s）、派遣 %s 時間", "%s months (cap share %s), dispatched %s hours"),
                  plain(months, a, sizeof a), yen(c, share, b, sizeof b), hours(disp, h1, sizeof h1));
    else
        ev_report(ev, 2, label, sec_num(w, "personnel_cost"),
                  TR(c, "%s か月（上限の持ち分 %s）", "%s months (cap share %s)"),
                  plain(months, a, sizeof a), yen(c, share, b, sizeof b));
}

static void report_costs(coop *c, const kofu_num *secretariat_cost, const kofu_num *other)
{
    kofu_eval *ev = c->ev;
    char a[64];
    ev_report(ev, 0, TR(c, "組合の年間経費", "the cooperative's yearly cost"), NULL, NULL);
    ev_report(ev, 1, TR(c, "派遣職員人件費", "personnel cost"), c->personnel_cost,
              TR(c, "%s 人年", "%s worker-years"), plain(c->worker_years, a, sizeof a));
    for (size_t i = 0; i < c->n_worker_sections; i++)
        report_worker(c, ev_section(ev, "cooperative.worker", i));
    ev_report(ev, 1, TR(c, "事務局運営費", "secretariat cost"), secretariat_cost, NULL);
    ev_report(ev, 1, TR(c, "その他の経費（交付対象外）", "other costs (not eligible)"), other, NULL);
    ev_report(ev, 1, TR(c, "経費合計", "total cost"), c->total_cost, NULL);
}

static void report_caps(coop *c, const kofu_num *secretariat_cost)
{
    kofu_eval *ev = c->ev;
    char a[64], b[64], d[64], e[64];
    ev_report(ev, 0, TR(c, "交付対象経費と上限", "eligible cost and its caps"), NULL, NULL);
    if (c->per_worker)
        ev_report(ev, 1, TR(c, "派遣職員人件費の上限", "personnel cap"), c->personnel_cap,
                  TR(c, "職員ごとの上限（%s × 月数/12 × 逓減 %s）の合計。当てはめ方 per_worker【暫定】",
                     "the sum of each worker's cap (%s × months/12 × taper %s); per_worker reading [provisional]"),
                  yen(c, c->cap_per_worker, a, sizeof a), plain(c->taper, d, sizeof d));
    else if (num_cmp_int(c->taper, 1) < 0)
        ev_report(ev, 1, TR(c, "派遣職員人件費の上限", "personnel cap"), c->personnel_cap,
                  TR(c, "%s × %s 人年 × 逓減 %s（稼働率 %s%s）%s",
                     "%s × %s worker-years × taper %s (utilization %s%s)%s"),
                  yen(c, c->cap_per_worker, a, sizeof a),
                  plain(c->worker_years, b, sizeof b), plain(c->taper, d, sizeof d),
                  pct(c, c->u, e, sizeof e), TR(c, c->u_how_ja, c->u_how_en),
                  ev_param_provisional(ev, "taper") ? TR(c, "【暫定】", " [provisional]") : "");
    else
        ev_report(ev, 1, TR(c, "派遣職員人件費の上限", "personnel cap"), c->personnel_cap,
                  TR(c, "%s × %s 人年（稼働率 %s%s、逓減なし）", "%s × %s worker-years (utilization %s%s, no taper)"),
                  yen(c, c->cap_per_worker, a, sizeof a),
                  plain(c->worker_years, b, sizeof b), pct(c, c->u, e, sizeof e),
                  TR(c, c->u_how_ja, c->u_how_en));
    ev_report(ev, 1, TR(c, "事務局運営費の上限", "secretariat cap"), c->secretariat_cap,
              TR(c, "%s × %s / 12 か月", "%s × %s / 12 months"),
              yen(c, c->secretariat_per_year, a, sizeof a),
              plain(c->months, b, sizeof b));
    kofu_num *cut = ev_num(ev);
    num_sub(cut, c->personnel_cost, c->eligible_personnel);
    if (num_sign(cut) > 0)
        ev_report(ev, 1, TR(c, "対象となる人件費", "eligible personnel cost"), c->eligible_personnel,
                  TR(c, "上限が効いた: %s は対象外", "capped: %s is not eligible"), yen(c, cut, a, sizeof a));
    else
        ev_report(ev, 1, TR(c, "対象となる人件費", "eligible personnel cost"), c->eligible_personnel,
                  "%s", TR(c, "上限内", "within the cap"));
    num_sub(cut, secretariat_cost, c->eligible_secretariat);
    if (num_sign(cut) > 0)
        ev_report(ev, 1, TR(c, "対象となる事務局運営費", "eligible secretariat cost"), c->eligible_secretariat,
                  TR(c, "上限が効いた: %s は対象外", "capped: %s is not eligible"), yen(c, cut, a, sizeof a));
    else
        ev_report(ev, 1, TR(c, "対象となる事務局運営費", "eligible secretariat cost"), c->eligible_secretariat,
                  "%s", TR(c, "上限内", "within the cap"));
    ev_report(ev, 1, TR(c, "交付対象経費", "eligible cost"), c->eligible_cost, NULL);
}

static void report_payers(coop *c)
{
    kofu_eval *ev = c->ev;
    char a[64], r[48];
    ev_report(ev, 0, TR(c, "だれが負担するか", "who pays what"), NULL, NULL);
    ev_report(ev, 1, TR(c, "組合（利用料金収入）", "cooperative (usage fees)"), c->required,
              "%s", TR(c, "経費合計 − 市町村助成", "total cost − municipal subsidy"));
    ev_report(ev, 1, TR(c, "市町村助成", "municipal subsidy"), c->subsidy,
              TR(c, "上限 %s（交付対象経費の %s）", "maximum %s (%s of the eligible cost)"),
              yen(c, c->subsidy_max, a, sizeof a), rate_text(c->support_rate, r, sizeof r));
    ev_report(ev, 2, TR(c, "国（推進交付金）", "nation (grant)"), c->national,
              TR(c, "助成の %s、千円未満切捨て", "%s of the subsidy, floored to 1,000 yen"),
              rate_text(c->national_rate, r, sizeof r));
    ev_report(ev, 2, TR(c, "市町村負担", "municipal share"), c->share, NULL);
    ev_report(ev, 3, TR(c, "特別交付税", "special tax grant"), c->special,
              TR(c, "負担の %s、千円未満四捨五入", "%s of the share, rounded to 1,000 yen"),
              rate_text(c->special_rate, r, sizeof r));
    ev_report(ev, 3, TR(c, "市町村の実質負担", "municipal net burden"), c->net, NULL);
}

static void report_fees(coop *c)
{
    kofu_eval *ev = c->ev;
    char a[64];
    ev_report(ev, 0, TR(c, "利用料金", "usage fees"), NULL, NULL);
    ev_report(ev, 1, TR(c, "必要な利用料金収入", "required usage fees"), c->required, NULL);
    const kofu_num *fee = sec_num(c->s, "hourly_fee");
    if (c->income && fee) {
        char b[64];
        ev_report(ev, 1, TR(c, "利用料金収入", "usage-fee income"), c->income,
                  TR(c, "派遣料金単価 %s × 派遣 %s 時間、円未満切捨て",
                     "hourly fee %s × %s dispatched hours, floored to the yen"),
                  yen(c, fee, b, sizeof b), hours(c->hours_dispatched, a, sizeof a));
    } else if (c->income) {
        ev_report(ev, 1, TR(c, "利用料金収入の見込み", "expected usage-fee income"), c->income, NULL);
    }
    if (c->income) {
        ev_report(ev, 1, TR(c, "過不足", "balance"), c->balance, "%s",
                  num_sign(c->balance) < 0 ? TR(c, "不足", "short") : TR(c, "見込みで賄える", "covered"));
    }
    if (c->break_even)
        ev_report(ev, 1, TR(c, "損益分岐の1時間あたり料金", "break-even fee per hour"), c->break_even,
                  TR(c, "税抜、派遣 %s 時間で割って円未満切上げ", "before tax: over %s dispatched hours, rounded up"),
                  hours(c->hours_dispatched, a, sizeof a));
    else
        ev_report(ev, 1, TR(c, "損益分岐の1時間あたり料金", "break-even fee per hour"), NULL, "%s",
                  TR(c, "—（全職員の派遣労働時間が必要）", "— (needs every worker's dispatched hours)"));
}

static void report_rest(coop *c)
{
    kofu_eval *ev = c->ev;
    char a[64], b[64], d[64];
    if (c->establishment) {
        ev_report(ev, 0, TR(c, "設立支援（市町村単独事業）", "establishment support (municipal project)"), NULL, NULL);
        ev_report(ev, 1, TR(c, "設立支援の経費", "establishment cost"), c->establishment, NULL);
        ev_report(ev, 1, TR(c, "特別交付税", "special tax grant"), c->establishment_grant,
                  TR(c, "上限 %s の %s", "capped at %s, times %s"),
                  yen(c, c->establishment_cap, a, sizeof a),
                  rate_text(c->establishment_rate, b, sizeof b));
    }
    if (!c->n_worker_sections)
        return;
    if (c->limit) {
        char heading[160];
        snprintf(heading, sizeof heading,
                 TR(c, "派遣先の偏り（一の事業者は派遣労働時間の %s 以内）",
                    "one business takes at most %s of a worker's dispatched hours"),
                 pct(c, c->limit, d, sizeof d));
        ev_report(ev, 0, heading, NULL, NULL);
    } else {
        ev_report(ev, 0, TR(c, "派遣先の偏り（一の事業者での労働時間）",
                            "the hours at one business"), NULL, NULL);
    }
    bool any = false;
    for (size_t i = 0; i < c->n_worker_sections; i++) {
        const case_section *w = ev_section(ev, "cooperative.worker", i);
        const kofu_num *top = sec_num(w, "hours_top_employer"), *disp = worker_dispatched(c, w);
        if (!top || !disp || num_sign(disp) == 0)
            continue;
        any = true;
        kofu_num *share = ev_num(ev);
        num_div(share, top, disp);
        bool over = num_cmp(share, c->limit) > 0;
        char label[160];
        snprintf(label, sizeof label, "%s %s", TR(c, "職員", "worker"), sec_id(w));
        ev_report(ev, 1, label, NULL, TR(c, "一の事業者 %s / 派遣 %s 時間 = %s %s",
                                         "one business %s of %s dispatched hours = %s %s"),
                  hours(top, a, sizeof a), hours(disp, b, sizeof b), pct(c, share, d, sizeof d),
                  over ? TR(c, "→ 違反 single_employer_over_80", "→ violation single_employer_over_80")
                       : TR(c, "適合", "ok"));
    }
    if (!any)
        ev_report(ev, 1, TR(c, "確認できる職員なし（hours_top_employer が必要）",
                            "nothing to check (needs hours_top_employer)"), NULL, NULL);
}

/* ---- output ----------------------------------------------------------------- */

static void put_outputs(coop *c)
{
    kofu_eval *ev = c->ev;
    kofu_node *out = ev_out(ev);
    ev_put_decimal(ev, out, "utilization", c->u);
    ev_put_decimal(ev, out, "worker_years", c->worker_years);
    ev_put_amount(ev, out, "personnel_cap", c->personnel_cap);
    ev_put_amount(ev, out, "secretariat_cap", c->secretariat_cap);
    ev_put_amount(ev, out, "eligible_personnel", c->eligible_personnel);
    ev_put_amount(ev, out, "eligible_secretariat", c->eligible_secretariat);
    ev_put_amount(ev, out, "eligible_cost", c->eligible_cost);
    ev_put_amount(ev, out, "municipal_subsidy_max", c->subsidy_max);
    ev_put_amount(ev, out, "municipal_subsidy", c->subsidy);
    ev_put_amount(ev, out, "national_grant", c->national);
    ev_put_amount(ev, out, "municipal_share", c->share);
    ev_put_amount(ev, out, "special_tax_grant", c->special);
    ev_put_amount(ev, out, "municipal_net_burden", c->net);
    ev_put_amount(ev, out, "personnel_cost", c->personnel_cost);
    ev_put_amount(ev, out, "total_cost", c->total_cost);
    ev_put_amount(ev, out, "required_usage_fees", c->required);
    if (c->dispatched_known)
        ev_put_decimal(ev, out, "hours_dispatched", c->hours_dispatched);
    if (c->income)
        ev_put_amount(ev, out, "usage_fee_income", c->income);
    if (c->balance)
        ev_put_amount(ev, out, "balance", c->balance);
    if (c->break_even)
        ev_put_amount(ev, out, "break_even_hourly_fee", c->break_even);
    ev_put_amount(ev, out, "establishment_special_tax_grant", c->establishment_grant);
    node_set_static(out, "violations", c->violations);
    /* the reports' lines per worker, under the names the cooperative uses */
    ev_put_name(ev, out, c->s);
    if (!c->n_worker_sections)
        return;
    kofu_node *list = node_array(ev_nodes(ev));
    for (size_t i = 0; i < c->n_worker_sections; i++) {
        const case_section *w = ev_section(ev, "cooperative.worker", i);
        kofu_node *o = node_object(ev_nodes(ev));
        node_set_static(o, "id", node_string(ev_nodes(ev), sec_id(w)));
        ev_put_name(ev, o, w);
        ev_put_amount(ev, o, "personnel_cost", sec_num(w, "personnel_cost"));
        ev_put_decimal(ev, o, "months", worker_months(c, w));
        node_push(list, o);
    }
    node_set_static(out, "workers", list);
}

static kofu_status evaluate(kofu_eval *ev)
{
    coop c = {.ev = ev, .s = ev_section(ev, "cooperative", 0)};
    if (!c.s)
        return ev_error(ev, NULL, NULL, "[cooperative] セクションがありません", "no [cooperative] section");
    c.n_worker_sections = ev_count(ev, "cooperative.worker");
    c.zero = ev_int(ev, 0);
    c.twelve = ev_int(ev, 12);
    c.cap_per_worker = ev_param(ev, NULL, "personnel_cap_per_worker");
    if (c.n_worker_sections)
        section_workers(&c);
    else
        simple_workers(&c);
    const kofu_num *secretariat_cost = input(&c, "secretariat_cost");
    const kofu_num *other = input(&c, "other_costs");
    utilization(&c);
    derive_hours(&c);
    caps(&c);
    eligible(&c, secretariat_cost);
    funding(&c);
    budget(&c, secretariat_cost, other);
    establishment(&c);
    violations(&c);
    if (!ev_ok(ev))
        return KOFU_ENOMEM;
    if (ev_tracing(ev)) {
        report_costs(&c, secretariat_cost, other);
        report_caps(&c, secretariat_cost);
        report_payers(&c);
        report_fees(&c);
        report_rest(&c);
    }
    put_outputs(&c);
    return KOFU_OK;
}

const measure_def measure_cooperative = {
    .name = "cooperative",
    .label_ja = "特定地域づくり事業協同組合（特定地域づくり事業推進交付金）",
    .label_en = "specified regional-development cooperative grant",
    .source = SOURCE,
    .citations = citations,
    .sections = sections,
    .params = params,
    .outputs = outputs,
    .choices = choices,
    .validate = validate,
    .evaluate = evaluate,
};
