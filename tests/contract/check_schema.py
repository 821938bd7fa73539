#!/usr/bin/python3
"""Checks kofu's JSON output against the output contract, schema/kofu-result.schema.json
(JSON Schema draft 2020-12), with Debian's python3-jsonschema.

usage: kofu calc --format json CASE... | check_schema.py
       check_schema.py FILE          (an object, an array of objects, or JSON Lines)
A JSON Lines line with "error" (a case `kofu batch` could not compute) is checked
against $defs/batch_error. Exit 0 when every object keeps the contract; otherwise
each problem is printed (with its place in the object) and the exit code is 1.
Run it with /usr/bin/python3: the jsonschema module is Debian's.
"""
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema",
                      "kofu-result.schema.json")


def validators():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    error_schema = {"$ref": "#/$defs/batch_error", "$defs": schema["$defs"]}
    return cls(schema), cls(error_schema)


def objects(text):
    try:
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def problems(obj, result, error_line):
    v = error_line if isinstance(obj, dict) and "error" in obj and "format" not in obj else result
    for e in sorted(v.iter_errors(obj), key=lambda e: list(e.absolute_path)):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
        yield f"{where or '(the object)'}: {e.message}"


def main():
    text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else sys.stdin.read()
    result, error_line = validators()
    objs = objects(text)
    bad = 0
    for n, obj in enumerate(objs):
        found = list(problems(obj, result, error_line))
        if found:
            bad += 1
            name = obj.get("case", obj.get("file", "?")) if isinstance(obj, dict) else "?"
            print(f"result {n} ({name}):")
            for p in found:
                print("   ", p)
    print(f"{len(objs)} results, {bad} off the contract")
    sys.exit(1 if bad or not objs else 0)


if __name__ == "__main__":
    main()
