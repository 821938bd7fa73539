#!/usr/bin/env python3
"""Every trace step's rule is the operation that computed it.

The measures write no rule text of their own: each step of the trace comes
from a traced operation of the engine (min, max, a difference, a product, a
quotient, a sum, a rounding, a rule value, a value read from the case), which
writes the rule from what it does and from its operands' names. This test
holds the output to that: for every case file given (the examples and the
measure tests), in Japanese and in English, each step's rule must have the
form of one of those operations, and where it is arithmetic the step's value
must be what the rule gives when computed again from the values of the steps
it names (exactly, with fractions). A hand-written formula beside the C code
("min(a, b) × c（…）") fails the first check; an explanation that drifted from
the computation fails the second.

usage: check_rules.py --kofu PATH [--root DIR] [CASE.ini ...]
"""
import argparse
import glob
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction

# An operand: a step of the same section or of the measure ("cap"), of
# another section ("[a].expenses"), of another measure
# ("fiscal_capacity.rate"), or a number ("12").
TERM = r"(?:\[[^\]]*\]\.)?[A-Za-z_][A-Za-z0-9_.]*|-?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?"
T = f"({TERM})"
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?$")
STEP = re.compile(r"([a-z_]+)(?:\[([^\]]*)\])?\.(.+)$")


def fr(text):
    return Fraction(text)


def rounded(x, how):
    m = re.fullmatch(r"(floor|ceil|half_up)_([0-9.]+)", how)
    if not m:
        return None
    unit = Fraction(m.group(2))
    q = x / unit
    if m.group(1) == "floor":
        n = math.floor(q)
    elif m.group(1) == "ceil":
        n = math.ceil(q)
    else:  # half away from zero
        n = math.floor(abs(q) + Fraction(1, 2)) * (1 if q >= 0 else -1)
    return n * unit


def month_count(raw):
    """Months from the month written in raw ("10", "10月", "１０月") through March."""
    digits = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in raw)
    m = re.fullmatch(r"\s*([0-9]{1,2})(?:月)?\s*", digits)
    if not m:
        return None
    n = int(m.group(1))
    return 16 - n if n >= 4 else 4 - n


class Trace:
    """The steps so far, by full name, to resolve the operands of the next."""

    def __init__(self):
        self.values = {}

    def resolve(self, term, measure, scope):
        if NUMBER.match(term):
            return fr(term)
        m = re.fullmatch(r"\[([^\]]*)\]\.(.+)", term)
        if m:
            return self.values.get(f"{measure}[{m.group(1)}].{m.group(2)}")
        if scope is not None and f"{measure}[{scope}].{term}" in self.values:
            return self.values[f"{measure}[{scope}].{term}"]
        if f"{measure}.{term}" in self.values:
            return self.values[f"{measure}.{term}"]
        return self.values.get(term)  # another measure's step

    def over_sections(self, measure, name):
        prefix, suffix = f"{measure}[", f"].{name}"
        return [v for k, v in self.values.items() if k.startswith(prefix) and k.endswith(suffix)]


def product(values):
    r = Fraction(1)
    for v in values:
        r *= v
    return r


def arithmetic(rule):
    """(operand texts, function of their values) for an arithmetic rule, or None."""
    forms = [
        ("min_mul", rf"min\({T}, {T}\) × {T}", lambda a, b, f: min(a, b) * f),
        ("excess", rf"max\(0, {T} - {T}\)", lambda a, b: max(Fraction(0), a - b)),
        ("min", rf"min\({T}, {T}\)", min),
        ("max", rf"max\({T}, {T}\)", max),
        ("sub", rf"{T} - {T}", lambda a, b: a - b),
        ("div", rf"{T} ÷ {T}", lambda a, b: a / b),
        ("let", T, lambda a: a),
    ]
    for kind, pattern, fn in forms:
        m = re.fullmatch(pattern, rule)
        if m:
            return kind, list(m.groups()), fn
    parts = rule.split(" ÷ ")
    if len(parts) <= 2:
        factors = parts[0].split(" × ")
        if len(factors) > 1 and all(re.fullmatch(TERM, f) for f in factors + parts[1:]):
            n = len(factors)
            return ("product", factors + parts[1:],
                    lambda *v: product(v[:n]) / (v[n] if len(v) > n else 1))
    terms = rule.split(" + ")
    if len(terms) > 1 and all(re.fullmatch(TERM, t) for t in terms):
        return "sum", terms, lambda *v: sum(v, Fraction(0))
    return None


CASE_READ = [
    re.compile(r"\[[^\]]+\] [a-z_0-9]+"),
]
CASE_DEFAULT = [
    re.compile(rf"\[[^\]]+\] [a-z_0-9]+（指定なし: {T}）"),
    re.compile(rf"\[[^\]]+\] [a-z_0-9]+ \(not given: {T}\)"),
]
CASE_MONTHS = [
    re.compile(r"\[[^\]]+\] [a-z_0-9]+ = (.+): その月から3月までの月数"),
    re.compile(r"\[[^\]]+\] [a-z_0-9]+ = (.+): the months from it through March"),
]
CASE_ZERO = [
    re.compile(r"0（\[[^\]]+\] [a-z_0-9]+ = .+）"),
    re.compile(r"0（\[[^\]]+\] [a-z_0-9]+ の指定なし）"),
    re.compile(r"0 \(\[[^\]]+\] [a-z_0-9]+ = .+\)"),
    re.compile(r"0 \(\[[^\]]+\] [a-z_0-9]+ not given\)"),
]
SUM_OVER = [re.compile(r"各(.+)の ([a-z_0-9]+) の合計"), re.compile(r"sum of the (.+)' ([a-z_0-9]+)")]
PARAM = re.compile(r"\S+\.params \[[a-z_0-9]+\.[0-9]+\]")
ROUND = re.compile(r"([a-z_]+_[0-9.]+)\((-?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?)\)")


# The operations the checked traces used: each must be exercised, so that the
# test cannot pass on a corpus that lost a form.
KINDS = ("param", "case", "case_default", "case_months", "case_zero", "round", "sum_over",
         "min_mul", "excess", "min", "max", "sub", "div", "let", "product", "sum")
SEEN = set()


def check_step(step, trace):
    """None when the step is one of the operations and its value agrees, else why not."""
    kind, why = classify(step, trace)
    if kind:
        SEEN.add(kind)
    return why


def classify(step, trace):
    """(the operation, None when its value agrees or else why not)."""
    name, rule, value = step["step"], step["rule"], fr(step["value"])
    m = STEP.fullmatch(name)
    if not m:
        return None, f"step name {name!r} is not <measure>[<id>].<name>"
    measure, scope = m.group(1), m.group(2)
    from_case = "source_id" not in step
    if PARAM.match(rule):
        return "param", (None if not from_case else "a rule value without its source")
    if any(p.fullmatch(rule) for p in CASE_READ):
        return "case", (None if from_case else "a value of the case that cites no place in the case file")
    for p in CASE_DEFAULT:
        d = p.fullmatch(rule)
        if d:
            want = trace.resolve(d.group(1), measure, scope)
            return "case_default", (None if want == value else f"the default {d.group(1)} is {want}, not {value}")
    for p in CASE_MONTHS:
        d = p.fullmatch(rule)
        if d:
            want = month_count(d.group(1))
            return "case_months", (None if want == value else f"{d.group(1)} gives {want} months, not {value}")
    if any(p.fullmatch(rule) for p in CASE_ZERO):
        return "case_zero", (None if value == 0 else f"{value} where the rule says 0")
    r = ROUND.fullmatch(rule)
    if r:
        want = rounded(fr(r.group(2)), r.group(1))
        if want is None:
            return None, f"unknown rounding {r.group(1)}"
        return "round", (None if want == value else f"{rule} is {want}, not {value}")
    for p in SUM_OVER:
        s = p.fullmatch(rule)
        if s:
            parts = trace.over_sections(measure, s.group(2))
            if not parts:
                return None, f"no section has a step {s.group(2)}"
            want = sum(parts, Fraction(0))
            return "sum_over", (None if want == value else f"the sections' {s.group(2)} sum to {want}, not {value}")
    a = arithmetic(rule)
    if a is None:
        return None, "the rule is not the text of a traced operation"
    kind, operands, fn = a
    values = []
    for t in operands:
        v = trace.resolve(t, measure, scope)
        if v is None:
            return None, f"operand {t!r} names no earlier step"
        values.append(v)
    want = fn(*values)
    return kind, (None if want == value else f"{rule} = {want}, not {value}")


def check_case(kofu, path, lang, refused):
    args = [kofu, "calc", "--format", "json", "--lang", lang, path]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0 and not p.stdout.startswith("{"):
        if refused is None:
            return [f"{path} ({lang}): kofu calc exit {p.returncode}: {p.stderr.strip()}"]
        refused.add(path)  # a test of a refused case: there is no trace
        return []
    result = json.loads(p.stdout)
    trace, errors = Trace(), []
    for step in result["trace"]:
        why = check_step(step, trace)
        if why:
            errors.append(f"{path} ({lang}): {step['step']} = {step['value']}: {step['rule']!r}: {why}")
        trace.values[step["step"]] = fr(step["value"])
    if not result["trace"]:
        errors.append(f"{path} ({lang}): empty trace")
    return errors


def self_test():
    """The check refuses the hand-written rules the cooperative once had, and
    a rule whose value drifted from its computation."""
    trace = Trace()
    for k, v in {"m.a": 5, "m.b": 3, "m.c": Fraction(1, 2), "m[x].a": 2}.items():
        trace.values[k] = Fraction(v)
    bad = [
        ("m.r", "min(a, b) × c（上限内）", "1.5"),
        ("m.r", "min(a, b - c) × c", "1.25"),
        ("m.r", "指定なし: a", "5"),
        ("m.r", "Σ a ÷ Σ b", "5/3"),
        ("m[x].r", "職員ごとの min(a, b)（per_worker の読み方）", "2"),
        ("m.r", "min(a, b) × c", "2"),          # drifted
        ("m.r", "max(0, b - a)", "-2"),         # drifted
        ("m[x].r", "a × c", "2.5"),             # [x].a is meant
        ("m.r", "floor_1000(2500)", "3000"),
        ("m.r", "各x の a の合計", "7"),
        ("m.r", "0（[m] a の指定なし）", "1"),
    ]
    good = [
        ("m.r", "min(a, b) × c", "1.5"),
        ("m.r", "max(0, b - a)", "0"),
        ("m[x].r", "a × c", "1"),
        ("m.r", "a × b × c ÷ 12", "5/8"),
        ("m.r", "[x].a + b", "5"),
        ("m.r", "half_up_1000(2500)", "3000"),
        ("m.r", "各xの a の合計", "2"),
    ]
    failed = []
    for name, rule, value in bad:
        step = {"step": name, "rule": rule, "value": value, "source_id": "s"}
        if check_step(step, trace) is None:
            failed.append(f"accepted: {rule!r} = {value}")
    for name, rule, value in good:
        step = {"step": name, "rule": rule, "value": value, "source_id": "s"}
        why = check_step(step, trace)
        if why:
            failed.append(f"refused: {rule!r} = {value}: {why}")
    for f in failed:
        print("self-test:", f)
    return not failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    # The examples and the measure tests must compute; the golden tests' case
    # files include cases kofu refuses, which have no trace to check.
    must = a.cases or sorted(glob.glob(os.path.join(a.root, "examples", "*.ini")) +
                             glob.glob(os.path.join(a.root, "tests", "measures", "*", "*.ini")))
    may = [] if a.cases else sorted(
        glob.glob(os.path.join(a.root, "tests", "golden", "*", "cases", "**", "*.ini"), recursive=True))
    if not must:
        sys.exit("no case files")
    if not self_test():
        return 1
    SEEN.clear()  # the coverage is the corpus's, not the self-test's
    errors, refused = [], set()
    for path in must + may:
        for lang in ("ja", "en"):
            errors += check_case(a.kofu, path, lang, refused if path in may else None)
    if not a.cases:
        errors += [f"no checked trace has a step of the form {k!r}" for k in KINDS if k not in SEEN]
    for e in errors:
        print(e)
    n = len(must) + len(may) - len(refused)
    print(f"check_rules: {n} cases ({len(refused)} refused, not traced), ja and en: "
          + (f"{len(errors)} step(s) not from a traced operation" if errors
             else "every step is the operation that computed it"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
