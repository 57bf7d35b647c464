"""seal.js and tendering/sealing read and write the same envelopes (Node.js runs seal.js as it is).

Each test sends a list of operations to a small Node driver and reads the results back.
"""

from __future__ import annotations

import base64
import copy
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from oxychain.tendering import sealing as s
from oxychain.tendering.sealing import shamir

SEAL_JS = Path(s.__file__).parents[1] / "static" / "js" / "seal.js"
NODE = shutil.which("node")

DRIVER = r"""
import * as seal from "./seal.mjs";
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const unb64 = (text) => new Uint8Array(Buffer.from(text, "base64"));
const ops = {
  keygen: () => seal.generateOpenerKeyPair(),
  seal: (a) => seal.sealCover(unb64(a.plaintext), a.request),
  decryptShare: (a) => seal.decryptShare(a.envelope, a.opener, a.privateKey),
  open: async (a) => b64(await seal.openCover(a.envelope, a.shares)),
  hash: (a) => seal.envelopeHash(a.envelope),
  canonical: (a) => seal.canonical(a.value),
  split: (a) => seal.split(unb64(a.secret), a.k, a.n).map((p) => ({ x: p.x, y: b64(p.y) })),
  combine: (a) => b64(seal.combine(a.points.map((p) => ({ x: p.x, y: unb64(p.y) })))),
  mulTable: () => Array.from({ length: 65536 }, (_, i) => seal.gfMul(i >> 8, i & 255)),
};
let text = "";
for await (const chunk of process.stdin) text += chunk;
const results = [];
for (const op of JSON.parse(text)) {
  try {
    results.push({ ok: await ops[op.op](op) });
  } catch (e) {
    results.push({ error: e.code || e.name, message: e.message });
  }
}
process.stdout.write(JSON.stringify(results));
"""


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    if NODE is None:
        pytest.skip("node (Node.js >= 19) is not installed: the JS/Python interop is untested")
    # seal.js is copied to .mjs so that Node loads it as an ES module, as a browser does.
    workdir = tmp_path_factory.mktemp("sealjs")
    shutil.copy(SEAL_JS, workdir / "seal.mjs")
    (workdir / "driver.mjs").write_text(DRIVER)
    probe = subprocess.run(
        [NODE, "-e", "process.exit(globalThis.crypto?.subtle ? 0 : 1)"], check=False
    )
    if probe.returncode:
        pytest.skip("this node has no globalThis.crypto.subtle (needs Node.js >= 19)")

    def run(*ops: dict) -> list:
        done = subprocess.run(
            [NODE, "driver.mjs"],
            cwd=workdir,
            input=json.dumps(list(ops)),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def ok(*ops: dict) -> list:
        results = run(*ops)
        assert all("ok" in r for r in results), results
        return [r["ok"] for r in results]

    run.ok = ok
    return run


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


TENDER = "UPMSCL/ऑक्सीजन/2021/07"  # Hindi, so that both serialisers meet non-ASCII
BIDDER = 'Sahu & "Sons"\\\n\t🙂'  # quotes, backslash, control characters, an astral character
PLAINTEXT = bytes(range(256)) + "दर ₹41,999 प्रति यूनिट".encode()


def test_a_cover_sealed_in_js_opens_in_python(node):
    keys = [s.generate_opener_keypair() for _ in range(5)]
    request = {
        "tender": TENDER,
        "bidder": BIDDER,
        "cover": "financial",
        "k": 3,
        # /sealing's name for the key, and the older one, which seal.js still reads
        "openers": [
            {"id": f"o{i}", ("public_key" if i % 2 else "publicKey"): public}
            for i, (_, public) in enumerate(keys)
        ],
    }
    (envelope,) = node.ok({"op": "seal", "plaintext": _b64(PLAINTEXT), "request": request})
    assert (
        s.check_envelope(
            envelope,
            tender=TENDER,
            bidder=BIDDER,
            cover="financial",
            openers=[f"o{i}" for i in range(5)],
            k=3,
        )
        == envelope["sha256"]
    )
    shares = [s.decrypt_share(envelope, f"o{i}", keys[i][0]) for i in (4, 0, 2)]
    assert s.open_cover(envelope, shares, expected_hash=envelope["sha256"]) == PLAINTEXT


def test_a_cover_sealed_in_python_opens_in_js(node):
    pairs = node.ok(*[{"op": "keygen"}] * 4)
    envelope = s.seal_cover(
        PLAINTEXT,
        tender=TENDER,
        bidder=BIDDER,
        cover="technical",
        k=2,
        openers=[(f"o{i}", p["publicKey"]) for i, p in enumerate(pairs)],
    )
    released = node.ok(
        *[
            {
                "op": "decryptShare",
                "envelope": envelope,
                "opener": f"o{i}",
                "privateKey": pairs[i]["privateJwk"],
            }
            for i in (1, 3)
        ]
    )
    (opened,) = node.ok({"op": "open", "envelope": envelope, "shares": released})
    assert base64.b64decode(opened) == PLAINTEXT
    # Shares released in the browser are combined by the server in Python ...
    assert s.open_cover(envelope, released) == PLAINTEXT
    # ... and a key made in the browser opens its share in Python too, to the same share.
    assert s.decrypt_share(envelope, "o1", pairs[1]["privateJwk"]).to_json() == released[0]


def test_a_python_key_opens_a_share_in_js(node):
    private, public = s.generate_opener_keypair()
    envelope = s.seal_cover(
        b"x", tender="T", bidder="B", cover="financial", k=1, openers=[("o", public)]
    )
    (share,) = node.ok(
        {"op": "decryptShare", "envelope": envelope, "opener": "o", "privateKey": private}
    )
    assert s.Share.from_json(share) == s.decrypt_share(envelope, "o", private)


def test_hashes_and_canonical_json_agree(node):
    values = [
        ["oxychain/key-share/v1", TENDER, BIDDER, "technical", "o\u2028\x7f\x00", 255],
        {"b": [1, {"z": "", "a": "é"}], "a": 0},
    ]
    envelope = s.seal_cover(
        b"x",
        tender=TENDER,
        bidder=BIDDER,
        cover="technical",
        k=1,
        openers=[("ओपनर", s.generate_opener_keypair()[1])],
    )
    results = node.ok(
        *[{"op": "canonical", "value": v} for v in values], {"op": "hash", "envelope": envelope}
    )
    assert [r.encode() for r in results[:-1]] == [s.encoding.canonical(v) for v in values]
    assert results[-1] == envelope["sha256"] == s.envelope_hash(envelope)


def test_gf256_multiplication_tables_agree(node):
    (table,) = node.ok({"op": "mulTable"})
    assert table == [shamir.gf_mul(a, b) for a in range(256) for b in range(256)]


def test_shares_split_in_js_combine_in_python_and_back(node):
    rng = random.Random(5)
    secret = rng.randbytes(32)
    (js_points,) = node.ok({"op": "split", "secret": _b64(secret), "k": 3, "n": 6})
    js_points = [(p["x"], base64.b64decode(p["y"])) for p in js_points]
    py_points = shamir.shamir_split(secret, 3, 6)
    subsets = [rng.sample(py_points, rng.randint(3, 6)) for _ in range(10)]
    combined = node.ok(
        *[{"op": "combine", "points": [{"x": x, "y": _b64(y)} for x, y in sub]} for sub in subsets]
    )
    assert [base64.b64decode(c) for c in combined] == [secret] * 10
    for _ in range(10):
        assert shamir.shamir_combine(rng.sample(js_points, rng.randint(3, 6))) == secret
    assert shamir.shamir_combine(js_points[:2]) != secret


def _flip(b64: str) -> str:
    raw = bytearray(base64.b64decode(b64))
    raw[len(raw) // 2] ^= 0x80
    return _b64(bytes(raw))


def test_js_reports_each_failure_with_the_python_code(node):
    """The same faults, in both implementations, give the same SealError code."""
    keys = [s.generate_opener_keypair() for _ in range(3)]
    envelope = s.seal_cover(
        PLAINTEXT,
        tender=TENDER,
        bidder=BIDDER,
        cover="financial",
        k=2,
        openers=[(f"o{i}", p) for i, (_, p) in enumerate(keys)],
    )
    good = [s.decrypt_share(envelope, f"o{i}", keys[i][0]) for i in range(3)]

    def changed(path: tuple, value=None, rehash=True) -> dict:
        env = copy.deepcopy(envelope)
        *parents, last = path
        holder = env
        for part in parents:
            holder = holder[part]
        holder[last] = _flip(holder[last]) if value is None else value
        if rehash:
            env["sha256"] = s.envelope_hash(env)
        return env

    cover_flipped = changed(("ct",))
    opened_with = [s.decrypt_share(cover_flipped, f"o{i}", keys[i][0]) for i in range(2)]
    forged = good[1].to_json() | {"y": _b64(bytes(32))}
    opens = [  # (envelope, shares)
        (changed(("ct",), rehash=False), good),
        (changed(("sha256",), "0" * 64, rehash=False), good),
        (cover_flipped, opened_with),
        (envelope, good[:1]),
        (envelope, [good[0], forged]),
        (changed(("v",), 2), good),
    ]
    decrypts = [  # (envelope, opener, key index)
        (changed(("shares", 0, "ct")), "o0", 0),
        (changed(("shares", 0, "epk")), "o0", 0),
        (changed(("aad", "tender"), TENDER + "-2"), "o0", 0),
        (envelope, "o0", 1),
        (envelope, "o9", 0),
    ]
    js = node(
        *[
            {
                "op": "open",
                "envelope": env,
                "shares": [sh if isinstance(sh, dict) else sh.to_json() for sh in shares],
            }
            for env, shares in opens
        ],
        *[
            {
                "op": "decryptShare",
                "envelope": env,
                "opener": opener,
                "privateKey": json.loads(keys[i][0]),
            }
            for env, opener, i in decrypts
        ],
    )
    python = []
    for env, shares in opens:
        with pytest.raises(s.SealError) as raised:
            s.open_cover(env, shares)
        python.append(raised.value.code)
    for env, opener, i in decrypts:
        with pytest.raises(s.SealError) as raised:
            s.decrypt_share(env, opener, keys[i][0])
        python.append(raised.value.code)
    assert python == [
        "seal_envelope_tampered",
        "seal_envelope_tampered",
        "seal_cover_tampered",
        "seal_not_enough_shares",
        "seal_wrong_share",
        "seal_unsupported_version",
        "seal_share_decryption_failed",
        "seal_share_decryption_failed",
        "seal_share_decryption_failed",
        "seal_share_decryption_failed",
        "seal_envelope_mismatch",
    ]
    assert [r.get("error") for r in js] == python, js


def test_seal_js_is_a_self_contained_browser_module():
    source = SEAL_JS.read_text()
    assert not re.search(r"^\s*import\b|\brequire\(|\bimport\(", source, re.MULTILINE)
    assert not re.search(r"\b(Buffer|process|globalThis\.require|__dirname)\b", source)
    assert not re.search(r"https?://", source)  # no CDN, no remote script
    assert "export async function sealCover" in source
