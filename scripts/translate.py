"""Re-extract each area's translatable strings into its own Hindi catalogue, and fill
translations from JSON files.

    .venv/bin/python scripts/translate.py [FILE.json ...]

An area's catalogue is ``src/oxychain/<area>/translations/hi/LC_MESSAGES/messages.po`` and
holds the strings of that area's code and templates (core's: core's). Each JSON file maps
an English msgid to its Hindi text; it fills every catalogue that has the msgid. A lock
file keeps two people from writing the catalogues at once. Prints the msgids still
untranslated.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src/oxychain"
# gettext, N_ and the domain errors' message templates (the first argument of each).
KEYWORDS = {
    name: None
    for name in (
        "_",
        "gettext",
        "N_",
        "DomainError",
        "InvalidInput",
        "NotFound",
        "Conflict",
        "Forbidden",
        "FileRejected",
        "TooLarge",
        "LoginRefused",
        "TooManyAttempts",
    )
}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def areas() -> list[Path]:
    """Every area folder (an ``AREA`` in its __init__), core first."""
    found = [p.parent for p in sorted(SRC.glob("*/__init__.py")) if "AREA = Area(" in p.read_text()]
    return sorted(found, key=lambda p: p.name != "core")


def extract(area: Path) -> dict[str, str]:
    """msgid -> the first file that uses it, for one area's code and templates."""
    found: dict[str, str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(area), METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        text = message if isinstance(message, str) else message[0]
        if text:
            found.setdefault(text, f"{area.name}/{filename}")
    return found


def po_path(area: Path) -> Path:
    return area / "translations/hi/LC_MESSAGES/messages.po"


def read(path: Path) -> Catalog:
    if not path.exists():
        return Catalog(locale="hi")
    with path.open("rb") as fh:
        return read_po(fh, locale="hi")


def main(files: list[str]) -> int:
    given: dict[str, str] = {}
    for name in files:
        given.update(json.loads(Path(name).read_text(encoding="utf-8")))
    known: dict[str, str] = {}  # every translation already made, in any area
    for area in areas():
        known.update({m.id: m.string for m in read(po_path(area)) if m.id and m.string})
    (ROOT / "var").mkdir(exist_ok=True)
    missing, used = [], set()
    with (ROOT / "var/i18n.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for area in areas():
            strings = extract(area)
            old = read(po_path(area))
            catalog = Catalog(locale="hi")
            for msgid in sorted(strings):
                before = old.get(msgid)
                text = given.get(msgid) or (before.string if before else "") or known.get(msgid, "")
                catalog.add(msgid, text)
                used.add(msgid)
                if not text:
                    missing.append(f"{strings[msgid]}: {msgid!r}")
            path = po_path(area)
            if not strings and not path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                write_po(fh, catalog, sort_output=True, width=100, omit_header=True)
    for msgid in sorted(set(given) - used):
        print(f"not in the source (ignored): {msgid!r}")
    for line in missing:
        print(f"untranslated: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
