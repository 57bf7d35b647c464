"""Re-extract translatable strings and fill Hindi translations from a JSON file.

    .venv/bin/python scripts/translate.py [FILE.json ...]

Each JSON file maps an English msgid to its Hindi text. Extraction uses babel.cfg's
rules (the same as `make i18n`); a lock file keeps two people from writing the
catalogue at once. Prints the msgids still untranslated.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src/oxychain/translations/hi/LC_MESSAGES/messages.po"


def main(files: list[str]) -> int:
    (ROOT / "var").mkdir(exist_ok=True)
    with (ROOT / "var/i18n.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(["make", "-s", "-C", str(ROOT), "i18n"], check=True, capture_output=True)
        with PO.open("rb") as fh:
            catalog = read_po(fh, locale="hi")
        unknown = []
        for name in files:
            for msgid, text in json.loads(Path(name).read_text(encoding="utf-8")).items():
                message = catalog.get(msgid)
                if message is None:
                    unknown.append(msgid)
                    continue
                message.string = text
                message.flags.discard("fuzzy")
        with PO.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, width=100, include_previous=False)
    missing = [m.id for m in catalog if m.id and not m.string]
    for msgid in unknown:
        print(f"not in the source (ignored): {msgid!r}")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
