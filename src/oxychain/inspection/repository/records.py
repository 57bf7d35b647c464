"""Samples, test records with their readings, and verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oxychain.inspection.domain.lot import LotStatus, Tally
from oxychain.inspection.domain.reading import UnitTest as JudgedUnit
from oxychain.inspection.tables import Device, Lot, LotSample, Reading, UnitTest, Verdict
from oxychain.masterdata.domain.sampling import Severity


@dataclass(frozen=True)
class SampleRow:
    sample: LotSample
    device: Device
    test: UnitTest | None  # the newest version, None while untested


class Records:
    session: Session

    # --- samples and test records --------------------------------------------------------

    def add_samples(self, lot_id: int, device_ids: Sequence[int]) -> None:
        """The sample, in the order drawn (positions from 1)."""
        for position, device_id in enumerate(device_ids, start=1):
            self.session.add(LotSample(lot_id=lot_id, device_id=device_id, position=position))

    def add_replacement(self, lot_id: int, device_id: int, replaces: LotSample) -> int:
        """A replacement unit, after the lot's last sampled position; its position."""
        last = self.session.scalar(
            select(func.max(LotSample.position)).where(LotSample.lot_id == lot_id)
        )
        position = (last or 0) + 1
        self.session.add(
            LotSample(
                lot_id=lot_id, device_id=device_id, position=position, replacement_of_id=replaces.id
            )
        )
        return position

    def add_unit_test(
        self,
        row: SampleRow,
        version: int,
        judged: JudgedUnit,
        *,
        note: str | None,
        copied_from_id: int | None,
        by: int | None,
        at: datetime,
    ) -> UnitTest:
        """A test record of a sampled unit with each of its readings, as judged."""
        stored = UnitTest(
            sample_id=row.sample.id,
            lot_id=row.sample.lot_id,
            version=version,
            previous_id=row.test.id if row.test else None,
            warm_up_min=judged.warm_up_min,
            passed=judged.passed,
            recorded_by_id=by,
            recorded_at=at,
            copied_from_id=copied_from_id,
            note=note,
        )
        self.session.add(stored)
        self.session.flush()
        for r in judged.readings:
            self.session.add(
                Reading(
                    unit_test_id=stored.id,
                    point=r.point,
                    parameter=r.parameter,
                    set_flow_lpm=r.set_flow_lpm,
                    value=r.value,
                    observed=r.observed,
                    passed=r.passed,
                )
            )
        self.session.flush()
        return stored

    def samples(self, lot_id: int) -> list[SampleRow]:
        rows = self.session.execute(
            select(LotSample, Device)
            .join(Device, Device.id == LotSample.device_id)
            .where(LotSample.lot_id == lot_id)
            .order_by(LotSample.position)
        ).all()
        latest = self.latest_tests(lot_id)
        return [SampleRow(s, d, latest.get(s.id)) for s, d in rows]

    def sample_at(self, lot_id: int, position: int) -> SampleRow | None:
        row = self.session.execute(
            select(LotSample, Device)
            .join(Device, Device.id == LotSample.device_id)
            .where(LotSample.lot_id == lot_id, LotSample.position == position)
        ).first()
        if row is None:
            return None
        return SampleRow(row[0], row[1], self.latest_test(row[0].id))

    def latest_test(self, sample_id: int) -> UnitTest | None:
        query = select(UnitTest).where(UnitTest.sample_id == sample_id)
        return self.session.scalar(query.order_by(UnitTest.version.desc()).limit(1))

    def latest_tests(self, lot_id: int) -> dict[int, UnitTest]:
        newest = (
            select(UnitTest.sample_id, func.max(UnitTest.version).label("version"))
            .where(UnitTest.lot_id == lot_id)
            .group_by(UnitTest.sample_id)
            .subquery()
        )
        rows = self.session.scalars(
            select(UnitTest).join(
                newest,
                (UnitTest.sample_id == newest.c.sample_id) & (UnitTest.version == newest.c.version),
            )
        )
        return {t.sample_id: t for t in rows}

    def last_test_of_lot(self, lot_id: int) -> UnitTest | None:
        query = select(UnitTest).where(UnitTest.lot_id == lot_id)
        return self.session.scalar(query.order_by(UnitTest.id.desc()).limit(1))

    def readings(self, unit_test_id: int) -> Sequence[Reading]:
        return self.session.scalars(
            select(Reading).where(Reading.unit_test_id == unit_test_id).order_by(Reading.id)
        ).all()

    def test_versions(self, sample_id: int) -> Sequence[UnitTest]:
        return self.session.scalars(
            select(UnitTest).where(UnitTest.sample_id == sample_id).order_by(UnitTest.version)
        ).all()

    # --- verdicts and switching ----------------------------------------------------------

    def verdict(self, lot_id: int) -> Verdict | None:
        return self.session.scalar(select(Verdict).where(Verdict.lot_id == lot_id))

    def add_verdict(self, lot: Lot, counts: Tally, *, by: int | None, at: datetime) -> None:
        """The lot's binding verdict, on the plan it was sampled with."""
        self.session.add(
            Verdict(
                lot_id=lot.id,
                accepted=lot.status == LotStatus.ACCEPTED,
                severity=lot.severity or Severity.NORMAL.value,
                sample_size=counts.sample_size,
                accept_number=lot.accept_number or 0,
                reject_number=lot.reject_number or 1,
                tested=counts.tested,
                failures=counts.failures,
                decided_at=at,
                decided_by_id=by,
            )
        )
