"""Where one turn's time goes: the assistant's model loaded in this process, the bench's conversations sent one
turn at a time through Rasa's own Agent.handle_message (what a channel calls), every stage timed, and the same
turns sent over REST to a real server for the channel's share. Prints a table (ms per turn, median and mean);
asserts nothing. Timers are wrapped around Rasa's methods here, in this measuring process only.

    .venv/bin/python -m scripts.profile_turn [--turns 400] [--endpoints endpoints.yml] [--no-rest]

--endpoints picks how actions run (the default profile's endpoints.yml; an action server is started when it names
a URL). The stages:
  lock            waiting for and taking the conversation's lock (Agent.handle_message minus the processor)
  tracker load    fetching the conversation from the tracker store (and starting a session)
  NLU             the pipeline on the message (parse_message)
  slots           action_extract_slots
  prediction      each policy prediction (count per turn shown)
  tracker copy    the copy Rasa makes of the tracker before each action
  custom action   action_answer: the call and the events it returns (HTTP to the action server, or in process)
  other actions   action_listen, utter_* responses
  tracker save    writing the new events
  channel         over REST: Sanic, JSON and the HTTP round trip (REST median minus the in-process median)
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "assistant.tar.gz"


class Clock:
    """Seconds spent per stage during the current turn, then kept per turn."""

    def __init__(self) -> None:
        self.now: Dict[str, float] = collections.defaultdict(float)
        self.counts: Dict[str, int] = collections.defaultdict(int)
        self.turns: List[Dict[str, float]] = []
        self.predictions: List[int] = []

    def add(self, stage: str, seconds: float) -> None:
        self.now[stage] += seconds
        self.counts[stage] += 1

    def end_turn(self) -> None:
        self.turns.append(dict(self.now))
        self.predictions.append(self.counts.get("prediction", 0))
        self.now.clear()
        self.counts.clear()


def _timed_async(clock: Clock, stage: Callable[[Any, Dict[str, Any]], str], original: Callable) -> Callable:
    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            clock.add(stage(args, kwargs), time.perf_counter() - start)

    return wrapper


def _timed_sync(clock: Clock, stage: str, original: Callable) -> Callable:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            clock.add(stage, time.perf_counter() - start)

    return wrapper


def instrument(clock: Clock) -> None:
    from rasa.core.agent import Agent
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    P = MessageProcessor
    P.fetch_tracker_and_update_session = _timed_async(
        clock, lambda a, k: "tracker load", P.fetch_tracker_and_update_session
    )
    P.parse_message = _timed_async(clock, lambda a, k: "NLU", P.parse_message)
    P.run_action_extract_slots = _timed_async(clock, lambda a, k: "slots", P.run_action_extract_slots)
    P.predict_next_with_tracker_if_should = _timed_sync(clock, "prediction", P.predict_next_with_tracker_if_should)
    P.save_tracker = _timed_async(clock, lambda a, k: "tracker save", P.save_tracker)
    DialogueStateTracker.copy = _timed_sync(clock, "tracker copy", DialogueStateTracker.copy)

    def action_stage(args: Any, kwargs: Dict[str, Any]) -> str:
        name = (args[1] if len(args) > 1 else kwargs["action"]).name()
        return (
            "custom action"
            if name.startswith("action_")
            and name not in ("action_listen", "action_session_start", "action_extract_slots")
            else "other actions"
        )

    P._run_action = _timed_async(clock, action_stage, P._run_action)
    P.handle_message = _timed_async(clock, lambda a, k: "processor", P.handle_message)
    Agent.handle_message = _timed_async(clock, lambda a, k: "turn", Agent.handle_message)


def conversations() -> List[List[str]]:
    from scripts.bench import OURS

    return OURS


def endpoints_file(source: Path, tmp: Path, action_port: int) -> Path:
    """`source` with the tracker store on a fresh SQLite file and a URL action endpoint on `action_port`."""
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    action = data.get("action_endpoint") or {}
    if _action_url(source):
        action["url"] = f"http://127.0.0.1:{action_port}/webhook"
    data["tracker_store"] = {"type": "bot.stores.tracker_store.SQLiteTrackerStore", "db": str(tmp / "trackers.db")}
    path = tmp / "endpoints.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def in_process(endpoints: Path, turns: int, clock: Clock, profiler: Any = None) -> None:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot.settings import read_endpoints

    agent = await load_agent(model_path=str(MODEL), endpoints=read_endpoints(endpoints))
    flat = [(i, t) for i, c in enumerate(conversations()) for t in c]
    sender = ""
    for k in range(turns + len(flat)):  # the first round warms caches and is not counted
        i, text = flat[k % len(flat)]
        if text == conversations()[i][0]:
            sender = f"profile-{k}"
        out = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, out, sender, input_channel="rest"))
        assert out.messages, f"no answer to {text!r}"
        if k < len(flat):
            clock.now.clear()
            clock.counts.clear()
            if k == len(flat) - 1 and profiler is not None:
                profiler.enable()  # the counted turns only, not loading the model nor the first round
        else:
            clock.end_turn()


def rest_median(endpoints: Path, turns: int) -> float:
    """Median ms per turn of the same conversations over REST, one client, against a real server."""
    from scripts.bench import single
    from tests.support.servers import Servers

    s = Servers(MODEL, endpoints=endpoints, actions="actions" if _action_url(endpoints) else None)
    s.action_port = _action_port(endpoints) or s.action_port
    s.start()
    try:
        times = asyncio.run(single(s.url, conversations(), turns + 20))[20:]
    finally:
        s.stop()
    return statistics.median(times)


def _action_url(endpoints: Path) -> Optional[str]:
    from bot.settings import action_url, read_endpoint

    return action_url(read_endpoint("action_endpoint", endpoints))


def _action_port(endpoints: Path) -> Optional[int]:
    url = _action_url(endpoints)
    return int(url.rsplit(":", 1)[1].split("/")[0]) if url else None


def table(clock: Clock, rest_ms: Optional[float]) -> str:
    stages = [
        "lock",
        "tracker load",
        "NLU",
        "slots",
        "prediction",
        "tracker copy",
        "custom action",
        "other actions",
        "tracker save",
        "rest of the processor",
    ]
    rows = []
    for t in clock.turns:
        t = dict(t)
        t["lock"] = t.get("turn", 0) - t.get("processor", 0)
        inner = sum(t.get(s, 0) for s in stages[1:9] if s != "tracker copy")  # copies happen inside actions
        t["rest of the processor"] = t.get("processor", 0) - inner
        rows.append(t)
    lines = [f"{'stage':<24}{'median ms':>10}{'mean ms':>10}"]
    for s in stages + ["turn"]:
        xs = [r.get(s, 0.0) * 1000 for r in rows]
        label = s if s != "prediction" else f"prediction (×{statistics.median(clock.predictions):g})"
        lines.append(f"{label:<24}{statistics.median(xs):>10.2f}{statistics.mean(xs):>10.2f}")
    if rest_ms is not None:
        turn = statistics.median([r.get("turn", 0) * 1000 for r in rows])
        lines.append(f"{'channel (REST - turn)':<24}{rest_ms - turn:>10.2f}")
        lines.append(f"{'REST turn, one client':<24}{rest_ms:>10.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--endpoints", default=str(ROOT / "endpoints.yml"))
    parser.add_argument("--no-rest", action="store_true", help="skip the REST round trips")
    parser.add_argument(
        "--cprofile",
        metavar="N",
        type=int,
        default=0,
        help="also print the N functions with the most own time (cProfile, in-process turns)",
    )
    args = parser.parse_args()
    from tests.support.servers import free_port

    tmp = Path(tempfile.mkdtemp(prefix="yanglao-profile-"))
    port = free_port()
    endpoints = endpoints_file(Path(args.endpoints), tmp, port)
    action_server = None
    if _action_url(endpoints):
        action_server = subprocess.Popen(
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )
        from tests.support.services import wait_port

        wait_port(port, timeout=60)
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)  # as `rasa run` does: no debug lines timed into the turns
    configure_structlog(logging.WARNING)
    clock = Clock()
    instrument(clock)
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
    try:
        asyncio.run(in_process(endpoints, args.turns, clock, profiler))
    finally:
        if profiler is not None:
            profiler.disable()
        if action_server is not None:
            action_server.terminate()
            action_server.wait()
    rest_ms = None
    if not args.no_rest:
        rest_endpoints = endpoints_file(Path(args.endpoints), tmp, free_port())
        rest_ms = rest_median(rest_endpoints, args.turns)
    print(
        f"endpoints: {args.endpoints} ({'action server over HTTP' if _action_url(endpoints) else 'actions in process'})"
        f", {len(clock.turns)} turns"
    )
    print(table(clock, rest_ms))
    if profiler is not None:
        import pstats

        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.cprofile)
        stats.sort_stats("cumulative").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
