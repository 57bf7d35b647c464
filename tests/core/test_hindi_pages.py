"""No English on Hindi pages (issue 10, item 7): every page type, as the roles that use it,
read in Hindi; any word in Latin script outside the allow-list fails. Serials, codes and
numbers (a word with a digit, or inside <code>) and English proper names marked
``lang="en"`` are not words a person must read in Hindi."""

from __future__ import annotations

import collections
import re
from html.parser import HTMLParser

from tests.page_types import PAGES
from tests.webclient import login_as, make_app

#: Units, standards and names that are written in Latin script in Hindi too.
ALLOWED = frozenset(
    """
    LPM kPa dBA kg km W h IST ISO IS AQL PDF CSV Excel XML JSON Tally OCDS GST GSTIN CGST SGST
    IGST PAN MSE MII EMD UDYAM PO LD QR SHA OC WHO UNICEF PATH MoHFW CDSCO PSA GFR OECD OCP
    CMC BMMP CHC PHC DH SC CMO HQ UP IEC Ac Re L1 oxychain min I II III k n xlsx JavaScript
    """.split()  # noqa: SIM905 - a list to read, not to type
)
SKIPPED_TAGS = {"script", "style", "code", "kbd", "samp", "template", "svg", "textarea"}  # typed
VOID = {"br", "input", "img", "meta", "link", "hr", "wbr", "source", "col", "area", "base"}
CODE = re.compile(r"[A-Z]+(-[A-Z]+)+")
TOKEN = re.compile(r"[A-Za-z][A-Za-z.'’-]*")


class _Visible(HTMLParser):
    """The text a person reads (and hears: labels, titles), outside code and English names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        skip = tag in SKIPPED_TAGS or a.get("lang") == "en" or a.get("translate") == "no"
        if not self.hidden and not skip:
            self.parts += [a[k] for k in ("aria-label", "title", "placeholder", "alt") if a.get(k)]
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if not self.hidden and a.get("lang") != "en":
            self.parts += [a[k] for k in ("aria-label", "title", "placeholder", "alt") if a.get(k)]

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def latin_words(html: str) -> list[tuple[str, str]]:
    """(word, its context) for every Latin-script word a Hindi reader would meet."""
    parser = _Visible()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for raw in part.split():
            if any(ch.isdigit() for ch in raw) or CODE.fullmatch(raw.strip("(),.;:")):
                continue  # a serial, a code (WH-CENTRAL-LKO), a number with its unit
            for word in TOKEN.findall(raw):
                word = word.strip(".'’-")
                if word and word not in ALLOWED and not re.fullmatch(r"[A-Z]", word):
                    found.append((word, " ".join(part.split())[:80]))
    return found


def test_no_latin_script_word_on_any_hindi_page(demo) -> None:  # noqa: ANN001
    url, logins = demo
    app, oxy = make_app(url)
    found: dict[str, set[str]] = collections.defaultdict(set)
    try:
        for role, paths in PAGES.items():
            rc = login_as(app, oxy, role, *logins[role])
            rc.client.put(
                "/api/v1/me/language", json={"language": "hi"}, headers={"X-CSRF-Token": rc.csrf}
            )
            for path in paths:
                response = rc.client.get(path)
                assert response.status_code == 200, (role, path)
                assert '<html lang="hi">' in response.text
                for word, context in latin_words(response.text):
                    found[word].add(f"{path}: {context}")
    finally:
        oxy.close()
    assert {word: sorted(where)[:2] for word, where in found.items()} == {}


def test_the_check_finds_english_and_passes_codes_and_marked_names() -> None:
    page = (
        '<p>लॉट <code>PO/X/1/L1</code> GNG10-DEMO-0001 ₹5 LPM <span lang="en">Ganga Ltd</span>'
        ' <input aria-label="Quantity"> Draft</p><script>var English = 1;</script>'
    )
    assert [word for word, _ in latin_words(page)] == ["Quantity", "Draft"]
