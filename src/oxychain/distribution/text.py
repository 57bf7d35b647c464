"""Distribution's words in the reader's language: the lifecycle words inside messages, the
labels of statuses and kinds that pages show, and a refusal shown beside its form."""

from __future__ import annotations

from fastapi import Request

from oxychain.core.errors import Conflict, DomainError, InvalidInput, NotFound
from oxychain.core.i18n import gettext
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import language_of, translate
from oxychain.distribution.domain import certificate, challan, loan, ticket
from oxychain.distribution.domain.lifecycle import EVENT_LABELS, PLACE_LABELS, STATE_LABELS
from oxychain.distribution.domain.maintenance import COVERAGE_LABELS

#: Refusals a form shows in place; Forbidden goes to the error page as a 403.
FORM_ERRORS = (InvalidInput, Conflict, NotFound)

#: Words that messages carry as parameters (translated inside the sentence) ...
_IN_MESSAGES = {
    "state": STATE_LABELS,
    "event": EVENT_LABELS,
    "place": PLACE_LABELS,
    "ticket_status": ticket.STATUS_LABELS,
}
#: ... and the words pages show beside them.
_ON_PAGES = {
    "coverage": COVERAGE_LABELS,
    "challan_status": challan.STATUS_LABELS,
    "source": challan.SOURCE_LABELS,
    "discrepancy": challan.DISCREPANCY_LABELS,
    "loan_status": loan.STATUS_LABELS,
    "milestone": certificate.MILESTONE_LABELS,
}


def explain(request: Request, template: str, params: dict | None = None) -> str:
    """A domain message translated, with the state, event and place words translated too."""
    lang = language_of(request)
    words = dict(params or {})
    for key, labels_ in _IN_MESSAGES.items():
        value = words.get(key)
        if isinstance(value, str) and value in labels_:
            words[key] = gettext(lang, labels_[value])
    return translate(request, template, words)


def refused(request: Request, exc: DomainError) -> tuple[str, int]:
    """A refusal beside the form that met it: ``core.web.errors.refusal``'s status, with the
    lifecycle words of its message in the reader's language. A code typed into a form that
    names nothing is the form's input refused (422): the page itself was found."""
    _message, status = refusal(request, exc)
    return explain(request, exc.template, exc.params), 422 if isinstance(exc, NotFound) else status


def labels(request: Request) -> dict[str, dict[str, str]]:
    """Every lifecycle, status and kind word in the reader's language, for templates and
    scripts."""
    lang = language_of(request)
    tables = _IN_MESSAGES | _ON_PAGES
    return {key: {str(k): gettext(lang, v) for k, v in t.items()} for key, t in tables.items()}
