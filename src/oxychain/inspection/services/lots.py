"""Inspection use cases on a lot: offer it, offer it again, assign it, draw its sample.

Each function opens its unit of work, loads the lot, asks the domain, records every
change in the audit trail in the same transaction and commits. A lot's status moves only
by ``domain.lot.LOT``. Readings, the verdict and replacements are ``services.units``'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import ObjectScope, Role
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import device as devices
from oxychain.inspection.domain import lot as inspection
from oxychain.inspection.domain.lot import LOT, LotCount, LotStatus, LotVersion, TrancheClock
from oxychain.inspection.services.scope import load_lot, user_id
from oxychain.inspection.services.serials import SerialFile, new_serials
from oxychain.inspection.tables import Lot
from oxychain.masterdata.domain.sampling import SamplingPlan, Severity
from oxychain.tendering.tables import PoTranche, PurchaseOrder


@dataclass(frozen=True)
class OfferLot:
    tranche_id: int
    place: str
    ready_on: date
    file: SerialFile


@dataclass(frozen=True)
class ReofferLot:
    lot_id: int
    place: str
    ready_on: date
    file: SerialFile


@dataclass(frozen=True)
class AssignLot:
    lot_id: int
    agency_id: int
    inspector_id: int


def tranche_clock(uow: UnitOfWork, tranche: PoTranche, today: date | None = None) -> TrancheClock:
    """Where the tranche stands: its lots (in every version of its purchase order) and its
    deliveries."""
    lots = uow.inspection.lots_of_tranches(uow.inspection.line_tranche_ids(tranche))
    accepted = uow.inspection.accepted_units([lot.id for lot in lots])
    counts = [
        LotCount(lot.quantity, LotStatus(lot.status), accepted.get(lot.id, 0)) for lot in lots
    ]
    return inspection.tranche_clock(
        tranche.quantity,
        tranche.due_date,
        counts,
        tranche.delivered_quantity or 0,
        tranche.delivered_on,
        today or clock.today(),
    )


def offer_lot(uow: UnitOfWork, cmd: OfferLot) -> int:
    """A supplier offers a lot of serials against a tranche of its own purchase order."""
    require(uow.principal, "lot.offer")
    with uow:
        tranche = uow.inspection.tranche(cmd.tranche_id, for_update=True)
        po = uow.inspection.purchase_order(tranche.purchase_order_id) if tranche else None
        if tranche is None or po is None:
            raise NotFound("No tranche {tranche}.", tranche=cmd.tranche_id)
        require(uow.principal, "lot.offer", ObjectScope(supplier_id=po.supplier_id))
        if not uow.inspection.in_force(po):
            raise Conflict(
                "Purchase order {number} is superseded; offer against the newest.", number=po.number
            )
        version = LotVersion.first(po.number, uow.inspection.count_lots_of_po(po.id))
        lot = _offer(uow, po, tranche, cmd.place, cmd.ready_on, cmd.file, version)
        uow.commit()
        return lot.id


def reoffer_lot(uow: UnitOfWork, cmd: ReofferLot) -> int:
    """A rejected lot offered again, as a new version of other serials, on tightened inspection."""
    require(uow.principal, "lot.offer")
    with uow:
        previous = load_lot(uow, cmd.lot_id, "lot.offer", for_update=True)
        reoffered = uow.inspection.next_version_of(previous) is not None
        inspection.check_reoffer(previous.status, previous.number, reoffered=reoffered)
        tranche = uow.inspection.tranche(previous.tranche_id, for_update=True)
        po = uow.inspection.purchase_order(previous.purchase_order_id)
        version = LotVersion.after(previous.number, previous.version, previous.id)
        lot = _offer(uow, po, tranche, cmd.place, cmd.ready_on, cmd.file, version)
        uow.commit()
        return lot.id


def _offer(
    uow: UnitOfWork,
    po: PurchaseOrder,
    tranche: PoTranche,
    place: str,
    ready_on: date,
    file: SerialFile,
    version: LotVersion,
) -> Lot:
    """The lot stored with its devices, offered, and the offer audited."""
    offer = inspection.Offer(place, ready_on).checked(clock.today())
    specs = new_serials(uow, file, offer.ready_on)
    inspection.check_lot_size(len(specs), tranche_clock(uow, tranche).open_quantity)
    lot = uow.inspection.add_lot(
        version, po, tranche.id, offer, len(specs), by=user_id(uow), at=clock.now()
    )
    uow.inspection.register(lot, specs, clock.now())
    after = {
        "number": lot.number,
        "version": lot.version,
        "previous_id": lot.previous_id,
        "tranche_id": tranche.id,
        "quantity": lot.quantity,
        "place": lot.place,
        "ready_on": lot.ready_on.isoformat(),
        "serials_sha256": devices.serials_digest(s.serial for s in specs),
        "first_serials": [s.serial for s in specs[:20]],
    }
    uow.record("lot.offer" if version.version == 1 else "lot.reoffer", "lot", lot.id, None, after)
    return lot


def assign_lot(uow: UnitOfWork, cmd: AssignLot) -> None:
    """The corporation names the inspection agency and the inspector of a lot."""
    require(uow.principal, "lot.assign")
    with uow:
        lot = load_lot(uow, cmd.lot_id, "lot.assign", for_update=True)
        status = LOT.move(lot.status, "assign")
        agency = uow.inspection.agency(cmd.agency_id)
        if agency is None:
            raise NotFound("No inspection agency {agency}.", agency=cmd.agency_id)
        inspector = uow.inspection.user(cmd.inspector_id)
        if inspector is None or inspector.role != Role.INSPECTOR or not inspector.active:
            raise InvalidInput("Choose an active inspector.")
        if inspector.agency_id != agency.id:
            raise InvalidInput(
                "{inspector} does not work for {agency}.",
                inspector=inspector.display_name,
                agency=agency.name,
            )
        before = {"agency_id": lot.agency_id, "inspector_id": lot.inspector_id}
        lot.status, lot.agency_id, lot.inspector_id = status.value, agency.id, inspector.id
        lot.assigned_at = clock.now()
        after = {"agency": agency.code, "inspector": inspector.username}
        uow.record("lot.assign", "lot", lot.id, before, after)
        uow.commit()


def draw_sample(uow: UnitOfWork, lot_id: int) -> tuple[str, ...]:
    """The plan fixed and the sample drawn at random from a fresh seed, both audited."""
    require(uow.principal, "lot.inspect")
    with uow:
        lot = load_lot(uow, lot_id, "lot.inspect", for_update=True)
        status = LOT.move(lot.status, "sample")
        state = uow.inspection.switching_state(lot.supplier_id, lot.item_id)
        severity, plan = inspection.plan_for(
            lot.quantity, lot.aql, lot.inspection_level, state, lot.version > 1
        )
        seed = inspection.new_seed()
        units = {d.serial: d.id for d in uow.inspection.devices_of_lot(lot.id)}
        sample = inspection.draw_sample(units, plan.sample_size, seed)
        uow.inspection.add_samples(lot.id, [units[serial] for serial in sample])
        _fix_plan(lot, severity, plan, seed)
        lot.status = status.value
        after = {"seed": seed, "severity": severity.value, "plan": plan.as_dict()}
        uow.record("lot.sample", "lot", lot.id, None, {**after, "sample": list(sample)})
        uow.commit()
        return sample


def _fix_plan(lot: Lot, severity: Severity, plan: SamplingPlan, seed: str) -> None:
    """The plan the lot is judged on, fixed with the seed that drew its sample."""
    lot.seed, lot.severity, lot.sampled_at = seed, severity.value, clock.now()
    lot.code_letter, lot.plan_letter = plan.code_letter, plan.plan_letter
    lot.sample_size, lot.accept_number, lot.reject_number = (
        plan.sample_size,
        plan.accept,
        plan.reject,
    )
