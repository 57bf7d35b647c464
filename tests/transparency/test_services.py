"""The transparency use cases on a fake unit of work: who reads the red flags, which
thresholds apply, and the export's clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oxychain.app import Settings
from oxychain.core import clock
from oxychain.core.errors import Forbidden, InvalidInput
from oxychain.core.people import Principal, Role
from oxychain.transparency import services
from oxychain.transparency.domain.records import ContractingRecords
from oxychain.transparency.domain.redflags import RedFlagRules
from tests.fakes import FakeUnitOfWork
from tests.transparency.records_data import seeded_records

AUDITOR = Principal(user_id=1, username="auditor", role=Role.AUDITOR, language="en")
SUPPLIER = Principal(user_id=2, username="sup", role=Role.SUPPLIER, language="en", supplier_id=1)


class FakeTransparency:
    def __init__(self, records: ContractingRecords) -> None:
        self._records = records

    def records(self) -> ContractingRecords:
        return self._records


def uow_for(principal: Principal, records: ContractingRecords) -> FakeUnitOfWork:
    return FakeUnitOfWork(principal, transparency=FakeTransparency(records))


def test_the_report_applies_the_settings_thresholds() -> None:
    records = seeded_records("short_bid_period")
    flags = services.red_flag_report(uow_for(AUDITOR, records), Settings())
    assert [f.code for f in flags] == ["short_bid_period"]
    shorter = Settings(redflag_min_bid_period_days=10)
    assert services.red_flag_report(uow_for(AUDITOR, records), shorter) == []


def test_the_settings_defaults_are_the_rules_defaults() -> None:
    assert services.rules(Settings()) == RedFlagRules()


def test_a_supplier_does_not_read_the_red_flags() -> None:
    with pytest.raises(Forbidden):
        services.red_flag_report(uow_for(SUPPLIER, seeded_records("rotation")), Settings())


def test_the_package_is_dated_by_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2026, 11, 27, 6, 30, 15, 123456, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    package = services.ocds_package(uow_for(AUDITOR, ContractingRecords()), Settings())
    assert package["publishedDate"] == "2026-11-27T06:30:15Z"
    assert package["uri"].endswith("/release-package-20261127T063015Z.json")
    assert package["releases"] == []


def test_production_refuses_to_publish_placeholders() -> None:
    production = Settings(environment="production", phone_hash_pepper="p" * 16)
    with pytest.raises(InvalidInput, match="OXYCHAIN_OCDS_OCID_PREFIX"):
        services.ocds_package(uow_for(AUDITOR, ContractingRecords()), production)
    real = Settings(
        environment="production",
        phone_hash_pepper="p" * 16,
        ocds_ocid_prefix="ocds-t3st01-oxychain",
        ocds_base_uri="https://data.upmscl.test/ocds",
        ocds_documents_uri="https://oxychain.upmscl.test",
        ocds_publisher_uid="U85100UP2019SGC000001",
        ocds_license="https://data.gov.in/government-open-data-license-india",
        ocds_publication_policy="https://upmscl.test/open-contracting-policy",
    )
    package = services.ocds_package(uow_for(AUDITOR, ContractingRecords()), real)
    assert package["license"].startswith("https://data.gov.in/")
