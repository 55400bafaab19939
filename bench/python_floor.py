#!/usr/bin/env python3
"""The Python floor: json.loads + json.dumps of each request body, nothing else.

The bodies come from a conformance corpus (one {"name", "request", "expect"} per line)
and are grouped by the service's answer, with the same categories as the Rust and
Node benchmarks (plus "rejected" = every non-accepted body, and "all").

    python3 bench/python_floor.py CORPUS.jsonl [ROUNDS]
        prints one JSON object: per category, the median wall-clock and CPU
        microseconds per body over ROUNDS timed passes (after one warm-up pass).

    python3 bench/python_floor.py CORPUS.jsonl --serve
        the benchmarks' mode: reads a category name per line on standard input
        (optionally followed by a number of milliseconds: passes are then repeated
        until they fill that time), times one pass over that category's bodies and
        answers "WALL_US CPU_US" per body, so that the caller can interleave its own
        passes with Python's.
"""
import json
import statistics
import sys
import time


def category(expect):
    status = expect.get("status")
    diagnostics = expect.get("diagnostics") or ""
    if status in (200, 201):
        return "accepted"
    if status == 500:
        return "server-error"
    if diagnostics.startswith("Request's body contains malformed JSON"):
        return "malformed-json"
    if " for Immunization\n" in diagnostics:
        return "structure"
    if diagnostics.startswith("Validation errors: "):
        return "validation"
    return "other-400"


def floor(body):
    try:
        json.dumps(json.loads(body))
    except (ValueError, RecursionError):
        pass


def groups_of(path):
    groups = {}
    with open(path, encoding="utf-8") as corpus:
        for line in corpus:
            if not line.strip():
                continue
            scenario = json.loads(line)
            body = scenario["request"].get("body", "")
            groups.setdefault(category(scenario["expect"]), []).append(body)
    groups["rejected"] = [b for name, bodies in groups.items() if name != "accepted" for b in bodies]
    groups["all"] = groups.get("accepted", []) + groups["rejected"]
    return groups


def one_pass(bodies, min_seconds=0.0):
    """Microseconds per body (wall, CPU) for one pass, or for as many passes as it
    takes to fill min_seconds."""
    wall, cpu = time.perf_counter(), time.thread_time()
    done = 0
    while True:
        for body in bodies:
            floor(body)
        done += len(bodies)
        if time.perf_counter() - wall >= min_seconds:
            break
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    return wall * 1e6 / done, cpu * 1e6 / done


def main():
    path = sys.argv[1]
    groups = groups_of(path)
    for bodies in groups.values():
        for body in bodies:
            floor(body)
    if len(sys.argv) > 2 and sys.argv[2] == "--serve":
        print("ready python " + sys.version.split()[0], flush=True)
        for line in sys.stdin:
            # "CATEGORY" or "CATEGORY MIN_MS": one pass, or passes filling MIN_MS.
            name, _, min_ms = line.strip().partition(" ")
            bodies = groups.get(name)
            if not bodies:
                print("0 0", flush=True)
                continue
            wall, cpu = one_pass(bodies, float(min_ms or 0) / 1000)
            print(f"{wall:.4f} {cpu:.4f}", flush=True)
        return
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    result = {"python": sys.version.split()[0]}
    for name, bodies in groups.items():
        passes = [one_pass(bodies) for _ in range(rounds)]
        result[name] = {
            "requests": len(bodies),
            "wall_us": statistics.median(p[0] for p in passes),
            "cpu_us": statistics.median(p[1] for p in passes),
        }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
