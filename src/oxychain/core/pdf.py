"""PDF documents: a Jinja2 template rendered to bytes through WeasyPrint.

    render_pdf("pdf/purchase_order.html", {"po": document}, lang="hi+en") -> bytes

Templates live in an area's ``templates/pdf/`` and extend core's ``pdf/base.html``,
which sets the fonts, the page size, a running header with the document reference
(``document_ref`` in the context) and page numbers in the footer. ``lang`` is ``"hi"``,
``"en"`` or ``"hi+en"``: in the bilingual form every ``_("...")`` prints the Hindi
first and the English beneath it, so one template serves all three.

Fonts are Debian's Noto Sans and Noto Sans Devanagari (fonts-noto-core), with Lohit
Devanagari (fonts-lohit-deva) as the fallback; WeasyPrint shapes Devanagari with
HarfBuzz through Pango. A shaped Devanagari word is drawn with its glyphs reordered (the
i-matra before its consonant, conjuncts as one glyph), which a PDF's per-glyph text map
cannot undo; so each line of text also carries its Unicode as ``/ActualText``, and
copying, searching and ``pdftotext`` read the Hindi as it was written.

Resources: only ``data:`` URLs and the font files are fetched; a template cannot reach
the network or the file system.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from oxychain.core import amount_words, areas, formatting
from oxychain.core.i18n import gettext

HINDI = "hi"  # a name, not a literal, so string extraction does not take it for a message
BILINGUAL = "hi+en"
LANGS = ("hi", "en", BILINGUAL)

_FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/lohit-devanagari")
# (family, weight, file names in order of preference)
_FONTS = (
    ("Oxy Latin", 400, ("NotoSans-Regular.ttf",)),
    ("Oxy Latin", 700, ("NotoSans-Bold.ttf",)),
    ("Oxy Devanagari", 400, ("NotoSansDevanagari-Regular.ttf", "Lohit-Devanagari.ttf")),
    ("Oxy Devanagari", 700, ("NotoSansDevanagari-Bold.ttf", "Lohit-Devanagari.ttf")),
)


class FontsMissing(RuntimeError):
    """The Devanagari or Latin fonts are not installed (Debian: fonts-noto-core)."""


def _find(name: str) -> Path | None:
    for folder in _FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


@cache
def font_faces() -> str:
    """The ``@font-face`` rules for the installed fonts; FontsMissing when a family has none."""
    rules, found = [], set()
    for family, weight, names in _FONTS:
        path = next((p for p in map(_find, names) if p), None)
        if path is None:
            continue
        found.add(family)
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'src: url("{path.as_uri()}"); }}'
        )
    missing = {family for family, _, _ in _FONTS} - found
    if missing:
        raise FontsMissing(
            f"no font for {', '.join(sorted(missing))} in {', '.join(_FONT_DIRS)}: "
            "install Debian's fonts-noto-core (and fonts-lohit-deva)"
        )
    return "\n".join(rules)


def _bilingual(hi: str, en: str) -> Markup:
    if hi == en:
        return Markup('<span class="en" lang="en">{}</span>').format(en)
    return Markup(
        '<span class="hi" lang="hi">{}</span> <span class="en" lang="en">{}</span>'
    ).format(hi, en)


def _translator(lang: str):  # noqa: ANN202
    def fill(text: str, params: dict[str, Any]) -> str:
        return text.format(**params) if params else text

    def plain(message: str, **params: Any) -> str:
        """Text without markup (for <title> and CSS strings): "हिन्दी / English"."""
        if lang == BILINGUAL:
            hi, en = fill(gettext(HINDI, message), params), fill(message, params)
            return en if hi == en else f"{hi} / {en}"
        return fill(gettext(lang, message), params)

    def translate(message: str, **params: Any) -> Markup | str:
        if lang == BILINGUAL:
            return _bilingual(fill(gettext(HINDI, message), params), fill(message, params))
        return escape(fill(gettext(lang, message), params))

    return translate, plain


def _bilingual_words(value: Any) -> Markup:
    return _bilingual(
        amount_words.rupees_in_words(value, "hi"), amount_words.rupees_in_words(value, "en")
    )


def _css_string(value: Any) -> Markup:
    """A CSS string literal, safe inside <style>: quotes, backslashes, newlines and
    angle brackets become CSS escapes."""
    text = str(value)
    for char in ("\\", '"', "\n", "<", ">"):
        text = text.replace(char, f"\\{ord(char):x} ")
    return Markup(f'"{text}"')  # noqa: S704 - every character that could end it is escaped


def _percentage(value: Any, lang: str) -> str:
    """0.5 → "0.5", 10 → "10", 2.25 → "2.25": as many decimals as the rate has (up to 2)."""
    rate = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return formatting.number(rate, lang, max(0, -rate.as_tuple().exponent))


@cache
def environment(lang: str) -> Environment:
    """The Jinja2 environment for documents in ``lang``; KeyError for an unknown one."""
    if lang not in LANGS:
        raise KeyError(f"unknown document language {lang!r}; one of {', '.join(LANGS)}")
    number_lang = "hi" if lang == "hi" else "en"
    env = Environment(
        loader=FileSystemLoader(areas.folders("templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translate, plain = _translator(lang)
    env.globals.update(_=translate, gettext=plain, lang=lang, bilingual=lang == BILINGUAL)
    env.filters.update(
        number=lambda v, digits=0: formatting.number(v, number_lang, digits),
        rupees=lambda v, paise=False: formatting.rupees(v, number_lang, paise),
        rupees_short=lambda v: formatting.rupees_short(v, number_lang),
        indian_date=formatting.indian_date,
        pct=lambda v: _percentage(v, number_lang),
        rupees_in_words=(
            _bilingual_words
            if lang == BILINGUAL
            else lambda v: amount_words.rupees_in_words(v, lang)
        ),
        css_string=_css_string,
    )
    return env


def render_html(template_name: str, context: Mapping[str, Any], *, lang: str) -> str:
    """The document's HTML, before layout (for tests and previews)."""
    template = environment(lang).get_template(template_name)
    faces = Markup(font_faces())  # noqa: S704 - built from fixed font file paths
    return template.render(**context, font_faces=faces)


def render_pdf(template_name: str, context: Mapping[str, Any], *, lang: str) -> bytes:
    """The template rendered to a PDF document, in ``lang`` ("hi", "en" or "hi+en")."""
    html = render_html(template_name, context, lang=lang)
    digest = hashlib.sha256(html.encode("utf-8")).digest()
    with _RENDERED_LOCK:
        if (cached := _RENDERED.get(digest)) is not None:
            _RENDERED.move_to_end(digest)
            return cached
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, url_fetcher=local_fetcher(), base_url=None)
    pdf = document.write_pdf()
    _remember(digest, pdf)
    return pdf


# Layout is the slow part (about a second a page for Devanagari); a document whose HTML has
# not changed (the same PO version downloaded by each consignee) is the same PDF. Bounded by
# total bytes, least recently used out first.
_RENDERED: OrderedDict[bytes, bytes] = OrderedDict()
_RENDERED_LOCK = threading.Lock()
RENDERED_MAX_BYTES = 32 * 1024 * 1024


def _remember(digest: bytes, pdf: bytes) -> None:
    if len(pdf) > RENDERED_MAX_BYTES // 4:
        return
    with _RENDERED_LOCK:
        _RENDERED[digest] = pdf
        total = sum(len(v) for v in _RENDERED.values())
        while total > RENDERED_MAX_BYTES:
            _, dropped = _RENDERED.popitem(last=False)
            total -= len(dropped)


@cache
def _weasyprint():  # noqa: ANN202 - the module
    """WeasyPrint, loaded on the first document (it loads Pango: about a second), with its
    text drawing wrapped once so that every non-ASCII line carries ``/ActualText``."""
    import pydyf
    import weasyprint
    import weasyprint.draw

    draw_text = getattr(weasyprint.draw.draw_text, "__wrapped__", weasyprint.draw.draw_text)

    def draw_text_with_actual_text(stream, textbox, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        """Wrap a line of non-ASCII text in ``/Span <</ActualText ...>> BDC ... EMC``."""
        text = textbox.text
        if not text.strip() or text.isascii():
            return draw_text(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return draw_text(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_text_with_actual_text.__wrapped__ = draw_text  # type: ignore[attr-defined]
    weasyprint.draw.draw_text = draw_text_with_actual_text
    return weasyprint


def local_fetcher():  # noqa: ANN201 - a weasyprint.URLFetcher
    """A fetcher of data: URLs and the font files, and nothing else."""
    return _fetcher_class()()


@cache
def _fetcher_class():  # noqa: ANN202 - a weasyprint.URLFetcher subclass
    weasyprint = _weasyprint()

    class _LocalFetcher(weasyprint.URLFetcher):
        """Fetches data: URLs and the font files, and nothing else."""

        def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://")).resolve()
                if any(path.is_relative_to(folder) for folder in _FONT_DIRS):
                    return super().fetch(url, headers)
            raise ValueError(f"documents may not fetch {url[:80]}")

    return _LocalFetcher
