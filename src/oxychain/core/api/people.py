"""Tokens, the caller's own record, users (admin)."""

from __future__ import annotations

from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from oxychain.core.people import Principal
from oxychain.core.services import auth, users
from oxychain.core.web.deps import app_of, client_address, guarded, reader, writer
from oxychain.core.web.guards import PUBLIC
from oxychain.core.web.params import Id
from oxychain.core.web.timestamps import Timestamp

router = APIRouter(tags=["people"])


class TokenIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field("api", max_length=80)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_at: Timestamp


@router.post("/auth/token", response_model=TokenOut, status_code=201)
async def create_token(
    request: Request, body: TokenIn, _anyone: Annotated[Principal | None, Depends(PUBLIC)]
) -> TokenOut:
    app, client = app_of(request), client_address(request)
    # A flooded username is held here, without a worker thread, then checked as any other.
    if pause := await run_in_threadpool(
        auth.slowdown, app.uow(), app.settings, body.username, client
    ):
        await anyio.sleep(pause)
    token, expires = await run_in_threadpool(
        auth.issue_token,
        app.uow(write=True),
        app.settings,
        body.username,
        body.password,
        client,
        body.name,
    )
    return TokenOut(access_token=token, expires_at=expires)


class OrganisationOut(BaseModel):
    id: int = Field(description="The id other routes take (e.g. a lot's agency_id).")
    code: str = Field(description="The code pages and imports show (WH-157, LKO, ...).")
    name: str


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    language: str
    district: OrganisationOut | None = Field(
        description="The district the caller works in (warehouse and facility staff too)."
    )
    warehouse: OrganisationOut | None = Field(description="A warehouse keeper's warehouse.")
    facility: OrganisationOut | None = Field(description="A facility in-charge's facility.")
    supplier: OrganisationOut | None = Field(description="A supplier's own company.")
    agency: OrganisationOut | None = Field(description="An inspector's inspection agency.")


@router.get("/me", response_model=MeOut)
def me(request: Request, principal: guarded("home.view")) -> MeOut:
    """The caller, and the organisations their access is scoped to (ids and codes)."""
    own = users.own_record(reader(request, principal))
    places = {
        name: OrganisationOut(id=org.id, code=org.code, name=org.name) if org else None
        for name, org in own.organisations.items()
    }
    return MeOut(
        username=own.username,
        display_name=own.display_name,
        role=own.role,
        language=own.language,
        **places,
    )


class LanguageIn(BaseModel):
    language: Literal["hi", "en"]


@router.put("/me/language", status_code=204)
def set_language(
    request: Request, body: LanguageIn, principal: guarded("profile.language")
) -> None:
    auth.set_language(writer(request, principal), body.language)


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str
    language: str
    active: bool
    district_id: int | None
    warehouse_id: int | None
    facility_id: int | None
    supplier_id: int | None
    agency_id: int | None


class UserIn(BaseModel):
    username: str = Field(min_length=3, max_length=64)
    display_name: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=10, max_length=200)
    role: str = Field(max_length=32)
    language: Literal["hi", "en"] = "hi"
    organisation_id: Id | None = None


@router.get("/users", response_model=list[UserOut])
def list_users(request: Request, principal: guarded("user.read")) -> list[UserOut]:
    return [UserOut(**u) for u in users.list_users(reader(request, principal))]


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(request: Request, body: UserIn, principal: guarded("user.write")) -> UserOut:
    user = users.create_user(writer(request, principal), users.CreateUser(**body.model_dump()))
    return UserOut(**users.public_view(user))
