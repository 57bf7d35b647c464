"""Users: an admin creates them with a role and, where the role needs one, an organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.passwords import hash_password
from oxychain.core.people import ROLE_ORGANISATION, Role
from oxychain.core.tables import User
from oxychain.core.uow import UnitOfWork

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class CreateUser:
    username: str
    display_name: str
    password: str
    role: str
    language: str = "hi"
    organisation_id: int | None = None  # district, warehouse, facility, supplier or agency id


def _check(cmd: CreateUser) -> Role:
    if not USERNAME.match(cmd.username):
        raise InvalidInput(
            "Username must be 3-64 characters: lower-case letters, digits, . _ -", field="username"
        )
    if not cmd.display_name.strip():
        raise InvalidInput("Name is required.", field="display_name")
    if len(cmd.password) < MIN_PASSWORD:
        raise InvalidInput(
            "Password must have at least {n} characters.", n=MIN_PASSWORD, field="password"
        )
    try:
        role = Role(cmd.role)
    except ValueError:
        raise InvalidInput("Unknown role {role}.", role=cmd.role, field="role") from None
    if cmd.language not in ("hi", "en"):
        raise InvalidInput("Unknown language {language}; choose hi or en.", language=cmd.language)
    if ROLE_ORGANISATION[role] and cmd.organisation_id is None:
        raise InvalidInput("This role needs an organisation.", field="organisation_id")
    return role


def create_user(uow: UnitOfWork, cmd: CreateUser) -> User:
    require(uow.principal, "user.write")
    role = _check(cmd)
    with uow:
        if uow.people.user_by_username(cmd.username):
            raise Conflict("Username {username} is taken.", username=cmd.username)
        org_field = ROLE_ORGANISATION[role]
        user = User(
            username=cmd.username,
            display_name=cmd.display_name.strip(),
            password_hash=hash_password(cmd.password),
            role=role.value,
            language=cmd.language,
            created_at=clock.now(),
        )
        if org_field:
            setattr(user, org_field, cmd.organisation_id)
            # Staff of a warehouse or facility belong to its district too (district scope).
            user.district_id = uow.masterdata.district_of(org_field, cmd.organisation_id)
        uow.people.add(user)
        uow.record("user.create", "user", user.username, None, public_view(user))
        uow.commit()
        return user


def public_view(user: User) -> dict[str, object]:
    """What may be shown or audited about a user: never the password hash."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "language": user.language,
        "active": user.active if user.active is not None else True,
        "district_id": user.district_id,
        "warehouse_id": user.warehouse_id,
        "facility_id": user.facility_id,
        "supplier_id": user.supplier_id,
        "agency_id": user.agency_id,
    }


def organisation_choices(uow: UnitOfWork) -> dict[str, list[tuple[int, str]]]:
    """For the admin's user form: each kind of organisation (``warehouse_id``, ...) with
    its members as (id, "name (code)"), so that an admin picks one by name."""
    require(uow.principal, "user.write")
    with uow:
        return {
            f"{name}_id": [
                (row.id, f"{_name(row, uow.principal.language)} ({row.code})")
                for row in uow.masterdata.organisations(f"{name}_id")
            ]
            for name in ORGANISATION_FIELDS
        }


def _name(row: object, lang: str) -> str:
    return (getattr(row, "name_hi", "") if lang == "hi" else "") or row.name


def list_users(uow: UnitOfWork) -> list[dict[str, object]]:
    require(uow.principal, "user.read")
    with uow:
        return [public_view(u) for u in uow.people.users()]


@dataclass(frozen=True)
class Organisation:
    """A district, warehouse, facility, supplier or agency, by id and by code."""

    id: int
    code: str
    name: str


#: The organisations a principal may belong to, in the order ``GET /me`` lists them.
ORGANISATION_FIELDS = ("district", "warehouse", "facility", "supplier", "agency")


@dataclass(frozen=True)
class OwnRecord:
    username: str
    display_name: str
    role: str
    language: str
    organisations: dict[str, Organisation | None]  # ORGANISATION_FIELDS -> where they work


def own_record(uow: UnitOfWork) -> OwnRecord:
    """The caller's own record with the organisations their access is scoped to, so that
    an API client needs no page to learn its warehouse's id and code."""
    me = uow.principal
    require(me, "home.view")
    with uow:
        user = uow.people.user(me.user_id)
        organisations: dict[str, Organisation | None] = {}
        for name in ORGANISATION_FIELDS:
            org_id = getattr(me, f"{name}_id")
            row = uow.masterdata.organisation(f"{name}_id", org_id) if org_id else None
            organisations[name] = Organisation(row.id, row.code, row.name) if row else None
        return OwnRecord(
            me.username,
            user.display_name if user else me.username,
            me.role.value,
            me.language,
            organisations,
        )
