"""The v1 envelope's shape: its fixed fields, version and suite, and the stored hash that
binds them (``envelope_hash``). Checked before any cryptography runs, in the order seal.js
checks them."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from oxychain.tendering.sealing.encoding import canonical, check_id, is_hex64, is_int, unb64
from oxychain.tendering.sealing.errors import (
    EnvelopeTamperedError,
    MalformedEnvelopeError,
    SealError,
    UnsupportedVersionError,
)
from oxychain.tendering.sealing.shamir import MAX_POINTS as MAX_OPENERS

VERSION = 1
ALG = "AES-256-GCM"
KEM = "ECDH-P256+HKDF-SHA256+AES-256-GCM"
SSS = "shamir-gf256"
COVERS = ("technical", "financial")
ENVELOPE_FIELDS = {"v", "alg", "kem", "sss", "aad", "iv", "ct", "k", "n", "shares", "sha256"}
SHARE_FIELDS = {"opener", "x", "epk", "iv", "ct", "commit"}
RELEASED_FIELDS = {"v", "envelope", "opener", "x", "y"}


def envelope_hash(envelope: dict[str, Any]) -> str:
    """Hex SHA-256 of the canonical JSON of the envelope without its ``sha256`` field."""
    body = {key: value for key, value in envelope.items() if key != "sha256"}
    return hashlib.sha256(canonical(body)).hexdigest()


def validate(envelope: Any) -> str:
    """Check shape, version and stored hash; return the hash. The crypto checks come later."""
    if not isinstance(envelope, dict):
        raise MalformedEnvelopeError("an envelope is a JSON object")
    suite = tuple(envelope.get(name) for name in ("v", "alg", "kem", "sss"))
    if suite != (VERSION, ALG, KEM, SSS) or not is_int(envelope["v"]):
        raise UnsupportedVersionError(f"envelope version/suite {suite!r} is not supported")
    if set(envelope) != ENVELOPE_FIELDS:
        raise MalformedEnvelopeError(f"envelope fields differ from v1: {sorted(envelope)}")
    aad = envelope["aad"]
    if not isinstance(aad, dict) or set(aad) != {"tender", "bidder", "cover"}:
        raise MalformedEnvelopeError("aad must hold exactly tender, bidder and cover")
    binding(aad["tender"], aad["bidder"], aad["cover"], MalformedEnvelopeError)
    unb64(envelope["iv"], 12, "iv")
    if len(unb64(envelope["ct"], None, "ct")) < 16:
        raise MalformedEnvelopeError("ct is shorter than an AES-GCM tag")
    k, n, shares = envelope["k"], envelope["n"], envelope["shares"]
    if not (is_int(k) and is_int(n) and 1 <= k <= n <= MAX_OPENERS):
        raise MalformedEnvelopeError("k and n must satisfy 1 <= k <= n <= 255")
    if not isinstance(shares, list) or len(shares) != n:
        raise MalformedEnvelopeError("shares must list n entries")
    for share in shares:
        _validate_share(share)
    if len({s["opener"] for s in shares}) != n or len({s["x"] for s in shares}) != n:
        raise MalformedEnvelopeError("openers and x values must be unique")
    digest = envelope_hash(envelope)
    if not is_hex64(envelope["sha256"]) or not hmac.compare_digest(envelope["sha256"], digest):
        raise EnvelopeTamperedError("the envelope's content does not match its sha256")
    return digest


def _validate_share(share: Any) -> None:
    if not isinstance(share, dict) or set(share) != SHARE_FIELDS:
        raise MalformedEnvelopeError(f"a share holds exactly {sorted(SHARE_FIELDS)}")
    check_id(share["opener"], "opener", MalformedEnvelopeError)
    if not (is_int(share["x"]) and 1 <= share["x"] <= MAX_OPENERS):
        raise MalformedEnvelopeError("a share's x must be in 1..255")
    for name, size in (("epk", 65), ("iv", 12), ("ct", 48)):
        unb64(share[name], size, f"share {name}")
    if not is_hex64(share["commit"]):
        raise MalformedEnvelopeError("a share's commit is 64 lowercase hex digits")


def binding(tender: Any, bidder: Any, cover: Any, error: type[SealError]) -> dict[str, str]:
    """What a cover is sealed for (its ``aad``): tender, bidder and which cover."""
    check_id(tender, "tender", error)
    check_id(bidder, "bidder", error)
    if cover not in COVERS:
        raise error(f"cover must be one of {', '.join(COVERS)}, not {cover!r}")
    return {"tender": tender, "bidder": bidder, "cover": cover}
