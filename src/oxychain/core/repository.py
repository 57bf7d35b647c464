"""Repositories: the queries the services need, and nothing else.

Services never write SQL; they ask these for rows and add new ones through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from oxychain.core import audit
from oxychain.core.tables import ApiToken, AuditEvent, AuditHead, LoginAttempt, User, WebSession


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)
        self.session.flush()

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def user_by_username(self, username: str) -> User | None:
        return self.session.scalar(select(User).where(User.username == username))

    def users(self) -> Sequence[User]:
        return self.session.scalars(select(User).order_by(User.role, User.username)).all()

    def count_users(self) -> int:
        return self.session.scalar(select(func.count()).select_from(User)) or 0

    def count_out_of_reach(self) -> int:
        """Active people with neither an email address nor a mobile number: their notices
        wait in the app until they next sign in."""
        query = (
            select(func.count())
            .select_from(User)
            .where(User.active.is_(True), User.email.is_(None), User.mobile.is_(None))
        )
        return self.session.scalar(query) or 0

    def recipients(self, role: str, **organisation: int | None) -> Sequence[User]:
        """The active people of a role (in an organisation: ``district_id=3``), to notify."""
        query = select(User).where(User.role == role, User.active.is_(True))
        for column, value in organisation.items():
            query = query.where(getattr(User, column) == value)
        return self.session.scalars(query.order_by(User.id)).all()

    def recent_failures(self, *, username: str, client: str, since: datetime) -> tuple[int, int]:
        """Failed logins since a time: (for this username, from this client).

        On PostgreSQL the count waits for the other attempts at the same username and from
        the same client to commit (transaction-scoped advisory locks, username first), so
        that a burst spread over many server processes is counted whole; SQLite's write
        transactions already run one at a time."""
        if self.session.get_bind().dialect.name == "postgresql":
            for key in (f"login-user:{username}", f"login-client:{client}"):
                self.session.execute(
                    text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key}
                )
        failed = (
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.at >= since, LoginAttempt.success.is_(False))
        )
        by_user = self.session.scalar(failed.where(LoginAttempt.username == username)) or 0
        by_client = self.session.scalar(failed.where(LoginAttempt.client == client)) or 0
        return by_user, by_client

    def pair_failures(
        self, *, username: str, client: str, since: datetime
    ) -> tuple[int, datetime | None]:
        """Failed logins at one username from one client since a time and since the pair's
        last success: (how many, the last one's time)."""
        pair = (LoginAttempt.username == username, LoginAttempt.client == client)
        success = self.session.scalar(
            select(func.max(LoginAttempt.at)).where(*pair, LoginAttempt.success.is_(True))
        )
        start = max(since, _aware(success)) if success is not None else since
        count, last = self.session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                *pair, LoginAttempt.success.is_(False), LoginAttempt.at > start
            )
        ).one()
        return count or 0, _aware(last) if last is not None else None

    def web_session(self, token_hash: str) -> WebSession | None:
        return self.session.scalar(select(WebSession).where(WebSession.token_hash == token_hash))

    def delete_web_session(self, row: WebSession) -> None:
        self.session.delete(row)

    def api_token(self, token_hash: str) -> ApiToken | None:
        return self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


class AuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def page(self, *, before_seq: int | None = None, limit: int = 50) -> Sequence[AuditEvent]:
        query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
        if before_seq is not None:
            query = query.where(AuditEvent.seq < before_seq)
        return self.session.scalars(query).all()

    def of_entities(
        self, entities: Sequence[tuple[str, str]], limit: int = 200
    ) -> Sequence[AuditEvent]:
        """The events about these records (entity type, entity id), oldest first."""
        if not entities:
            return []
        match = or_(
            *(and_(AuditEvent.entity_type == t, AuditEvent.entity_id == i) for t, i in entities)
        )
        newest = select(AuditEvent).where(match).order_by(AuditEvent.seq.desc()).limit(limit)
        return sorted(self.session.scalars(newest).all(), key=lambda e: e.seq)

    def count(self) -> int:
        head = self.session.get(AuditHead, 1)
        return head.seq if head else 0

    def verify(self) -> audit.ChainBreak | None:
        return audit.verify(self.session)
