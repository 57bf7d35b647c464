"""Consignee receipt and acceptance certificates (CRAC): a facility accepts installed
devices; the certificate starts their warranty and marks the supplier's payment milestone.

The warranty runs from the certificate's date for the months the tender names (or the
``OXYCHAIN_WARRANTY_MONTHS`` setting), then the CMC for ``OXYCHAIN_CMC_MONTHS``
(domain/maintenance.py; BMMP asks for warranty and CMC management, DOMAIN.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from oxychain.core.access import Scope, require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.pdf import render_pdf
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import challan as challans
from oxychain.distribution.domain import maintenance
from oxychain.distribution.domain.lifecycle import DeviceState, PlaceKind
from oxychain.distribution.services.tickets import ServiceTerms
from oxychain.distribution.tables import AcceptanceCertificate, CertifiedDevice


def certificate_scope(row: AcceptanceCertificate) -> ObjectScope:
    return ObjectScope(
        district_id=row.district_id, facility_id=row.facility_id, supplier_id=row.supplier_id
    )


def issue_certificate(
    uow: UnitOfWork, facility_code: str, serials: list[str], terms: ServiceTerms, now: datetime
) -> AcceptanceCertificate:
    """Accept devices installed at the facility, all from one purchase order."""
    require(uow.principal, "acceptance.write")
    wanted = challans.clean_serials(serials)
    challans.check_load(wanted)
    with uow:
        facility = uow.masterdata.facility(facility_code.strip())
        if facility is None:
            raise NotFound("No facility with code {value}.", value=facility_code[:40])
        require(
            uow.principal,
            "acceptance.write",
            ObjectScope(district_id=facility.district_id, facility_id=facility.id),
        )
        devices = uow.ledger.locate(wanted, lock=False)
        for serial in wanted:
            _check_installed_here(serial, devices.get(serial), facility.id)
        ids = [devices[s].device_id for s in wanted]
        if done := uow.service.certified(ids):
            taken = next(s for s in wanted if devices[s].device_id in done)
            raise Conflict("Device {serial} is already on an acceptance certificate.", serial=taken)
        orders = {devices[s].purchase_order_id for s in wanted}
        if len(orders) != 1:
            raise InvalidInput("One certificate covers devices of one purchase order.")
        certificate = _certificate(
            uow, facility, orders.pop(), devices[wanted[0]].supplier_id, len(ids), terms, now
        )
        for device_id in ids:
            uow.service.add(
                CertifiedDevice(
                    certificate_id=certificate.id, device_id=device_id, warranty_start=now.date()
                )
            )
        uow.record(
            "certificate.issue",
            "acceptance_certificate",
            certificate.number,
            None,
            {
                "facility": facility.code,
                "devices": wanted[:50],
                "warranty_months": certificate.warranty_months,
                "value_paise": certificate.value_paise,
                "payment_milestone": certificate.payment_milestone,
            },
        )
        uow.commit()
        return certificate


def _check_installed_here(serial: str, device, facility_id: int) -> None:  # noqa: ANN001
    if device is None:
        raise NotFound("No device with serial {serial}.", serial=serial)
    place = device.position.place
    here = place.kind is PlaceKind.FACILITY and place.id == facility_id
    if not here or device.position.state is not DeviceState.INSTALLED:
        raise Conflict(
            "Device {serial} is {state}, not installed at this facility.",
            serial=serial,
            state=device.position.state.value,
        )


def _certificate(uow, facility, po_id, supplier_id, count, terms, now) -> AcceptanceCertificate:  # noqa: ANN001
    price, warranty = uow.service.contract_terms(po_id)
    row = AcceptanceCertificate(
        number=f"TMP-{uuid.uuid4().hex[:16]}",
        facility_id=facility.id,
        district_id=facility.district_id,
        supplier_id=supplier_id,
        purchase_order_id=po_id,
        issued_on=now.date(),
        issued_by=uow.principal.username,
        created_at=now,
        warranty_months=warranty or terms.warranty_months,
        cmc_months=terms.cmc_months,
        value_paise=price * count,
        payment_milestone="due",
    )
    uow.service.add(row)
    uow.service.flush()
    row.number = maintenance.certificate_number(now.year, row.id)
    return row


@dataclass(frozen=True)
class CertificateView:
    certificate: AcceptanceCertificate
    facility: object
    district: object
    supplier: object
    purchase_order: object
    devices: list[tuple[str, str, str]]
    warranty_end: object
    cmc_end: object


def get_certificate(uow: UnitOfWork, number: str) -> CertificateView:
    require(uow.principal, "acceptance.read")
    with uow:
        row = uow.service.certificate(number.strip())
        if row is None:
            raise NotFound("No certificate {number}.", number=number[:40])
        require(uow.principal, "acceptance.read", certificate_scope(row))
        start = row.issued_on
        end = maintenance.add_months(start, row.warranty_months)
        return CertificateView(
            row,
            uow.masterdata.facility_by_id(row.facility_id),
            uow.masterdata.district_by_id(row.district_id),
            uow.masterdata.supplier_by_id(row.supplier_id),
            uow.contracts.purchase_order(row.purchase_order_id) if row.purchase_order_id else None,
            uow.service.certified_serials(row.id),
            end,
            maintenance.add_months(start, row.warranty_months + row.cmc_months),
        )


def certificate_pdf(view: CertificateView, issuer: str) -> bytes:
    """The certificate in Hindi and English, one document."""
    return render_pdf(
        "pdf/acceptance_certificate.html",
        {"view": view, "document_ref": view.certificate.number, "issuer": issuer},
        lang="hi+en",
    )


def list_certificates(uow: UnitOfWork) -> list[AcceptanceCertificate]:
    scope = require(uow.principal, "acceptance.read")
    p = uow.principal
    narrow = {
        Scope.OWN_DISTRICT: {"district_id": p.district_id or -1},
        Scope.OWN_FACILITY: {"facility_id": p.facility_id or -1},
        Scope.OWN_SUPPLIER: {"supplier_id": p.supplier_id or -1},
    }.get(scope, {})
    with uow:
        return list(uow.service.certificates(**narrow))


def own_facility_code(uow: UnitOfWork) -> str:
    """The code of the person's own facility ('' for everyone else)."""
    if uow.principal.facility_id is None:
        return ""
    with uow:
        return uow.masterdata.facility_by_id(uow.principal.facility_id).code
