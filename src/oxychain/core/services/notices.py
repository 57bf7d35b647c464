"""A person's notices (the bell) and how they want to be told: email, mobile, language."""

from __future__ import annotations

import re
from dataclasses import dataclass

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import InvalidInput, NotFound
from oxychain.core.tables import Notice
from oxychain.core.uow import UnitOfWork

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MOBILE = re.compile(r"^[6-9]\d{9}$")  # an Indian mobile number without +91


@dataclass(frozen=True)
class Preferences:
    email: str = ""
    mobile: str = ""  # 10 digits, or with +91 / 0 in front
    language: str = "hi"  # of notices: hi or en
    by_email: bool = True
    by_sms: bool = False


def notices(uow: UnitOfWork, *, limit: int = 50) -> list[Notice]:
    require(uow.principal, "notice.read")
    with uow:
        return list(uow.notices.of(uow.principal.user_id, limit=limit))


def unread(uow: UnitOfWork) -> int:
    require(uow.principal, "notice.read")
    with uow:
        return uow.notices.unread(uow.principal.user_id)


def mark_read(uow: UnitOfWork, notice_id: int | None = None) -> int:
    """Mark one of the person's notices read (or all of them); how many were unread."""
    require(uow.principal, "notice.read")
    with uow:
        if notice_id is not None:
            notice = uow.notices.notice(notice_id)
            # Someone else's notice is not found, as if it did not exist.
            if notice is None or notice.user_id != uow.principal.user_id:
                raise NotFound("No notice {id}.", id=notice_id)
        count = uow.notices.mark_read(uow.principal.user_id, clock.now(), notice_id)
        uow.commit()
        return count


def preferences(uow: UnitOfWork) -> Preferences:
    require(uow.principal, "notice.settings")
    with uow:
        user = uow.people.user(uow.principal.user_id)
        if user is None:
            raise NotFound("No such person.")
        return Preferences(
            user.email or "",
            user.mobile or "",
            user.notice_language or user.language,
            bool(user.notify_email),
            bool(user.notify_sms),
        )


def check(cmd: Preferences) -> Preferences:
    email = cmd.email.strip()
    if email and (len(email) > 254 or not EMAIL.match(email)):
        raise InvalidInput("That is not an email address.", field="email")
    mobile = re.sub(r"[\s-]", "", cmd.mobile)
    mobile = re.sub(r"^(\+91|0)", "", mobile)
    if mobile and not MOBILE.match(mobile):
        raise InvalidInput("A mobile number has 10 digits and starts with 6-9.", field="mobile")
    if cmd.language not in ("hi", "en"):
        raise InvalidInput("Unknown language {language}; choose hi or en.", language=cmd.language)
    return Preferences(email, mobile and "+91" + mobile, cmd.language, cmd.by_email, cmd.by_sms)


def set_preferences(uow: UnitOfWork, cmd: Preferences) -> Preferences:
    require(uow.principal, "notice.settings")
    checked = check(cmd)
    with uow:
        user = uow.people.user(uow.principal.user_id)
        if user is None:
            raise NotFound("No such person.")
        before = _contact(user)
        user.email, user.mobile = checked.email or None, checked.mobile or None
        user.notice_language = checked.language
        user.notify_email, user.notify_sms = checked.by_email, checked.by_sms
        uow.record("user.contact", "user", user.username, before, _contact(user))
        uow.commit()
        return checked


def _contact(user) -> dict[str, object]:  # noqa: ANN001
    """What the audit trail keeps of a change of contact: the choices, not the addresses."""
    return {
        "email": bool(user.email),
        "mobile": bool(user.mobile),
        "language": user.notice_language,
        "by_email": bool(user.notify_email),
        "by_sms": bool(user.notify_sms),
    }
