"""REST benchmark: this assistant beside the stock `rasa init` starter bot, trained and served the same way
(`rasa run`, REST channel, the same SQLite tracker store, same load), in the same run. Prints training time, per-turn latency p50/p95 (one client) and throughput (concurrent
clients), and the ratios. Prints figures only; asserts nothing.

    .venv/bin/python scripts/bench_rest.py [--turns 200] [--concurrency 8] [--seconds 15]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.servers import Servers  # noqa: E402

OURS = ["我父亲85岁，枣庄的低保户，能领什么？", "那如果户籍在济宁呢？", "高龄津贴每月多少钱？", "你好",
        "我母亲90岁，滕州的，不是低保", "济宁长期护理保险什么时候全覆盖？", "谢谢"]
STOCK = ["hello", "I am sad", "yes", "great", "goodbye", "are you a bot?", "hi there"]


def rasa(*args: str, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rasa", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def train(project: Path, out: Path, name: str) -> float:
    return rasa("train", "--fixed-model-name", name, "--out", str(out), "--force", cwd=project)


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


async def latency(url: str, messages, turns: int):
    times = []
    async with aiohttp.ClientSession() as session:
        sender = uuid.uuid4().hex
        for i in range(turns):
            if i % len(messages) == 0:
                sender = uuid.uuid4().hex
            start = time.perf_counter()
            async with session.post(f"{url}/webhooks/rest/webhook",
                                    json={"sender": sender, "message": messages[i % len(messages)]}) as r:
                await r.read()
                assert r.status == 200
            times.append((time.perf_counter() - start) * 1000)
    return times


async def throughput(url: str, messages, concurrency: int, seconds: float):
    done = errors = 0
    deadline = time.perf_counter() + seconds

    async def client():
        nonlocal done, errors
        async with aiohttp.ClientSession() as session:
            i = 0
            sender = uuid.uuid4().hex
            while time.perf_counter() < deadline:
                if i % len(messages) == 0:
                    sender = uuid.uuid4().hex
                try:
                    async with session.post(f"{url}/webhooks/rest/webhook",
                                            json={"sender": sender, "message": messages[i % len(messages)]}) as r:
                        await r.read()
                        done += r.status == 200
                        errors += r.status != 200
                except aiohttp.ClientError:
                    errors += 1
                i += 1

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return done / (time.perf_counter() - start), errors


def measure(label, model, project, actions, messages, args, **serving):
    with Servers(model, project=project, actions=actions, **serving) as s:
        asyncio.run(latency(s.url, messages, 20))  # warm-up
        lat = asyncio.run(latency(s.url, messages, args.turns))
        tps, errors = asyncio.run(throughput(s.url, messages, args.concurrency, args.seconds))
    return {"bot": label, "p50_ms": statistics.median(lat), "p95_ms": percentile(lat, 0.95),
            "turns_per_s": tps, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    stock = work / "stock"
    import rasa.cli  # the starter project `rasa init` copies, taken from the installed package

    shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", stock)
    results = []
    t_stock = train(stock, work / "models", "stock")
    t_ours = train(ROOT, work / "models", "ours")
    results.append(dict(measure("stock rasa init (DIET+TED)", work / "models/stock.tar.gz", stock, None, STOCK, args),
                        train_s=t_stock))
    results.append(dict(measure("养老政策助手", work / "models/ours.tar.gz", ROOT, "actions", OURS, args), train_s=t_ours))
    # For reference: the starter bot as `rasa init` ships it (in-memory tracker store, nothing persisted).
    results.append(dict(measure("stock, own endpoints (memory)", work / "models/stock.tar.gz", stock, None, STOCK, args,
                                tracker_db="memory"), train_s=t_stock))
    print(f"{'bot':<28}{'train s':>9}{'p50 ms':>9}{'p95 ms':>9}{'turns/s':>10}{'errors':>8}")
    for r in results:
        print(f"{r['bot']:<28}{r['train_s']:>9.1f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['turns_per_s']:>10.1f}"
              f"{r['errors']:>8}")
    s, o, _ = results
    print(f"ratios (ours/stock): p50 {o['p50_ms'] / s['p50_ms']:.2f}x, p95 {o['p95_ms'] / s['p95_ms']:.2f}x, "
          f"throughput {o['turns_per_s'] / s['turns_per_s']:.2f}x, training {o['train_s'] / s['train_s']:.2f}x")
    print(json.dumps(results, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
