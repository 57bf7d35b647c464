"""The bytes both sides agree on: canonical JSON, base64 fields, bounded ids (seal.js
serialises the same way, so hashes and AES-GCM bindings match byte for byte)."""

from __future__ import annotations

import base64
import json
from typing import Any

from oxychain.tendering.sealing.errors import MalformedEnvelopeError, SealError

MAX_ID_BYTES = 256


def canonical(value: Any) -> bytes:
    """Keys sorted, no spaces, non-ASCII kept as UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def check_id(value: Any, what: str, error: type[SealError]) -> None:
    # Well-formed and bounded, so that JSON.stringify and json.dumps agree byte for byte.
    try:
        ok = isinstance(value, str) and 0 < len(value.encode("utf-8")) <= MAX_ID_BYTES
    except UnicodeEncodeError:  # a lone surrogate
        ok = False
    if not ok:
        raise error(f"{what} must be a non-empty string of at most {MAX_ID_BYTES} UTF-8 bytes")


def is_int(value: Any) -> bool:
    return type(value) is int  # bool is an int subclass, and JSON true is no count


def is_hex64(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= set("0123456789abcdef")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: Any, size: int | None, what: str) -> bytes:
    try:
        data = base64.b64decode(text, validate=True) if isinstance(text, str) else None
    except ValueError:  # binascii.Error, or non-ASCII text
        data = None
    if data is None or (size is not None and len(data) != size):
        raise MalformedEnvelopeError(f"{what} must be base64" + (f" of {size} bytes" * bool(size)))
    return data
