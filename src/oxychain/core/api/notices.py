"""A person's notices over the API: read them, mark them read."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from oxychain.core.notices import text
from oxychain.core.services import notices
from oxychain.core.services.notices import Preferences
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.params import Id
from oxychain.core.web.templating import language_of
from oxychain.core.web.timestamps import Timestamp

router = APIRouter(tags=["notices"])


class NoticeOut(BaseModel):
    id: int
    kind: str
    subject: str
    body: str
    link: str | None
    created_at: Timestamp
    read_at: Timestamp | None


class NoticesOut(BaseModel):
    unread: int
    notices: list[NoticeOut]


@router.get("/notices", response_model=NoticesOut)
def list_notices(request: Request, principal: guarded("notice.read")) -> NoticesOut:
    lang = language_of(request)
    rows = notices.notices(reader(request, principal), limit=100)
    return NoticesOut(
        unread=notices.unread(reader(request, principal)),
        notices=[
            NoticeOut(
                id=n.id,
                kind=n.kind,
                subject=text.fill(n.subject, n.params, lang),
                body=text.fill(n.body, n.params, lang),
                link=n.link,
                created_at=n.created_at,
                read_at=n.read_at,
            )
            for n in rows
        ],
    )


class MarkRead(BaseModel):
    id: Id | None = Field(None, description="one notice; none: every unread notice")


class Marked(BaseModel):
    marked: int


@router.post("/notices/read", response_model=Marked)
def mark_read(request: Request, principal: guarded("notice.read"), body: MarkRead) -> Marked:
    return Marked(marked=notices.mark_read(writer(request, principal), body.id))


class NoticeSettings(BaseModel):
    email: str = Field("", max_length=254, description="Where emails go ('' for none).")
    mobile: str = Field("", max_length=20, description="10 digits, 6-9 first; '' for none.")
    language: Literal["hi", "en"] = Field("hi", description="The language of emails and SMS.")
    by_email: bool = Field(False, strict=True)  # true or false, not 0 or "yes"
    by_sms: bool = Field(False, strict=True)


@router.get("/notices/settings", response_model=NoticeSettings)
def get_settings(request: Request, principal: guarded("notice.settings")) -> NoticeSettings:
    """How the caller is told: their contact and choices."""
    return NoticeSettings(**vars(notices.preferences(reader(request, principal))))


@router.put("/notices/settings", response_model=NoticeSettings)
def put_settings(
    request: Request, body: NoticeSettings, principal: guarded("notice.settings")
) -> NoticeSettings:
    saved = notices.set_preferences(writer(request, principal), Preferences(**body.model_dump()))
    return NoticeSettings(**vars(saved))
