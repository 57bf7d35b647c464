"""The opening committee: openers register the public half of a key made on their own
device; the officer seats them on a tender's committee while it is a draft (bids are then
sealed to exactly these keys, so the committee is frozen with the rules at publication)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.people import ObjectScope, Role
from oxychain.core.uow import UnitOfWork
from oxychain.tendering import sealing
from oxychain.tendering.domain.tender import check_seating
from oxychain.tendering.tables import CommitteeMember, OpenerKey


def register_opener_key(uow: UnitOfWork, public_key: str, now: datetime | None = None) -> OpenerKey:
    """An opener registers the public half of a key made on their own device."""
    me = uow.principal
    require(me, "opener.key", ObjectScope(user_id=me.user_id))
    try:
        sealing.load_public_key(public_key)
    except sealing.SealError:
        raise InvalidInput("This is not a P-256 public key (base64 of 65 bytes).") from None
    now = now or clock.now()
    with uow:
        old = uow.tenders.opener_key(me.user_id)
        if old is not None:
            old.retired_at = now
        key = OpenerKey(
            user_id=me.user_id,
            public_key=public_key,
            fingerprint=fingerprint(public_key),
            registered_at=now,
        )
        uow.tenders.add(key)
        uow.record("opener.key", "user", me.username, None, {"fingerprint": key.fingerprint})
        uow.commit()
        return key


def fingerprint(public_key: str) -> str:
    return hashlib.sha256(public_key.encode()).hexdigest()[:16]


def my_opener_key(uow: UnitOfWork) -> OpenerKey | None:
    me = uow.principal
    require(me, "opener.key", ObjectScope(user_id=me.user_id))
    with uow:
        return uow.tenders.opener_key(me.user_id)


def add_committee_member(uow: UnitOfWork, reference: str, username: str) -> CommitteeMember:
    require(uow.principal, "tender.write")
    with uow:
        tender = uow.tenders.tender(reference)
        check_seating(tender.status)
        user = uow.tenders.user_by_username(username.strip())
        if user is None or user.role != Role.BID_OPENER.value or not user.active:
            raise InvalidInput("{name} is not an active bid opener.", name=username)
        key = uow.tenders.opener_key(user.id)
        if key is None:
            raise Conflict("{name} has not registered an opener key yet.", name=username)
        seats = uow.tenders.committee(tender.id)
        if any(m.user_id == user.id for m in seats):
            raise Conflict("{name} already sits on this committee.", name=username)
        member = CommitteeMember(
            tender_id=tender.id,
            user_id=user.id,
            opener_id=user.username,
            public_key=key.public_key,
            position=max((m.position for m in seats), default=0) + 1,
            added_at=clock.now(),
        )
        uow.tenders.add(member)
        uow.record(
            "tender.committee_add",
            "tender",
            reference,
            None,
            {"opener": user.username, "fingerprint": key.fingerprint},
        )
        uow.commit()
        return member
