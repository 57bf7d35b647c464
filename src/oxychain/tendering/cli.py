"""`oxychain bid`: sealed covers for suppliers and openers who script.

    oxychain bid keygen --out FILE [--force] [--json]
    oxychain bid seal --tender REF --bidder ID --cover technical|financial
                      --openers FILE --k K --in FILE --out FILE [--json]
    oxychain bid open-share --envelope FILE --opener ID --key FILE

``keygen`` runs on the opener's own machine: it writes the private key (a JWK, the same
file the browser exports) readable by its owner only and prints the public key to register.
``seal`` writes the envelope and prints its sha256 (the receipt the portal will show).
``open-share`` prints the share that the opener releases at the opening, as JSON.

Exit codes: 0 done; 1 the envelope or share failed an integrity check (tampered, wrong key,
wrong share); 2 bad arguments or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from oxychain.tendering import sealing

_INTEGRITY_ERRORS = (
    sealing.EnvelopeTamperedError,
    sealing.ShareDecryptionError,
    sealing.WrongShareError,
    sealing.CoverTamperedError,
)


def register(subparsers: Any) -> None:
    bid = subparsers.add_parser("bid", help="seal bid covers and open key shares")
    commands = bid.add_subparsers(dest="bid_command", required=True)

    keygen = commands.add_parser("keygen", help="make an opener's key pair on this machine")
    keygen.add_argument("--out", required=True, type=Path, help="private key file to write (0600)")
    keygen.add_argument("--force", action="store_true", help="replace an existing key file")
    keygen.add_argument("--json", action="store_true", help="print {public_key, key_file}")
    keygen.set_defaults(handler=keygen_command)

    seal = commands.add_parser("seal", help="encrypt one cover for the opening committee")
    seal.add_argument("--tender", required=True, help="tender reference")
    seal.add_argument("--bidder", required=True, help="bidder id")
    seal.add_argument("--cover", required=True, choices=sealing.COVERS)
    seal.add_argument(
        "--openers",
        required=True,
        type=Path,
        help='JSON file: [{"id": ..., "public_key": base64}, ...], or the tender\'s '
        "GET /api/v1/tenders/{ref}/sealing document as saved",
    )
    seal.add_argument("--k", required=True, type=int, help="openers needed to open the cover")
    seal.add_argument("--in", dest="input", required=True, help="cover file, or - for stdin")
    seal.add_argument("--out", required=True, type=Path, help="envelope file to write")
    seal.add_argument("--json", action="store_true", help="print a JSON summary")
    seal.set_defaults(handler=seal_command)

    open_share = commands.add_parser("open-share", help="decrypt your share of an envelope")
    open_share.add_argument("--envelope", required=True, type=Path)
    open_share.add_argument("--opener", required=True, help="your opener id")
    open_share.add_argument("--key", required=True, type=Path, help="your private key file")
    open_share.set_defaults(handler=open_share_command)


def keygen_command(args: argparse.Namespace) -> int:
    private_jwk, public_key = sealing.generate_opener_keypair()
    try:
        if args.force:
            args.out.unlink(missing_ok=True)
        # O_EXCL: never overwrite a key silently; the mode is set at creation, not after.
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _fail(
            f"{args.out} exists; an opener who loses the key loses their shares "
            "(use --force to replace it)"
        )
    except OSError as exc:
        return _fail(f"cannot write {args.out}: {exc.strerror}")
    with os.fdopen(fd, "w", encoding="utf-8") as key_file:
        key_file.write(private_jwk + "\n")
    if args.json:
        _print_json({"public_key": public_key, "key_file": str(args.out)})
    else:
        print(public_key)
    return 0


def seal_command(args: argparse.Namespace) -> int:
    try:
        openers = _read_openers(args.openers)
        plaintext = sys.stdin.buffer.read() if args.input == "-" else Path(args.input).read_bytes()
        envelope = sealing.seal_cover(
            plaintext,
            tender=args.tender,
            bidder=args.bidder,
            cover=args.cover,
            openers=openers,
            k=args.k,
        )
        args.out.write_text(
            json.dumps(envelope, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    except (OSError, ValueError, sealing.SealError) as exc:
        return _fail(_reason(exc))
    if args.json:
        _print_json(
            {
                "sha256": envelope["sha256"],
                "tender": args.tender,
                "bidder": args.bidder,
                "cover": args.cover,
                "k": envelope["k"],
                "n": envelope["n"],
                "envelope": str(args.out),
            }
        )
    else:
        print(envelope["sha256"])
    return 0


def open_share_command(args: argparse.Namespace) -> int:
    try:
        envelope = json.loads(args.envelope.read_text(encoding="utf-8"))
        private_key = args.key.read_text(encoding="utf-8")
        share = sealing.decrypt_share(envelope, args.opener, private_key)
    except _INTEGRITY_ERRORS as exc:
        return _fail(exc.message, code=1)
    except (OSError, ValueError, sealing.SealError) as exc:
        return _fail(_reason(exc))
    _print_json(share.to_json())
    return 0


def _read_openers(path: Path) -> list[tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "openers" in data:  # GET /tenders/{ref}/sealing, saved
        data = data["openers"]
    if not isinstance(data, list) or not all(
        isinstance(o, dict) and {"id", "public_key"} <= set(o) for o in data
    ):
        raise ValueError(f"{path}: expected a JSON list of {{id, public_key}} objects")
    return [(str(o["id"]), o["public_key"]) for o in data]


def _reason(exc: Exception) -> str:
    if isinstance(exc, sealing.SealError):
        return exc.message
    if isinstance(exc, OSError):
        return f"{exc.filename or 'input'}: {exc.strerror}"
    return str(exc)  # ValueError, including json.JSONDecodeError with its line and column


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, ensure_ascii=False))


def _fail(message: str, *, code: int = 2) -> int:
    print(f"oxychain bid: {message}", file=sys.stderr)
    return code
