"""Reading uploads with a hard size limit, before anything parses them."""

from __future__ import annotations

from fastapi import UploadFile

from oxychain.core.errors import TooLarge

CHUNK = 64 * 1024


async def read_upload(file: UploadFile, limit: int) -> bytes:
    parts, size = [], 0
    while chunk := await file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge("The file is larger than {mb} MB.", mb=round(limit / 1_048_576, 1))
        parts.append(chunk)
    return b"".join(parts)
