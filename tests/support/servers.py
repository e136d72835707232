"""Start a real action server and a real Rasa server (REST channel) on free loopback ports, wait until both
answer, and stop them afterwards. Used by the end-to-end tests, the evaluation script and the benchmark."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except Exception:  # not up yet
        return 0


class Servers:
    """`with Servers(model) as s: s.send("id", "text")`"""

    def __init__(self, model: Path, project: Path = ROOT, actions: Optional[str] = "actions",
                 credentials: Optional[Path] = None, tracker_db: Optional[Path] = None,
                 tracker_type: str = "bot.tracker_store.SQLiteTrackerStore", rasa_port: Optional[int] = None, action_port: Optional[int] = None, log_dir: Optional[Path] = None):
        self.model, self.project, self.actions = Path(model), Path(project), actions
        self.credentials = credentials or self.project / "credentials.yml"
        self.rasa_port = rasa_port or free_port()
        self.action_port = action_port or free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="yanglao-e2e-"))
        self.log_dir = log_dir or self.tmp
        self.tracker_db = tracker_db or self.tmp / "trackers.db"  # or "memory"
        self.tracker_type = tracker_type  # "SQL" is Rasa's own SQL store
        self.procs: List[subprocess.Popen] = []
        self.url = f"http://127.0.0.1:{self.rasa_port}"

    def _endpoints(self) -> Path:
        path = self.tmp / "endpoints.yml"
        lines = []
        if self.actions:
            lines += ["action_endpoint:", f"  url: http://127.0.0.1:{self.action_port}/webhook",
                      "  enable_selective_domain: true"]
        if self.tracker_db != "memory":
            lines += ["tracker_store:", f"  type: {self.tracker_type}", f"  db: {self.tracker_db}"]
            if self.tracker_type == "SQL":
                lines += ["  dialect: sqlite"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def _spawn(self, args: List[str], log: str) -> subprocess.Popen:
        env = dict(os.environ, SQLALCHEMY_SILENCE_UBER_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3",
                   PYTHONPATH=str(ROOT))
        out = open(self.log_dir / log, "ab")
        proc = subprocess.Popen(args, cwd=self.project, stdout=out, stderr=subprocess.STDOUT, env=env)
        self.procs.append(proc)
        return proc

    def start(self, timeout: float = 180.0) -> "Servers":
        py = sys.executable
        if self.actions:
            self._spawn([py, "-m", "rasa_sdk", "--actions", self.actions, "--port", str(self.action_port)],
                        "actions.log")
        self._spawn([py, "-m", "rasa", "run", "--model", str(self.model), "--endpoints", str(self._endpoints()),
                     "--credentials", str(self.credentials), "--port", str(self.rasa_port), "--enable-api"],
                    "rasa.log")
        deadline = time.time() + timeout
        while time.time() < deadline:
            for p in self.procs:
                if p.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"a server exited early ({p.args[:4]}); see {self.log_dir}")
            rasa_up = _get(f"{self.url}/status") == 200 or _get(self.url + "/") == 200
            actions_up = not self.actions or _get(f"http://127.0.0.1:{self.action_port}/health") == 200
            if rasa_up and actions_up and self._model_ready():
                return self
            time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"servers not ready after {timeout}s; logs in {self.log_dir}")

    def _model_ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/status", timeout=2) as r:
                return bool(json.load(r).get("model_file"))
        except Exception:
            return False

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        self.procs.clear()

    def send(self, sender: str, text: str, timeout: float = 30.0) -> str:
        """One REST turn; returns the bot's messages joined by newlines."""
        body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
        req = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            replies = json.load(r)
        return "\n".join(m.get("text", "") for m in replies if m.get("text"))

    def logs(self) -> str:
        return "\n".join((self.log_dir / f).read_text(errors="replace")
                         for f in ("rasa.log", "actions.log") if (self.log_dir / f).exists())

    def __enter__(self) -> "Servers":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
