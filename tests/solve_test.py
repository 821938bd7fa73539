#!/usr/bin/env python3
"""`kofu solve` against a brute-force scan.

For each problem (a case, the input to find, a target, values set first) the
answer of `kofu solve --format json` is compared with a scan of every grid
point by `kofu sweep --format csv` (each point computed exactly as a case
file would be): the answer must be the first point of the scan that reaches
the target (the last, when the amount falls as the input grows), the step
next to it must miss it, and the amounts solve prints at both must be those
the sweep computed there. Problems without an answer must have none in the
scan either.

usage: solve_test.py --kofu PATH [--root DIR]
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

FAILURES = []

PLAN = "examples/cooperative-plan.ini"
SIMPLE = "tests/golden/sweep/cases/simple-five.ini"
FOUNDERS = "examples/cooperative-founders.ini"

# (case, --for, target amount, target value, --set list, scan range, extra args)
PROBLEMS = [
    (PLAN, "cooperative.hourly_fee", "cooperative.balance", 0, [], "0:3000:1", []),
    (PLAN, "cooperative.hourly_fee", "cooperative.balance", 1000000, [], "0:3000:1", []),
    (PLAN, "cooperative.utilization", "cooperative.balance", 0, [], "0%:100%:0.1%", []),
    (PLAN, "cooperative.utilization", "cooperative.balance", 0, ["cooperative.hourly_fee=1800"],
     "0%:100%:0.1%", []),
    (PLAN, "cooperative.utilization", "cooperative.balance", 0, ["cooperative.hourly_fee=1200"],
     "0%:100%:0.1%", []),  # no answer
    (PLAN, "cooperative.workers", "cooperative.balance", 0, [], "1:40:1", []),
    (PLAN, "cooperative.workers", "cooperative.balance", 0, ["cooperative.hourly_fee=1500"], "1:40:1", []),
    (PLAN, "cooperative.workers", "cooperative.balance", 0, ["cooperative.hourly_fee=1400"], "1:40:1",
     ["--template-worker", "a"]),  # each copy of a loses money: the largest head count
    (SIMPLE, "cooperative.hourly_fee", "cooperative.balance", 0, [], "0:3000:1", []),
    (SIMPLE, "cooperative.utilization", "cooperative.balance", 0, [], "0%:100%:0.1%", []),
    (SIMPLE, "cooperative.workers", "cooperative.balance", 0, ["cooperative.hourly_fee=1100"], "1:60:1", []),
    (SIMPLE, "cooperative.workers", "cooperative.balance", 3000000, [], "1:60:1", []),
    (SIMPLE, "cooperative.workers", "cooperative.balance", 0,
     ["cooperative.hourly_fee=1100", "cooperative.municipal_subsidy=10000000"], "1:60:1", []),
     # each worker loses 1,816,000 yen against a fixed subsidy: the largest head count
    (FOUNDERS, "cooperative.usage_fee_income", "cooperative.balance", 0, [], "12146000:12155000:1", []),
    (FOUNDERS, "cooperative.secretariat_cost", "cooperative.balance", -500000, [], "4695000:4704000:1",
     []),
]


def run(kofu, root, *args):
    env = dict(os.environ)
    for k in ("KOFU_LANG", "KOFU_RULES"):
        env.pop(k, None)
    p = subprocess.run([kofu, *args], cwd=root, env=env, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL {what}")
    return cond


def scan(kofu, root, case, key, amount, sets, rng, extra):
    """The sweep's value of `amount` at every grid point, in order."""
    with tempfile.TemporaryDirectory() as tmp:
        path = case
        if sets:
            # a copy of the case with the --set values written in
            text = open(os.path.join(root, case), encoding="utf-8").read()
            for s in sets:
                k, v = s.split("=", 1)
                section, name = k.rsplit(".", 1)
                lines, out, inside, done = text.splitlines(), [], False, False
                for line in lines:
                    if inside and not done and line.split("=")[0].strip() == name:
                        line, done = f"{name} = {v}", True
                    if line.strip().startswith("["):
                        if inside and not done:
                            out.append(f"{name} = {v}")
                            done = True
                        inside = line.strip() == f"[{section}]"
                    out.append(line)
                if inside and not done:
                    out.append(f"{name} = {v}")
                text = "\n".join(out) + "\n"
            path = os.path.join(tmp, "case.ini")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        rc, out, err = run(kofu, root, "sweep", "--format", "csv", "--header", "keys", path, "--vary", f"{key}={rng}",
                           "--show", amount, *extra)
        check(rc == 0, f"scan {case} {key}: exit {rc}: {err[:300]}")
        rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
        return [(r[f"vary:{key}"], int(r[amount]) if r[amount] else None) for r in rows]


def grid_value(key, text):
    """The scan's value written as solve writes it."""
    if key == "cooperative.utilization":
        num = text.rstrip("%")
        whole, _, frac = num.partition(".")
        permille = int(whole) * 10 + (int(frac[:1]) if frac else 0)
        return permille
    return int(text)


def solve_value(key, value):
    if value is None:
        return None
    if key == "cooperative.utilization":
        whole, _, frac = value.partition(".")
        return int(whole) * 1000 + int((frac + "000")[:3])
    return int(value)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    a = ap.parse_args()
    kofu = os.path.abspath(a.kofu)
    for case, key, amount, target, sets, rng, extra in PROBLEMS:
        what = f"{case} --for {key} --target {amount}={target} {' '.join(sets)} {' '.join(extra)}"
        args = ["solve", "--format", "json", case, "--for", key, "--target", f"{amount}={target}", *extra]
        for s in sets:
            args += ["--set", s]
        rc, out, err = run(kofu, a.root, *args)
        if not check(rc == 0, f"{what}: solve exit {rc}: {err[:300]}"):
            continue
        got = json.loads(out)
        points = scan(kofu, a.root, case, key, amount, sets, rng, extra)
        if not check(points and all(y is not None for _, y in points), f"{what}: scan computed"):
            continue
        xs = [grid_value(key, x) for x, _ in points]
        if key == "cooperative.utilization":
            xs = [x for x in xs]  # permille
        ys = [y for _, y in points]
        meets = [y >= target for y in ys]
        # the boundary the scan sees: first meeting point after a miss (rising),
        # or the last meeting point before a miss (falling)
        rising = ys[-1] >= ys[0]
        if rising:
            idx = next((i for i, m in enumerate(meets) if m), None)
            other = idx - 1 if idx is not None and idx > 0 else None
        else:
            last = [i for i, m in enumerate(meets) if m]
            idx = last[-1] if last else None
            other = idx + 1 if idx is not None and idx + 1 < len(xs) else None
        value = solve_value(key, got["value"] if not isinstance(got["value"], int) else str(got["value"]))
        if key == "cooperative.utilization":
            value = None if value is None else value  # thousandths == permille
        if idx is None:
            if check(value is None, f"{what}: scan finds no answer, solve says {got['value']}"):
                print(f"ok {what}: no answer in either")
            continue
        if not check(value == xs[idx], f"{what}: solve {got['value']} == scan {points[idx][0]}"):
            continue
        check(got["at"][amount] == ys[idx], f"{what}: amount at the answer {got['at'][amount]} == {ys[idx]}")
        if other is not None:
            check(got["below"] is not None and got["below"][amount] == ys[other],
                  f"{what}: amount at the step next to it == {ys[other]}")
            check(solve_value(key, str(got["below_value"])) == xs[other],
                  f"{what}: the step next to it is {points[other][0]}")
        check(got["evaluations"] <= 40, f"{what}: {got['evaluations']} evaluations, not a scan")
        print(f"ok {what}: {got['value']} ({got['evaluations']} evaluations; scan of {len(xs)} points)")
    print(f"{len(PROBLEMS)} problems, {len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
