"""Soak run of the production profile: PostgreSQL, Redis, nginx and two Rasa servers (scripts/run-cluster.sh, the
actions inside each server, as the benchmark runs it), under 50 concurrent family conversations for --minutes
(default 20), with PostgreSQL restarted once, Redis restarted once and one Rasa server killed (SIGKILL) and started
again by the script's supervisor (RESTART_EXITED=1) on the way. Not a test: it prints figures and asserts nothing.

    .venv/bin/python -m scripts.soak [--minutes 20] [--conversations 50] [--think 1.0] [--keep-logs]

Prints: messages sent (and HTTP attempts), answered, 系统繁忙 replies and attempts with no reply (each split into
inside / outside the fault windows), lost (given up on by the citizen, or answered but not stored), duplicated
(stored twice: one message's turn ran twice), cross-talk (an answer stating another conversation's facts), answers
other than the reference, and each Rasa server's RSS at the start, after warm-up (the first tenth of the run, at
most 2 minutes) and at the end. Targets: 0 lost, 0 duplicated, 0 cross-talk, busy replies only during the faults,
RSS growth under 10% after warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import shutil
import signal
import statistics
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from scripts.soak_client import Citizens, Tally, check_stored, reference_answers
from scripts.soak_families import MAX_SLOTS, family
from tests.support.cluster import Cluster, cluster_env
from tests.support.services import Postgres, Redis

ROOT = Path(__file__).resolve().parents[1]
PROBES = 5  # conversations whose message is in flight on the Rasa server when it is killed
GRACE = 5.0  # seconds after a fault ends in which a busy reply still belongs to it (a request sent while it lasted)


@dataclass
class Fault:
    name: str
    started: float = 0.0
    ended: float = 0.0  # the service or server answers again

    def covers(self, t: float, until: Optional[float] = None) -> bool:
        """Whether the moment t (or the span t..until) falls in the fault's window."""
        return self.started <= (until if until is not None else t) and t <= self.ended + GRACE


def rss_mb(pid: int) -> Optional[float]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


class Soak:
    def __init__(self, args: argparse.Namespace, cluster: Cluster, pg: Postgres, redis: Redis):
        self.args, self.cluster, self.pg, self.redis = args, cluster, pg, redis
        self.seconds = args.minutes * 60
        self.warmup = min(120.0, self.seconds / 10)
        self.faults: List[Fault] = []
        self.rss: Dict[str, Dict[str, Optional[float]]] = {}  # "rasa-0" -> {"start": …, "warm-up": …, "end": …}
        self.started = 0.0

    def pid(self, name: str) -> int:
        """The server's current pid, from the file run-cluster.sh writes (0 while it is being rewritten)."""
        try:
            return int((self.cluster.run_dir / f"{name}.pid").read_text())
        except (OSError, ValueError):
            return 0

    def sample_rss(self, label: str, *names: str) -> None:
        for name in names or [f"rasa-{i}" for i in range(len(self.cluster.servers))]:
            self.rss.setdefault(name, {})[label] = rss_mb(self.pid(name))

    def at(self, fraction: float) -> float:
        return self.started + fraction * self.seconds

    async def until(self, t: float) -> None:
        await asyncio.sleep(max(0.0, t - time.time()))

    async def restart_service(self, name: str, service) -> None:
        fault = Fault(name, started=time.time())
        self.faults.append(fault)
        await asyncio.to_thread(service.restart, 2.0)  # down for 2 s, then up on the same port
        fault.ended = time.time()
        self.log(f"{name} restarted: down {fault.ended - fault.started:.1f} s")

    async def kill_server(self, citizens: Citizens, index: int) -> None:
        """SIGKILL with turns in flight on it: besides whatever nginx sent there, PROBES conversations have just
        sent a message straight to it."""
        name, url = f"rasa-{index}", self.cluster.servers[index]
        self.sample_rss("before kill", name)
        old = self.pid(name)
        for event in [citizens.start_probe(family(i), url) for i in range(PROBES)]:
            await event.wait()
        await asyncio.sleep(0.05)  # the requests are out; the turns are running or queued in the server
        fault = Fault(f"{name} killed", started=time.time())
        self.faults.append(fault)
        os.kill(old, signal.SIGKILL)
        self.log(f"{name} killed (SIGKILL), {PROBES} messages sent straight to it just before")
        while not (answers(url + "/") and self.pid(name) != old):  # the supervisor starts it; it loads the model
            await asyncio.sleep(0.5)
        fault.ended = time.time()
        self.sample_rss("restarted", name)
        self.log(f"{name} killed and started again: {fault.ended - fault.started:.1f} s until it answered")
        await self.until(min(fault.ended + self.warmup, self.at(1.0) - 1))
        if time.time() - fault.ended >= self.warmup:
            self.sample_rss("restart warm-up", name)

    async def schedule(self, citizens: Citizens) -> None:
        await self.until(self.at(0) + self.warmup)
        self.sample_rss("warm-up")
        self.log("warm-up over")
        await self.until(self.at(0.3))
        await self.restart_service("PostgreSQL", self.pg)
        await self.until(self.at(0.5))
        await self.restart_service("Redis", self.redis)
        await self.until(self.at(0.7))
        await self.kill_server(citizens, 1)

    async def progress(self, tally: Tally) -> None:
        every = max(10.0, self.seconds / 20)
        while True:
            await asyncio.sleep(every)
            rss = ", ".join(f"{n} {rss_mb(self.pid(n)) or 0:.0f} MB" for n in sorted(self.rss))
            self.log(
                f"messages {tally.turns}, answered {tally.answered}, busy {len(tally.busy)}, "
                f"no reply {len(tally.no_reply)}; {rss}; load {load_average()}"
            )

    def log(self, text: str) -> None:
        print(f"[{time.time() - self.started:7.1f} s] {text}", flush=True)

    async def run(self) -> Tuple[Tally, float]:
        families = [family(i) for i in range(self.args.conversations)]
        self.started = time.time()
        self.sample_rss("start")
        self.log(f"cluster ready; load {load_average()}; reference conversations (one at a time)")
        reference = await reference_answers(self.cluster.nginx, families)
        citizens = Citizens(self.cluster.nginx, families, reference, think=self.args.think)
        self.started = time.time()  # the run's clock starts with the load
        self.log(f"{len(families)} citizens start")
        load = asyncio.create_task(citizens.run())
        progress = asyncio.create_task(self.progress(citizens.tally))
        await self.schedule(citizens)  # the faults
        await self.until(self.at(1.0))
        citizens.stop.set()  # each finishes the message it is on
        tally = await load
        elapsed = time.time() - self.started
        progress.cancel()
        self.sample_rss("end")
        return tally, elapsed


def stored_messages(pg: Postgres) -> Dict[str, List[str]]:
    rows = pg.query(
        "SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id LIKE 'soak-%%' " "ORDER BY id"
    )
    stored: Dict[str, List[str]] = {}
    for sender, data in rows:
        stored.setdefault(sender, []).append(json.loads(data).get("text"))
    return stored


def report(soak: Soak, tally: Tally, elapsed: float) -> None:
    stored = check_stored(tally.conversations, stored_messages(soak.pg))

    def split(times: List[float]) -> str:
        outside = [t for t in times if not any(f.covers(t) for f in soak.faults)]
        per_fault = ", ".join(f"{f.name} {sum(f.covers(t) for t in times)}" for f in soak.faults)
        return f"{len(times)} ({per_fault}; outside the faults {len(outside)})"

    waits = sorted(w for _, w in tally.waits)
    # a message waiting across a fault belongs to it (sent just before a kill, its answer waits for the lock)
    calm = [w for t, w in tally.waits if not any(f.covers(t, t + w) for f in soak.faults)]
    slowest = ", ".join(
        f"{f.name} {max([w for t, w in tally.waits if f.covers(t, t + w)], default=0):.1f} s" for f in soak.faults
    )
    print(
        f"\nsoak: {elapsed / 60:.1f} min, {soak.args.conversations} concurrent conversations, think time "
        f"{soak.args.think:g} s (0.5–1.5×), 2 Rasa servers behind nginx, PostgreSQL, Redis; "
        f"{os.cpu_count()} cores, load average at the end {load_average()}"
    )
    for f in soak.faults:
        print(f"  fault: {f.name} at {f.started - soak.started:.0f} s, back after {f.ended - f.started:.1f} s")
    print(f"messages sent            {tally.turns} ({tally.attempts} HTTP attempts; {tally.turns / elapsed:.1f}/s)")
    print(f"answered                 {tally.answered}")
    if waits:
        print(
            f"  wait per message, resends included: p50 {statistics.median(waits) * 1000:.0f} ms, "
            f"p99 {waits[int(0.99 * len(waits))] * 1000:.0f} ms; longest outside the faults "
            f"{max(calm, default=0):.1f} s, waiting during a fault: {slowest}"
        )
    print(f"busy replies             {split(tally.busy)}")
    print(
        f"no reply (attempts)      {split([t for t, _ in tally.no_reply])}: "
        f"{dict(Counter(why for _, why in tally.no_reply))}"
    )
    print(
        f"lost                     {len(tally.lost) + len(stored.missing)} (given up on by the citizen "
        f"{len(tally.lost)}; answered but not stored {len(stored.missing)})"
    )
    print(f"duplicated               {len(stored.duplicated)} (a message stored more than once)")
    print(f"cross-talk               {len(tally.cross_talk)}")
    print(f"other than the reference {len(tally.wrong)}")
    print(
        f"stored, never answered   {len(stored.unanswered_stored)}; out of order {len(stored.out_of_order)}; "
        f"conversations checked in PostgreSQL {stored.conversations}"
    )
    for label, items in (
        ("lost", [c.sender + ": " + (c.gave_up or "") for c in tally.lost] + stored.missing),
        ("duplicated", stored.duplicated),
        ("cross-talk", tally.cross_talk),
        ("other than the reference", tally.wrong),
        ("stored, never answered", stored.unanswered_stored),
        ("out of order", stored.out_of_order),
    ):
        for item in items[:5]:
            print(f"  {label}: {item}")
    print("RSS MB of each Rasa server:")
    for name, samples in sorted(soak.rss.items()):
        cells = ", ".join(f"{k} {v:.0f}" if v is not None else f"{k} -" for k, v in samples.items())
        growth = ""
        warm, before_kill, end = samples.get("warm-up"), samples.get("before kill"), samples.get("end")
        restart_warm = samples.get("restart warm-up")
        if warm and before_kill:
            growth = f"; growth after warm-up until the kill {100 * (before_kill / warm - 1):+.1f}%"
        elif warm and end:
            growth = f"; growth after warm-up {100 * (end / warm - 1):+.1f}%"
        if restart_warm and end:
            growth += f"; restarted process, growth after its warm-up {100 * (end / restart_warm - 1):+.1f}%"
        print(f"  {name}: {cells}{growth}")
    print(
        json.dumps(
            {
                "minutes": elapsed / 60,
                "messages": tally.turns,
                "attempts": tally.attempts,
                "answered": tally.answered,
                "busy": len(tally.busy),
                "no_reply": len(tally.no_reply),
                "busy_outside_faults": sum(not any(f.covers(t) for f in soak.faults) for t in tally.busy),
                "lost": len(tally.lost) + len(stored.missing),
                "duplicated": len(stored.duplicated),
                "cross_talk": len(tally.cross_talk),
                "wrong": len(tally.wrong),
                "wait_p50_s": statistics.median(waits) if waits else None,
                "wait_max_outside_faults_s": max(calm, default=None),
                "faults": [
                    (f.name, round(f.started - soak.started), round(f.ended - f.started, 1)) for f in soak.faults
                ],
                "rss_mb": soak.rss,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--conversations", type=int, default=50, help=f"concurrent, at most {MAX_SLOTS}")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds a citizen waits between an answer and the " "next message (0.5–1.5× this; 0: at once)",
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the cluster's logs and print where")
    args = parser.parse_args()
    if not 1 <= args.conversations <= MAX_SLOTS:
        parser.error(f"--conversations: 1..{MAX_SLOTS}")
    model = ROOT / "models" / "assistant.tar.gz"
    if not model.exists():
        parser.error(f"{model} missing: make train")
    run_dir = Path(tempfile.mkdtemp(prefix="soak-cluster-"))
    credentials = run_dir / "credentials.yml"
    credentials.write_text("bot.channels.rest.MaskedRestInput:\n", encoding="utf-8")
    # one day for the whole run: an answer does not change at midnight in China halfway through
    today = os.environ.get("YANGLAO_TODAY") or (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()
    with Redis() as redis, Postgres() as pg:
        env = cluster_env(pg, redis, credentials, MODEL=str(model), RESTART_EXITED="1", YANGLAO_TODAY=str(today))
        cluster = Cluster(env, run_dir / "run", rasa_servers=2, action_servers=0).start()
        try:
            soak = Soak(args, cluster, pg, redis)
            tally, elapsed = asyncio.run(soak.run())
            report(soak, tally, elapsed)
        finally:
            cluster.stop()
            if args.keep_logs:
                print("logs:", run_dir / "run")
            else:
                shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
