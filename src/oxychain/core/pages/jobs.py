"""The admin's page of the worker: jobs waiting and failed, recent runs with their errors,
the outbox; a failed job queued again, a failed email or SMS sent again."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.notices import text
from oxychain.core.services import operations
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.templating import language_of, render

router = APIRouter()


@router.get("/admin/jobs")
def jobs_page(request: Request, principal: guarded("jobs.read")) -> Response:
    board = operations.board(reader(request, principal), runs=100)
    lang = language_of(request)
    for row in board.outbox:
        row["subject"] = text.fill(row["subject"], row["params"], lang)
    for rows, field in ((board.waiting, "run_at"), (board.runs, "started_at")):
        for row in rows:
            row[field] = text.moment(datetime.fromisoformat(row[field]))
    for row in board.outbox:
        row["next_attempt_at"] = text.moment(datetime.fromisoformat(row["next_attempt_at"]))
    return render(request, "jobs.html", board=board)


@router.post("/admin/jobs/requeue")
def requeue(
    request: Request, principal: guarded("jobs.write"), job: Annotated[int, Form(ge=1)]
) -> Response:
    operations.requeue_job(writer(request, principal), job)
    return RedirectResponse("/admin/jobs", status_code=303)


@router.post("/admin/deliveries/resend")
def resend(
    request: Request, principal: guarded("jobs.write"), delivery: Annotated[int, Form(ge=1)]
) -> Response:
    operations.resend_delivery(writer(request, principal), delivery)
    return RedirectResponse("/admin/jobs", status_code=303)
