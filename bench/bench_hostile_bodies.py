"""Hostile bodies against a real server: ``oxychain serve`` on a fresh SQLite database,
then an anonymous JSON body to POST /api/v1/auth/token of 200 MB sent lazily (chunked)
and one declaring 1 GB, each stopped by the server's 413. Prints the answer, how much of
the body left the client before it, the time, and the server's resident memory (VmRSS).

  .venv/bin/python bench/bench_hostile_bodies.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oxychain.app import Settings  # noqa: E402
from oxychain.core.db import migrate  # noqa: E402
from tests.hostile import rss_mb, send_lazily, zeros  # noqa: E402
from tests.server import ServerProcess  # noqa: E402

OFFERED = 200 * 1024 * 1024


def main() -> None:
    work = Path(tempfile.mkdtemp())
    url = f"sqlite:///{work / 'oxychain.db'}"
    migrate(Settings(database_url=url, environment="test"))
    server = ServerProcess(url, work)
    server.start()
    try:
        print(f"server RSS at start: {rss_mb(server.proc.pid):.0f} MB")
        for label, declared in (("streamed 200 MB", None), ("declared 1 GB", 1024**3)):
            started = time.monotonic()
            answer = send_lazily(
                server.port, "/api/v1/auth/token", zeros(OFFERED), declared_length=declared
            )
            print(
                f"{label}: {answer.status} {answer.json()['error']}, "
                f"{answer.sent / 1e6:.1f} MB sent, {time.monotonic() - started:.2f} s, "
                f"server RSS {rss_mb(server.proc.pid):.0f} MB"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
