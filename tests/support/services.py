"""Throwaway Redis, PostgreSQL and nginx instances for the production-profile tests: each on a free loopback
port, with its data in a new temporary directory, started and stopped (and restarted on the same port) by the
test. Binaries come from Debian's packages (scripts/install-services.sh installs them if missing); PostgreSQL
refuses to run as root, so as root its commands run as the `postgres` user and its directory belongs to it."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

from tests.support.servers import ROOT, free_port

IS_ROOT = os.geteuid() == 0


def redis_server_binary() -> Optional[str]:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
    )


def postgres_bin_dir() -> Optional[Path]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def nginx_binary() -> Optional[str]:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def missing_services() -> List[str]:
    missing = []
    if not redis_server_binary():
        missing.append("redis-server")
    if not postgres_bin_dir():
        missing.append("postgresql")
    if not nginx_binary():
        missing.append("nginx")
    return missing


def wait_port(port: int, up: bool = True, timeout: float = 20.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} not {'open' if up else 'closed'} after {timeout}s")


class Redis:
    """`redis-server` on 127.0.0.1:port, no persistence (locks and claims are short-lived)."""

    def __init__(self, port: Optional[int] = None, password: Optional[str] = None):
        self.port = port or free_port()
        self.password = password
        self.dir = Path(tempfile.mkdtemp(prefix="yanglao-redis-"))
        self.proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        args = [
            redis_server_binary(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.dir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(self.dir / "redis.log"),
        ]
        if self.password:
            args += ["--requirepass", self.password]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None
        wait_port(self.port, up=False)

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Redis":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


class Postgres:
    """A PostgreSQL cluster made by initdb in a temporary directory, serving 127.0.0.1:port. The superuser
    `postgres` and the application role `yanglao` (owner of database `yanglao`) log in with passwords over TCP,
    as in production; fsync is off (test data)."""

    def __init__(
        self, port: Optional[int] = None, user: str = "yanglao", password: str = "yanglao-test-pw", db: str = "yanglao"
    ):
        self.port = port or free_port()
        self.user, self.password, self.db = user, password, db
        self.superpassword = "postgres-test-pw"
        self.bin = postgres_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="yanglao-pg-"))
        self.data = self.root / "data"
        if IS_ROOT:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, args: List[str], check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        if IS_ROOT:
            args = ["runuser", "-u", "postgres", "--"] + args
        return subprocess.run(args, cwd=self.root, capture_output=True, text=True, check=check, timeout=timeout)

    def init(self) -> "Postgres":
        pwfile = self.root / "pw"
        pwfile.write_text(self.superpassword + "\n")
        if IS_ROOT:
            shutil.chown(pwfile, "postgres", "postgres")
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--pwfile",
                str(pwfile),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        pwfile.unlink()
        return self

    def start(self) -> "Postgres":
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.root / "postgres.log"),
                "-o",
                opts,
                "-w",
                "-t",
                "30",
                "start",
            ]
        )
        wait_port(self.port)
        return self

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop"], check=False
            )
        wait_port(self.port, up=False)

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def connect(self, superuser: bool = False, db: Optional[str] = None):
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            dbname=db or (self.db if not superuser else "postgres"),
            user="postgres" if superuser else self.user,
            password=self.superpassword if superuser else self.password,
            connect_timeout=5,
        )

    def create_app_database(self) -> "Postgres":
        conn = self.connect(superuser=True)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"CREATE ROLE {self.user} LOGIN PASSWORD %s", (self.password,))
            cur.execute(f"CREATE DATABASE {self.db} OWNER {self.user}")
        conn.close()
        return self

    def query(self, sql: str, params: tuple = ()) -> list:
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()

    def env(self) -> Dict[str, str]:
        """The production profile's variables for this instance."""
        return {
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(self.port),
            "DB_NAME": self.db,
            "DB_USER": self.user,
            "DB_PASSWORD": self.password,
        }

    def close(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "Postgres":
        return self.init().start().create_app_database()

    def __exit__(self, *exc) -> None:
        self.close()


def production_env(pg: Postgres, redis: Redis, action_url: str) -> Dict[str, str]:
    """Every variable deploy/endpoints.production.yml reads."""
    return dict(
        pg.env(),
        DB_SSLMODE="disable",
        REDIS_HOST="127.0.0.1",
        REDIS_PORT=str(redis.port),
        REDIS_PASSWORD=redis.password or "",
        REDIS_LOCK_DB="1",
        ACTION_URL=action_url,
        ACTIONS_MODULE="",
        TICKET_LOCK_LIFETIME="15",
    )


PRODUCTION_ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"


def signal_group(proc: subprocess.Popen, sig: int = signal.SIGINT) -> None:
    os.killpg(proc.pid, sig)
