"""Inspection use cases: offer a lot, assign it, draw the sample, record readings, replace.

Each function opens its unit of work, loads the lot, asks the domain, records every
change in the audit trail in the same transaction and commits. The verdict is not an
action: it follows from the readings, in the transaction that records the deciding one
(``inspection_verdict.decide``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import device as devices
from oxychain.inspection.domain import lot as inspection
from oxychain.inspection.domain import reading as readings
from oxychain.inspection.domain.lot import LotStatus
from oxychain.inspection.services import verdicts
from oxychain.inspection.services.verdicts import RecordOutcome, lot_scope, user_id
from oxychain.inspection.tables import Lot, LotSample
from oxychain.masterdata.domain.catalogue import item_by_code
from oxychain.tendering.tables import PoTranche, PurchaseOrder


@dataclass(frozen=True)
class SerialFile:
    filename: str
    data: bytes
    max_bytes: int | None = None


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


@dataclass(frozen=True)
class RecordUnit:
    lot_id: int
    position: int
    warm_up_min: str
    values: dict[str, object]
    note: str = ""
    reduced_approved: bool = False


@dataclass(frozen=True)
class ReplaceUnit:
    lot_id: int
    position: int
    serial: str
    make: str
    model: str
    manufactured_on: date


def _now() -> datetime:
    return datetime.now(UTC)


def _load_lot(uow: UnitOfWork, lot_id: int, permission: str) -> Lot:
    lot = uow.inspection.lot(lot_id, for_update=True)
    if lot is None:
        raise NotFound("No lot {lot}.", lot=lot_id)
    require(uow.principal, permission, lot_scope(lot))
    return lot


def _serials(uow: UnitOfWork, file: SerialFile, latest: date) -> list[devices.DeviceSpec]:
    """The file's devices; FileRejected with every row error, registry clashes included."""
    kwargs = {"max_bytes": file.max_bytes} if file.max_bytes else {}
    parsed = devices.parse_serial_file(file.data, file.filename, latest=latest, **kwargs)
    errors = list(parsed.errors)
    count = parsed.error_count
    if parsed.devices:
        taken = uow.inspection.registered([d.serial for d in parsed.devices])
        clashes = devices.registered_errors(parsed.devices, taken)
        errors += clashes
        count += len(clashes)
    if errors:
        errors = sorted(errors, key=lambda e: e.row or 0)[: devices.DEFAULT_MAX_ERRORS]
        raise devices.rejection(errors, count)
    return parsed.devices


def open_quantity(uow: UnitOfWork, tranche: PoTranche) -> int:
    """Units the tranche still needs: its quantity less the units accepted or under inspection
    against it (or delivered, where deliveries were recorded without lots)."""
    lots = uow.inspection.lots_of_tranches(uow.inspection.line_tranche_ids(tranche))
    accepted = uow.inspection.accepted_units([lot.id for lot in lots])
    held = sum(
        lot.quantity if lot.status not in inspection.DECIDED else accepted.get(lot.id, 0)
        for lot in lots
    )
    return tranche.quantity - max(held, tranche.delivered_quantity or 0)


def _register(uow: UnitOfWork, lot: Lot, specs: list[devices.DeviceSpec]) -> None:
    """The lot's devices into the registry, offered, in one bulk insert."""
    at = _now()
    uow.inspection.add_devices(
        [
            {
                "serial": spec.serial,
                "item_id": lot.item_id,
                "supplier_id": lot.supplier_id,
                "purchase_order_id": lot.purchase_order_id,
                "lot_id": lot.id,
                "make": spec.make,
                "model": spec.model,
                "manufactured_on": spec.manufactured_on,
                "qa_status": devices.QaStatus.OFFERED.value,
                "registered_at": at,
            }
            for spec in specs
        ]
    )


def _new_lot(
    uow: UnitOfWork,
    po: PurchaseOrder,
    tranche: PoTranche,
    offer: inspection.Offer,
    specs: list[devices.DeviceSpec],
    previous: Lot | None,
) -> Lot:
    tender = uow.inspection.tender(po.tender_id)
    number = previous.number if previous else f"{po.number[:48]}/L{_next_lot_number(uow, po)}"
    lot = Lot(
        number=number,
        version=previous.version + 1 if previous else 1,
        previous_id=previous.id if previous else None,
        purchase_order_id=po.id,
        tranche_id=tranche.id,
        supplier_id=po.supplier_id,
        item_id=po.item_id,
        quantity=len(specs),
        place=offer.place,
        ready_on=offer.ready_on,
        offered_at=_now(),
        offered_by_id=user_id(uow),
        status=LotStatus.OFFERED.value,
        aql=tender.aql,  # the contract's AQL and inspection level, frozen with the tender
        inspection_level=tender.inspection_level,
    )
    uow.inspection.add(lot)
    uow.inspection.flush()
    _register(uow, lot, specs)
    uow.record(
        "lot.offer" if previous is None else "lot.reoffer",
        "lot",
        lot.id,
        None,
        {
            "number": lot.number,
            "version": lot.version,
            "previous_id": lot.previous_id,
            "tranche_id": tranche.id,
            "quantity": lot.quantity,
            "place": lot.place,
            "ready_on": lot.ready_on.isoformat(),
            "serials_sha256": devices.serials_digest(s.serial for s in specs),
            "first_serials": [s.serial for s in specs[:20]],
        },
    )
    return lot


def _next_lot_number(uow: UnitOfWork, po: PurchaseOrder) -> int:
    return uow.inspection.count_lots_of_po(po.id) + 1


def offer_lot(uow: UnitOfWork, cmd: OfferLot) -> int:
    """A supplier offers a lot of serials against a tranche of its own purchase order."""
    require(uow.principal, "lot.offer")
    with uow:
        tranche = uow.inspection.tranche(cmd.tranche_id, for_update=True)
        po = uow.inspection.purchase_order(tranche.purchase_order_id) if tranche else None
        if tranche is None or po is None:
            raise NotFound("No tranche {tranche}.", tranche=cmd.tranche_id)
        require(uow.principal, "lot.offer", ObjectScope(supplier_id=po.supplier_id))
        if po.status != "issued":
            raise Conflict(
                "Purchase order {number} is superseded; offer against the newest.", number=po.number
            )
        offer = inspection.Offer(cmd.place, cmd.ready_on).checked(date.today())
        specs = _serials(uow, cmd.file, offer.ready_on)
        inspection.check_lot_size(len(specs), open_quantity(uow, tranche))
        lot = _new_lot(uow, po, tranche, offer, specs, None)
        uow.commit()
        return lot.id


def reoffer_lot(uow: UnitOfWork, cmd: ReofferLot) -> int:
    """A rejected lot offered again, as a new version of other serials, on tightened inspection."""
    require(uow.principal, "lot.offer")
    with uow:
        previous = _load_lot(uow, cmd.lot_id, "lot.offer")
        if previous.status != LotStatus.REJECTED.value:
            raise Conflict("Only a rejected lot can be offered again.")
        if uow.inspection.next_version_of(previous) is not None:
            raise Conflict("Lot {number} has already been offered again.", number=previous.number)
        tranche = uow.inspection.tranche(previous.tranche_id, for_update=True)
        po = uow.inspection.purchase_order(previous.purchase_order_id)
        offer = inspection.Offer(cmd.place, cmd.ready_on).checked(date.today())
        specs = _serials(uow, cmd.file, offer.ready_on)
        inspection.check_lot_size(len(specs), open_quantity(uow, tranche))
        lot = _new_lot(uow, po, tranche, offer, specs, previous)
        uow.commit()
        return lot.id


def assign_lot(uow: UnitOfWork, cmd: AssignLot) -> None:
    """The corporation names the inspection agency and the inspector of a lot."""
    require(uow.principal, "lot.assign")
    with uow:
        lot = _load_lot(uow, cmd.lot_id, "lot.assign")
        new = inspection.check_transition(lot.status, LotStatus.ASSIGNED)
        agency = uow.inspection.agency(cmd.agency_id)
        if agency is None:
            raise NotFound("No inspection agency {agency}.", agency=cmd.agency_id)
        inspector = uow.inspection.user(cmd.inspector_id)
        if inspector is None or inspector.role != "inspector" or not inspector.active:
            raise InvalidInput("Choose an active inspector.")
        if inspector.agency_id != agency.id:
            raise InvalidInput(
                "{inspector} does not work for {agency}.",
                inspector=inspector.display_name,
                agency=agency.name,
            )
        before = {"agency_id": lot.agency_id, "inspector_id": lot.inspector_id}
        lot.status, lot.agency_id, lot.inspector_id = new.value, agency.id, inspector.id
        lot.assigned_at = _now()
        uow.record(
            "lot.assign",
            "lot",
            lot.id,
            before,
            {"agency": agency.code, "inspector": inspector.username},
        )
        uow.commit()


def draw_sample(uow: UnitOfWork, lot_id: int) -> tuple[str, ...]:
    """The plan fixed and the sample drawn at random from a fresh seed, both audited."""
    require(uow.principal, "lot.inspect")
    with uow:
        lot = _load_lot(uow, lot_id, "lot.inspect")
        new = inspection.check_transition(lot.status, LotStatus.SAMPLED)
        state = verdicts.switching_state(uow, lot.supplier_id, lot.item_id)
        severity, plan = inspection.plan_for(
            lot.quantity, lot.aql, lot.inspection_level, state, lot.version > 1
        )
        seed = inspection.new_seed()
        units = {d.serial: d for d in uow.inspection.devices_of_lot(lot.id)}
        sample = inspection.draw_sample(units, plan.sample_size, seed)
        for position, serial in enumerate(sample, start=1):
            uow.inspection.add(
                LotSample(lot_id=lot.id, device_id=units[serial].id, position=position)
            )
        lot.status, lot.seed, lot.severity, lot.sampled_at = new.value, seed, severity.value, _now()
        lot.code_letter, lot.plan_letter = plan.code_letter, plan.plan_letter
        lot.sample_size, lot.accept_number, lot.reject_number = (
            plan.sample_size,
            plan.accept,
            plan.reject,
        )
        uow.record(
            "lot.sample",
            "lot",
            lot.id,
            None,
            {
                "seed": seed,
                "severity": severity.value,
                "plan": plan.as_dict(),
                "sample": list(sample),
            },
        )
        uow.commit()
        return sample


def record_unit(uow: UnitOfWork, cmd: RecordUnit) -> RecordOutcome:
    """The acceptance test of one sampled unit, judged; the verdict when it is decided."""
    require(uow.principal, "lot.inspect")
    with uow:
        lot = _load_lot(uow, cmd.lot_id, "lot.inspect")
        row = _sample(uow, lot, cmd.position)
        item = item_by_code(uow.inspection.item(lot.item_id).code)
        test = readings.judge_unit(item, cmd.warm_up_min, cmd.values)
        outcome = verdicts.record(uow, lot, row, test, cmd.note, None, cmd.reduced_approved)
        uow.commit()
        return outcome


def copy_last_unit(
    uow: UnitOfWork, lot_id: int, position: int, reduced_approved: bool = False
) -> RecordOutcome:
    """The last unit's readings, recorded again for this unit (each reading stored and judged)."""
    require(uow.principal, "lot.inspect")
    with uow:
        lot = _load_lot(uow, lot_id, "lot.inspect")
        row = _sample(uow, lot, position)
        last = uow.inspection.last_test_of_lot(lot.id)
        if last is None:
            raise Conflict("No unit of this lot has readings yet to copy.")
        values = verdicts.values_of(uow.inspection.readings(last.id))
        item = item_by_code(uow.inspection.item(lot.item_id).code)
        test = readings.judge_unit(item, last.warm_up_min, values)
        outcome = verdicts.record(uow, lot, row, test, "", last.id, reduced_approved)
        uow.commit()
        return outcome


def _sample(uow: UnitOfWork, lot: Lot, position: int) -> verdicts.SampleRow:
    row = uow.inspection.sample_at(lot.id, position)
    if row is None:
        raise NotFound(
            "Lot {lot} has no sampled unit {position}.", lot=lot.number, position=position
        )
    return row


def replace_unit(uow: UnitOfWork, cmd: ReplaceUnit) -> int:
    """A failed unit of an accepted lot replaced by another serial, which is then tested."""
    require(uow.principal, "lot.offer")
    with uow:
        lot = _load_lot(uow, cmd.lot_id, "lot.offer")
        if lot.status != LotStatus.ACCEPTED.value:
            raise Conflict("Only a failed unit of an accepted lot can be replaced.")
        row = _sample(uow, lot, cmd.position)
        devices.check_qa_move(row.device.serial, row.device.qa_status, devices.QaStatus.REPLACED)
        spec = devices.single_device(
            cmd.serial, cmd.make, cmd.model, cmd.manufactured_on, date.today()
        )
        if uow.inspection.registered([spec.serial]):
            raise Conflict("Serial {serial} is already in the registry.", serial=spec.serial)
        _register(uow, lot, [spec])
        new = uow.inspection.device(spec.serial)
        row.device.qa_status = devices.QaStatus.REPLACED.value
        position = max(s.sample.position for s in uow.inspection.samples(lot.id)) + 1
        uow.inspection.add(
            LotSample(
                lot_id=lot.id, device_id=new.id, position=position, replacement_of_id=row.sample.id
            )
        )
        uow.record(
            "device.replace",
            "device",
            row.device.serial,
            {"qa_status": "rejected"},
            {
                "qa_status": "replaced",
                "replacement": spec.serial,
                "lot_id": lot.id,
                "position": position,
            },
        )
        uow.commit()
        return position
