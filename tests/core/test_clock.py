"""The one clock: set for a block (a story told in its own time), read by every service,
and the day it reads given by the health answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from oxychain.core import clock
from tests.webclient import make_app


def test_the_clock_reads_the_moment_it_is_set_to_and_only_inside_the_block() -> None:
    moment = datetime(2022, 1, 10, 20, 0, tzinfo=UTC)  # 01:30 on the 11th in India
    with clock.at(moment):
        assert clock.now() == moment
        assert clock.today() == date(2022, 1, 11)
    assert clock.now().year >= 2026
    with pytest.raises(ValueError):
        clock.at(datetime(2022, 1, 10)).__enter__()  # a moment without its zone


def test_health_gives_today_by_the_servers_clock(settings) -> None:  # noqa: ANN001
    app, oxy = make_app(settings.database_url)
    try:
        answer = TestClient(app).get("/api/v1/health").json()
        assert answer["status"] == "ok"
        assert date.fromisoformat(answer["today"]) == clock.today()
    finally:
        oxy.close()


def test_a_clock_run_from_a_set_day_reads_it_and_moves_on() -> None:
    previous = clock.run_from(date(2022, 1, 20))
    try:
        first = clock.now()
        assert clock.today() == date(2022, 1, 20) and clock.set_day() == date(2022, 1, 20)
        assert clock.now() >= first  # time keeps moving from the set day
        moment = datetime(2022, 1, 5, 6, 0, tzinfo=UTC)
        with clock.at(moment):  # a block set to its moment still reads it
            assert clock.now() == moment
    finally:
        clock.restore(previous)
    assert clock.set_day() is None and clock.now().year >= 2026


def test_the_today_setting_runs_the_served_clock_and_the_pages_say_so(settings) -> None:  # noqa: ANN001
    from oxychain.app import Settings, bootstrap, create_app

    previous = clock.run_from(None)
    try:
        app, oxy = make_app(settings.database_url)  # the real clock: no banner
        try:
            assert 'id="demo-day"' not in TestClient(app).get("/login").text
        finally:
            oxy.close()
        moved = settings.model_copy(update={"today": date(2022, 1, 20)})
        oxy = bootstrap(moved)  # as `oxychain serve` does with OXYCHAIN_TODAY
        app = create_app(oxy)
        try:
            site = TestClient(app)
            assert site.get("/api/v1/health").json()["today"] == "2022-01-20"
            english = site.get("/login", headers={"Accept-Language": "en"}).text
            assert 'id="demo-day"' in english and "20-01-2022" in english
        finally:
            oxy.close()
    finally:
        clock.restore(previous)
    with pytest.raises(ValueError, match="OXYCHAIN_TODAY"):
        Settings(environment="production", today=date(2022, 1, 20))
