"""Differential check of imms_check::json::loads against CPython's json.loads.

Used by the ignored test `python_differential` in tests/json_loads.rs, which
writes one JSON object per line:

    {"body": "<text>", "rust": <outcome>}

where <outcome> is what the Rust parser did:

    {"decode": "<str(JSONDecodeError)>"}
    {"other": "recursion" | "int" | "decimal"}
    {"ok": <tagged tree>}

and a tagged tree is ["null"], ["bool", b], ["int", text], ["dec", text],
["float", "NaN" | "Infinity" | "-Infinity"], ["str", s], ["list", [trees]]
or ["dict", [[key, tree], ...]].

This script runs json.loads(body, parse_float=Decimal) on each body, compares,
prints each disagreement as a JSON line, and ends with a summary line
{"checked": N, "mismatches": M, "outcomes": {...}} (how many bodies ended in
each outcome). Python's lone surrogates U+D800..U+DFFF are compared with their
stand-ins in the Rust tree, U+10F800..U+10FFFF.

Usage: python3 tests/tools/json_differential.py CASES.jsonl
"""

import decimal
import json
import sys

FLOATS = {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}


def without_surrogates(text):
    """The text with each lone surrogate replaced by the Rust tree's stand-in."""
    return "".join(chr(0x10F800 + ord(c) - 0xD800) if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def same(tree, value):
    """Whether the Rust tagged tree denotes the Python value (iteratively)."""
    stack = [(tree, value)]
    while stack:
        t, v = stack.pop()
        tag = t[0]
        if tag == "null":
            ok = v is None
        elif tag == "bool":
            ok = isinstance(v, bool) and v == t[1]
        elif tag == "int":
            ok = type(v) is int and int(t[1]) == v
        elif tag == "dec":
            ok = isinstance(v, decimal.Decimal) and decimal.Decimal(t[1]).as_tuple() == v.as_tuple()
        elif tag == "float":
            ok = isinstance(v, float) and repr(v) == FLOATS.get(t[1])
        elif tag == "str":
            ok = isinstance(v, str) and t[1] == without_surrogates(v)
        elif tag == "list":
            ok = isinstance(v, list) and len(v) == len(t[1])
            if ok:
                stack.extend(zip(t[1], v))
        elif tag == "dict":
            ok = isinstance(v, dict) and [k for k, _ in t[1]] == [without_surrogates(k) for k in v]
            if ok:
                stack.extend(zip((c for _, c in t[1]), v.values()))
        else:
            ok = False
        if not ok:
            return False
    return True


def python_outcome(body):
    try:
        return "ok", json.loads(body, parse_float=decimal.Decimal)
    except json.JSONDecodeError as e:
        return "decode", str(e)
    except RecursionError:
        return "other", "recursion"
    except ValueError:
        return "other", "int"
    except decimal.InvalidOperation:
        return "other", "decimal"


def main(path):
    checked = mismatches = 0
    outcomes = {}
    with open(path, encoding="utf-8") as cases:
        for line in cases:
            case = json.loads(line)
            body, rust = case["body"], case["rust"]
            kind, value = python_outcome(body)
            checked += 1
            label = value.split(": line ")[0] if kind == "decode" else kind if kind == "ok" else value
            outcomes[label] = outcomes.get(label, 0) + 1
            if kind == "ok":
                agree = "ok" in rust and same(rust["ok"], value)
                shown = "<tree>"
            else:
                agree = rust.get(kind) == value
                shown = value
            if not agree:
                mismatches += 1
                rust_shown = rust if "ok" not in rust else {"ok": "<tree>"}
                print(json.dumps({"body": body[:300], "python": {kind: shown}, "rust": rust_shown}))
    print(json.dumps({"checked": checked, "mismatches": mismatches, "outcomes": outcomes}))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
