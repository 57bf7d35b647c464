"""Logging in and out, sessions, API tokens, a person's language."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.config import CoreSettings
from oxychain.core.errors import DomainError, InvalidInput
from oxychain.core.passwords import verify_password
from oxychain.core.people import Principal, Role
from oxychain.core.tables import ApiToken, LoginAttempt, User, WebSession
from oxychain.core.uow import UnitOfWork


class LoginRefused(DomainError):
    code = "login_refused"


class TooManyAttempts(DomainError):
    code = "rate_limited"


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the cookie; only its hash is stored
    csrf_token: str
    principal: Principal


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        language=user.language,
        district_id=user.district_id,
        warehouse_id=user.warehouse_id,
        facility_id=user.facility_id,
        supplier_id=user.supplier_id,
        agency_id=user.agency_id,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _pair_wait(failures: int, settings: CoreSettings) -> float:
    """How long one client must wait after its last wrong password for one username: nothing
    for the first ``login_max_failures``, then a delay that doubles, up to the window."""
    beyond = failures - settings.login_max_failures
    if beyond < 0:
        return 0.0
    return min(settings.login_delay_seconds * 2.0 ** min(beyond, 30), settings.login_window_seconds)


def slowdown(uow: UnitOfWork, settings: CoreSettings, username: str, client: str) -> float:
    """Seconds to hold an attempt before it is checked: a username (or a client address)
    under a flood of wrong passwords from everywhere is slowed, never refused, so that its
    owner with the right password still gets in."""
    since = clock.now() - timedelta(seconds=settings.login_window_seconds)
    with uow:
        by_user, by_client = uow.people.recent_failures(
            username=username[:64], client=client[:64], since=since
        )
    flooded = by_user >= settings.login_user_ceiling or by_client >= settings.login_user_ceiling
    return settings.login_slow_seconds if flooded else 0.0


def authenticate(
    uow: UnitOfWork, settings: CoreSettings, username: str, password: str, client: str
) -> User:
    """The user behind a username and password; every attempt is recorded. One client's
    wrong passwords for one username make it wait longer and longer (``_pair_wait``); no
    one else is locked out by them, the owner on another client least of all."""
    now = clock.now()
    since = now - timedelta(seconds=settings.login_window_seconds)
    username, client = username[:64], client[:64]  # as stored
    # On PostgreSQL this takes the username's and client's advisory locks first, so that a
    # burst spread over many processes is counted whole.
    uow.people.recent_failures(username=username, client=client, since=since)
    failures, last = uow.people.pair_failures(username=username, client=client, since=since)
    if last is not None:
        left = _pair_wait(failures, settings) - (now - last).total_seconds()
        if left > 0:
            raise TooManyAttempts(
                "Too many failed attempts. Try again in {seconds} seconds.",
                seconds=math.ceil(left),
            )
    user = uow.people.user_by_username(username)
    ok = verify_password(user.password_hash if user else None, password) and bool(
        user and user.active
    )
    uow.people.add(LoginAttempt(username=username, client=client, at=now, success=ok))
    uow.commit()  # a failed attempt must count even though the login fails
    if not ok or user is None:
        raise LoginRefused("Wrong username or password.")
    return user


def login(
    uow: UnitOfWork, settings: CoreSettings, username: str, password: str, client: str
) -> NewSession:
    with uow:
        user = authenticate(uow, settings, username, password, client)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = clock.now()
        uow.people.add(
            WebSession(
                token_hash=token_hash(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(seconds=settings.session_max_age_seconds),
            )
        )
        uow.commit()
        return NewSession(token, csrf, principal_of(user))


def session_principal(uow: UnitOfWork, token: str) -> tuple[Principal, str] | None:
    """(principal, csrf token) of a live web session, or None."""
    with uow:
        row = uow.people.web_session(token_hash(token))
        if row is None or _aware(row.expires_at) < clock.now():
            return None
        user = uow.people.user(row.user_id)
        if user is None or not user.active:
            return None
        return principal_of(user), row.csrf_token


def logout(uow: UnitOfWork, token: str) -> None:
    with uow:
        row = uow.people.web_session(token_hash(token))
        if row is not None:
            uow.people.delete_web_session(row)
            uow.commit()


def issue_token(
    uow: UnitOfWork,
    settings: CoreSettings,
    username: str,
    password: str,
    client: str,
    name: str = "api",
) -> tuple[str, datetime]:
    """A bearer token for the API (shown once; only its hash is stored)."""
    with uow:
        user = authenticate(uow, settings, username, password, client)
        token = "oxy_" + secrets.token_urlsafe(32)
        expires = clock.now() + timedelta(days=settings.token_max_age_days)
        uow.people.add(
            ApiToken(
                token_hash=token_hash(token),
                user_id=user.id,
                name=name[:80],
                created_at=clock.now(),
                expires_at=expires,
            )
        )
        uow.commit()
        return token, expires


def bearer_principal(uow: UnitOfWork, token: str) -> Principal | None:
    with uow:
        row = uow.people.api_token(token_hash(token))
        if row is None or row.revoked_at is not None or _aware(row.expires_at) < clock.now():
            return None
        user = uow.people.user(row.user_id)
        return principal_of(user) if user and user.active else None


def set_language(uow: UnitOfWork, language: str) -> None:
    require(uow.principal, "profile.language")
    if language not in ("hi", "en"):
        raise InvalidInput("Unknown language {language}; choose hi or en.", language=language)
    with uow:
        user = uow.people.user(uow.principal.user_id)
        if user is None or user.language == language:
            return
        before = {"language": user.language}
        user.language = language
        uow.record("user.language", "user", user.username, before, {"language": language})
        uow.commit()
