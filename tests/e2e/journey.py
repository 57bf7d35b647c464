"""The browser journeys' person at the keyboard: logs in as a role (in Hindi) and lands on
the home page, follows its work queue by clicking, and reads each page for English; with the
demo's places and people the journeys choose from, and the files they upload."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from oxychain.core.i18n import gettext
from tests.core.test_hindi_pages import latin_words

IST = ZoneInfo("Asia/Kolkata")


def hi(msgid: str) -> str:
    """The Hindi the pages show for an English msgid (the area's catalogue)."""
    text = gettext("hi", msgid)
    assert text != msgid, f"untranslated: {msgid}"
    return text


def demo_places(server: dict) -> tuple[str, str, str, str]:
    """The demo keeper's warehouse code, the demo in-charge's facility code, the demo
    inspector's agency and user id (the consignee chosen on the tender form, the facility
    chosen on the scan page, the agency and inspector chosen when the lot is assigned)."""
    db = sqlite3.connect(f"file:{Path(server['workdir']) / 'oxychain.db'}?mode=ro", uri=True)
    try:
        (store,) = db.execute(
            "SELECT w.code FROM warehouses w JOIN users u ON u.warehouse_id = w.id "
            "WHERE u.username = 'demo.warehouse-keeper'"
        ).fetchone()
        (hall,) = db.execute(
            "SELECT f.code FROM facilities f JOIN users u ON u.facility_id = f.id "
            "WHERE u.username = 'demo.facility-incharge'"
        ).fetchone()
        agency, inspector = db.execute(
            "SELECT agency_id, id FROM users WHERE username = 'demo.inspector'"
        ).fetchone()
    finally:
        db.close()
    return store, hall, str(agency), str(inspector)


class Journey:
    """The browser, and who is at it."""

    def __init__(self, page, server: dict) -> None:  # noqa: ANN001
        self.page, self.server, self.url = page, server, server["url"]
        keys = Path(server["workdir"]) / "var" / "demo-opener-keys"
        self.logins = dict(server["logins"])
        self.logins["bid_opener_2"] = (
            "demo.bid-opener-2",
            (keys / "demo.bid-opener-2.password").read_text().strip(),
        )
        self.who = ""
        self.english: list = []  # (page, word, context): Latin words met on Hindi pages
        self.keys = {
            "bid_opener": keys / "demo.bid-opener.jwk",
            "bid_opener_2": keys / "demo.bid-opener-2.jwk",
        }

    def home(self, role: str) -> None:
        """Log out whoever is in, log in as ``role``, in Hindi, on the home page."""
        page = self.page
        if self.who == role:  # still logged in: the header's home link
            page.click("header nav a[href='/']")
            page.wait_for_url(self.url + "/")
            return
        self.who = role
        if page.locator("#logout button").count():
            page.click("#logout button")
            page.wait_for_url(self.url + "/login")
        else:
            page.goto(self.url + "/login")
        username, password = self.logins[role]
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("#login")
        page.wait_for_url(self.url + "/")
        if page.locator("html").get_attribute("lang") != "hi":
            page.click("#lang-switch")
            page.wait_for_url(self.url + "/")
        assert page.locator("html").get_attribute("lang") == "hi"
        assert page.locator(".work-queue").count() == 1
        self.read()

    def queue(self, msgid: str, record: str | None = None, path: str | None = None) -> int:
        """Click the home page's work item ``msgid`` (its count, returned, says work waits);
        when it leads to a list (more than one item waits), click the link named ``record``
        (or leading to ``path``) there."""
        item = self.page.locator(".work-queue li", has_text=hi(msgid))
        assert item.count() == 1, msgid
        count = int(item.locator(".figure").inner_text().replace(",", ""))
        assert count > 0, msgid
        item.locator("a").click()
        self.page.wait_for_load_state()
        if path is not None and not self.page.url.endswith(path):
            self.page.locator(f"main a[href='{path}']").first.click()
            self.page.wait_for_load_state()
        if record is not None and self.page.locator(f"h1:has-text('{record}')").count() == 0:
            self.page.locator(f"main a:text-is('{record}')").first.click()
            self.page.wait_for_load_state()
        self.read()
        return count

    def read(self) -> None:
        """The page as a Hindi reader meets it: no Latin-script word outside the allow-list."""
        self.page.wait_for_load_state()
        path = self.page.url.removeprefix(self.url)
        self.english += [(path, *w) for w in latin_words(self.page.content())]

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text().strip()


def ist_input(moment: datetime) -> str:
    return moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M:%S")


def serial_file(prefix: str, units: int) -> dict:
    made = (date.today() - timedelta(days=60)).isoformat()
    rows = [f"{prefix}-{n:03d},Ganga,GX-5,{made}" for n in range(units)]
    data = ("serial,make,model,manufactured_on\n" + "\n".join(rows) + "\n").encode()
    return {"name": "serials.csv", "mimeType": "text/csv", "buffer": data}


def enter_readings(page, values: dict) -> None:  # noqa: ANN001
    page.wait_for_selector("#readings")
    page.fill("#warm_up_min", "6")
    for key, value in values.items():
        id_ = key.replace("@", "-")
        if value in ("yes", "no", "pass", "fail"):
            page.check(f"#{id_}-{'yes' if value in ('yes', 'pass') else 'no'}")
        else:
            page.fill(f"#{id_}", value)
