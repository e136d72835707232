"""How fast the case-code store answers lookups under load, and what the review queue costs per turn.

    .venv/bin/python -m scripts.casework_bench                  # SQLite in a temporary directory
    .venv/bin/python -m scripts.casework_bench --url postgresql://user:pw@host:5432/db   # another database
    .venv/bin/python -m scripts.casework_bench --codes 20000 --seconds 10 --workers 2

Lookups: `--workers` processes (each its own engine, as the Rasa processes would have) look codes up for
`--seconds`, half of them existing codes and half wrong ones, as fast as they can. Queue: the time of one
ReviewQueue.add (what a turn that enters the queue pays, in a worker thread of the action server) and of the
triage decision every turn pays (bot.handoff.triage.entry_for for an answered turn: no database call).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

from bot.handoff import codes, triage
from bot.handoff.cases import CaseStore
from bot.handoff.db import engine_for
from bot.handoff.review import Entry, ReviewQueue
from bot.handoff.settings import HandoffSettings

SNAPSHOT = {
    "channel": "wechat",
    "profile": {"city": "枣庄", "age": 85, "statuses": ["低保"]},
    "turns": [{"q": "我父亲85岁，枣庄的低保户，能领什么？", "a": "您父亲（枣庄，85周岁，低保）……" * 20}] * 6,
}


def _lookups(args: Tuple[str, List[str], float, int]) -> Tuple[int, int]:
    url, known, seconds, seed = args
    store = CaseStore(engine_for(url), HandoffSettings())
    rng = random.Random(seed)
    done = hits = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        code = rng.choice(known) if rng.random() < 0.5 else codes.new_code()
        hits += store.lookup(code) is not None
        done += 1
    return done, hits


def percentile(values: List[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="SQLAlchemy URL (default: SQLite in a temporary directory)")
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--entries", type=int, default=2_000)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='casework-bench-')) / 'trackers.db'}"
    print(f"database: {url.split('@')[-1]}")

    store = CaseStore(engine_for(url), HandoffSettings())
    start = time.perf_counter()
    known = [store.create(SNAPSHOT) for _ in range(args.codes)]
    took = time.perf_counter() - start
    print(
        f"codes created: {args.codes} in {took:.1f} s ({args.codes / took:,.0f}/s, "
        f"{1000 * took / args.codes:.2f} ms each; snapshot {len(str(SNAPSHOT).encode())} bytes)"
    )

    sample = known[:2000]
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        results = pool.map(_lookups, [(url, sample, args.seconds, i) for i in range(args.workers)])
    total = sum(n for n, _ in results)
    hits = sum(h for _, h in results)
    print(
        f"lookups: {total / args.seconds:,.0f}/s with {args.workers} processes for {args.seconds:g} s "
        f"({hits} hits, {total - hits} wrong codes; {args.codes} live codes)"
    )

    queue = ReviewQueue(engine_for(url), HandoffSettings())
    entry = Entry(
        "wechat",
        "not_understood",
        "俺娘那个钱咋还不发 身份证372901195203154321",
        intent="inform",
        confidence=0.41,
        city="枣庄",
        item="高龄津贴",
        reply="utter_default",
    )
    costs = []
    for _ in range(args.entries):
        t = time.perf_counter()
        queue.add(entry)
        costs.append(1000 * (time.perf_counter() - t))
    print(
        f"queue write (a turn that enters the queue): mean {statistics.mean(costs):.2f} ms, "
        f"p50 {percentile(costs, 50):.2f} ms, p95 {percentile(costs, 95):.2f} ms over {args.entries} writes"
    )

    said = triage.said({"intent": {"name": "ask_item", "confidence": 0.9}}, "枣庄高龄津贴多少钱", 0.3)
    n = 100_000
    t = time.perf_counter()
    for _ in range(n):
        triage.entry_for(
            now_said=said,
            kind="item",
            reply_text="枣庄·高龄津贴：…",
            reply_response=None,
            handoff=None,
            channel="rest",
            city="枣庄",
            item="高龄津贴",
            feedback_on=None,
            low_confidence=0.3,
        )
    per = 1e6 * (time.perf_counter() - t) / n
    print(f"queue decision (every turn; answered turns write nothing): {per:.1f} µs per turn")


if __name__ == "__main__":
    main()
