"""scripts/run-cluster.sh as a child process group (N Rasa + M action servers behind nginx, production profile), for
the production tests and the benchmark."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional

from tests.support.servers import ROOT, free_port

if TYPE_CHECKING:
    from tests.support.services import Postgres, Redis

RASA_API_TOKEN = "production-test-api-token"


def cluster_env(pg: "Postgres", redis: "Redis", credentials: Path, **extra: str) -> Dict[str, str]:
    """What scripts/run-cluster.sh reads of the stores and the project (the database, Redis, the channels'
    credentials file), with `extra` variables (MODEL, WECHAT_*…) beside them."""
    return dict(
        pg.env(),
        DB_SSLMODE="disable",
        REDIS_HOST="127.0.0.1",
        REDIS_PORT=str(redis.port),
        CREDENTIALS=str(credentials),
        PYTHONPATH=str(ROOT),
        **extra,
    )


def free_ports(count: int, taken: Iterable[int] = ()) -> int:
    """The first of `count` consecutive free ports (on every interface: nginx listens on 0.0.0.0), none of them
    `taken`: ports chosen for the same cluster are free now but not yet bound, and a later choice must not
    reuse them (the OS may hand a just-released port out again)."""
    taken = set(taken)
    for _ in range(200):
        first = free_port()
        ports = range(first, first + max(count, 1))
        if ports[-1] > 65535 or taken.intersection(ports):
            continue
        try:
            for port in ports:
                with socket.socket() as s:
                    s.bind(("0.0.0.0", port))
            return first
        except OSError:
            continue
    raise RuntimeError(f"no {count} consecutive free ports")


class Cluster:
    """scripts/run-cluster.sh as a child process group; its servers' URLs."""

    def __init__(self, env: Dict[str, str], run_dir: Path, rasa_servers: int = 2, action_servers: int = 2):
        chosen: List[int] = []
        self.port = free_ports(1, chosen)
        chosen.append(self.port)
        self.action_lb = free_ports(1, chosen)
        chosen.append(self.action_lb)
        self.rasa_base = free_ports(rasa_servers, chosen)
        chosen += range(self.rasa_base, self.rasa_base + rasa_servers)
        self.action_base = free_ports(action_servers, chosen)
        self.rasa_servers, self.action_servers = rasa_servers, action_servers
        self.rasa_ports = [self.rasa_base + i for i in range(rasa_servers)]
        self.action_ports = [self.action_base + i for i in range(action_servers)]
        self.run_dir = run_dir
        self.env = dict(
            os.environ,
            **env,
            PORT=str(self.port),
            RASA_BASE_PORT=str(self.rasa_base),
            ACTION_BASE_PORT=str(self.action_base),
            ACTION_LB_PORT=str(self.action_lb),
            RASA_SERVERS=str(rasa_servers),
            ACTION_SERVERS=str(action_servers),
            RUN_DIR=str(run_dir),
            RASA_API_TOKEN=RASA_API_TOKEN,
        )
        for name in ("ACTION_URL", "ACTIONS_MODULE"):  # the script sets them: nginx's action upstream, or in process
            self.env.pop(name, None)
        self.proc: Optional[subprocess.Popen] = None
        self.output: List[str] = []

    @property
    def nginx(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def servers(self) -> List[str]:
        return [f"http://127.0.0.1:{p}" for p in self.rasa_ports]

    def start(self, timeout: float = 240.0) -> "Cluster":
        self.proc = subprocess.Popen(
            [str(ROOT / "scripts" / "run-cluster.sh")],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        deadline = time.time() + timeout
        for line in self.proc.stdout:
            self.output.append(line)
            if "run-cluster: ready" in line:
                return self
            if time.time() > deadline or "exited" in line or "not ready" in line:
                break
        self.stop()
        raise RuntimeError("cluster did not start:\n" + "".join(self.output) + self.logs())

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Ctrl-C to the script's process group, as a terminal sends it; its exit status."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        try:
            rest, _ = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            rest, _ = self.proc.communicate()
        self.output.append(rest or "")
        code, self.proc = self.proc.returncode, None
        return code

    def tracker(self, sender: str) -> dict:
        url = f"{self.servers[0]}/conversations/{sender}/tracker?token={RASA_API_TOKEN}"
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:] for p in sorted(self.run_dir.glob("*.log"))
        )
