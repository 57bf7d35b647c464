"""Shamir's secret sharing over GF(2^8), byte-wise, mirrored line for line in seal.js.

The browser splits and combines sealed-bid data keys with the same routine (seal.js),
so shares made on either side combine on the other. pycryptodome's Shamir works on
16-byte secrets over GF(2^128) and has no browser twin, hence this small routine; the
field is AES's (polynomial x^8+x^4+x^3+x+1, 0x11b), checked against FIPS-197 vectors.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

MAX_POINTS = 255  # GF(256) has 255 non-zero x values


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def gf_mul(a: int, b: int) -> int:
    """Multiply in GF(2^8) mod x^8+x^4+x^3+x+1 (0x11b), with masks, not secret-indexed tables."""
    product = 0
    for _ in range(8):
        product ^= -(b & 1) & a
        carry = -((a >> 7) & 1)
        a = ((a << 1) ^ (carry & 0x11B)) & 0xFF
        b >>= 1
    return product


def gf_inv(a: int) -> int:
    if not 0 < a < 256:
        raise ValueError("0 has no inverse in GF(256)")
    result, base, exponent = 1, a, 254  # a^254 = a^-1, since a^255 = 1
    while exponent:
        if exponent & 1:
            result = gf_mul(result, base)
        base = gf_mul(base, base)
        exponent >>= 1
    return result


def shamir_split(secret: bytes, k: int, n: int) -> list[tuple[int, bytes]]:
    """Split `secret` byte-wise into n points (x = 1..n), any k of which recombine it."""
    if not (_is_int(k) and _is_int(n) and 1 <= k <= n <= MAX_POINTS):
        raise ValueError(f"need 1 <= k <= n <= {MAX_POINTS}, got k={k!r}, n={n!r}")
    degree = k - 1
    coefficients = secrets.token_bytes(degree * len(secret))
    points = []
    for x in range(1, n + 1):
        y = bytearray()
        for j, constant in enumerate(secret):
            acc = 0
            for c in reversed(coefficients[j * degree : (j + 1) * degree]):  # Horner
                acc = gf_mul(acc, x) ^ c
            y.append(gf_mul(acc, x) ^ constant)
        points.append((x, bytes(y)))
    return points


def shamir_combine(points: Sequence[tuple[int, bytes]]) -> bytes:
    """Lagrange interpolation at x = 0. Fewer than k points give a wrong secret, silently."""
    xs = [x for x, _ in points]
    if not points or len(set(xs)) != len(xs) or not all(_is_int(x) and 0 < x < 256 for x in xs):
        raise ValueError("need at least one point, with distinct x in 1..255")
    size = len(points[0][1])
    if any(len(y) != size for _, y in points):
        raise ValueError("points differ in length")
    secret = bytearray(size)
    for i, (xi, y) in enumerate(points):
        numerator, denominator = 1, 1
        for m, xm in enumerate(xs):
            if m != i:  # in characteristic 2, 0 - xm = xm and xi - xm = xi ^ xm
                numerator = gf_mul(numerator, xm)
                denominator = gf_mul(denominator, xi ^ xm)
        basis = gf_mul(numerator, gf_inv(denominator))
        for j in range(size):
            secret[j] ^= gf_mul(basis, y[j])
    return bytes(secret)
