"""A lot's devices and documents over the API: its serials, the inspection certificate and
the QR labels (the pages' PDFs, the same files)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from oxychain.core.web.deps import reader
from oxychain.core.web.openapi import file_download
from oxychain.core.web.params import Day, Id
from oxychain.inspection.guards import lot_guarded
from oxychain.inspection.services import documents, views

router = APIRouter(tags=["inspection"])
PDF = "application/pdf"


class LotDeviceOut(BaseModel):
    serial: str
    make: str
    model: str
    manufactured_on: Day
    qa_status: str = Field(description="offered, sampled, accepted, rejected, ...")


class LotSerialsOut(BaseModel):
    lot: str = Field(description="The lot's number.")
    lot_id: int
    devices: list[LotDeviceOut]


@router.get("/lots/{lot_id}/serials", response_model=LotSerialsOut)
def lot_serials(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> LotSerialsOut:
    """Every device the lot registered, with its QA status."""
    lot, devices = views.lot_devices(reader(request, principal), lot_id)
    return LotSerialsOut(
        lot=lot.number,
        lot_id=lot.id,
        devices=[
            LotDeviceOut(
                serial=d.serial,
                make=d.make,
                model=d.model,
                manufactured_on=d.manufactured_on,
                qa_status=d.qa_status,
            )
            for d in devices
        ],
    )


def _pdf(name: str, data: bytes) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=PDF, headers=headers)


@router.get(
    "/lots/{lot_id}/certificate.pdf",
    **file_download(PDF, "The inspection certificate of a decided lot (PDF)."),
)
def lot_certificate_pdf(
    request: Request, lot_id: Id, principal: lot_guarded("lot.read")
) -> Response:
    return _pdf(*documents.certificate_pdf(reader(request, principal), lot_id))


@router.get(
    "/lots/{lot_id}/labels.pdf",
    **file_download(PDF, "QR labels of the lot's accepted devices (PDF)."),
)
def lot_labels_pdf(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> Response:
    return _pdf(*documents.labels_pdf(reader(request, principal), lot_id))
