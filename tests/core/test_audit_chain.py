"""The audit chain: intact after real changes, broken by any edit, deletion or reordering.

A tamperer with database access must first get past the append-only trigger (drop it
on SQLite, disable it on PostgreSQL); these tests do exactly that, then check that
`oxychain audit verify` names the first broken entry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM
from oxychain.masterdata.tables import Supplier


def _changes(app: Oxychain, n: int = 6) -> None:
    for i in range(n):
        with app.uow(SYSTEM, write=True) as uow:
            uow.masterdata.add(Supplier(code=f"SUP-A{i}", name=f"Firm {i} (synthetic)"))
            uow.record(
                "supplier.create", "supplier", f"SUP-A{i}", None, {"name": f"Firm {i}", "n": i}
            )
            uow.commit()


def _tamper(app: Oxychain, *statements: str) -> None:
    with app.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        for statement in statements:
            conn.execute(text(statement))


def _verify_cli(app: Oxychain) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OXYCHAIN_DATABASE_URL": app.settings.database_url}
    return subprocess.run(
        [sys.executable, "-m", "oxychain.cli", "audit", "verify", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def _first_broken(app: Oxychain) -> int | None:
    with app.uow(SYSTEM) as uow:
        broken = uow.audit_log.verify()
    return broken and broken.seq


def test_intact_chain_verifies_and_the_cli_exits_0(app: Oxychain) -> None:
    _changes(app)
    assert _first_broken(app) is None
    done = _verify_cli(app)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"intact": True, "events": 6, "first_broken": None}


def test_the_database_refuses_update_and_delete_of_audit_rows(app: Oxychain) -> None:
    _changes(app, 2)
    for statement in (
        "UPDATE audit_events SET actor = 'x' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1",
    ):
        with pytest.raises(Exception, match="append-only"), app.engine.begin() as conn:
            conn.execute(text(statement))
    assert _first_broken(app) is None


@pytest.mark.parametrize(
    ("statements", "broken_at"),
    [
        (["UPDATE audit_events SET actor = 'mallory' WHERE seq = 3"], 3),
        (["UPDATE audit_events SET after = NULL WHERE seq = 5"], 5),
        (["DELETE FROM audit_events WHERE seq = 2"], 2),
        (["DELETE FROM audit_events WHERE seq = 6"], 6),
        # Reorder: swap the contents of entries 2 and 4 (each keeps its own hash).
        (
            [
                "UPDATE audit_events SET seq = -2 WHERE seq = 2",
                "UPDATE audit_events SET seq = 2 WHERE seq = 4",
                "UPDATE audit_events SET seq = 4 WHERE seq = -2",
            ],
            2,
        ),
    ],
    ids=["edit-actor", "edit-after", "delete-middle", "delete-last", "reorder"],
)
def test_any_edit_delete_or_reorder_breaks_the_chain(
    app: Oxychain, statements: list[str], broken_at: int
) -> None:
    _changes(app)
    _tamper(app, *statements)
    assert _first_broken(app) == broken_at
    done = _verify_cli(app)
    assert done.returncode == 1
    assert f"entry {broken_at}" in done.stderr
    assert json.loads(done.stdout)["first_broken"]["seq"] == broken_at


def test_an_exported_chain_verifies_offline_and_fails_when_edited(
    app: Oxychain, tmp_path: Path
) -> None:
    _changes(app, 3)
    env = {**os.environ, "OXYCHAIN_DATABASE_URL": app.settings.database_url}
    out = tmp_path / "audit.jsonl"
    cli = [sys.executable, "-m", "oxychain.cli", "audit"]
    subprocess.run([*cli, "export", "--output", str(out)], env=env, check=True, timeout=60)
    assert (
        subprocess.run([*cli, "verify", "--file", str(out)], check=False, timeout=60).returncode
        == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Firm 1", "Firm 9")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    edited = subprocess.run(
        [*cli, "verify", "--file", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert edited.returncode == 1
    assert "entry 2" in edited.stderr
