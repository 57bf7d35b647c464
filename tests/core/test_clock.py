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
