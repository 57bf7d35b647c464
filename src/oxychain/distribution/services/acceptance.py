"""Consignee receipt and acceptance certificates (CRAC): a facility accepts installed
devices, which starts their warranty and makes the supplier's payment due (rules in
domain/certificate.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.core.pdf import render_pdf
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import certificate as certificates
from oxychain.distribution.domain import challan as challans
from oxychain.distribution.domain import maintenance
from oxychain.distribution.domain.maintenance import ServiceTerms
from oxychain.distribution.services.places import Places, find, narrowing
from oxychain.distribution.tables import AcceptanceCertificate


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
        found = find(uow, "facility", facility_code)
        require(uow.principal, "acceptance.write", found.scope)
        facility = Places.facility(found.row)
        located = uow.ledger.locate(wanted, lock=False)
        accepted = [certificates.check_installed_here(s, located.get(s), facility) for s in wanted]
        ids = [d.device_id for d in accepted]
        certificates.check_not_certified(accepted, uow.service.certified(ids))
        contract = uow.service.contract_terms(certificates.one_purchase_order(accepted))
        new = certificates.certify(facility, accepted, contract, terms, uow.principal.username, now)
        certificate = uow.service.add_certificate(new)
        after = _view(certificate, found.row.code, wanted)
        uow.record("certificate.issue", "acceptance_certificate", certificate.number, None, after)
        uow.commit()
        return certificate


def _view(certificate: AcceptanceCertificate, facility_code: str, serials: list[str]) -> dict:
    return {
        "facility": facility_code,
        "devices": serials[:50],
        "warranty_months": certificate.warranty_months,
        "value_paise": certificate.value_paise,
        "payment_milestone": certificate.payment_milestone,
    }


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
    require(uow.principal, "acceptance.read")
    with uow:
        return list(uow.service.certificates(**narrowing(uow.principal, "acceptance.read")))


def own_facility_code(uow: UnitOfWork) -> str:
    """The code of the person's own facility ('' for everyone else)."""
    if uow.principal.facility_id is None:
        return ""
    with uow:
        return uow.masterdata.facility_by_id(uow.principal.facility_id).code
