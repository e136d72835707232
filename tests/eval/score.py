"""Score the running assistant on the evaluation sets, each reported on its own: pass rate overall and per
category, whether single-turn questions that name enough facts are answered in the first reply, whether
questions that need no personal fact are answered without a question, and any 元 figure the knowledge
base cannot give.

    .venv/bin/python -m tests.eval.score                 # starts its own servers with models/assistant.tar.gz
    .venv/bin/python -m tests.eval.score --url http://localhost:5005   # against a running `make run`
    .venv/bin/python -m tests.eval.score --set blind_b   # one set

Sets (see README "Evaluation"): eval_set.yml (the project's own, written with the NLU data), blind_a.yml and
blind_b.yml (written from the source documents only, by writers who saw neither data/nlu/ nor this folder;
frozen; blind_b is held out: its failures are reported, never tuned on), blind_c1.yml / blind_c2.yml (set C,
conversations and voice-style messages, split at random: C1 for development, C2 held out), blind_d.yml (set D,
written the same way after issues 18–19's second round had changed the reader, to measure it: held out for
that round, development since), blind_e.yml (set E, written the same way at the start of the third round: held
out), blind_f.yml (set F, written the same way at the start of the fourth round: held out),
blind_g.yml (set G, written the same way in the fourth round, weighted to follow-ups: development),
blind_h.yml (set H, written the same way at the start of the fifth round: held out),
blind_i.yml (set I, written the same way in the fifth round, weighted to what-ifs, comparisons, general rules
and a second person: development),
blind_j.yml (set J, written the same way at the start of the sixth round: held out),
blind_k.yml (set K, written the same way in the sixth round, weighted to what-ifs, a second person, follow-ups
and general questions: development),
blind_l.yml (set L, written the same way at the start of the seventh round: held out),
blind_m.yml (set M, written the same way in the seventh round, weighted to what-ifs, families, policy follow-ups
and general questions: development),
blind_n.yml (set N, written the same way later in the seventh round, weighted to the categories the held-out sets
still fail most: development),
blind_o.yml (set O, written the same way at the start of the eighth round: held out),
blind_p.yml (set P, written the same way in the eighth round, weighted to what-ifs, corrections, comparisons,
follow-ups and voice input: development),
blind_q.yml (set Q, written the same way later in the eighth round, weighted to agency and item follow-ups,
comparisons, what-ifs, general and policy questions: development),
blind_r.yml (set R, written the same way at the start of the ninth round: held out),
blind_s.yml (set S, written the same way in the ninth round: development),
blind_t.yml (set T, written the same way at the start of the tenth round: held out),
blind_u.yml (set U, written the same way in the tenth round, weighted to a second relative in another city, 户口
stated as a fact, what-ifs, comparisons, voice input, couples and sums: development).
Multi-turn cases and voice-style cases are also reported on their own.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import sys
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List

import yaml

HERE = Path(__file__).resolve().parent
EVAL_SET = HERE / "eval_set.yml"
SETS = {
    "old": EVAL_SET,
    "blind_a": HERE / "blind_a.yml",
    "blind_b": HERE / "blind_b.yml",
    "blind_c1": HERE / "blind_c1.yml",
    "blind_c2": HERE / "blind_c2.yml",
    "blind_d": HERE / "blind_d.yml",
    "blind_e": HERE / "blind_e.yml",
    "blind_f": HERE / "blind_f.yml",
    "blind_g": HERE / "blind_g.yml",
    "blind_h": HERE / "blind_h.yml",
    "blind_i": HERE / "blind_i.yml",
    "blind_j": HERE / "blind_j.yml",
    "blind_k": HERE / "blind_k.yml",
    "blind_l": HERE / "blind_l.yml",
    "blind_m": HERE / "blind_m.yml",
    "blind_n": HERE / "blind_n.yml",
    "blind_o": HERE / "blind_o.yml",
    "blind_p": HERE / "blind_p.yml",
    "blind_q": HERE / "blind_q.yml",
    "blind_r": HERE / "blind_r.yml",
    "blind_s": HERE / "blind_s.yml",
    "blind_t": HERE / "blind_t.yml",
    "blind_u": HERE / "blind_u.yml",
}
# Scored only: their failures are counted, never read to tune the assistant.
HELD_OUT = (
    "blind_b",
    "blind_c2",
    "blind_e",
    "blind_f",
    "blind_h",
    "blind_j",
    "blind_l",
    "blind_o",
    "blind_r",
    "blind_t",
)
TARGETS = {
    "old": 0.98,
    "blind_a": 0.95,
    "blind_b": 0.95,
    "blind_c1": 0.98,
    "blind_c2": 0.95,
    "blind_d": 0.95,
    "blind_e": 0.95,
    "blind_f": 0.95,
    "blind_g": 0.95,
    "blind_h": 0.95,
    "blind_i": 0.95,
    "blind_j": 0.95,
    "blind_k": 0.95,
    "blind_l": 0.95,
    "blind_m": 0.95,
    "blind_n": 0.95,
    "blind_o": 0.95,
    "blind_p": 0.95,
    "blind_q": 0.95,
    "blind_r": 0.95,
    "blind_s": 0.95,
    "blind_t": 0.95,
    "blind_u": 0.95,
}


def load_cases(path: Path = EVAL_SET) -> List[dict]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    for c in cases:
        if not c.get("turns") or "expect" not in c or "category" not in c:
            raise ValueError(f"{path}: case {c.get('id')}: needs turns, expect and category")
    return cases


def _check(reply: str, expect: dict) -> List[str]:
    problems = [f"missing {s!r}" for s in expect.get("contains", []) if str(s) not in reply]
    problems += [
        f"missing one of {group!r}" for group in expect.get("any_of", []) if not any(str(s) in reply for s in group)
    ]
    problems += [f"unexpected {s!r}" for s in expect.get("not_contains", []) if str(s) in reply]
    return problems


def asks(reply: str) -> bool:
    """Whether a reply asks the user something (a question mark)."""
    return "？" in reply or "?" in reply


def unknown_figures(reply: str) -> List[float]:
    """元 figures no answer built from the knowledge base can state (any city)."""
    from tests.support.hostile import corpus

    known = _known_figures()
    said = corpus.yuan_figures(reply)
    # A household's sum is the sum of the people's totals the same reply states (two to four of them).
    sums = {sum(c) for n in (2, 3, 4) for c in itertools.combinations([x for x in said if x in known], n)}
    return [x for x in said if x not in known and x not in sums]


@functools.lru_cache(maxsize=1)
def _known_figures() -> frozenset:
    from tests.support.hostile import corpus

    return frozenset().union(*(corpus.city_yuan_figures(c) for c in corpus.city_files()))


def run_case(case: dict, send: Callable[[str, str], str]) -> List[str]:
    sender = f"eval-{case['id']}-{uuid.uuid4().hex[:8]}"
    problems: List[str] = []
    per_turn = {int(k): v for k, v in (case.get("expect_turns") or {}).items()}
    reply = ""
    for i, text in enumerate(case["turns"]):
        reply = send(sender, str(text))
        if i in per_turn:
            problems += [f"turn {i}: {p}" for p in _check(reply, per_turn[i])]
        problems += [f"turn {i}: figure {x:g}元 not in the knowledge base" for x in unknown_figures(reply)]
    problems += _check(reply, case["expect"])
    if case.get("asks_nothing") and asks(reply):
        problems.append("asked a question where none was needed")
    if not reply.strip():
        problems.append("empty reply")
    return problems


def score(cases: List[dict], send: Callable[[str, str], str]) -> Dict:
    by_cat: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for case in cases:
        try:
            problems = run_case(case, send)
        except Exception as exc:  # a crash or time-out is a failed case, not a stopped run
            problems = [f"error: {exc!r}"]
        by_cat[case["category"]][1] += 1
        if problems:
            failures.append({"id": case["id"], "turns": case["turns"], "problems": problems})
        else:
            by_cat[case["category"]][0] += 1
    passed = sum(p for p, _ in by_cat.values())
    failed_ids = {f["id"] for f in failures}
    first = [c for c in cases if c.get("enough_facts") and len(c["turns"]) == 1]
    figures = sum(1 for f in failures for p in f["problems"] if "not in the knowledge base" in p)
    kinds = {
        "multi-turn": [c for c in cases if len(c["turns"]) > 1],
        "voice": [c for c in cases if c.get("style") == "voice"],
    }
    return {
        "passed": passed,
        "total": len(cases),
        "rate": passed / max(1, len(cases)),
        "kinds": {
            k: {"passed": sum(1 for c in cs if c["id"] not in failed_ids), "total": len(cs)}
            for k, cs in kinds.items()
            if cs
        },
        "categories": {k: {"passed": p, "total": n} for k, (p, n) in sorted(by_cat.items())},
        "answered_first": {"passed": sum(1 for c in first if c["id"] not in failed_ids), "total": len(first)},
        "unknown_figures": figures,
        "failures": failures,
    }


def report(result: Dict, name: str = "eval") -> str:
    first = result["answered_first"]
    lines = [
        f"{name}: {result['passed']}/{result['total']} passed ({result['rate']:.1%}); "
        f"answered in the first reply {first['passed']}/{first['total']}; "
        f"figures not in the knowledge base: {result['unknown_figures']}"
    ]
    for kind, r in result.get("kinds", {}).items():
        lines.append(f"  [{kind}] {r['passed']}/{r['total']} ({r['passed'] / r['total']:.0%})")
    for cat, r in result["categories"].items():
        lines.append(f"  {cat:<8} {r['passed']:>3}/{r['total']:<3} ({r['passed'] / r['total']:.0%})")
    for f in result["failures"]:
        lines.append(f"  FAIL {f['id']}: {'; '.join(f['problems'])[:300]}")
    return "\n".join(lines)


def rest_sender(url: str) -> Callable[[str, str], str]:
    def send(sender: str, text: str) -> str:
        body = json.dumps({"sender": sender, "message": text}).encode()
        req = urllib.request.Request(
            f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            return "\n".join(m.get("text", "") for m in json.load(r) if m.get("text"))

    return send


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--model", help="model to serve (default models/assistant.tar.gz)")
    parser.add_argument("--set", choices=sorted(SETS), action="append", help="default: every set")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    chosen = {name: load_cases(SETS[name]) for name in (args.set or SETS)}

    def run_all(send: Callable[[str, str], str]) -> Dict[str, Dict]:
        return {name: score(cases, send) for name, cases in chosen.items()}

    if args.url:
        results = run_all(rest_sender(args.url))
    else:
        from tests.support.servers import ROOT, Servers

        with Servers(Path(args.model) if args.model else ROOT / "models" / "assistant.tar.gz", in_process=True) as s:
            results = run_all(s.send)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print("\n\n".join(report(r, name) for name, r in results.items()))
    return 0 if all(r["rate"] >= TARGETS[name] for name, r in results.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
