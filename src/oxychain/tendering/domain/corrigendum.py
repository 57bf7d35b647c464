"""Corrigenda: the only way a published tender's rules change, in public and before its
deadline (DOMAIN.md: a state corporation changed its rules after the opening to favour the
second-lowest bidder)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.tendering.domain.securities import emd_amount
from oxychain.tendering.domain.tender import STEPS, TenderStatus

#: What a corrigendum may change; consignees, criteria and the committee are fixed (bids
#: are sealed to the committee's keys).
AMENDABLE = (
    "deadline",
    "opening_at",
    "estimated_value_paise",
    "emd_bp",
    "bid_validity_days",
    "warranty_months",
)


def changes(
    tender: Any, requested: Mapping[str, Any], text: str, now: datetime
) -> dict[str, tuple[Any, Any]]:
    """What a corrigendum changes, {field: (before, after)}; the EMD follows a new estimated
    value or rate."""
    diff = {
        name: (getattr(tender, name, None), value)
        for name, value in requested.items()
        if value is not None and getattr(tender, name, None) != value
    }
    check_corrigendum(tender.status, tender.deadline, tender.opening_at, now, diff, text)
    if not diff:
        raise InvalidInput("The corrigendum changes nothing.")
    if {"estimated_value_paise", "emd_bp"} & set(diff):
        value = diff.get("estimated_value_paise", (None, tender.estimated_value_paise))[1]
        rate = diff.get("emd_bp", (None, tender.emd_bp))[1]
        diff["emd_paise"] = (tender.emd_paise, emd_amount(value, rate))
    return diff


def as_record(diff: Mapping[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    """The changes as stored and published: {field: [before, after]}, moments in ISO 8601."""
    return {name: [_plain(a), _plain(b)] for name, (a, b) in diff.items()}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def check_corrigendum(
    status: str,
    deadline: datetime,
    opening_at: datetime,
    now: datetime,
    changes: Mapping[str, tuple[Any, Any]],
    text: str,
) -> None:
    """Only a published tender, before its deadline, with a stated reason (DOMAIN.md)."""
    if TenderStatus(status) not in STEPS["corrigendum"]:
        raise Conflict("Only a published tender takes a corrigendum.")
    if now >= deadline:
        raise Conflict("The deadline has passed: the tender's rules are final.")
    if not text.strip():
        raise InvalidInput("A corrigendum says what changes and why.")
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise InvalidInput(
            "A corrigendum cannot change {fields}.", fields=", ".join(sorted(unknown))
        )
    new_deadline = changes.get("deadline", (None, deadline))[1]
    new_opening = changes.get("opening_at", (None, opening_at))[1]
    if new_deadline <= now:
        raise InvalidInput("The new deadline must be in the future.")
    if new_opening < new_deadline:
        raise InvalidInput("The opening time must be at or after the deadline.")
