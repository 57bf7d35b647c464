"""``uow.notices``: notices and their deliveries, written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from oxychain.core.notices.status import DeliveryStatus
from oxychain.core.tables import Notice, NoticeDelivery, User
from oxychain.core.worker.store import upsert


class Notices:
    def __init__(self, session: Session) -> None:
        self.session = session

    def notify(
        self,
        people: Iterable[User],
        *,
        key: str,
        kind: str,
        subject: str,
        body: str,
        params: dict[str, Any] | None = None,
        link: str | None = None,
        now: datetime,
    ) -> int:
        """A notice to each person who has not had one with this key (a reminder fires
        once), with a delivery for each channel they chose; the number of new notices."""
        made = 0
        for person in {p.id: p for p in people if p.active}.values():
            insert = upsert(self.session)(Notice).values(
                user_id=person.id,
                key=key[:160],
                kind=kind,
                subject=subject,
                body=body,
                params=params or {},
                link=link,
                language=person.notice_language or person.language,
                created_at=now,
            )
            notice_id = self.session.scalar(
                insert.on_conflict_do_nothing(index_elements=["user_id", "key"]).returning(
                    Notice.id
                )
            )
            if notice_id is None:
                continue  # already told
            made += 1
            for channel, address in _channels(person):
                self.session.add(
                    NoticeDelivery(
                        notice_id=notice_id,
                        channel=channel,
                        address=address,
                        status=DeliveryStatus.PENDING.value,
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        self.session.flush()
        return made

    # --- a person's own ------------------------------------------------------------------

    def of(self, user_id: int, *, limit: int = 50, unread_only: bool = False) -> Sequence[Notice]:
        query = select(Notice).where(Notice.user_id == user_id)
        if unread_only:
            query = query.where(Notice.read_at.is_(None))
        return self.session.scalars(query.order_by(Notice.id.desc()).limit(limit)).all()

    def unread(self, user_id: int) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(Notice)
                .where(Notice.user_id == user_id, Notice.read_at.is_(None))
            )
            or 0
        )

    def mark_read(self, user_id: int, now: datetime, notice_id: int | None = None) -> int:
        """Mark one notice (or all) of this person read; how many were unread."""
        query = update(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None))
        if notice_id is not None:
            query = query.where(Notice.id == notice_id)
        return self.session.execute(query.values(read_at=now)).rowcount or 0

    def notice(self, notice_id: int) -> Notice | None:
        return self.session.get(Notice, notice_id)

    # --- the worker's and the admin's side -----------------------------------------------

    def due_deliveries(
        self, now: datetime, limit: int, *, lock: bool = True
    ) -> Sequence[NoticeDelivery]:
        """Deliveries to attempt now: pending and due, or sending under a lease that ran
        out (``next_attempt_at`` is the lease while sending). Rows that another worker
        holds are skipped on PostgreSQL; SQLite's write lock serialises the claim."""
        query = (
            select(NoticeDelivery)
            .where(
                NoticeDelivery.next_attempt_at <= now,
                or_(
                    NoticeDelivery.status == DeliveryStatus.PENDING.value,
                    NoticeDelivery.status == DeliveryStatus.SENDING.value,
                ),
            )
            .order_by(NoticeDelivery.next_attempt_at, NoticeDelivery.id)
            .limit(limit)
        )
        if lock and self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return self.session.scalars(query).all()

    def delivery(self, delivery_id: int, *, lock: bool = False) -> NoticeDelivery | None:
        return self.session.get(
            NoticeDelivery, delivery_id, with_for_update=lock, populate_existing=lock
        )

    def deliveries(self, statuses: Sequence[str], limit: int = 100) -> Sequence[tuple]:
        return self.session.execute(
            select(NoticeDelivery, Notice, User)
            .join(Notice, Notice.id == NoticeDelivery.notice_id)
            .join(User, User.id == Notice.user_id)
            .where(NoticeDelivery.status.in_(statuses))
            .order_by(NoticeDelivery.id.desc())
            .limit(limit)
        ).all()

    def delivery_counts(self) -> dict[str, int]:
        rows = self.session.execute(
            select(NoticeDelivery.status, func.count()).group_by(NoticeDelivery.status)
        ).all()
        return {status: n for status, n in rows}

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)


def _channels(person: User) -> list[tuple[str, str]]:
    found = []
    if person.notify_email and person.email:
        found.append(("email", person.email))
    if person.notify_sms and person.mobile:
        found.append(("sms", person.mobile))
    return found
