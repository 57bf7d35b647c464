"""Lots offered for inspection: plan, random sample, verdict, switching, delivery clock.

A supplier offers a lot against a purchase-order tranche; the corporation assigns an
inspection agency and an inspector; the inspector draws the sample at random, records the
acceptance test of each sampled unit (``domain.reading``) and the verdict follows from
the counts, binding on everyone:

* the plan is ISO 2859-1 single sampling (``masterdata.domain.sampling``) on the contract's AQL
  and inspection level, at the severity the supplier × item switching state gives
  (clause 9, ``domain.switching``); a resubmitted lot is inspected on tightened inspection
  (clause 6.4 leaves the choice to the responsible authority: the corporation chooses the
  stricter) and does not count for switching (9.3.2 counts lots "on original inspection");
* the sample is drawn with ``random.Random(seed)`` from the lot's serials in sorted order,
  so that anyone holding the seed (recorded in the audit trail) draws the same units and
  no one picks the good ones;
* the lot is rejected as soon as the failures reach Re (more units cannot change that),
  and accepted when every sampled unit is tested with failures ≤ Ac (ISO 2859-1, single
  sampling: acceptable when the nonconforming items in the sample are at most Ac).

A rejected lot may be re-offered as a new version linked to the old one; its units stay
rejected for good (DESIGN.md: "a device from a rejected lot is never dispatchable"), so
the re-offer carries other serials.

A lot's status moves only by ``LOT``; pages ask it (``lot_actions``) what may be done next.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.inspection.domain.device import QA, QaStatus
from oxychain.inspection.domain.switching import LotResult, SwitchingState, SwitchReason, next_state
from oxychain.masterdata.domain.sampling import SamplingPlan, Severity, single_sampling_plan

MAX_PLACE_CHARS = 200


class LotStatus(StrEnum):
    OFFERED = "offered"  # serials registered, waiting for an agency and an inspector
    ASSIGNED = "assigned"  # inspector assigned; the sample is not drawn yet
    SAMPLED = "sampled"  # sample drawn; readings being entered
    ACCEPTED = "accepted"
    REJECTED = "rejected"


S = LotStatus
# What may be done to a lot in each status. "record", "reoffer" and "replace" leave the
# status as it is: they are here so that pages ask one table what may be done next.
LOT = Lifecycle(
    "lot",
    LotStatus,
    {
        "assign": ((S.OFFERED, S.ASSIGNED), S.ASSIGNED),  # assigned again before sampling
        "sample": ((S.ASSIGNED,), S.SAMPLED),
        "record": ((S.SAMPLED,), S.SAMPLED),  # readings of the sampled units
        "accept": ((S.SAMPLED,), S.ACCEPTED),
        "reject": ((S.SAMPLED,), S.REJECTED),
        "reoffer": ((S.REJECTED,), S.REJECTED),  # a new version with other serials
        "replace": ((S.ACCEPTED,), S.ACCEPTED),  # a failed sampled unit, by another serial
    },
    message=N_("The lot is {status}: it cannot become {target}."),
)

DECIDED = (LotStatus.ACCEPTED, LotStatus.REJECTED)


def is_decided(status: LotStatus | str) -> bool:
    return LotStatus(status) in DECIDED


def lot_actions(status: LotStatus | str, *, reoffered: bool) -> frozenset[str]:
    """What may be done to the lot next (a lot is offered again only once)."""
    actions = LOT.allowed_actions(status)
    return actions - {"reoffer"} if reoffered else actions


def check_reoffer(status: LotStatus | str, number: str, *, reoffered: bool) -> None:
    if not LOT.can(status, "reoffer"):
        raise Conflict("Only a rejected lot can be offered again.")
    if reoffered:
        raise Conflict("Lot {number} has already been offered again.", number=number)


def check_replace(status: LotStatus | str) -> None:
    if not LOT.can(status, "replace"):
        raise Conflict("Only a failed unit of an accepted lot can be replaced.")


@dataclass(frozen=True)
class LotVersion:
    """A lot's number and version: a first offer is numbered on its purchase order, a
    re-offer keeps the number of the lot it follows, one version up."""

    number: str
    version: int = 1
    previous_id: int | None = None

    @classmethod
    def first(cls, po_number: str, lots_on_po: int) -> LotVersion:
        return cls(f"{po_number[:48]}/L{lots_on_po + 1}")

    @classmethod
    def after(cls, number: str, version: int, lot_id: int) -> LotVersion:
        return cls(number, version + 1, lot_id)


@dataclass(frozen=True)
class Offer:
    """What a supplier states when offering a lot (the serials come with the file)."""

    place: str
    ready_on: date

    def checked(self, today: date) -> Offer:
        place = " ".join(self.place.split())
        if not place:
            raise InvalidInput("Say where the lot can be inspected.")
        if len(place) > MAX_PLACE_CHARS:
            raise InvalidInput("The place is longer than {n} characters.", n=MAX_PLACE_CHARS)
        if (self.ready_on - today).days > 365:
            raise InvalidInput("The date ready is more than a year away.")
        return Offer(place, self.ready_on)


def check_lot_size(serial_count: int, open_quantity: int) -> None:
    """A lot is at least 2 units (ISO 2859-1 Table 1) and at most what the tranche still needs.

    ``open_quantity`` is the tranche's quantity less the units already accepted or under
    inspection against it.
    """
    if serial_count < 2:
        raise InvalidInput("A lot needs at least 2 serials (got {count}).", count=serial_count)
    if serial_count > open_quantity:
        raise InvalidInput(
            "The lot has {count} units but the tranche needs only {open} more.",
            count=serial_count,
            open=open_quantity,
        )


def severity_for(state: SwitchingState, resubmitted: bool) -> Severity:
    """The severity a lot is inspected on: the switching state's, tightened for a re-offer."""
    if state.discontinued:
        raise Conflict(
            "Sampling inspection of this supplier's item is discontinued (ISO 2859-1, 9.4): "
            "no lot is inspected until the corporation accepts the supplier's corrective action."
        )
    return Severity.TIGHTENED if resubmitted else state.severity


def plan_for(
    lot_size: int, aql: Decimal | str, level: str, state: SwitchingState, resubmitted: bool
) -> tuple[Severity, SamplingPlan]:
    severity = severity_for(state, resubmitted)
    return severity, single_sampling_plan(lot_size, aql, level, severity)


def new_seed() -> str:
    """A fresh 64-bit seed from the operating system's CSPRNG, as decimal text."""
    return str(secrets.randbits(64))


def draw_sample(serials: Iterable[str], size: int, seed: str) -> tuple[str, ...]:
    """``size`` serials drawn at random; the same serials and seed always give the same draw.

    The serials are sorted first, so the draw does not depend on the order of upload.
    """
    pool = sorted(set(serials))
    if not 0 < size <= len(pool):
        raise InvalidInput(
            "A sample of {size} cannot be drawn from {count} serials.", size=size, count=len(pool)
        )
    if not seed.isdigit():
        raise InvalidInput("The seed must be a whole number.")
    return tuple(random.Random(int(seed)).sample(pool, size))


@dataclass(frozen=True)
class Tally:
    """Sampled units tested so far, and how many failed."""

    sample_size: int
    tested: int
    failures: int


def tally(sample_size: int, results: Iterable[bool | None]) -> Tally:
    """The tally of the originally sampled units: each one passed (True), failed (False)
    or not tested yet (None). Replacement units are not in it: they never decide a lot."""
    tested = [passed for passed in results if passed is not None]
    return Tally(sample_size, len(tested), sum(1 for passed in tested if not passed))


def verdict(plan_accept: int, plan_reject: int, tally: Tally) -> LotStatus | None:
    """ACCEPTED, REJECTED, or None while the verdict is still open."""
    if tally.failures >= plan_reject:
        return LotStatus.REJECTED
    if tally.tested >= tally.sample_size and tally.failures <= plan_accept:
        return LotStatus.ACCEPTED
    return None


def decide(
    status: LotStatus | str, plan_accept: int, plan_reject: int, counts: Tally
) -> LotStatus | None:
    """The lot's status once the counts decide it (moved by the lifecycle: only a sampled
    lot is decided); None while the verdict is open."""
    outcome = verdict(plan_accept, plan_reject, counts)
    if outcome is None:
        return None
    return LOT.move(status, "accept" if outcome is LotStatus.ACCEPTED else "reject")


def lot_result(accepted: bool, plan_accept: int, failures: int, resubmitted: bool) -> LotResult:
    """The lot as the switching rules count it (a resubmitted lot is not counted, 9.3.2)."""
    return LotResult(accepted, plan_accept, failures, original=not resubmitted)


def switching_step(
    state: SwitchingState,
    status: LotStatus,
    plan_accept: int,
    failures: int,
    *,
    resubmitted: bool,
    reduced_approved: bool,
) -> tuple[SwitchingState, SwitchReason | None] | None:
    """The supplier × item's switching state after a decided lot; None when the lot does
    not count (a resubmitted lot, 9.3.2: "on original inspection")."""
    result = lot_result(status is LotStatus.ACCEPTED, plan_accept, failures, resubmitted)
    if not result.original:
        return None
    return next_state(state, result, reduced_approved=reduced_approved)


def units_after_verdict(
    status: LotStatus, units: Mapping[str, QaStatus | str], failed: Iterable[str]
) -> dict[str, QaStatus]:
    """Each unit's QA status once the lot is decided, from its status now (``units``:
    serial -> QA status), each moved by the QA lifecycle.

    An accepted lot's units are accepted, except sampled units that failed; every unit of
    a rejected lot is rejected.
    """
    failed = set(failed)
    if status not in DECIDED:
        raise Conflict("The lot is not decided yet.")
    if status is LotStatus.REJECTED:
        return {serial: QA.move(now, "reject", serial=serial) for serial, now in units.items()}
    return {
        serial: QA.move(now, "reject" if serial in failed else "accept", serial=serial)
        for serial, now in units.items()
    }


@dataclass(frozen=True)
class LotCount:
    """A lot against a tranche, as the delivery clock sees it."""

    quantity: int
    status: LotStatus
    accepted_units: int


@dataclass(frozen=True)
class TrancheClock:
    """Where a tranche stands: offered, under inspection, accepted, delivered, days late.

    The clock for liquidated damages runs until accepted units are delivered: units offered
    or under inspection do not stop it, and rejected ones never will.
    """

    quantity: int
    due_on: date
    under_inspection: int
    accepted: int
    rejected: int
    delivered: int
    days_late: int  # of the part not yet delivered, as of the day asked (0 when on time)

    @property
    def running(self) -> bool:
        return self.delivered < self.quantity

    @property
    def open_quantity(self) -> int:
        """Units the tranche still needs: less those accepted or under inspection (or
        delivered, where deliveries were recorded without lots)."""
        return self.quantity - max(self.under_inspection + self.accepted, self.delivered)


def tranche_clock(
    quantity: int,
    due_on: date,
    lots: Sequence[LotCount],
    delivered: int,
    delivered_on: date | None,
    today: date,
) -> TrancheClock:
    under = sum(lot.quantity for lot in lots if lot.status not in DECIDED)
    accepted = sum(lot.accepted_units for lot in lots)
    rejected = sum(lot.quantity - lot.accepted_units for lot in lots if lot.status in DECIDED)
    stop = today if delivered < quantity else (delivered_on or today)
    return TrancheClock(
        quantity,
        due_on,
        under,
        accepted,
        rejected,
        delivered,
        max(0, (stop - due_on).days),
    )
