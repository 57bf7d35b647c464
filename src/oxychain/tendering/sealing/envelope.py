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

Failures raise a `SealError` subclass whose ``code`` seal.js also uses: unknown version or
suite (`UnsupportedVersionError`), wrong shape (`MalformedEnvelopeError`), stored hash or
receipt differs (`EnvelopeTamperedError`), a share that does not open with the opener's key
(`ShareDecryptionError`), a released share that fails its commitment (`WrongShareError`),
fewer than k shares (`NotEnoughSharesError`), AES-GCM refusing the cover (`CoverTamperedError`).

Why a hand-written GF(256) routine and not pycryptodome's ``Shamir``: that one splits 16-byte
secrets over GF(2^128), so a browser would need a byte-exact GF(2^128) port of it. A 32-byte key
split byte-wise over GF(256) is about 40 lines, mirrored line for line in seal.js and checked
against the FIPS-197 products and against each other in tests (JS split, Python combine, and
back). All other primitives come from ``cryptography`` (AES-GCM, ECDH, HKDF). HPKE (RFC 9180)
is the choice for a v2 once browsers ship it; the share envelope follows its shape (ephemeral
ECDH, KDF bound to both public keys, AEAD) but is not wire-compatible with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from oxychain.core.errors import DomainError
from oxychain.tendering.sealing.shamir import MAX_POINTS as MAX_OPENERS
from oxychain.tendering.sealing.shamir import shamir_combine, shamir_split

VERSION = 1
ALG = "AES-256-GCM"
KEM = "ECDH-P256+HKDF-SHA256+AES-256-GCM"
SSS = "shamir-gf256"
COVERS = ("technical", "financial")
_COVER_CONTEXT = "oxychain/sealed-cover/v1"
_SHARE_CONTEXT = "oxychain/key-share/v1"
_ENVELOPE_FIELDS = {"v", "alg", "kem", "sss", "aad", "iv", "ct", "k", "n", "shares", "sha256"}
_SHARE_FIELDS = {"opener", "x", "epk", "iv", "ct", "commit"}
_RELEASED_FIELDS = {"v", "envelope", "opener", "x", "y"}
_MAX_ID_BYTES = 256


class SealError(DomainError):
    code = "seal_error"


class UnsupportedVersionError(SealError):
    code = "seal_unsupported_version"


class MalformedEnvelopeError(SealError):
    code = "seal_malformed"


class InvalidSealRequestError(SealError):
    code = "seal_invalid_request"


class BadKeyError(SealError):
    code = "seal_bad_key"


class EnvelopeTamperedError(SealError):
    """The stored hash (or the bidder's receipt) does not match the envelope's content."""

    code = "seal_envelope_tampered"


class EnvelopeMismatchError(SealError):
    """A sound envelope, but not for this tender, bidder, cover, committee or opener."""

    code = "seal_envelope_mismatch"


class ShareDecryptionError(SealError):
    """The share was not sealed to this key, or its epk/iv/ct was altered."""

    code = "seal_share_decryption_failed"


class WrongShareError(SealError):
    """A released share does not match its commitment, opener or envelope."""

    code = "seal_wrong_share"


class NotEnoughSharesError(SealError):
    code = "seal_not_enough_shares"


class CoverTamperedError(SealError):
    """AES-GCM refused the cover: its ciphertext, iv or binding was altered."""

    code = "seal_cover_tampered"


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
            "y": _b64(self.y),
        }

    @classmethod
    def from_json(cls, data: Any) -> Share:
        if not isinstance(data, dict) or set(data) != _RELEASED_FIELDS:
            raise MalformedEnvelopeError("a released share holds exactly v, envelope, opener, x, y")
        if data["v"] != VERSION or not _is_int(data["v"]):
            raise UnsupportedVersionError(f"released share version {data['v']!r} is unsupported")
        if not _is_int(data["x"]) or not isinstance(data["envelope"], str):
            raise MalformedEnvelopeError("a released share has a bad x or envelope")
        _check_id(data["opener"], "opener", MalformedEnvelopeError)
        return cls(data["envelope"], data["opener"], data["x"], _unb64(data["y"], 32, "share"))


# --- keys ----------------------------------------------------------------------------------


def generate_opener_keypair() -> tuple[str, str]:
    """A new opener key: (private key as JWK JSON, for the opener's file; public key, base64).

    The JWK is what WebCrypto exports, so a key made here works in the browser and back.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    raw = _raw_public(key.public_key())
    d = key.private_numbers().private_value.to_bytes(32, "big")
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64url(raw[1:33]),
        "y": _b64url(raw[33:]),
        "d": _b64url(d),
    }
    return json.dumps(jwk), _b64(raw)


def load_public_key(value: Any) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from base64 of its 65-byte uncompressed point (WebCrypto "raw")."""
    key = value
    if not isinstance(value, ec.EllipticCurvePublicKey):
        try:
            raw = base64.b64decode(value, validate=True)
            if len(raw) != 65:  # browsers import uncompressed points only
                raise ValueError("not an uncompressed point")
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except (TypeError, ValueError):
            raise BadKeyError("a public key is base64 of a P-256 uncompressed point") from None
    if not isinstance(key.curve, ec.SECP256R1):
        raise BadKeyError("opener keys must be on curve P-256")
    return key


def load_private_key(value: Any) -> ec.EllipticCurvePrivateKey:
    """An opener's private key: a JWK (dict, JSON text or bytes, as `generate_opener_keypair`
    and WebCrypto write it) or a key object."""
    key = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    if isinstance(key, str | dict):
        key = _from_jwk(key)
    if not (isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)):
        raise BadKeyError("an opener's private key must be a P-256 key")
    return key


def _from_jwk(value: str | dict) -> ec.EllipticCurvePrivateKey:
    try:
        jwk = json.loads(value) if isinstance(value, str) else value
        if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
            raise ValueError("not a P-256 key")
        d, x, y = (base64.urlsafe_b64decode(jwk[n] + "=" * (-len(jwk[n]) % 4)) for n in "dxy")
        if not len(d) == len(x) == len(y) == 32:
            raise ValueError("bad length")
        key = ec.derive_private_key(int.from_bytes(d, "big"), ec.SECP256R1())
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BadKeyError("the private key is not a P-256 JWK with d, x and y") from None
    if _raw_public(key.public_key()) != b"\x04" + x + y:
        raise BadKeyError("the JWK's private part does not match its public part")
    return key


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
    binding = _binding(tender, bidder, cover, InvalidSealRequestError)
    committee = [(str(opener), load_public_key(public)) for opener, public in openers]
    for opener, _ in committee:
        _check_id(opener, "opener id", InvalidSealRequestError)
    n = len(committee)
    if len({opener for opener, _ in committee}) != n:
        raise InvalidSealRequestError("opener ids must be unique")
    if not (_is_int(k) and 1 <= k <= n <= MAX_OPENERS):
        raise InvalidSealRequestError(f"need 1 <= k <= n <= {MAX_OPENERS}, got k={k!r}, n={n}")
    data_key = AESGCM.generate_key(bit_length=256)
    iv = secrets.token_bytes(12)
    ct = AESGCM(data_key).encrypt(iv, bytes(plaintext), _cover_aad(binding))
    points = shamir_split(data_key, k, n)
    shares = [
        _seal_share(binding, opener, public, x, y)
        for (opener, public), (x, y) in zip(committee, points, strict=True)
    ]
    envelope = {
        "v": VERSION,
        "alg": ALG,
        "kem": KEM,
        "sss": SSS,
        "aad": binding,
        "iv": _b64(iv),
        "ct": _b64(ct),
        "k": k,
        "n": n,
        "shares": shares,
    }
    envelope["sha256"] = envelope_hash(envelope)
    return envelope


def decrypt_share(envelope: dict[str, Any], opener_id: str | int, private_key: Any) -> Share:
    """On the opener's device: decrypt the opener's share, ready to release at opening."""
    digest = _validate(envelope)
    opener = str(opener_id)
    entry = next((s for s in envelope["shares"] if s["opener"] == opener), None)
    if entry is None:
        raise EnvelopeMismatchError(f"the envelope holds no share for opener {opener!r}")
    key = load_private_key(private_key)
    info = _share_info(envelope["aad"], opener, entry["x"])
    epk = _unb64(entry["epk"], 65, "share epk")
    try:
        ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)
        salt = epk + _raw_public(key.public_key())
        wrap_key = _wrap_key(key.exchange(ec.ECDH(), ephemeral), salt, info)
        y = AESGCM(wrap_key).decrypt(
            _unb64(entry["iv"], 12, "share iv"), _unb64(entry["ct"], 48, "share ct"), info
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
    digest = _validate(envelope)
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
            _unb64(envelope["iv"], 12, "iv"),
            _unb64(envelope["ct"], None, "ct"),
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
    digest = _validate(envelope)
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


def envelope_hash(envelope: dict[str, Any]) -> str:
    """Hex SHA-256 of the canonical JSON of the envelope without its ``sha256`` field."""
    body = {key: value for key, value in envelope.items() if key != "sha256"}
    return hashlib.sha256(_canonical(body)).hexdigest()


def _seal_share(
    binding: dict[str, str], opener: str, public: ec.EllipticCurvePublicKey, x: int, y: bytes
) -> dict[str, Any]:
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    epk = _raw_public(ephemeral.public_key())
    info = _share_info(binding, opener, x)
    wrap_key = _wrap_key(ephemeral.exchange(ec.ECDH(), public), epk + _raw_public(public), info)
    iv = secrets.token_bytes(12)
    return {
        "opener": opener,
        "x": x,
        "epk": _b64(epk),
        "iv": _b64(iv),
        "ct": _b64(AESGCM(wrap_key).encrypt(iv, y, info)),
        "commit": _commit(info, y),
    }


def _validate(envelope: Any) -> str:
    """Check shape, version and stored hash; return the hash. The crypto checks come later."""
    if not isinstance(envelope, dict):
        raise MalformedEnvelopeError("an envelope is a JSON object")
    suite = tuple(envelope.get(name) for name in ("v", "alg", "kem", "sss"))
    if suite != (VERSION, ALG, KEM, SSS) or not _is_int(envelope["v"]):
        raise UnsupportedVersionError(f"envelope version/suite {suite!r} is not supported")
    if set(envelope) != _ENVELOPE_FIELDS:
        raise MalformedEnvelopeError(f"envelope fields differ from v1: {sorted(envelope)}")
    aad = envelope["aad"]
    if not isinstance(aad, dict) or set(aad) != {"tender", "bidder", "cover"}:
        raise MalformedEnvelopeError("aad must hold exactly tender, bidder and cover")
    _binding(aad["tender"], aad["bidder"], aad["cover"], MalformedEnvelopeError)
    _unb64(envelope["iv"], 12, "iv")
    if len(_unb64(envelope["ct"], None, "ct")) < 16:
        raise MalformedEnvelopeError("ct is shorter than an AES-GCM tag")
    k, n, shares = envelope["k"], envelope["n"], envelope["shares"]
    if not (_is_int(k) and _is_int(n) and 1 <= k <= n <= MAX_OPENERS):
        raise MalformedEnvelopeError("k and n must satisfy 1 <= k <= n <= 255")
    if not isinstance(shares, list) or len(shares) != n:
        raise MalformedEnvelopeError("shares must list n entries")
    for share in shares:
        if not isinstance(share, dict) or set(share) != _SHARE_FIELDS:
            raise MalformedEnvelopeError(f"a share holds exactly {sorted(_SHARE_FIELDS)}")
        _check_id(share["opener"], "opener", MalformedEnvelopeError)
        if not (_is_int(share["x"]) and 1 <= share["x"] <= MAX_OPENERS):
            raise MalformedEnvelopeError("a share's x must be in 1..255")
        for name, size in (("epk", 65), ("iv", 12), ("ct", 48)):
            _unb64(share[name], size, f"share {name}")
        if not _is_hex64(share["commit"]):
            raise MalformedEnvelopeError("a share's commit is 64 lowercase hex digits")
    if len({s["opener"] for s in shares}) != n or len({s["x"] for s in shares}) != n:
        raise MalformedEnvelopeError("openers and x values must be unique")
    digest = envelope_hash(envelope)
    if not _is_hex64(envelope["sha256"]) or not hmac.compare_digest(envelope["sha256"], digest):
        raise EnvelopeTamperedError("the envelope's content does not match its sha256")
    return digest


def _binding(tender: Any, bidder: Any, cover: Any, error: type[SealError]) -> dict[str, str]:
    _check_id(tender, "tender", error)
    _check_id(bidder, "bidder", error)
    if cover not in COVERS:
        raise error(f"cover must be one of {', '.join(COVERS)}, not {cover!r}")
    return {"tender": tender, "bidder": bidder, "cover": cover}


def _check_id(value: Any, what: str, error: type[SealError]) -> None:
    # Well-formed and bounded, so that JSON.stringify and json.dumps agree byte for byte.
    try:
        ok = isinstance(value, str) and 0 < len(value.encode("utf-8")) <= _MAX_ID_BYTES
    except UnicodeEncodeError:  # a lone surrogate
        ok = False
    if not ok:
        raise error(f"{what} must be a non-empty string of at most {_MAX_ID_BYTES} UTF-8 bytes")


def _cover_aad(binding: dict[str, str]) -> bytes:
    return _canonical([_COVER_CONTEXT, binding["tender"], binding["bidder"], binding["cover"]])


def _share_info(binding: dict[str, str], opener: str, x: int) -> bytes:
    return _canonical(
        [_SHARE_CONTEXT, binding["tender"], binding["bidder"], binding["cover"], opener, x]
    )


def _wrap_key(shared_secret: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(shared_secret)


def _commit(info: bytes, y: bytes) -> str:
    return hashlib.sha256(info + y).hexdigest()


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _raw_public(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _is_int(value: Any) -> bool:
    return type(value) is int  # bool is an int subclass, and JSON true is no count


def _is_hex64(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= set("0123456789abcdef")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: Any, size: int | None, what: str) -> bytes:
    try:
        data = base64.b64decode(text, validate=True) if isinstance(text, str) else None
    except ValueError:  # binascii.Error, or non-ASCII text
        data = None
    if data is None or (size is not None and len(data) != size):
        raise MalformedEnvelopeError(f"{what} must be base64" + (f" of {size} bytes" * bool(size)))
    return data
