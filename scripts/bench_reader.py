"""The time to read a message: the normaliser and the entity extractor (exact and phonetic lookup, ages), the
part of NLU this project writes, in process, per message. Prints p50 / mean / p90 in ms over the bench's own
messages (scripts/bench.OURS) and over voice-style messages (no punctuation, numbers in words, homophones);
asserts nothing.

    .venv/bin/python -m scripts.bench_reader [--rounds 300]

`python -m scripts.profile_turn` times the whole NLU stage (also jieba, the featurizers, the classifier) in Rasa.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Dict, List

from bot.nlu.extractor import _EXTRACTED, extract
from bot.nlu.normaliser import normalize
from rules_kb import default_kb

# Written for this measurement (not from any evaluation set): how speech recognition writes questions.
VOICE = [
    "俺娘七十六邹成的底保一个月能领多少",
    "俺爹八十五滕洲的低保有啥补贴",
    "聊成的高零津贴找哪个部门",
    "计宁的护理不贴咋申请",
    "我妈特坤在家住能力平估二级",
    "俺爷爷九十读居枣庄的能享受啥",
    "那要是在聊成呢一样不",
    "俺娘八十三了汶上的吃低保每个月多少钱",
]


def timed(messages: List[str], rounds: int) -> Dict[str, float]:
    kb = default_kb()
    for m in messages:  # warm: caches of readings and the indexes
        extract(normalize(m), kb)
    times = []
    for _ in range(rounds):
        for m in messages:
            # a message is read once per turn: the caches that keep one turn's reading for the action are emptied,
            # or this would time a dictionary lookup (the indexes built once per process stay)
            _EXTRACTED.clear()
            normalize.cache_clear()
            start = time.perf_counter()
            extract(normalize(m), kb)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "mean": statistics.mean(times), "p90": times[int(len(times) * 0.9)]}


def main() -> None:
    from scripts.bench import OURS

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    typed = [t for conversation in OURS for t in conversation]
    for name, messages in (("bench messages", typed), ("voice-style messages", VOICE)):
        r = timed(messages, args.rounds)
        print(f"{name:<22} ({len(messages)}): p50 {r['p50']:.3f} ms  mean {r['mean']:.3f} ms  p90 {r['p90']:.3f} ms")


if __name__ == "__main__":
    main()
