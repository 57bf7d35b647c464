"""Opener keys: P-256 pairs made on the opener's own device, the private half a JWK (what
WebCrypto exports), the public half base64 of the uncompressed point (WebCrypto "raw")."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from oxychain.tendering.sealing.encoding import b64, b64url
from oxychain.tendering.sealing.errors import BadKeyError


def generate_opener_keypair() -> tuple[str, str]:
    """A new opener key: (private key as JWK JSON, for the opener's file; public key, base64).

    The JWK is what WebCrypto exports, so a key made here works in the browser and back.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    raw = raw_public(key.public_key())
    d = key.private_numbers().private_value.to_bytes(32, "big")
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(raw[1:33]),
        "y": b64url(raw[33:]),
        "d": b64url(d),
    }
    return json.dumps(jwk), b64(raw)


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
    if raw_public(key.public_key()) != b"\x04" + x + y:
        raise BadKeyError("the JWK's private part does not match its public part")
    return key


def raw_public(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
