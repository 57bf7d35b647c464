"""`oxychain serve` in a subprocess, for the tests that need a real server (browser journeys,
the kill -9 durability test): started on a free loopback port and waited on until it
answers, dies, or a generous limit passes; its log says why when it does not come up."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

# A cold start on a busy 2-core machine can take tens of seconds; a dead server is seen at once.
READY_WITHIN_SECONDS = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """One server the test can start, kill (SIGKILL) and start again on the same port."""

    def __init__(
        self, database_url: str, workdir: Path, *args: str, **env: str
    ) -> None:  # args: more of `oxychain serve`'s, such as "--workers", "4"
        self.env = {
            **os.environ,
            "OXYCHAIN_DATABASE_URL": database_url,
            "OXYCHAIN_ENVIRONMENT": "test",
            **env,
        }
        self.workdir, self.port, self.args = workdir, free_port(), args
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "oxychain.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    *self.args,
                ],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"server exited with code {self.proc.returncode}: {self.log()}"
                )
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.kill()
        raise AssertionError(f"server did not answer within {READY_WITHIN_SECONDS} s: {self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def serving(database_url: str, workdir: Path, **env: str) -> Iterator[str]:
    """A server for the database while the block runs (with these more settings); yields
    its base URL."""
    server = ServerProcess(database_url, workdir, **env)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
