"""Hostile clients for the tests: a body sent lazily over a raw socket (so the server's own
answer, not the client's buffering, decides how much is sent), and the server's memory."""

from __future__ import annotations

import json
import os
import select
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 64 * 1024


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int  # body bytes the client got out before the server answered

    def json(self) -> dict:
        return json.loads(self.body)


def zeros(total: int) -> Iterator[bytes]:
    """``total`` bytes of a JSON array of zeros, made as they are sent."""
    yield b"["
    sent = 1
    while sent < total:
        yield b"0," * (CHUNK // 2)
        sent += CHUNK


def send_lazily(
    port: int,
    path: str,
    body: Iterator[bytes],
    headers: dict[str, str] | None = None,
    declared_length: int | None = None,
) -> Answer:
    """POST ``body`` chunk by chunk (chunked transfer, or under ``declared_length``),
    stopping as soon as the server answers; the answer and how much was sent."""
    head = {"Host": "127.0.0.1", "Content-Type": "application/json", **(headers or {})}
    if declared_length is None:
        head["Transfer-Encoding"] = "chunked"
    else:
        head["Content-Length"] = str(declared_length)
    lines = [f"POST {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items()), "", ""]
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall("\r\n".join(lines).encode())
        for chunk in body:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered: stop sending
            framed = chunk if declared_length is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk)
            try:
                sock.sendall(framed)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        return _answer(sock, sent)


def _answer(sock: socket.socket, sent: int) -> Answer:
    data = b""
    sock.settimeout(30)
    while True:
        try:
            part = sock.recv(65536)
        except ConnectionResetError:
            break
        if not part:
            break
        data += part
        head, _, rest = data.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            None,
        )
        if length is not None and len(rest) >= length:
            break
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(status_line.split()[1]), headers, rest, sent)


def rss_mb(pid: int) -> float:
    """Resident memory of a process (MB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (s), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def multipart(name: str, filename: str, content: bytes, boundary: str = "hostile") -> bytes:
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
            "\r\nContent-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
