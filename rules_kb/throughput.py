"""Engine throughput: evaluations per second over a mix of realistic profiles. Prints figures; asserts nothing.

python -m rules_kb.throughput [--seconds 3]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

from .engine import evaluate, make_profile
from .schema import default_kb

MIX = [
    ("枣庄", 85, ["低保"], None, None),
    ("济宁", 72, [], None, None),
    ("滕州", 101, ["特困", "失能"], 3, None),
    ("曲阜", 66, ["低保", "独居"], 2, None),
    ("临清", 90, ["经济困难", "失能"], None, None),
    ("济宁", 63, ["失独"], None, 2),
    ("聊城", 81, ["低保", "空巢"], 1, None),
    ("枣庄", 59, [], None, None),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    kb = default_kb()
    load_ms = (time.perf_counter() - t0) * 1000
    profiles = [make_profile(kb, c, a, s, (), g, d) for c, a, s, g, d in MIX]
    for p in profiles:  # warm-up
        evaluate(kb, p)
    rounds = []
    deadline = time.perf_counter() + args.seconds
    for p in itertools.cycle(profiles):
        start = time.perf_counter()
        for _ in range(50):
            evaluate(kb, p)
        rounds.append((time.perf_counter() - start) / 50)
        if time.perf_counter() > deadline:
            break
    mean = statistics.fmean(rounds)
    print(f"KB load + validation: {load_ms:.1f} ms")
    print(f"profiles in mix: {len(profiles)}; evaluations: {len(rounds) * 50}")
    print(
        f"per evaluation: mean {mean * 1e3:.3f} ms, p50 {statistics.median(rounds) * 1e3:.3f} ms, "
        f"p95 {sorted(rounds)[int(len(rounds) * 0.95)] * 1e3:.3f} ms"
    )
    print(f"throughput: {1 / mean:,.0f} evaluations/s (one core)")


if __name__ == "__main__":
    main()
