"""Issue 19's comparison of readers: the rules of bot.dialogue.question against the kind classifier trained on
generated examples (bot.nlu.kind_classifier), alone (`model`) and where the rules guess (`hybrid`); see
bot/dialogue/reader.py for the modes. Prints:

1. the classifier on its own generated examples: accuracy on a random held-out fifth, and on whole templates held
   out (each template's examples scored by a classifier trained without that template: a fairer test of new
   phrasing), kind and kind+aspect; the learned item roles (bot.nlu.item_roles) on a held-out fifth of theirs,
   beside the rules' stated_items on the same examples;
2. the reading time per message: the classifier alone, and read_question in each mode (p50 / p90 ms);
3. unless --no-eval, the evaluation sets scored in each mode (rules, model, hybrid, and roles: the rules' kinds with
   the learned item roles) (tests.eval.score, its own servers each time, a few
   minutes per mode): pass rate, multi-turn, voice, and the cases that pass with the rules and fail in the mode,
   counted per set (named only for the development sets: held-out sets are never read case by case).

    .venv/bin/python -m scripts.compare_reader [--no-eval] [--modes rules model hybrid] [--json out.json]

YANGLAO_TODAY is set to 2026-11-27 for the evaluation unless given, as in docs/measurements.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from tests.eval.score import HELD_OUT

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_FOLDS = 5


def _accuracy(pairs: Sequence[Tuple[str, str]], predicted: Sequence[str]) -> Tuple[float, float]:
    label = sum(p == g for (_, g), p in zip(pairs, predicted)) / max(1, len(pairs))
    kind = sum(p.split("/")[0] == g.split("/")[0] for (_, g), p in zip(pairs, predicted)) / max(1, len(pairs))
    return kind, label


def classifier_accuracy() -> Dict[str, float]:
    from bot.nlu.kind_classifier import KindClassifier, split
    from bot.nlu.kind_examples import generate_tagged
    from bot.nlu.normaliser import normalize

    seen: set = set()
    tagged = []
    for t, label, template in generate_tagged():  # normalised, each text once, as kind_classifier.examples()
        text = normalize(t)
        if text not in seen:
            seen.add(text)
            tagged.append((text, label, template))
    pairs = [(t, label) for t, label, _ in tagged]
    train, held = split(pairs)
    start = time.perf_counter()
    clf = KindClassifier(train)
    train_s = time.perf_counter() - start
    random_kind, random_label = _accuracy(held, [clf.read(t).label for t, _ in held])
    # whole templates held out, in folds (fixed phrases such as 谢谢 are their own template: the hardest case)
    templates = sorted({template for _, _, template in tagged})
    gold: List[Tuple[str, str]] = []
    predicted: List[str] = []
    for fold in range(TEMPLATE_FOLDS):
        out = set(templates[fold::TEMPLATE_FOLDS])
        clf_fold = KindClassifier([(t, label) for t, label, tp in tagged if tp not in out])
        for t, label, tp in tagged:
            if tp in out:
                gold.append((t, label))
                predicted.append(clf_fold.read(t).label)
    tpl_kind, tpl_label = _accuracy(gold, predicted)
    return {
        "examples": len(pairs),
        "train_seconds": train_s,
        "random_kind": random_kind,
        "random_label": random_label,
        "template_kind": tpl_kind,
        "template_label": tpl_label,
    }


def roles_accuracy() -> Dict[str, float]:
    from bot.dialogue.question import stated_items
    from bot.nlu import item_roles
    from bot.nlu.extractor import extract
    from rules_kb import default_kb

    kb = default_kb()
    train, held = item_roles.split(item_roles.generate(kb))
    clf = item_roles.RoleClassifier(train)
    model_right = sum(clf.stated(t, s, e) == (r == item_roles.STATED) for t, s, e, r in held)

    def by_rules(text: str, start: int) -> bool:
        found = getattr(stated_items, "__wrapped__")(text, extract(text, kb))  # the rules, whatever YANGLAO_ROLES says
        return any(x.start == start for x in found)

    rules_right = sum(by_rules(t, s) == (r == item_roles.STATED) for t, s, e, r in held)
    return {"examples": len(train) + len(held), "model": model_right / len(held), "rules": rules_right / len(held)}


def _percentiles(times: List[float]) -> Dict[str, float]:
    times.sort()
    return {"p50": statistics.median(times), "p90": times[int(len(times) * 0.9)]}


def reading_times(rounds: int = 100) -> Dict[str, Dict[str, float]]:
    from bot.dialogue import question
    from bot.nlu import kind_classifier
    from bot.nlu.extractor import _EXTRACTED
    from bot.nlu.normaliser import normalize
    from rules_kb import default_kb
    from scripts.bench import OURS
    from scripts.bench_reader import VOICE

    kb = default_kb()
    messages = [normalize(t) for conversation in OURS for t in conversation] + [normalize(t) for t in VOICE]
    clf = kind_classifier.trained()
    out: Dict[str, Dict[str, float]] = {}
    times: List[float] = []
    for _ in range(rounds):
        for m in messages:
            start = time.perf_counter()
            clf.read(m)
            times.append((time.perf_counter() - start) * 1000)
    out["classifier alone"] = _percentiles(times)
    saved = os.environ.get("YANGLAO_READER")
    try:
        for mode in ("rules", "model", "hybrid"):
            os.environ["YANGLAO_READER"] = mode
            times = []
            for _ in range(max(1, rounds // 5)):
                for m in messages:
                    _EXTRACTED.clear()  # each message read afresh, as in a new turn
                    start = time.perf_counter()
                    question.read_question(m, "", kb)
                    times.append((time.perf_counter() - start) * 1000)
            out[f"read_question, {mode}"] = _percentiles(times)
    finally:
        if saved is None:
            os.environ.pop("YANGLAO_READER", None)
        else:
            os.environ["YANGLAO_READER"] = saved
    return out


# Each mode compared: the environment it runs with (bot/dialogue/reader.py).
MODES = {
    "rules": {"YANGLAO_READER": "rules", "YANGLAO_ROLES": "rules"},
    "model": {"YANGLAO_READER": "model", "YANGLAO_ROLES": "rules"},
    "hybrid": {"YANGLAO_READER": "hybrid", "YANGLAO_ROLES": "rules"},
    "roles": {"YANGLAO_READER": "rules", "YANGLAO_ROLES": "model"},  # the rules' kinds, the learned item roles
}


def run_eval(mode: str, sets: Sequence[str]) -> Dict:
    env = dict(os.environ, **MODES[mode])
    env.setdefault("YANGLAO_TODAY", "2026-11-27")
    cmd = [sys.executable, "-m", "tests.eval.score", "--json"] + [a for s in sets for a in ("--set", s)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if not done.stdout.strip():
        raise RuntimeError(f"tests.eval.score ({mode}) printed nothing: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _passed_ids(result: Dict, cases: Dict[str, List[str]], name: str) -> set:
    failed = {f["id"] for f in result["failures"]}
    return {c for c in cases[name] if c not in failed}


def _named(ids: List[str], name: str) -> str:
    return f"{len(ids)}" + (f" ({', '.join(map(str, ids))})" if ids and name not in HELD_OUT else "")


def changes(results: Dict[str, Dict[str, Dict]]) -> Dict[str, Dict[str, Dict[str, List[str]]]]:
    """mode -> set -> {"lost": cases that pass with the rules and fail in the mode, "won": the other way}."""
    from tests.eval.score import SETS, load_cases

    out: Dict[str, Dict[str, Dict[str, List[str]]]] = {}
    if "rules" not in results:
        return out
    for mode, by_set in results.items():
        out[mode] = {}
        for name, r in by_set.items():
            ids = {name: [c["id"] for c in load_cases(SETS[name])]}
            base, here = _passed_ids(results["rules"][name], ids, name), _passed_ids(r, ids, name)
            out[mode][name] = {"lost": sorted(base - here), "won": sorted(here - base)}
    return out


def eval_table(results: Dict[str, Dict[str, Dict]]) -> str:
    diff = changes(results)
    names = list(next(iter(results.values())))
    lines = [
        "| set | mode | passed | multi-turn | voice | pass with rules, fail here | fail with rules, pass here |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        for mode, by_set in results.items():
            r = by_set[name]
            kinds = r.get("kinds", {})
            mt, vo = (kinds.get(k) for k in ("multi-turn", "voice"))
            mt_text = f"{mt['passed']}/{mt['total']}" if mt else "–"
            vo_text = f"{vo['passed']}/{vo['total']}" if vo else "–"
            d = diff.get(mode, {}).get(name)
            lost, won = (_named(d["lost"], name), _named(d["won"], name)) if d and mode != "rules" else ("–", "–")
            lines.append(
                f"| {name}{' (held out)' if name in HELD_OUT else ''} | {mode} | {r['passed']}/{r['total']} "
                f"({r['rate']:.1%}) | {mt_text} | {vo_text} | {lost} | {won} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES))
    parser.add_argument("--set", action="append", help="default: every set")
    parser.add_argument("--no-eval", action="store_true", help="only the classifier's accuracy and the timings")
    parser.add_argument("--from-json", nargs="+", metavar="MODE=FILE", help="tables from earlier score --json runs")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()
    figures: Dict = {}
    acc = figures["classifier"] = classifier_accuracy()
    print(
        f"kind classifier: {acc['examples']} generated examples, trained in {acc['train_seconds']:.1f} s; "
        f"random held-out fifth: kind {acc['random_kind']:.1%}, kind+aspect {acc['random_label']:.1%}; "
        f"whole templates held out ({TEMPLATE_FOLDS} folds): kind {acc['template_kind']:.1%}, "
        f"kind+aspect {acc['template_label']:.1%}"
    )
    roles = figures["roles"] = roles_accuracy()
    print(
        f"item roles: {roles['examples']} generated mentions; held-out fifth right: learned {roles['model']:.1%}, "
        f"rules (stated_items) {roles['rules']:.1%}"
    )
    times = figures["times"] = reading_times()
    for name, t in times.items():
        print(f"{name:<26} p50 {t['p50']:.3f} ms  p90 {t['p90']:.3f} ms")
    if args.from_json:
        results = {}
        for spec in args.from_json:
            mode, _, path = spec.partition("=")
            results[mode] = json.loads(Path(path).read_text(encoding="utf-8"))
    elif args.no_eval:
        results = {}
    else:
        from tests.eval.score import SETS

        sets = args.set or list(SETS)
        results = {mode: run_eval(mode, sets) for mode in args.modes}
    if results:
        figures["changes"] = {
            m: {s: (d if s not in HELD_OUT else {k: len(v) for k, v in d.items()}) for s, d in by.items()}
            for m, by in changes(results).items()
        }
        figures["eval"] = {
            m: {s: {k: v for k, v in r.items() if k != "failures"} for s, r in by.items()} for m, by in results.items()
        }
        print(eval_table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
