"""Sealed bid covers: one versioned envelope that Python and the browser both write and open.

A cover (technical or financial) is encrypted with a fresh 32-byte data key; the key is split
k-of-n by Shamir's scheme and each share is encrypted to one opener's P-256 public key. The
server stores the envelope; it never sees a private key or a data key. At opening each opener
decrypts their own share on their device and releases it (`decrypt_share`); the server checks
each released share against its commitment and combines k of them (`open_cover`).
``static/js/seal.js`` writes and reads the same format with WebCrypto.

Envelope, version 1 (JSON; binary fields are standard base64 with padding)::

    {"v": 1, "alg": "AES-256-GCM", "kem": "ECDH-P256+HKDF-SHA256+AES-256-GCM",
     "sss": "shamir-gf256",
     "aad": {"tender": str, "bidder": str, "cover": "technical" | "financial"},
     "iv": b64(12 bytes), "ct": b64(ciphertext || 16-byte tag), "k": int, "n": int,
     "shares": [{"opener": str, "x": 1..n, "epk": b64(65-byte uncompressed P-256 point),
                 "iv": b64(12), "ct": b64(32-byte share || tag), "commit": hex}, ...],
     "sha256": hex}

- ``ct`` = AES-256-GCM(data key, iv, cover, aad=C(["oxychain/sealed-cover/v1", tender,
  bidder, cover])), where C is the canonical JSON below, UTF-8 encoded.
- Shares: Shamir over GF(2^8) (AES polynomial 0x11b), byte by byte on the data key, at
  x = 1..n in the order the openers were given; any k recombine it by Lagrange at x = 0.
- Share envelope: a fresh ephemeral P-256 key; Z = ECDH(ephemeral, opener); wrap key =
  HKDF-SHA256(Z, salt = epk || opener public key (raw), info = I, 32 bytes); ``ct`` =
  AES-256-GCM(wrap key, iv, share, aad = I), I = C(["oxychain/key-share/v1", tender, bidder,
  cover, opener, x]). Binding I in both places ties a share to its bid, cover and opener.
- ``commit`` = hex SHA-256(I || share): lets the server tell which released share is wrong
  before combining; the share has 256 bits of entropy, so the hash reveals nothing usable.
- ``sha256`` = `envelope_hash`: hex SHA-256 of C(envelope without ``sha256``). It is the
  bidder's receipt; opening compares it again (and with the receipt, if given).
- C (canonical JSON): keys sorted, no spaces, non-ASCII kept as UTF-8; only strings, small
  integers, lists and the fixed ASCII keys above occur, so ``json.dumps`` and the JS
  serialiser in seal.js produce the same bytes. Unknown fields are refused, not hashed.
- A released share (what `decrypt_share` returns, as JSON): {"v": 1, "envelope": the
  envelope's sha256, "opener": str, "x": int, "y": b64(32 bytes)}.

The package splits the work: ``keys`` (opener key pairs), ``validation`` (the shape and
hash above), ``encoding`` (canonical JSON, base64), ``errors``; this module seals and opens.

Failures raise a `SealError` subclass (``errors``) whose ``code`` seal.js also uses:
unknown version or suite (`UnsupportedVersionError`), wrong shape (`MalformedEnvelopeError`),
stored hash or receipt differs (`EnvelopeTamperedError`), a share that does not open with the
opener's key (`ShareDecryptionError`), a released share that fails its commitment
(`WrongShareError`), fewer than k shares (`NotEnoughSharesError`), AES-GCM refusing the
cover (`CoverTamperedError`).

Why a hand-written GF(256) routine and not pycryptodome's ``Shamir``: that one splits 16-byte
secrets over GF(2^128), so a browser would need a byte-exact GF(2^128) port of it. A 32-byte key
split byte-wise over GF(256) is about 40 lines, mirrored line for line in seal.js and checked
against the FIPS-197 products and against each other in tests (JS split, Python combine, and
back). All other primitives come from ``cryptography`` (AES-GCM, ECDH, HKDF). HPKE (RFC 9180)
is the choice for a v2 once browsers ship it; the share envelope follows its shape (ephemeral
ECDH, KDF bound to both public keys, AEAD) but is not wire-compatible with it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from oxychain.tendering.sealing.encoding import b64, canonical, check_id, is_int, unb64
from oxychain.tendering.sealing.errors import (
    CoverTamperedError,
    EnvelopeMismatchError,
    EnvelopeTamperedError,
    InvalidSealRequestError,
    MalformedEnvelopeError,
    NotEnoughSharesError,
    ShareDecryptionError,
    UnsupportedVersionError,
    WrongShareError,
)
from oxychain.tendering.sealing.keys import load_private_key, load_public_key, raw_public
from oxychain.tendering.sealing.shamir import shamir_combine, shamir_split
from oxychain.tendering.sealing.validation import (
    ALG,
    KEM,
    MAX_OPENERS,
    RELEASED_FIELDS,
    SSS,
    VERSION,
    binding,
    envelope_hash,
    validate,
)

_COVER_CONTEXT = "oxychain/sealed-cover/v1"
_SHARE_CONTEXT = "oxychain/key-share/v1"


@dataclass(frozen=True)
class Share:
    """What an opener releases at opening: one point of the data key's polynomial."""

    envelope: str  # envelope_hash of the envelope this share opens
    opener: str
    x: int
    y: bytes = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "envelope": self.envelope,
            "opener": self.opener,
            "x": self.x,
            "y": b64(self.y),
        }

    @classmethod
    def from_json(cls, data: Any) -> Share:
        if not isinstance(data, dict) or set(data) != RELEASED_FIELDS:
            raise MalformedEnvelopeError("a released share holds exactly v, envelope, opener, x, y")
        if data["v"] != VERSION or not is_int(data["v"]):
            raise UnsupportedVersionError(f"released share version {data['v']!r} is unsupported")
        if not is_int(data["x"]) or not isinstance(data["envelope"], str):
            raise MalformedEnvelopeError("a released share has a bad x or envelope")
        check_id(data["opener"], "opener", MalformedEnvelopeError)
        return cls(data["envelope"], data["opener"], data["x"], unb64(data["y"], 32, "share"))


# --- sealing and opening -------------------------------------------------------------------


def seal_cover(
    plaintext: bytes,
    *,
    tender: str,
    bidder: str,
    cover: str,
    openers: Sequence[tuple[str | int, Any]],
    k: int,
) -> dict[str, Any]:
    """Encrypt one cover for the committee `openers` [(opener id, public key)], k to open."""
    bound = binding(tender, bidder, cover, InvalidSealRequestError)
    committee = [(str(opener), load_public_key(public)) for opener, public in openers]
    for opener, _ in committee:
        check_id(opener, "opener id", InvalidSealRequestError)
    n = len(committee)
    if len({opener for opener, _ in committee}) != n:
        raise InvalidSealRequestError("opener ids must be unique")
    if not (is_int(k) and 1 <= k <= n <= MAX_OPENERS):
        raise InvalidSealRequestError(f"need 1 <= k <= n <= {MAX_OPENERS}, got k={k!r}, n={n}")
    data_key = AESGCM.generate_key(bit_length=256)
    iv = secrets.token_bytes(12)
    ct = AESGCM(data_key).encrypt(iv, bytes(plaintext), _cover_aad(bound))
    points = shamir_split(data_key, k, n)
    shares = [
        _seal_share(bound, opener, public, x, y)
        for (opener, public), (x, y) in zip(committee, points, strict=True)
    ]
    envelope = {
        "v": VERSION,
        "alg": ALG,
        "kem": KEM,
        "sss": SSS,
        "aad": bound,
        "iv": b64(iv),
        "ct": b64(ct),
        "k": k,
        "n": n,
        "shares": shares,
    }
    envelope["sha256"] = envelope_hash(envelope)
    return envelope


def decrypt_share(envelope: dict[str, Any], opener_id: str | int, private_key: Any) -> Share:
    """On the opener's device: decrypt the opener's share, ready to release at opening."""
    digest = validate(envelope)
    opener = str(opener_id)
    entry = next((s for s in envelope["shares"] if s["opener"] == opener), None)
    if entry is None:
        raise EnvelopeMismatchError(f"the envelope holds no share for opener {opener!r}")
    key = load_private_key(private_key)
    info = _share_info(envelope["aad"], opener, entry["x"])
    epk = unb64(entry["epk"], 65, "share epk")
    try:
        ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)
        salt = epk + raw_public(key.public_key())
        wrap_key = _wrap_key(key.exchange(ec.ECDH(), ephemeral), salt, info)
        y = AESGCM(wrap_key).decrypt(
            unb64(entry["iv"], 12, "share iv"), unb64(entry["ct"], 48, "share ct"), info
        )
    except (ValueError, InvalidTag):
        raise ShareDecryptionError(
            f"the share of opener {opener!r} does not open with this "
            "key: wrong key, or the share was altered",
            opener=opener,
        ) from None
    if not hmac.compare_digest(_commit(info, y), entry["commit"]):
        raise WrongShareError(
            f"the share of opener {opener!r} does not match its commitment", opener=opener
        )
    return Share(digest, opener, entry["x"], y)


def open_cover(
    envelope: dict[str, Any],
    shares: Iterable[Share | dict[str, Any]],
    *,
    expected_hash: str | None = None,
) -> bytes:
    """At opening, on the server: check the released shares, combine k, decrypt the cover.

    `expected_hash` is the receipt given when the bid was accepted; pass it so that an
    envelope swapped for another sound one (an older version of the bid) is refused.
    """
    digest = validate(envelope)
    if expected_hash is not None and not hmac.compare_digest(expected_hash, digest):
        raise EnvelopeTamperedError("the envelope does not match the receipt hash recorded")
    points: dict[str, tuple[int, bytes]] = {}
    for item in shares:
        share = item if isinstance(item, Share) else Share.from_json(item)
        entry = next((s for s in envelope["shares"] if s["opener"] == share.opener), None)
        if (
            entry is None
            or share.envelope != digest
            or entry["x"] != share.x
            or not hmac.compare_digest(
                entry["commit"],
                _commit(_share_info(envelope["aad"], share.opener, share.x), share.y),
            )
        ):
            raise WrongShareError(
                f"the share released by opener {share.opener!r} is not a share of this envelope",
                opener=share.opener,
            )
        points[share.opener] = (share.x, share.y)  # a share released twice counts once
    k = envelope["k"]
    if len(points) < k:
        raise NotEnoughSharesError(
            f"{len(points)} of the {k} shares needed were released", released=len(points), k=k
        )
    data_key = shamir_combine(list(points.values())[:k])
    try:
        return AESGCM(data_key).decrypt(
            unb64(envelope["iv"], 12, "iv"),
            unb64(envelope["ct"], None, "ct"),
            _cover_aad(envelope["aad"]),
        )
    except InvalidTag:
        raise CoverTamperedError(
            "the cover does not decrypt: its ciphertext, iv or binding "
            "(tender, bidder, cover) was altered"
        ) from None


def check_envelope(
    envelope: dict[str, Any],
    *,
    tender: str | None = None,
    bidder: str | None = None,
    cover: str | None = None,
    openers: Sequence[str | int] | None = None,
    k: int | None = None,
) -> str:
    """On receipt of a bid: refuse an envelope that is unsound or sealed for another tender,
    bidder, cover or committee; return its hash, the bidder's receipt."""
    digest = validate(envelope)
    aad = envelope["aad"]
    for name, wanted in (("tender", tender), ("bidder", bidder), ("cover", cover)):
        if wanted is not None and aad[name] != wanted:
            raise EnvelopeMismatchError(f"sealed for {name} {aad[name]!r}, not {wanted!r}")
    sealed_to = sorted(s["opener"] for s in envelope["shares"])
    if openers is not None and sealed_to != sorted(str(o) for o in openers):
        raise EnvelopeMismatchError("the envelope is not sealed to this tender's openers")
    if k is not None and envelope["k"] != k:
        raise EnvelopeMismatchError(f"the envelope needs {envelope['k']} openers, not {k}")
    return digest


def _seal_share(
    bound: dict[str, str], opener: str, public: ec.EllipticCurvePublicKey, x: int, y: bytes
) -> dict[str, Any]:
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    epk = raw_public(ephemeral.public_key())
    info = _share_info(bound, opener, x)
    wrap_key = _wrap_key(ephemeral.exchange(ec.ECDH(), public), epk + raw_public(public), info)
    iv = secrets.token_bytes(12)
    return {
        "opener": opener,
        "x": x,
        "epk": b64(epk),
        "iv": b64(iv),
        "ct": b64(AESGCM(wrap_key).encrypt(iv, y, info)),
        "commit": _commit(info, y),
    }


def _cover_aad(bound: dict[str, str]) -> bytes:
    return canonical([_COVER_CONTEXT, bound["tender"], bound["bidder"], bound["cover"]])


def _share_info(bound: dict[str, str], opener: str, x: int) -> bytes:
    return canonical([_SHARE_CONTEXT, bound["tender"], bound["bidder"], bound["cover"], opener, x])


def _wrap_key(shared_secret: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(shared_secret)


def _commit(info: bytes, y: bytes) -> str:
    return hashlib.sha256(info + y).hexdigest()
