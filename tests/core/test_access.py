"""The declarative policy: scopes compare the principal's organisation with the object's."""

from __future__ import annotations

import pytest

from oxychain.core.access import POLICY, Scope, can, require
from oxychain.core.errors import Forbidden
from oxychain.core.people import ObjectScope, Principal, Role


def principal(role: Role, **org: int) -> Principal:
    return Principal(user_id=7, username="u", role=role, **org)


def test_the_auditor_is_granted_no_permission_that_writes() -> None:
    writes = [p.name for p in POLICY.values() if p.writes and Role.AUDITOR in p.grants]
    assert writes == []


def test_the_auditor_reads_everything_that_anyone_reads() -> None:
    for p in POLICY.values():
        if not p.writes and p.grants and all(s is not Scope.SELF for s in p.grants.values()):
            assert p.grants.get(Role.AUDITOR) is Scope.ALL, p.name


def test_facility_incharge_sees_only_their_own_facility() -> None:
    me = principal(Role.FACILITY_INCHARGE, facility_id=3, district_id=1)
    assert can(me, "facility.read", ObjectScope(district_id=1, facility_id=3))
    assert not can(me, "facility.read", ObjectScope(district_id=1, facility_id=4))


def test_district_officer_sees_their_district_only() -> None:
    cmo = principal(Role.DISTRICT_OFFICER, district_id=5)
    assert can(cmo, "facility.read", ObjectScope(district_id=5, facility_id=99))
    assert not can(cmo, "facility.read", ObjectScope(district_id=6, facility_id=99))


def test_a_missing_organisation_never_matches() -> None:
    orphan = principal(Role.DISTRICT_OFFICER)
    assert not can(orphan, "facility.read", ObjectScope(district_id=None, facility_id=1))


def test_require_raises_forbidden_with_a_reason() -> None:
    with pytest.raises(Forbidden):
        require(principal(Role.SUPPLIER, supplier_id=1), "user.write")
    assert require(principal(Role.ADMIN), "user.write") is Scope.ALL
