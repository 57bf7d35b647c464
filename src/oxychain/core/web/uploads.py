"""Reading uploads with a hard size limit, before anything parses them; running an import
so that it stops when its client goes away."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request, UploadFile
from starlette.concurrency import run_in_threadpool

from oxychain.core.errors import TooLarge

CHUNK = 64 * 1024
T = TypeVar("T")


async def read_upload(file: UploadFile, limit: int) -> bytes:
    parts, size = [], 0
    while chunk := await file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge("The file is larger than {mb} MB.", mb=round(limit / 1_048_576, 1))
        parts.append(chunk)
    return b"".join(parts)


def import_bounds(request: Request) -> dict[str, Any]:
    """The bounds every import of this server reads its file within (``core.tabular``)."""
    settings = request.app.state.oxychain.settings
    return {"max_bytes": settings.max_upload_bytes, "max_rows": settings.max_import_rows}


async def while_connected(request: Request, work: Callable[..., T]) -> T:
    """``work(cancelled=...)`` in a worker thread (the event loop keeps serving others);
    ``cancelled()`` turns true once the client has gone, and the import, which asks it
    between batches of rows, stops with ``core.tabular.Cancelled``."""
    gone = threading.Event()

    async def watch() -> None:
        # The body is read: what the server sends next is the client's leaving. (Waiting for
        # it, rather than polling ``is_disconnected``, which never sees it through
        # Starlette's BaseHTTPMiddleware: its poll is cancelled with the message in hand.)
        while (await request.receive())["type"] != "http.disconnect":
            pass
        gone.set()

    # A plain task, not a task group: the work's own errors must reach the error handlers
    # as they are, not wrapped in an ExceptionGroup.
    watcher = asyncio.ensure_future(watch())
    try:
        return await run_in_threadpool(work, cancelled=gone.is_set)
    finally:
        watcher.cancel()
