"""Start a real action server and a real Rasa server (REST channel) on free loopback ports, wait until both
answer, and stop them afterwards. Used by the end-to-end tests, the evaluation script and the benchmark."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortTaken(RuntimeError):
    """A server could not bind its port."""


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except Exception:  # not up yet
        return 0


class Servers:
    """`with Servers(model) as s: s.send("id", "text")`

    endpoints: an endpoints file to use as it is (e.g. deploy/endpoints.production.yml) instead of the one made
    from actions / tracker_db / tracker_type; env: extra environment for both servers (e.g. that file's
    variables; a value of None removes the variable). Each server can be stopped, paused and started again on
    its port (stop_rasa / start_rasa, stop_actions / start_actions / pause_actions / resume_actions)."""

    def __init__(
        self,
        model: Path,
        project: Path = ROOT,
        actions: Optional[str] = "actions",
        credentials: Optional[Path] = None,
        tracker_db: Optional[Path] = None,
        tracker_type: str = "bot.stores.tracker_store.SQLiteTrackerStore",
        rasa_port: Optional[int] = None,
        action_port: Optional[int] = None,
        log_dir: Optional[Path] = None,
        endpoints: Optional[Path] = None,
        env: Optional[Dict[str, str]] = None,
        in_process: bool = False,
    ):
        self.model, self.project, self.actions = Path(model), Path(project), actions
        # in_process: the actions run inside the Rasa server (endpoints.yml's default profile), no action server
        self.in_process = in_process
        self.endpoints = Path(endpoints) if endpoints else None
        self.env = dict(env or {})
        self.rasa_proc: Optional[subprocess.Popen] = None
        self.actions_proc: Optional[subprocess.Popen] = None
        self.credentials = credentials or self.project / "credentials.yml"
        self.rasa_port = rasa_port or free_port()
        self.action_port = action_port or free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="yanglao-e2e-"))
        self.log_dir = log_dir or self.tmp
        self.tracker_db = tracker_db or self.tmp / "trackers.db"  # or "memory"
        self.tracker_type = tracker_type  # "SQL" is Rasa's own SQL store
        self.procs: List[subprocess.Popen] = []
        self._logs: Dict[int, tuple] = {}  # pid -> (log file, where this process began writing)
        self.url = f"http://127.0.0.1:{self.rasa_port}"

    def _endpoints(self) -> Path:
        if self.endpoints is not None:
            return self.endpoints
        path = self.tmp / "endpoints.yml"
        lines = []
        if self.actions and self.in_process:
            lines += ["action_endpoint:", f"  actions_module: {self.actions}", "  enable_selective_domain: true"]
        elif self.actions:
            lines += [
                "action_endpoint:",
                f"  url: http://127.0.0.1:{self.action_port}/webhook",
                "  enable_selective_domain: true",
            ]
        if self.tracker_db != "memory":
            lines += ["tracker_store:", f"  type: {self.tracker_type}", f"  db: {self.tracker_db}"]
            if self.tracker_type == "SQL":
                lines += ["  dialect: sqlite"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def _spawn(self, args: List[str], log: str) -> subprocess.Popen:
        # Both servers find the tracker store's database (case codes, review queue) from the same endpoints file.
        env = dict(
            os.environ,
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            TF_CPP_MIN_LOG_LEVEL="3",
            PYTHONPATH=str(ROOT),
            YANGLAO_ENDPOINTS=str(self._endpoints()),
        )
        for key, value in self.env.items():  # None: remove the variable
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        out = open(self.log_dir / log, "ab")
        start = out.tell()
        proc = subprocess.Popen(args, cwd=self.project, stdout=out, stderr=subprocess.STDOUT, env=env)
        self._logs[proc.pid] = (self.log_dir / log, start)
        self.procs.append(proc)
        return proc

    def _log_of(self, proc: subprocess.Popen, lines: int = 40) -> str:
        """What this process wrote to its log (the last lines): a failure in CI shows its cause."""
        path, start = self._logs.get(proc.pid, (None, 0))
        if path is None or not path.exists():
            return ""
        with open(path, "rb") as f:
            f.seek(start)
            text = f.read().decode("utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def start(self, timeout: float = 180.0) -> "Servers":
        server = bool(self.actions) and not self.in_process
        for attempt in range(3):
            if server:
                self._spawn_actions()
            self._spawn_rasa()
            try:
                self._wait_ready(timeout, rasa=True, actions=server)
                return self
            except PortTaken:
                # free_port() lets the port go before the server binds it; another process may take it between
                if attempt == 2:
                    raise
                self.rasa_port, self.action_port = free_port(), free_port()
                self.url = f"http://127.0.0.1:{self.rasa_port}"  # the endpoints file is written again per spawn
        return self

    def _spawn_actions(self) -> None:
        self.actions_proc = self._spawn(
            [sys.executable, "-m", "rasa_sdk", "--actions", self.actions, "--port", str(self.action_port)],
            "actions.log",
        )

    def _spawn_rasa(self) -> None:
        self.rasa_proc = self._spawn(
            [
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--model",
                str(self.model),
                "--endpoints",
                str(self._endpoints()),
                "--credentials",
                str(self.credentials),
                "--port",
                str(self.rasa_port),
                "--enable-api",
            ],
            "rasa.log",
        )

    def _wait_ready(self, timeout: float, rasa: bool, actions: bool) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            for p in self.procs:
                if p.poll() is not None:
                    log = self._log_of(p)
                    self.stop()
                    kind = PortTaken if "address already in use" in log.lower() else RuntimeError
                    raise kind(
                        f"a server exited early ({p.args[:4]}, exit {p.returncode}); see {self.log_dir}; "
                        f"its log ends:\n{log}"
                    )
            rasa_up = not rasa or (
                (_get(f"{self.url}/status") == 200 or _get(self.url + "/") == 200) and self._model_ready()
            )
            actions_up = not actions or _get(f"http://127.0.0.1:{self.action_port}/health") == 200
            if rasa_up and actions_up:
                return
            time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"servers not ready after {timeout}s; logs in {self.log_dir}")

    def _end(self, proc: Optional[subprocess.Popen]) -> None:
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)  # in case it was paused
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_rasa(self) -> None:
        """Stop the Rasa server only (SIGTERM, as an orchestrator stops it)."""
        self._end(self.rasa_proc)
        self.rasa_proc = None

    def start_rasa(self, timeout: float = 180.0) -> None:
        """Start the Rasa server again on the same port and wait until it has loaded the model."""
        self._spawn_rasa()
        self._wait_ready(timeout, rasa=True, actions=False)

    def stop_actions(self) -> None:
        self._end(self.actions_proc)
        self.actions_proc = None

    def start_actions(self, timeout: float = 60.0) -> None:
        self._spawn_actions()
        self._wait_ready(timeout, rasa=False, actions=True)

    def pause_actions(self) -> None:
        """SIGSTOP: the action server still accepts connections (the kernel does) but answers nothing."""
        self.actions_proc.send_signal(signal.SIGSTOP)

    def resume_actions(self) -> None:
        self.actions_proc.send_signal(signal.SIGCONT)

    def _model_ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/status", timeout=2) as r:
                return bool(json.load(r).get("model_file"))
        except Exception:
            return False

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)  # a paused server cannot handle SIGTERM
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        self.procs.clear()
        self.rasa_proc = self.actions_proc = None

    def send(self, sender: str, text: str, timeout: float = 30.0, metadata: Optional[dict] = None) -> str:
        """One REST turn; returns the bot's messages joined by newlines."""
        message = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
        body = json.dumps(message).encode("utf-8")
        req = urllib.request.Request(
            f"{self.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            replies = json.load(r)
        return "\n".join(m.get("text", "") for m in replies if m.get("text"))

    def logs(self) -> str:
        return "\n".join(
            (self.log_dir / f).read_text(errors="replace")
            for f in ("rasa.log", "actions.log")
            if (self.log_dir / f).exists()
        )

    def __enter__(self) -> "Servers":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
