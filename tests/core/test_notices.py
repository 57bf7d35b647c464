"""The outbox: a notice is written with the change behind it; its email waits while the
mail server is down (retried with backoff, the failure shown to the admin) and goes, once,
when it is back. A person reads their notices under the bell, in their language, and
chooses how and in which language they are told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oxychain.core import clock
from oxychain.core.errors import InvalidInput
from oxychain.core.notices import delivery
from oxychain.core.people import SYSTEM, Role
from oxychain.core.services import notices, operations
from oxychain.core.tables import NoticeDelivery, User
from oxychain.core.worker.loop import Worker
from tests.channels import is_hindi, reachable
from tests.distribution.support import person
from tests.webclient import login_as, make_app

T0 = datetime(2026, 6, 1, 4, 30, tzinfo=UTC)


def _notify(app, user_id: int, key: str = "k1") -> None:  # noqa: ANN001
    with app.uow(SYSTEM, write=True) as uow:
        user = uow.session.get(User, user_id)
        made = uow.notices.notify(
            [user],
            key=key,
            kind="test.notice",
            subject="Tender {reference} closed with {bids} bids",
            body="Tender {reference} ({title}) closed at its deadline, {deadline}, with {bids} "
            "bids.",
            params={"reference": "T-1", "title": "Test", "title_hi": "परीक्षण", "bids": 3}
            | {"deadline": "01-06-2026 10:00 IST"},
            link="/tenders/T-1",
            now=T0,
        )
        uow.commit()
    return made


def _delivery(app) -> NoticeDelivery:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        return uow.session.query(NoticeDelivery).filter_by(channel="email").one()


def test_nothing_is_lost_while_the_mail_server_is_down(told_app, outside, monkeypatch) -> None:  # noqa: ANN001
    who = person(told_app, Role.PROCUREMENT_OFFICER, None)
    email, _ = reachable(told_app, who.user_id, "hi")
    outside.smtp.stop()  # the mail server is down
    assert _notify(told_app, who.user_id) == 1
    assert _notify(told_app, who.user_id) == 0  # the same key: told once
    monkeypatch.setattr(clock, "now", lambda: T0)
    delivery.send_due(told_app)
    row = _delivery(told_app)
    assert (row.status, row.attempts, row.next_attempt_at) == (
        "pending",
        1,
        T0 + timedelta(seconds=30),
    )
    assert "SMTP 127.0.0.1" in row.last_error
    board = operations.board(told_app.uow(SYSTEM))
    [waiting] = [d for d in board.outbox if d["channel"] == "email"]
    assert waiting["attempts"] == 1 and "SMTP" in waiting["last_error"]
    delivery.send_due(told_app)  # before its backoff: not tried
    assert _delivery(told_app).attempts == 1
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(seconds=30))
    delivery.send_due(told_app)
    row = _delivery(told_app)
    assert (row.attempts, row.next_attempt_at) == (2, T0 + timedelta(seconds=90))  # doubled
    outside.smtp.start()  # back
    monkeypatch.setattr(clock, "now", lambda: T0 + timedelta(seconds=90))
    Worker(told_app, "w").tick()
    Worker(told_app, "w").tick()
    row = _delivery(told_app)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    [mail] = outside.mails_to(email)
    assert mail["Subject"] == "निविदा T-1 3 बोलियों के साथ बंद हुई"
    assert "परीक्षण" in mail.get_content() and "/tenders/T-1" in mail.get_content()


def test_a_delivery_that_keeps_failing_is_shown_failed_and_can_be_sent_again(
    told_app,  # noqa: ANN001
    outside,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    app = told_app
    app.settings = app.settings.model_copy(update={"delivery_max_attempts": 2})
    who = person(app, Role.PLANNER, None)
    email, _ = reachable(app, who.user_id, "en")
    outside.smtp.stop()
    _notify(app, who.user_id)
    for at in (T0, T0 + timedelta(seconds=30)):
        monkeypatch.setattr(clock, "now", lambda at=at: at)
        delivery.send_due(app)
    row = _delivery(app)
    assert (row.status, row.attempts) == ("failed", 2)
    admin = person(app, Role.ADMIN, None)
    operations.resend_delivery(app.uow(admin, write=True), row.id)
    outside.smtp.start()
    delivery.send_due(app)
    assert _delivery(app).status == "sent"
    [mail] = outside.mails_to(email)
    assert mail["Subject"] == "Tender T-1 closed with 3 bids"


def test_the_bell_the_notices_page_and_the_api(demo) -> None:  # noqa: ANN001
    url, logins = demo
    app, oxy = make_app(url)
    try:
        rc = login_as(app, oxy, "planner", *logins["planner"])
        other = login_as(app, oxy, "auditor", *logins["auditor"])
        _notify(oxy, rc.principal.user_id)
        _notify(oxy, rc.principal.user_id, "k2")
        bell = rc.client.get("/notices/bell")
        assert bell.status_code == 200 and '<span class="count">2</span>' in bell.text
        assert "Tender T-1 closed with 3 bids" in rc.client.get("/notices").text
        rc.post("/language", data={"language": "hi", "next": "/notices"})
        assert "निविदा T-1 3 बोलियों के साथ बंद हुई" in rc.client.get("/notices").text
        listed = rc.client.get("/api/v1/notices").json()
        assert listed["unread"] == 2 and len(listed["notices"]) == 2
        first = listed["notices"][0]["id"]
        assert other.post("/api/v1/notices/read", json={"id": first}).status_code == 404
        assert rc.post("/api/v1/notices/read", json={"id": first}).json() == {"marked": 1}
        assert '<span class="count">1</span>' in rc.client.get("/notices/bell").text
        assert rc.post("/notices/read", data={}).status_code == 303
        assert 'class="count"' not in rc.client.get("/notices/bell").text
        saved = rc.post(
            "/notices/settings",
            data={"email": "p@example.test", "mobile": "98765 43210", "language": "en"}
            | {"by_email": "1", "by_sms": "1"},
        )
        assert saved.status_code == 303
        prefs = notices.preferences(oxy.uow(rc.principal))
        assert (prefs.mobile, prefs.language, prefs.by_sms) == ("+919876543210", "en", True)
        refused = rc.post("/notices/settings", data={"mobile": "12345", "language": "hi"})
        assert refused.status_code == 422
    finally:
        oxy.close()


def test_preferences_are_checked() -> None:
    for bad in (
        notices.Preferences(email="not-an-address"),
        notices.Preferences(mobile="+91 5123 456789"),
        notices.Preferences(language="fr"),
    ):
        try:
            notices.check(bad)
        except InvalidInput:
            continue
        raise AssertionError(f"accepted {bad}")
    assert notices.check(notices.Preferences(mobile="098765 43210")).mobile == "+919876543210"
    assert is_hindi("सूचना") and not is_hindi("notice")
