"""What finance's pages share: money and moments as people read them, a deduction's reason
in the reader's language, and running a form's action with the refusal shown beside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape

from oxychain.core.errors import DomainError, InvalidInput
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import render, translate
from oxychain.tendering.domain.bid import rupees_to_paise
from oxychain.tendering.pages.format import helpers


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    def reason(row) -> Markup:  # noqa: ANN001 - a deduction: its reason in the reader's language
        # the legal source is cited as published (English), marked so for a Hindi reader
        params = {
            k: Markup('<span lang="en">{}</span>').format(v) if k == "source" else escape(v)
            for k, v in (row.params or {}).items()
        }
        return Markup(translate(request, row.reason, params))  # noqa: S704 - params escaped

    return render(
        request, template, status_code=status_code, **helpers(request), reason=reason, **context
    )


def attempt(
    request: Request, action: Callable[[], str], again: Callable[[str, int], Response]
) -> Response:
    """Run a form's action and go where it says; on a refusal show the page again with the
    reason (a missing or forbidden object goes to the error page)."""
    try:
        target = action()
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        return again(*refusal(request, exc))
    return RedirectResponse(target, status_code=303)


def day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("{value} is not a date.", value=text[:20]) from None


def paise(text: str) -> int:
    """An amount typed in rupees ('1,23,456.50'), in paise."""
    return rupees_to_paise(text[:24])
