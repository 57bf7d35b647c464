"""Inspection documents: the inspection certificate and the QR label sheet, as PDF.

Both are bilingual (Hindi first, English beneath) and rendered by ``core.pdf``. A
label's QR code holds the device's serial and nothing else, so that any scanner (the
distribution area's scanning page included) reads the serial as typed.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

from oxychain.core import clock
from oxychain.core.errors import Conflict
from oxychain.core.pdf import BILINGUAL, render_pdf
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import reading as readings
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.services import views

ISSUER = "oxychain · inspection and testing"


@dataclass(frozen=True)
class ParameterSummary:
    label: str
    label_hi: str
    limit: str
    readings: int
    passed: int


@dataclass(frozen=True)
class FailedUnit:
    position: int
    serial: str
    points: tuple[str, ...]


def _summary(view: views.LotView, rows: dict[int, list]) -> list[ParameterSummary]:
    """Per acceptance-test point: how many readings, how many within the limit."""
    out = []
    for point in readings.acceptance_test(view.item):
        taken = [r for readings_of in rows.values() for r in readings_of if r.point == point.key]
        label = point.limit.label + (f" @ {point.set_flow_lpm} LPM" if point.set_flow_lpm else "")
        label_hi = point.limit.label_hi + (
            f" @ {point.set_flow_lpm} LPM" if point.set_flow_lpm else ""
        )
        out.append(
            ParameterSummary(
                label,
                label_hi,
                readings.describe(point),
                len(taken),
                sum(1 for r in taken if r.passed),
            )
        )
    return out


def certificate_pdf(uow: UnitOfWork, lot_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of a decided lot's inspection certificate."""
    view = views.lot_view(uow, lot_id)
    if not view.decided:
        raise Conflict("The certificate exists once the lot is decided.")
    rows = {}
    failed = []
    with uow:
        for s in view.samples:
            if s.test is None:
                continue
            rows[s.sample.position] = list(uow.inspection.readings(s.test.id))
            if not s.test.passed:
                points = tuple(r.point for r in rows[s.sample.position] if not r.passed)
                failed.append(FailedUnit(s.sample.position, s.device.serial, points))
    context = {
        "view": view,
        "summary": _summary(view, rows),
        "failed": failed,
        "document_ref": f"{view.lot.number} v{view.lot.version}",
        "issuer": ISSUER,
        "printed_at": clock.now(),
    }
    pdf = render_pdf("pdf/inspection_certificate.html", context, lang=BILINGUAL)
    return f"inspection-certificate-{view.lot.id}.pdf", pdf


@dataclass(frozen=True)
class Label:
    serial: str
    qr: str  # an SVG data: URI
    model: str


def labels_pdf(uow: UnitOfWork, lot_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of QR labels for the accepted devices of a lot."""
    lot, devices = views.lot_devices(uow, lot_id)
    accepted = [d for d in devices if d.qa_status == QaStatus.ACCEPTED]
    if not accepted:
        raise Conflict("The lot has no accepted devices to label.")
    labels = [
        Label(d.serial, segno.make(d.serial, error="m").svg_data_uri(scale=3, border=2), d.model)
        for d in accepted
    ]
    context = {
        "lot": lot,
        "labels": labels,
        "document_ref": f"{lot.number} v{lot.version}",
        "issuer": ISSUER,
    }
    pdf = render_pdf("pdf/qr_labels.html", context, lang=BILINGUAL)
    return f"qr-labels-{lot.id}.pdf", pdf
