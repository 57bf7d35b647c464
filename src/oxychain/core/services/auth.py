"""Logging in and out, sessions, API tokens, a person's language."""

from __future__ import annotations

import hashlib
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


def authenticate(
    uow: UnitOfWork, settings: CoreSettings, username: str, password: str, client: str
) -> User:
    """The user behind a username and password; every attempt is recorded and rate-limited."""
    now = clock.now()
    since = now - timedelta(seconds=settings.login_window_seconds)
    by_user, by_client = uow.people.recent_failures(username=username, client=client, since=since)
    if by_user >= settings.login_max_failures or by_client >= 4 * settings.login_max_failures:
        raise TooManyAttempts(
            "Too many failed attempts. Try again in {minutes} minutes.",
            minutes=settings.login_window_seconds // 60,
        )
    user = uow.people.user_by_username(username)
    ok = verify_password(user.password_hash if user else None, password) and bool(
        user and user.active
    )
    uow.people.add(LoginAttempt(username=username[:64], client=client[:64], at=now, success=ok))
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


def revoke_token(uow: UnitOfWork, token: str) -> None:
    """End a bearer token (an API client's logout): it is refused from now on."""
    with uow:
        row = uow.people.api_token(token_hash(token))
        if row is not None and row.revoked_at is None:
            row.revoked_at = clock.now()
            uow.commit()


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
