"""Score the running assistant on the evaluation set: pass rate overall and per category.

    .venv/bin/python -m tests.eval.score                 # starts its own servers with models/assistant.tar.gz
    .venv/bin/python -m tests.eval.score --url http://localhost:5005   # against a running `make run`
"""
from __future__ import annotations

import argparse
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


def load_cases(path: Path = EVAL_SET) -> List[dict]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    for c in cases:
        if not c.get("turns") or "expect" not in c or "category" not in c:
            raise ValueError(f"{path}: case {c.get('id')}: needs turns, expect and category")
    return cases


def _check(reply: str, expect: dict) -> List[str]:
    problems = [f"missing {s!r}" for s in expect.get("contains", []) if str(s) not in reply]
    problems += [f"unexpected {s!r}" for s in expect.get("not_contains", []) if str(s) in reply]
    return problems


def run_case(case: dict, send: Callable[[str, str], str]) -> List[str]:
    sender = f"eval-{case['id']}-{uuid.uuid4().hex[:8]}"
    problems: List[str] = []
    per_turn = {int(k): v for k, v in (case.get("expect_turns") or {}).items()}
    reply = ""
    for i, text in enumerate(case["turns"]):
        reply = send(sender, str(text))
        if i in per_turn:
            problems += [f"turn {i}: {p}" for p in _check(reply, per_turn[i])]
    problems += _check(reply, case["expect"])
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
    return {"passed": passed, "total": len(cases), "rate": passed / max(1, len(cases)),
            "categories": {k: {"passed": p, "total": n} for k, (p, n) in sorted(by_cat.items())},
            "failures": failures}


def report(result: Dict) -> str:
    lines = [f"eval: {result['passed']}/{result['total']} passed ({result['rate']:.1%})"]
    for cat, r in result["categories"].items():
        lines.append(f"  {cat:<8} {r['passed']:>3}/{r['total']:<3} ({r['passed'] / r['total']:.0%})")
    for f in result["failures"]:
        lines.append(f"  FAIL {f['id']}: {'; '.join(f['problems'])[:300]}")
    return "\n".join(lines)


def rest_sender(url: str) -> Callable[[str, str], str]:
    def send(sender: str, text: str) -> str:
        body = json.dumps({"sender": sender, "message": text}).encode()
        req = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return "\n".join(m.get("text", "") for m in json.load(r) if m.get("text"))
    return send


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--model", help="model to serve (default models/assistant.tar.gz)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cases = load_cases()
    if args.url:
        result = score(cases, rest_sender(args.url))
    else:
        from tests.support.servers import ROOT, Servers

        with Servers(Path(args.model) if args.model else ROOT / "models" / "assistant.tar.gz") as s:
            result = score(cases, s.send)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else report(result))
    return 0 if result["rate"] >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
