"""The daily forecast and gap refresh: the worker computes each district's peak need
against what is installed and on its way at 06:00 in India, keeps the day's figures and
tells the planners once, in their language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from oxychain.core.people import SYSTEM
from oxychain.planning.tables import GapRefresh
from tests.channels import is_hindi, notices, reachable, tick
from tests.planning.support import import_national, planner, stocked_world

SIX_IST = datetime(2026, 6, 2, 0, 30, tzinfo=UTC)


def test_the_daily_refresh_keeps_the_days_gap_and_tells_the_planners_once(
    told_app,  # noqa: ANN001
    outside,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    tick(told_app, monkeypatch, SIX_IST - timedelta(days=1))  # no case counts yet: nothing
    world = stocked_world(told_app, count=6)
    who = planner(told_app)
    import_national(told_app, who)
    email, mobile = reachable(told_app, who.user_id, "hi")
    tick(told_app, monkeypatch, SIX_IST - timedelta(minutes=1))  # yesterday's run is done
    assert notices(told_app, "planning.gap_refresh") == []
    tick(told_app, monkeypatch, SIX_IST)
    with told_app.uow(SYSTEM) as uow:
        [row] = uow.session.scalars(select(GapRefresh)).all()
    assert row.day == date(2026, 6, 2)
    [district] = [d for d in row.districts if d["code"] == world.district_code]
    assert district["pipeline"] == 6 and district["installed"] == 0  # the stocked warehouse
    assert district["peak_gap"] == max(0, district["peak_requirement"] - 6)
    assert row.devices_short == sum(d["peak_gap"] for d in row.districts if d["peak_gap"] > 0)
    [(user, lang, subject)] = notices(told_app, "planning.gap_refresh")
    assert (user, lang) == (who.user_id, "hi") and is_hindi(subject)
    [mail] = outside.mails_to(email)
    assert str(row.districts_short) in mail["Subject"] and "/planning/gap" in mail.get_content()
    assert len(outside.texts_to(mobile)) == 1
    tick(told_app, monkeypatch, SIX_IST + timedelta(hours=2))
    assert len(outside.mails_to(email)) == 1
