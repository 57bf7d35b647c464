"""Lifecycle words in the reader's language: states, events and places inside messages."""

from __future__ import annotations

from fastapi import Request

from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.i18n import gettext
from oxychain.core.web.templating import language_of, translate
from oxychain.distribution.domain.lifecycle import EVENT_LABELS, PLACE_LABELS, STATE_LABELS
from oxychain.distribution.domain.maintenance import COVERAGE_LABELS

#: Refusals a form shows in place (422/409); Forbidden goes to the error page as a 403.
FORM_ERRORS = (InvalidInput, Conflict, NotFound)

_LABELS = {
    "state": {k.value: v for k, v in STATE_LABELS.items()},
    "event": {k.value: v for k, v in EVENT_LABELS.items()},
    "place": {k.value: v for k, v in PLACE_LABELS.items()},
}


def explain(request: Request, template: str, params: dict | None = None) -> str:
    """A domain message translated, with the state, event and place words translated too."""
    lang = language_of(request)
    words = dict(params or {})
    for key, labels in _LABELS.items():
        value = words.get(key)
        if isinstance(value, str) and value in labels:
            words[key] = gettext(lang, labels[value])
    return translate(request, template, words)


def labels(request: Request) -> dict[str, dict[str, str]]:
    """Every lifecycle word in the reader's language, for templates and scripts."""
    lang = language_of(request)
    out = {key: {k: gettext(lang, v) for k, v in table.items()} for key, table in _LABELS.items()}
    out["coverage"] = {k.value: gettext(lang, v) for k, v in COVERAGE_LABELS.items()}
    return out
