"""Load benchmark: this assistant beside the stock `rasa init` starter bot, trained and served the same way
(`rasa run`, the same channels and the same SQLite tracker store, same load), in the same run. Prints figures only;
asserts nothing.

For each bot:
- training time;
- one client, REST: per-turn p50/p95 (the latency a single citizen sees);
- N concurrent citizens (default 50), each holding realistic multi-turn conversations for a fixed time, through REST
  and then through the WeChat channel (signed XML, WeChat's retries after 5 s with the same MsgId, answers that
  miss the 4.5 s passive window delivered through a local fake of WeChat's customer-service API): turns/s,
  p50/p95/p99, errors;
- resident memory (RSS) of each server process after the load;
then the ratios ours/stock; and, for this assistant on the production profile (PostgreSQL + Redis lock store, real
servers started here on loopback), one Rasa server against two behind nginx, under the same REST load.

    .venv/bin/python -m scripts.bench [--citizens 50] [--seconds 30] [--single-turns 200] [--no-cluster]
                                      [--action-server] [--ours-model models/assistant.tar.gz]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

import aiohttp

from bot.channels.wechat_sim import reply_content, signed_query, text_message_xml
from tests.support.servers import Servers
from tests.support.wechat import FakeWeChatAPI

ROOT = Path(__file__).resolve().parents[1]

OURS = [
    ["我父亲85岁，枣庄的低保户，能领什么？", "说错了，是济宁的", "要是评估是2级呢", "谢谢"],
    ["我母亲能领什么补贴？", "滕州", "88", "都不是", "高龄津贴每月多少钱？"],
    ["你好", "我爷爷92岁，聊城临清的，低保", "那我奶奶呢，80岁", "聊城", "低保"],
    ["济宁长期护理保险什么时候全覆盖？", "怎么申请高龄津贴", "我爸70岁，曲阜的，不是低保也不是特困，失独"],
]
STOCK = [
    ["hello", "I am sad", "yes", "goodbye"],
    ["hi", "great", "are you a bot?", "bye"],
    ["hey there", "very sad", "no", "good evening"],
    ["good morning", "I am great", "see you later"],
]
TOKEN, APP_ID, APP_SECRET = "benchtoken", "wxbench0000000001", "benchsecret"
WECHAT_WAIT, WECHAT_RETRIES = 5.0, 3  # WeChat waits 5 s, then retries the same message up to 3 times


def percentile(xs: List[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


ERROR_SAMPLES: List[str] = []  # the first few failures, to say what went wrong


async def rest_turn(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> bool:
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as r:
        body = await r.read()
        if r.status != 200 and len(ERROR_SAMPLES) < 5:
            ERROR_SAMPLES.append(f"HTTP {r.status}: {body[:200]!r}")
        return r.status == 200


async def wechat_turn(session: aiohttp.ClientSession, url: str, openid: str, text: str, stats: Dict) -> bool:
    """One message as WeChat sends it: the same MsgId again after 5 s without an answer, up to 3 retries."""
    xml = text_message_xml(openid, text, msg_id=str(uuid.uuid4().int % 10**19))
    for attempt in range(1 + WECHAT_RETRIES):
        try:
            async with session.post(
                f"{url}/webhooks/wechat/webhook",
                params=signed_query(TOKEN, openid=openid),
                data=xml.encode(),
                timeout=aiohttp.ClientTimeout(total=WECHAT_WAIT),
            ) as r:
                body = await r.text()
                if r.status != 200:
                    return False
                stats["deferred" if reply_content(body) == "success" else "passive"] += 1
                stats["retries"] += attempt
                return True
        except asyncio.TimeoutError:
            continue
    return False


async def load(url: str, conversations: List[List[str]], citizens: int, seconds: float, channel: str) -> Dict:
    latencies: List[float] = []
    stats = {"errors": 0, "passive": 0, "deferred": 0, "retries": 0}
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=citizens)

    async def citizen(n: int, session: aiohttp.ClientSession) -> None:
        i = n
        while time.perf_counter() < deadline:
            conversation = conversations[i % len(conversations)]
            sender = f"bench-{n}-{uuid.uuid4().hex[:8]}"
            for text in conversation:
                start = time.perf_counter()
                try:
                    if channel == "rest":
                        ok = await rest_turn(session, url, sender, text)
                    else:
                        ok = await wechat_turn(session, url, sender, text, stats)
                except aiohttp.ClientError:
                    ok = False
                latencies.append((time.perf_counter() - start) * 1000)
                stats["errors"] += not ok
                if time.perf_counter() >= deadline:
                    break
            i += 1

    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*(citizen(n, session) for n in range(citizens)))
        elapsed = time.perf_counter() - start
    return {
        "turns_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        **stats,
    }


async def single(url: str, conversations: List[List[str]], turns: int) -> List[float]:
    times: List[float] = []
    flat = [(i, t) for i, c in enumerate(conversations) for t in c]
    async with aiohttp.ClientSession() as session:
        sender = ""
        for k in range(turns):
            i, text = flat[k % len(flat)]
            if k % len(flat) == 0 or text == conversations[i][0]:
                sender = uuid.uuid4().hex
            start = time.perf_counter()
            await rest_turn(session, url, sender, text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def train(project: Path, out: Path, name: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--fixed-model-name", name, "--out", str(out), "--force"],
        cwd=project,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure(
    label: str,
    model: Path,
    project: Path,
    actions,
    conversations,
    args,
    work: Path,
    api_url: str,
    in_process: bool = False,
) -> Dict:
    credentials = work / f"credentials-{label}.yml"
    credentials.write_text("bot.channels.rest.MaskedRestInput:\nbot.channels.wechat.WeChatInput:\n", encoding="utf-8")
    with Servers(model, project=project, actions=actions, credentials=credentials, in_process=in_process) as s:
        asyncio.run(single(s.url, conversations, 20))  # warm-up
        lat = asyncio.run(single(s.url, conversations, args.single_turns))
        rest = asyncio.run(load(s.url, conversations, args.citizens, args.seconds, "rest"))
        wechat = asyncio.run(load(s.url, conversations, args.citizens, args.seconds, "wechat"))
        memory = {("rasa" if p is s.rasa_proc else "actions"): rss_mb(p.pid) for p in s.procs}
    return {
        "bot": label,
        "single_p50_ms": statistics.median(lat),
        "single_p95_ms": percentile(lat, 0.95),
        "rest": rest,
        "wechat": wechat,
        "rss_mb": memory,
    }


def cluster_load(model: Path, work: Path, args, servers: int) -> Dict:
    """The same REST load through nginx in front of `servers` Rasa servers, with `--cluster-action-servers`
    action servers (0: the actions inside each Rasa server, ACTIONS_MODULE=actions)."""
    from tests.support.cluster import Cluster, cluster_env
    from tests.support.services import Postgres, Redis  # noqa: E402

    credentials = work / "credentials-cluster.yml"
    credentials.write_text("bot.channels.rest.MaskedRestInput:\n", encoding="utf-8")
    with Redis() as redis, Postgres() as pg:
        env = cluster_env(pg, redis, credentials, MODEL=str(model))
        run_dir = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
        cluster = Cluster(env, run_dir, rasa_servers=servers, action_servers=args.cluster_action_servers).start()
        try:
            asyncio.run(single(cluster.nginx, OURS, 20))  # warm-up
            return asyncio.run(load(cluster.nginx, OURS, args.citizens, args.seconds, "rest"))
        finally:
            cluster.stop()
            print("RUN_DIR", run_dir) if os.environ.get("BENCH_KEEP_LOGS") else shutil.rmtree(
                run_dir, ignore_errors=True
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--single-turns", type=int, default=200)
    parser.add_argument("--no-cluster", action="store_true", help="skip one server vs two behind nginx")
    parser.add_argument(
        "--action-server",
        action="store_true",
        help="also measure this assistant with its actions in an action server over HTTP (the "
        "production profile's way, and the default before issue 13)",
    )
    parser.add_argument("--ours-model", type=Path, help="use this trained model for this assistant (no training)")
    parser.add_argument(
        "--cluster-action-servers",
        type=int,
        default=0,
        help="action servers in the production-profile cluster (0: the actions inside each Rasa "
        "server; 1: one action server, as before issue 13)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    stock = work / "stock"
    import rasa.cli  # the starter project `rasa init` copies, taken from the installed package

    shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", stock)
    os.environ.update({"WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET})
    with FakeWeChatAPI({APP_ID: APP_SECRET}) as api:
        os.environ["WECHAT_API_BASE"] = api.url
        t_stock = train(stock, work / "models", "stock")
        if args.ours_model:
            shutil.copy(args.ours_model, work / "models/ours.tar.gz")
            t_ours = float("nan")
        else:
            t_ours = train(ROOT, work / "models", "ours")
        results = [
            dict(
                measure("stock", work / "models/stock.tar.gz", stock, None, STOCK, args, work, api.url), train_s=t_stock
            ),
            # the default profile (endpoints.yml): the actions inside the Rasa server
            dict(
                measure(
                    "ours", work / "models/ours.tar.gz", ROOT, "actions", OURS, args, work, api.url, in_process=True
                ),
                train_s=t_ours,
            ),
        ]
        if args.action_server:
            results.append(
                dict(
                    measure("ours-http", work / "models/ours.tar.gz", ROOT, "actions", OURS, args, work, api.url),
                    train_s=t_ours,
                )
            )
    print(f"machine: {os.cpu_count()} cores; {args.citizens} concurrent citizens, {args.seconds:g} s per channel")
    head = f"{'':<10}{'train s':>8}{'1-client p50':>13}{'p95':>7}"
    for ch in ("REST", "WeChat"):
        head += f" | {ch + ' turns/s':>15}{'p50':>7}{'p95':>7}{'p99':>7}{'err':>5}"
    print(head + " | RSS MB rasa/actions")
    for r in results:
        line = f"{r['bot']:<10}{r['train_s']:>8.1f}{r['single_p50_ms']:>13.1f}{r['single_p95_ms']:>7.1f}"
        for ch in ("rest", "wechat"):
            c = r[ch]
            line += (
                f" | {c['turns_per_s']:>15.1f}{c['p50_ms']:>7.0f}{c['p95_ms']:>7.0f}{c['p99_ms']:>7.0f}{c['errors']:>5}"
            )
        mem = r["rss_mb"]
        actions_mb = f"{mem['actions']:.0f}" if "actions" in mem else "-"
        print(line + f" | {mem.get('rasa', 0):.0f}/{actions_mb}")
    s = results[0]
    for o in results[1:]:
        print(
            f"ratios {o['bot']}/stock: "
            f"1-client p50 {o['single_p50_ms'] / s['single_p50_ms']:.2f}x, "
            f"REST throughput {o['rest']['turns_per_s'] / s['rest']['turns_per_s']:.2f}x, "
            f"REST p50 under load {o['rest']['p50_ms'] / s['rest']['p50_ms']:.2f}x, "
            f"WeChat throughput {o['wechat']['turns_per_s'] / s['wechat']['turns_per_s']:.2f}x, "
            f"training {o['train_s'] / s['train_s']:.2f}x"
        )
    for r in results:
        w = r["wechat"]
        print(
            f"{r['bot']}: WeChat passive {w['passive']}, via customer-service API {w['deferred']}, "
            f"retries {w['retries']}"
        )
    scale = {}
    if not args.no_cluster:
        scale = {n: cluster_load(work / "models/ours.tar.gz", work, args, n) for n in (1, 2)}
        where = (
            f"{args.cluster_action_servers} action server(s)"
            if args.cluster_action_servers
            else "actions inside the Rasa servers"
        )
        print(f"production profile (PostgreSQL + Redis, nginx, {where}), REST, same load:")
        for n, c in scale.items():
            print(
                f"  {n} Rasa server{'s' if n > 1 else ''}: {c['turns_per_s']:.1f} turns/s, p50 {c['p50_ms']:.0f} ms, "
                f"p95 {c['p95_ms']:.0f} ms, p99 {c['p99_ms']:.0f} ms, errors {c['errors']}"
            )
    print(json.dumps({"bots": results, "production": scale}, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
