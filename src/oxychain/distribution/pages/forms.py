"""What every distribution form does with its answer: on success, go to what it made; on
a refusal, show the same page again with the reason beside the form and the status the
API would answer (text.refused)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.web.deps import app_of
from oxychain.distribution.domain.maintenance import ServiceTerms
from oxychain.distribution.text import FORM_ERRORS, refused

T = TypeVar("T")


def attempt(
    request: Request,
    act: Callable[[], T],
    then: Callable[[T], str],
    again: Callable[[str, int], Response],
) -> Response:
    """Do ``act``; redirect to ``then(result)``, or render ``again(error, status)``."""
    try:
        done = act()
    except FORM_ERRORS as exc:
        return again(*refused(request, exc))
    return RedirectResponse(then(done), status_code=303)


def terms(request: Request) -> ServiceTerms:
    return ServiceTerms.of(app_of(request).settings)
