"""A person's notices (the bell in the header) and how they are told."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.errors import DomainError
from oxychain.core.notices import text
from oxychain.core.services import notices
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import language_of, render

router = APIRouter()


def shown(request: Request, rows: list) -> list[dict]:
    """Notices in the reader's page language, newest first."""
    lang = language_of(request)
    return [
        {
            "id": n.id,
            "subject": text.fill(n.subject, n.params, lang),
            "body": text.fill(n.body, n.params, lang),
            "link": n.link,
            "at": text.moment(n.created_at),
            "unread": n.read_at is None,
        }
        for n in rows
    ]


@router.get("/notices")
def notices_page(request: Request, principal: guarded("notice.read")) -> Response:
    rows = notices.notices(reader(request, principal), limit=100)
    return render(request, "notices.html", notices=shown(request, rows))


@router.get("/notices/bell")
def bell(request: Request, principal: guarded("notice.read")) -> Response:
    """The bell with its count of unread notices (htmx asks for it on every page)."""
    response = render(request, "bell.html", unread=notices.unread(reader(request, principal)))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/notices/read")
def read(
    request: Request,
    principal: guarded("notice.read"),
    notice: Annotated[int | None, Form(ge=1)] = None,
    go: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    notices.mark_read(writer(request, principal), notice)
    target = go if go.startswith("/") and not go.startswith("//") else "/notices"
    return RedirectResponse(target, status_code=303)


@router.get("/notices/settings")
def settings_page(request: Request, principal: guarded("notice.settings")) -> Response:
    return render(
        request, "notice_settings.html", form=notices.preferences(reader(request, principal))
    )


@router.post("/notices/settings")
def save_settings(
    request: Request,
    principal: guarded("notice.settings"),
    email: Annotated[str, Form(max_length=254)] = "",
    mobile: Annotated[str, Form(max_length=20)] = "",
    language: Annotated[str, Form(max_length=2)] = "hi",
    by_email: Annotated[str, Form(max_length=3)] = "",
    by_sms: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    form = notices.Preferences(email, mobile, language, bool(by_email), bool(by_sms))
    try:
        notices.set_preferences(writer(request, principal), form)
    except DomainError as exc:
        message, status = refusal(request, exc)
        return render(request, "notice_settings.html", status, form=form, error=message)
    return RedirectResponse("/notices/settings?saved=1", status_code=303)
