"""Sealed covers in Python: round trips, k of n, tampering, keys, GF(256) and the CLI."""

from __future__ import annotations

import base64
import copy
import itertools
import json
import random
import stat

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from oxychain.core import cli
from oxychain.tendering import AREA as TENDERING
from oxychain.tendering import cli as cli_bid
from oxychain.tendering import sealing as s
from oxychain.tendering.sealing import shamir

CANARY = "CANARY-unit-price-₹41,999-7f3a9c"
N, K = 5, 3


@pytest.fixture(scope="module")
def keys() -> list[tuple[str, str]]:
    return [s.generate_opener_keypair() for _ in range(N)]


@pytest.fixture(scope="module")
def committee(keys) -> list[tuple[str, str]]:
    return [(f"opener-{i}", public) for i, (_, public) in enumerate(keys)]


def _seal(committee, plaintext: bytes = CANARY.encode(), **binding) -> dict:
    fields = {
        "tender": "UPMSCL/OC/2021/07",
        "bidder": f"supplier-{random.randrange(10**6)}",
        "cover": "financial",
    } | binding
    return s.seal_cover(plaintext, openers=committee, k=K, **fields)


def _released(envelope, keys, which=range(N)) -> list[s.Share]:
    return [s.decrypt_share(envelope, f"opener-{i}", keys[i][0]) for i in which]


def _rehash(envelope: dict) -> dict:
    """What an attacker who can also rewrite the stored hash would leave behind."""
    envelope["sha256"] = s.envelope_hash(envelope)
    return envelope


def _flip(b64: str, index: int) -> str:
    raw = bytearray(base64.b64decode(b64))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


# --- round trips and thresholds -------------------------------------------------------------


@pytest.mark.parametrize("cover", s.COVERS)
def test_a_sealed_cover_opens_with_k_released_shares(keys, committee, cover):
    plaintext = bytes(range(256)) * 3 + CANARY.encode()
    envelope = _seal(committee, plaintext, cover=cover)
    assert (envelope["v"], envelope["k"], envelope["n"]) == (1, K, N)
    assert [share["x"] for share in envelope["shares"]] == list(range(1, N + 1))
    shares = _released(envelope, keys, [0, 2, 4])
    assert s.open_cover(envelope, shares, expected_hash=envelope["sha256"]) == plaintext
    assert s.open_cover(envelope, [share.to_json() for share in shares]) == plaintext


def test_any_k_of_n_open_and_every_k_minus_1_refuses(keys, committee):
    envelope = _seal(committee)
    shares = _released(envelope, keys)
    for subset in itertools.combinations(shares, K):
        assert s.open_cover(envelope, subset) == CANARY.encode()
    for subset in itertools.combinations(shares, K - 1):
        with pytest.raises(s.NotEnoughSharesError):
            s.open_cover(envelope, subset)
    assert s.open_cover(envelope, shares) == CANARY.encode()  # more than k is fine


def test_k_minus_1_shares_recombine_to_a_key_that_does_not_open(keys, committee):
    envelope = _seal(committee)
    shares = _released(envelope, keys)
    key = shamir.shamir_combine([(sh.x, sh.y) for sh in shares[:K]])
    short = shamir.shamir_combine([(sh.x, sh.y) for sh in shares[: K - 1]])
    assert short != key
    with pytest.raises(InvalidTag):
        AESGCM(short).decrypt(
            base64.b64decode(envelope["iv"]),
            base64.b64decode(envelope["ct"]),
            s.envelope._cover_aad(envelope["aad"]),
        )


def test_a_share_released_twice_counts_once(keys, committee):
    envelope = _seal(committee)
    first, second = _released(envelope, keys, [1, 3])
    with pytest.raises(s.NotEnoughSharesError) as raised:
        s.open_cover(envelope, [first, second, second])
    assert raised.value.params == {"released": 2, "k": K}


def test_a_wrong_released_share_is_named(keys, committee):
    envelope, other = _seal(committee), _seal(committee)
    good = _released(envelope, keys, [0, 1])
    forged = s.Share(good[0].envelope, "opener-2", 3, bytes(32))
    for bad in (
        forged,
        _released(other, keys, [2])[0],  # a share of another bid
        s.Share(good[0].envelope, "opener-2", 4, _released(envelope, keys, [2])[0].y),
        s.Share(good[0].envelope, "nobody", 9, bytes(32)),
    ):
        with pytest.raises(s.WrongShareError) as raised:
            s.open_cover(envelope, [*good, bad])
        assert raised.value.params["opener"] == bad.opener


def test_the_plaintext_and_the_data_key_never_appear_in_the_envelope(keys, committee):
    envelope = _seal(committee)
    text = json.dumps(envelope, ensure_ascii=False)
    key = shamir.shamir_combine([(sh.x, sh.y) for sh in _released(envelope, keys)[:K]])
    blobs = [base64.b64decode(envelope[f]) for f in ("iv", "ct")] + [
        base64.b64decode(share[f]) for share in envelope["shares"] for f in ("epk", "iv", "ct")
    ]
    for secret in (CANARY.encode(), key):
        assert all(secret not in blob for blob in blobs)
        assert base64.b64encode(secret).decode() not in text and secret.hex() not in text
    assert CANARY not in text and "CANARY" not in text


def test_two_seals_of_the_same_cover_differ():
    public = s.generate_opener_keypair()[1]
    a, b = (
        s.seal_cover(
            b"same", tender="T", bidder="B", cover="technical", openers=[("o", public)], k=1
        )
        for _ in range(2)
    )
    assert a["ct"] != b["ct"] and a["sha256"] != b["sha256"]


# --- tampering ------------------------------------------------------------------------------

REGIONS = [
    "ct",
    "iv",
    "share ct",
    "share epk",
    "share iv",
    "share commit",
    "tender",
    "bidder",
    "cover",
    "k",
    "opener",
    "x",
]


def _tamper(envelope: dict, region: str, index: int = 0) -> dict:
    env = copy.deepcopy(envelope)
    share = env["shares"][0]
    if region in ("ct", "iv"):
        env[region] = _flip(env[region], index)
    elif region in ("share ct", "share epk", "share iv"):
        field = region.split()[1]
        share[field] = _flip(share[field], index)
    elif region == "share commit":
        share["commit"] = ("0" if share["commit"][0] != "0" else "1") + share["commit"][1:]
    elif region in ("tender", "bidder"):
        env["aad"][region] += "x"
    elif region == "cover":
        env["aad"]["cover"] = "technical" if env["aad"]["cover"] == "financial" else "financial"
    elif region == "k":
        env["k"] -= 1
    elif region == "opener":
        share["opener"] = "opener-9"
    elif region == "x":
        share["x"], env["shares"][1]["x"] = env["shares"][1]["x"], share["x"]
    return env


@pytest.mark.parametrize("region", REGIONS)
def test_any_change_under_the_stored_hash_is_reported(keys, committee, region):
    envelope = _seal(committee)
    shares = _released(envelope, keys, [0, 1, 2])
    tampered = _tamper(envelope, region)
    with pytest.raises(s.EnvelopeTamperedError):
        s.open_cover(tampered, shares)
    with pytest.raises(s.EnvelopeTamperedError):
        s.decrypt_share(tampered, "opener-0", keys[0][0])


@pytest.mark.parametrize("region", ["ct", "iv"])
def test_every_flipped_cover_byte_fails_the_gcm_tag(keys, committee, region):
    envelope = _seal(committee)
    for index in range(len(base64.b64decode(envelope[region]))):
        tampered = _rehash(_tamper(envelope, region, index))
        with pytest.raises(s.CoverTamperedError):
            s.open_cover(tampered, _released(tampered, keys, [0, 1, 2]))


@pytest.mark.parametrize("region", ["share ct", "share epk", "share iv"])
def test_every_flipped_share_byte_fails_that_openers_decryption(keys, committee, region):
    envelope = _seal(committee)
    size = len(base64.b64decode(envelope["shares"][0][region.split()[1]]))
    for index in range(size):
        tampered = _rehash(_tamper(envelope, region, index))
        with pytest.raises(s.ShareDecryptionError):
            s.decrypt_share(tampered, "opener-0", keys[0][0])
        s.decrypt_share(tampered, "opener-1", keys[1][0])  # the other shares still open


@pytest.mark.parametrize("region", ["tender", "bidder", "cover", "opener", "x"])
def test_a_rewritten_binding_fails_share_decryption(keys, committee, region):
    tampered = _rehash(_tamper(_seal(committee), region))
    opener = tampered["shares"][0]["opener"]
    with pytest.raises(s.ShareDecryptionError):
        s.decrypt_share(tampered, opener, keys[0][0])


def test_a_rewritten_commitment_or_threshold_is_caught(keys, committee):
    envelope = _seal(committee)
    with pytest.raises(s.WrongShareError):
        s.decrypt_share(_rehash(_tamper(envelope, "share commit")), "opener-0", keys[0][0])
    lowered = _rehash(_tamper(envelope, "k"))  # k-1 shares now pass the count: the key is wrong
    with pytest.raises(s.CoverTamperedError):
        s.open_cover(lowered, _released(lowered, keys, [0, 1]))


@pytest.mark.parametrize("field", ["tender", "bidder", "cover"])
def test_the_cover_ciphertext_is_bound_to_tender_bidder_and_cover(keys, committee, field):
    envelope = _seal(committee)
    key = shamir.shamir_combine([(sh.x, sh.y) for sh in _released(envelope, keys)[:K]])
    moved = _tamper(envelope, field)["aad"]
    with pytest.raises(InvalidTag):
        AESGCM(key).decrypt(
            base64.b64decode(envelope["iv"]),
            base64.b64decode(envelope["ct"]),
            s.envelope._cover_aad(moved),
        )


def test_the_receipt_hash_catches_a_swapped_envelope(keys, committee):
    # A sound envelope of the same bidder (a withdrawn or substituted bid) put back in place
    # of the one the receipt was given for.
    older = _seal(committee, b"older price", bidder="B-9")
    current = _seal(committee, b"current price", bidder="B-9")
    shares = _released(older, keys, [0, 1, 2])
    assert s.open_cover(older, shares) == b"older price"
    with pytest.raises(s.EnvelopeTamperedError, match="receipt"):
        s.open_cover(older, shares, expected_hash=current["sha256"])


def test_a_tampered_hash_or_version_is_reported(keys, committee):
    envelope = _seal(committee)
    shares = _released(envelope, keys, [0, 1, 2])
    cases = [
        ({"sha256": "f" * 64}, s.EnvelopeTamperedError),
        ({"v": 2}, s.UnsupportedVersionError),
        ({"v": True}, s.UnsupportedVersionError),
        ({"alg": "AES-128-GCM"}, s.UnsupportedVersionError),
        ({"note": "x"}, s.MalformedEnvelopeError),
        ({"k": True}, s.MalformedEnvelopeError),
        ({"n": 4}, s.MalformedEnvelopeError),
        ({"ct": "not base64!"}, s.MalformedEnvelopeError),
        ({"iv": base64.b64encode(bytes(16)).decode()}, s.MalformedEnvelopeError),
    ]
    for change, error in cases:
        with pytest.raises(error):
            s.open_cover(envelope | change, shares)
    for missing in ("sha256", "shares", "aad"):
        with pytest.raises(s.MalformedEnvelopeError):
            s.open_cover({f: v for f, v in envelope.items() if f != missing}, shares)
    with pytest.raises(s.MalformedEnvelopeError):
        s.open_cover([envelope], shares)


def test_check_envelope_compares_with_the_tender(committee):
    envelope = _seal(committee, tender="T-1", bidder="B-1", cover="technical")
    ids = [opener for opener, _ in committee]
    digest = s.check_envelope(
        envelope, tender="T-1", bidder="B-1", cover="technical", openers=reversed(ids), k=K
    )
    assert digest == envelope["sha256"] == s.envelope_hash(envelope)
    for wrong in (
        {"tender": "T-2"},
        {"bidder": "B-2"},
        {"cover": "financial"},
        {"openers": ids[:-1]},
        {"k": K + 1},
    ):
        with pytest.raises(s.EnvelopeMismatchError):
            s.check_envelope(envelope, **wrong)


# --- keys and requests ----------------------------------------------------------------------


def test_keys_are_jwk_and_base64_points(keys, committee):
    private, public = keys[0]
    jwk = json.loads(private)
    assert {"kty", "crv", "x", "y", "d"} <= set(jwk) and jwk["crv"] == "P-256"
    assert len(base64.b64decode(public)) == 65 and base64.b64decode(public)[0] == 4
    key = s.load_private_key(private.encode())
    assert s.load_private_key(jwk).private_numbers() == key.private_numbers()
    envelope = _seal(committee)
    with pytest.raises(s.ShareDecryptionError):
        s.decrypt_share(envelope, "opener-0", keys[1][0])  # someone else's key
    with pytest.raises(s.EnvelopeMismatchError):
        s.decrypt_share(envelope, "opener-7", keys[0][0])


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        {"kty": "EC", "crv": "P-384", "x": "", "y": "", "d": ""},
        {"kty": "RSA"},
        42,
        ec.generate_private_key(ec.SECP384R1()),
    ],
)
def test_unusable_private_keys_are_refused(bad):
    with pytest.raises(s.BadKeyError):
        s.load_private_key(bad)


def test_a_jwk_whose_halves_disagree_is_refused(keys):
    mixed = json.loads(keys[0][0]) | {"d": json.loads(keys[1][0])["d"]}
    with pytest.raises(s.BadKeyError, match="does not match"):
        s.load_private_key(mixed)


@pytest.mark.parametrize(
    "public",
    [
        "",
        "%%%",
        base64.b64encode(b"\x04" + bytes(64)).decode(),
        ec.generate_private_key(ec.SECP384R1()).public_key(),
    ],
)
def test_unusable_public_keys_are_refused(public):
    with pytest.raises(s.BadKeyError):
        s.seal_cover(b"x", tender="T", bidder="B", cover="technical", openers=[("o", public)], k=1)


@pytest.mark.parametrize(
    "change",
    [
        {"k": 0},
        {"k": N + 1},
        {"k": True},
        {"cover": "price"},
        {"tender": ""},
        {"bidder": "\ud800"},
        {"tender": "x" * 257},
    ],
)
def test_bad_seal_requests_are_refused(committee, change):
    request = {
        "tender": "T",
        "bidder": "B",
        "cover": "technical",
        "openers": committee,
        "k": K,
    } | change
    with pytest.raises(s.InvalidSealRequestError):
        s.seal_cover(b"x", **request)


def test_duplicate_openers_are_refused(committee):
    with pytest.raises(s.InvalidSealRequestError):
        s.seal_cover(
            b"x", tender="T", bidder="B", cover="technical", openers=committee + committee[:1], k=2
        )


def test_a_released_share_round_trips_and_hides_its_value(keys, committee):
    share = _released(_seal(committee), keys, [0])[0]
    assert s.Share.from_json(json.loads(json.dumps(share.to_json()))) == share
    assert base64.b64encode(share.y).decode() not in repr(share)
    for bad in ({}, share.to_json() | {"v": 2}, share.to_json() | {"y": "AAAA"}):
        with pytest.raises(s.SealError):
            s.Share.from_json(bad)


# --- GF(256) Shamir -------------------------------------------------------------------------


def test_gf256_matches_fips_197():
    assert shamir.gf_mul(0x57, 0x83) == 0xC1 and shamir.gf_mul(0x57, 0x13) == 0xFE
    assert shamir.gf_inv(0x53) == 0xCA
    assert all(shamir.gf_mul(a, shamir.gf_inv(a)) == 1 for a in range(1, 256))
    with pytest.raises(ValueError):
        shamir.gf_inv(0)


def test_gf256_is_a_field():
    rng = random.Random(11)
    assert all(shamir.gf_mul(a, 1) == a and shamir.gf_mul(a, 0) == 0 for a in range(256))
    for _ in range(2000):
        a, b, c = (rng.randrange(256) for _ in range(3))
        assert shamir.gf_mul(a, b) == shamir.gf_mul(b, a)
        assert shamir.gf_mul(a, shamir.gf_mul(b, c)) == shamir.gf_mul(shamir.gf_mul(a, b), c)
        assert shamir.gf_mul(a, b ^ c) == shamir.gf_mul(a, b) ^ shamir.gf_mul(a, c)


def test_shamir_any_k_points_recombine_the_secret():
    rng = random.Random(7)
    for _ in range(60):
        n = rng.randint(1, 12)
        k = rng.randint(1, n)
        secret = rng.randbytes(rng.randint(0, 40))
        points = shamir.shamir_split(secret, k, n)
        assert [x for x, _ in points] == list(range(1, n + 1))
        for size in range(k, n + 1):
            assert shamir.shamir_combine(rng.sample(points, size)) == secret
    assert all(y == b"key" for _, y in shamir.shamir_split(b"key", 1, 4))
    assert len(shamir.shamir_split(b"k", 255, 255)) == 255


def test_shamir_k_minus_1_points_leave_every_secret_possible():
    # For each value of a k-th point there is exactly one secret: k-1 points say nothing.
    points = shamir.shamir_split(bytes([0x42]), 3, 5)
    reachable = {shamir.shamir_combine([*points[:2], (5, bytes([v]))]) for v in range(256)}
    assert len(reachable) == 256


@pytest.mark.parametrize("k, n", [(0, 3), (4, 3), (2, 256), (True, 3)])
def test_shamir_refuses_bad_thresholds(k, n):
    with pytest.raises(ValueError):
        shamir.shamir_split(b"secret", k, n)


def test_shamir_refuses_bad_points():
    for points in ([], [(1, b"a"), (1, b"b")], [(0, b"a")], [(1, b"a"), (2, b"bc")]):
        with pytest.raises(ValueError):
            shamir.shamir_combine(points)


# --- CLI ------------------------------------------------------------------------------------


def _cli(argv: list[str]) -> int:
    parser = cli.ArgumentParser(prog="oxychain")
    cli_bid.register(
        parser.add_subparsers(dest="command", required=True, parser_class=cli.ArgumentParser)
    )
    args = parser.parse_args(argv)
    return args.handler(args)


def test_cli_keygen_seal_and_open_share(tmp_path, capsys):
    assert "oxychain.tendering.cli" in TENDERING.commands
    publics = []
    for i in range(3):
        assert _cli(["bid", "keygen", "--out", str(tmp_path / f"key{i}.jwk")]) == 0
        publics.append({"id": f"o{i}", "public_key": capsys.readouterr().out.strip()})
    assert stat.S_IMODE((tmp_path / "key0.jwk").stat().st_mode) == 0o600
    assert _cli(["bid", "keygen", "--out", str(tmp_path / "key0.jwk")]) == 2
    assert "exists" in capsys.readouterr().err
    (tmp_path / "openers.json").write_text(json.dumps(publics))
    (tmp_path / "cover.pdf").write_bytes(CANARY.encode())
    assert (
        _cli(
            [
                "bid",
                "seal",
                "--tender",
                "T/1",
                "--bidder",
                "B1",
                "--cover",
                "technical",
                "--openers",
                str(tmp_path / "openers.json"),
                "--k",
                "2",
                "--in",
                str(tmp_path / "cover.pdf"),
                "--out",
                str(tmp_path / "env.json"),
                "--json",
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    envelope = json.loads((tmp_path / "env.json").read_text())
    assert summary["sha256"] == envelope["sha256"] and (summary["k"], summary["n"]) == (2, 3)
    shares = []
    for i in (0, 2):
        assert (
            _cli(
                [
                    "bid",
                    "open-share",
                    "--envelope",
                    str(tmp_path / "env.json"),
                    "--opener",
                    f"o{i}",
                    "--key",
                    str(tmp_path / f"key{i}.jwk"),
                ]
            )
            == 0
        )
        shares.append(json.loads(capsys.readouterr().out))
    assert s.open_cover(envelope, shares) == CANARY.encode()
    assert (
        _cli(
            [
                "bid",
                "open-share",
                "--envelope",
                str(tmp_path / "env.json"),
                "--opener",
                "o1",
                "--key",
                str(tmp_path / "key0.jwk"),
            ]
        )
        == 1
    )


@pytest.mark.parametrize(
    "argv", [["--openers", "missing.json"], ["--k", "9"], ["--in", "missing.bin"]]
)
def test_cli_seal_bad_input_exits_2(tmp_path, capsys, argv, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "openers.json").write_text(
        json.dumps([{"id": "o1", "public_key": s.generate_opener_keypair()[1]}])
    )
    (tmp_path / "cover.bin").write_bytes(b"x")
    base = {
        "--tender": "T",
        "--bidder": "B",
        "--cover": "financial",
        "--openers": "openers.json",
        "--k": "1",
        "--in": "cover.bin",
        "--out": "env.json",
    }
    base |= dict(zip(argv[::2], argv[1::2], strict=True))
    assert _cli(["bid", "seal", *itertools.chain.from_iterable(base.items())]) == 2
    assert capsys.readouterr().err.startswith("oxychain bid: ")
