"""Suppliers: read, register, correct and import them (admin), each checked by
``domain.suppliers`` whatever the entry point."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict

from oxychain.core import tabular
from oxychain.core.access import require
from oxychain.core.errors import Conflict, FileRejected, InvalidInput, NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.domain.suppliers import SupplierSpec, parse_supplier_rows
from oxychain.masterdata.tables import Supplier

# What a spec sets on the row (code is the key, never changed).
_FIELDS = tuple(f for f in SupplierSpec.__dataclass_fields__ if f != "code")


def _snapshot(row: Supplier) -> dict:
    return {f: getattr(row, f) for f in _FIELDS}


def list_suppliers(uow: UnitOfWork) -> list[Supplier]:
    require(uow.principal, "supplier.read")
    with uow:
        return list(uow.masterdata.suppliers())


def get_supplier(uow: UnitOfWork, code: str) -> Supplier:
    require(uow.principal, "supplier.read")
    with uow:
        found = uow.masterdata.supplier_by_code(code)
        if found is None:
            raise NotFound("No supplier with code {value}.", value=code)
        return found


def register_supplier(uow: UnitOfWork, spec: SupplierSpec) -> Supplier:
    require(uow.principal, "supplier.write")
    with uow:
        if uow.masterdata.supplier_by_code(spec.code) is not None:
            raise Conflict("A supplier with code {value} exists.", value=spec.code)
        _refuse_taken_gstin(uow, spec)
        row = Supplier(code=spec.code, **{f: getattr(spec, f) for f in _FIELDS})
        uow.masterdata.add(row)
        uow.record("supplier.create", "supplier", spec.code, None, asdict(spec))
        uow.commit()
        return row


def correct_supplier(uow: UnitOfWork, spec: SupplierSpec) -> Supplier:
    require(uow.principal, "supplier.write")
    with uow:
        row = uow.masterdata.supplier_by_code(spec.code)
        if row is None:
            raise NotFound("No supplier with code {value}.", value=spec.code)
        _refuse_taken_gstin(uow, spec)
        before = _snapshot(row)
        for f in _FIELDS:
            setattr(row, f, getattr(spec, f))
        uow.record("supplier.update", "supplier", spec.code, before, _snapshot(row))
        uow.commit()
        return row


def import_suppliers(
    uow: UnitOfWork,
    data: bytes,
    filename: str,
    max_bytes: int | None = None,
    *,
    max_rows: int = tabular.DEFAULT_MAX_ROWS,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """A supplier list from CSV or Excel: new codes registered, known ones corrected; every
    row or none."""
    require(uow.principal, "supplier.write")
    try:
        rows = list(
            tabular.read_table(
                data,
                filename,
                max_bytes or tabular.DEFAULT_MAX_BYTES,
                max_rows=max_rows,
                cancelled=cancelled,
            )
        )
    except tabular.TableRejected as rejected:
        raise InvalidInput(rejected.message) from None
    specs, problems = parse_supplier_rows(rows)
    if problems:
        raise FileRejected(
            "The file has {count} problems; nothing was imported.",
            rows=[(p.row, p.column, p.message) for p in problems],
            count=len(problems),
        )
    if not specs:
        raise InvalidInput("The file has no supplier rows; nothing was imported.")
    with uow:
        _store(uow, specs)
        uow.commit()
    return len(specs)


def _store(uow: UnitOfWork, specs: Sequence[SupplierSpec]) -> None:
    for spec in specs:
        _refuse_taken_gstin(uow, spec)
        row = uow.masterdata.supplier_by_code(spec.code)
        if row is None:
            uow.masterdata.add(Supplier(code=spec.code, **{f: getattr(spec, f) for f in _FIELDS}))
            uow.record("supplier.import", "supplier", spec.code, None, asdict(spec))
            continue
        before = _snapshot(row)
        for f in _FIELDS:
            setattr(row, f, getattr(spec, f))
        uow.record("supplier.import", "supplier", spec.code, before, _snapshot(row))
    uow.masterdata.flush()


def _refuse_taken_gstin(uow: UnitOfWork, spec: SupplierSpec) -> None:
    """One GSTIN is one registration: two suppliers cannot share it."""
    if not spec.gstin:
        return
    holder = uow.masterdata.supplier_by_gstin(spec.gstin)
    if holder is not None and holder.code != spec.code:
        raise Conflict(
            "GSTIN {gstin} is already registered to supplier {value}.",
            gstin=spec.gstin,
            value=holder.code,
        )
