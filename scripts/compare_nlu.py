"""Choose the intent classifier on accuracy and speed together: the pipeline in config.yml (logistic
regression) beside the same pipeline with DIET, each measured by `rasa test nlu` cross-validation (intent and
entity F1), NLU training time and parse latency. Prints a table; asserts nothing.

    .venv/bin/python -m scripts.compare_nlu [--folds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parents[1]


def diet_config(base: dict) -> dict:
    cfg = dict(base)
    cfg["pipeline"] = [
        {"name": "DIETClassifier", "epochs": 100, "entity_recognition": False, "constrain_similarities": True}
        if step["name"] == "LogisticRegressionClassifier"
        else step
        for step in base["pipeline"]
    ]
    return cfg


def rasa(args, cwd=ROOT):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "rasa", *args], cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return time.perf_counter() - start, out.stdout + out.stderr


def parse_cv(log: str) -> dict:
    """The 'test' F1 lines of the intent and entity sections of Rasa's cross-validation log."""
    figures = {}
    for section, key in (("Intent evaluation results", "intent_f1"), ("Entity evaluation results", "entity_f1")):
        part = log.split(section, 1)[1] if section in log else ""
        m = re.search(r"test F1-score: ([0-9.]+) \(([0-9.]+)\)", part)
        if m:
            figures[key] = float(m.group(1))
    return figures


async def parse_latency(model: Path, texts) -> float:
    from rasa.core.agent import Agent

    import bot.nlu.components  # noqa: F401  (custom components)

    agent = Agent.load(str(model))
    for t in texts[:10]:
        await agent.parse_message(t)
    times = []
    for t in texts:
        start = time.perf_counter()
        await agent.parse_message(t)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args()
    base = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    eval_set = yaml.safe_load((ROOT / "tests/eval/eval_set.yml").read_text(encoding="utf-8"))
    texts = [str(t)[:300] for c in eval_set for t in c["turns"]][:300]
    work = Path(tempfile.mkdtemp(prefix="nlu-compare-"))
    rows: List[Dict[str, Any]] = []
    for label, cfg in (("LogisticRegression (config.yml)", base), ("DIET (100 epochs)", diet_config(base))):
        path = work / f"{len(rows)}.yml"
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
        cv_s, log = rasa(
            [
                "test",
                "nlu",
                "--cross-validation",
                "--folds",
                str(args.folds),
                "--config",
                str(path),
                "--nlu",
                "data/nlu",
                "--out",
                str(work / f"cv{len(rows)}"),
                "--no-plot",
            ]
        )
        train_s, _ = rasa(
            [
                "train",
                "nlu",
                "--config",
                str(path),
                "--nlu",
                "data/nlu",
                "--out",
                str(work),
                "--fixed-model-name",
                f"nlu{len(rows)}",
            ]
        )
        latency = asyncio.run(parse_latency(work / f"nlu{len(rows)}.tar.gz", texts))
        rows.append({"pipeline": label, **parse_cv(log), "nlu_train_s": train_s, "parse_p50_ms": latency, "cv_s": cv_s})
    print(f"{'pipeline':<34}{'intent F1':>10}{'entity F1':>10}{'train s':>9}{'parse p50 ms':>14}")
    for r in rows:
        print(
            f"{r['pipeline']:<34}{r.get('intent_f1', float('nan')):>10.3f}{r.get('entity_f1', float('nan')):>10.3f}"
            f"{r['nlu_train_s']:>9.1f}{r['parse_p50_ms']:>14.2f}"
        )


if __name__ == "__main__":
    main()
