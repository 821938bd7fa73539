#!/usr/bin/env python3
"""One read of each file: a case file rewritten in a loop while kofu reads it
gives either the result of one version or a clean error, never a mixture.

Two versions of the same length differ in one byte: A is valid
(eligible_cost = 18500000), B is refused by kofu's scanner
(eligible_cost = 1850000#0: a comment glued to the value), though iniparser
alone would read it as 1850000. While a writer flips that byte in place, kofu
calc runs again and again: exit 0 must show A's amount, anything else must be
exit 3 naming the glued comment. Before kofu handed iniparser its own buffer,
iniparser reopened the file and a run could validate A yet compute B's
1850000 with exit 0.

usage: reread_test.py --kofu PATH --root DIR [--runs N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading

A = b"18500000"
B = b"1850000#"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--runs", type=int, default=300)
    a = ap.parse_args()
    text = (b"[case]\nid = reread\nfiscal_year = R4\n\n[network]\neligible_cost = " + A +
            b"\nict = yes\n")
    at = text.index(A)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "case.ini")
        with open(path, "wb") as f:
            f.write(text)
        stop = threading.Event()

        def flip():
            fd = os.open(path, os.O_WRONLY)
            flips = 0
            while not stop.is_set():
                os.pwrite(fd, B if flips % 2 == 0 else A, at)
                flips += 1
            os.pwrite(fd, A, at)
            os.close(fd)

        writer = threading.Thread(target=flip)
        writer.start()
        seen = {"A": 0, "error": 0}
        bad = []
        try:
            for _ in range(a.runs):
                p = subprocess.run([a.kofu, "--lang", "en", "calc", "--format", "json", path],
                                   capture_output=True)
                if p.returncode == 0:
                    out = json.loads(p.stdout)
                    cost = out["measures"]["network"]["projects"][0]["eligible_cost"]
                    if cost == 18500000:
                        seen["A"] += 1
                    else:
                        bad.append(f"exit 0 with eligible_cost {cost}: a mixture")
                elif p.returncode == 3 and b"starts a comment" in p.stderr:
                    seen["error"] += 1
                else:
                    bad.append(f"exit {p.returncode}: {p.stderr.decode(errors='replace')[:200]}")
        finally:
            stop.set()
            writer.join()
    print(f"{a.runs} runs: {seen['A']} gave version A's result, {seen['error']} a clean error "
          f"(version B), {len(bad)} anything else")
    for b in bad[:5]:
        print("FAIL:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
