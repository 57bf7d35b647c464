"""The facility import use case on a fake unit of work: all rows or none, and audited."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oxychain.core.errors import FileRejected, Forbidden, InvalidInput
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.masterdata import services
from oxychain.masterdata.domain.geography import load_up_districts
from tests.fakes import FakeUnitOfWork

GOOD = b"code,name,kind,district,beds\nR-1,CHC One,CHC,Lucknow,30\nR-2,PHC Two,PHC,Agra,6\n"


class FakeMasterData:
    """The districts of Uttar Pradesh and the facilities stored so far."""

    def __init__(self, stored: set[str] = frozenset()) -> None:
        self.district_rows = [
            SimpleNamespace(id=n, code=d.code) for n, d in enumerate(load_up_districts(), 1)
        ]
        self.stored = set(stored)
        self.added: list = []

    def districts(self) -> list:
        return self.district_rows

    def existing_facility_codes(self, codes: list[str]) -> set[str]:
        return self.stored & set(codes)

    def add(self, row: object) -> None:
        self.added.append(row)


def test_a_good_file_adds_every_row_and_records_one_event() -> None:
    uow = FakeUnitOfWork(SYSTEM, masterdata=FakeMasterData())
    assert services.import_facilities(uow, GOOD, "list.csv") == 2
    assert [f.code for f in uow.masterdata.added] == ["R-1", "R-2"]
    assert uow.commits == 1 and uow.actions == ["facility.import"]
    assert uow.events[0]["after"] == {"count": 2, "codes": ["R-1", "R-2"]}


def test_one_bad_row_imports_nothing() -> None:
    uow = FakeUnitOfWork(SYSTEM, masterdata=FakeMasterData())
    with pytest.raises(FileRejected) as refused:
        services.import_facilities(uow, GOOD + b"R-3,Bad,clinic,Agra,6\n", "list.csv")
    assert refused.value.rows == [(4, "kind", "Unknown kind 'clinic'; use DH, CHC or PHC")]
    assert uow.masterdata.added == [] and uow.commits == 0 and uow.events == []


def test_a_code_already_stored_refuses_the_whole_file() -> None:
    uow = FakeUnitOfWork(SYSTEM, masterdata=FakeMasterData(stored={"R-2"}))
    with pytest.raises(InvalidInput, match="R-2"):
        services.import_facilities(uow, GOOD, "list.csv")
    assert uow.commits == 0 and uow.events == []


def test_a_file_with_a_header_only_imports_nothing() -> None:
    uow = FakeUnitOfWork(SYSTEM, masterdata=FakeMasterData())
    with pytest.raises(FileRejected) as refused:
        services.import_facilities(uow, b"code,name,kind,district,beds\n", "list.csv")
    assert [row[2] for row in refused.value.rows] == ["The file has a header row but no facilities"]
    assert uow.commits == 0


def test_only_an_admin_imports() -> None:
    officer = Principal(user_id=7, username="cmo", role=Role.DISTRICT_OFFICER, district_id=1)
    uow = FakeUnitOfWork(officer, masterdata=FakeMasterData())
    with pytest.raises(Forbidden):
        services.import_facilities(uow, GOOD, "list.csv")
    assert uow.masterdata.added == []
