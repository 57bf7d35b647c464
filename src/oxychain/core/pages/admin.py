"""Pages for admins and auditors: users and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.access import can
from oxychain.core.errors import DomainError
from oxychain.core.i18n import N_
from oxychain.core.people import ROLE_ORGANISATION, Role
from oxychain.core.services import auditing, users
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.templating import render, translate

router = APIRouter()


def _users_page(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    if can(principal, "user.write"):
        extra.setdefault("organisations", users.organisation_choices(reader(request, principal)))
    return render(
        request,
        "users.html",
        status_code=status,
        users=users.list_users(reader(request, principal)),
        roles=list(Role),
        role_org=ROLE_ORGANISATION,
        **extra,
    )


@router.get("/admin/users")
def users_page(request: Request, principal: guarded("user.read")) -> Response:
    return _users_page(request, principal)


@router.post("/admin/users")
def create_user(
    request: Request,
    principal: guarded("user.write"),
    username: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=32)] = "",
    language: Annotated[str, Form(max_length=2)] = "hi",
    organisation_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    form = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "language": language,
        "organisation_id": organisation_id,
    }
    try:
        org = int(organisation_id) if organisation_id.strip() else None
        users.create_user(
            writer(request, principal),
            users.CreateUser(
                username=username.strip(),
                display_name=display_name,
                password=password,
                role=role,
                language=language,
                organisation_id=org,
            ),
        )
    except ValueError:
        return _users_page(
            request,
            principal,
            422,
            form=form,
            error=translate(request, N_("Choose the organisation from the list.")),
        )
    except DomainError as exc:
        return _users_page(
            request,
            principal,
            422 if exc.code != "conflict" else 409,
            form=form,
            error=translate(request, exc.template, exc.params),
        )
    return RedirectResponse("/admin/users?created=" + username.strip(), status_code=303)


@router.get("/audit")
def audit_page(
    request: Request,
    principal: guarded("audit.read"),
    before: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    events, total = auditing.recent_events(reader(request, principal), before, 50)
    return render(request, "audit.html", events=events, total=total)


@router.get("/audit/verify")
def audit_verify(request: Request, principal: guarded("audit.read")) -> Response:
    broken, count = auditing.verify_chain(reader(request, principal))
    events, total = auditing.recent_events(reader(request, principal), None, 50)
    return render(
        request,
        "audit.html",
        events=events,
        total=total,
        verified=True,
        broken=broken,
        checked=count,
    )
