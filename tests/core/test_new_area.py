"""A newcomer adds an area by touching only its own folder and one line of app.py.

The test does exactly that on a copy of the source tree: a trivial area with one page, one
command, one permission and one table with its own migration, then runs the copy as a user
would (the command, the migration, the page in Hindi, a role without the permission) in a
subprocess, and checks that nothing else changed.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "oxychain"
ROOT = Path(__file__).resolve().parents[2]

AREA_FILES = {
    "__init__.py": '''
        """Greetings: a trivial area, as a newcomer would add one."""

        from oxychain.core.areas import Area

        AREA = Area(
            name="greetings",
            pages=("oxychain.greetings.pages",),
            commands=("oxychain.greetings.cli",),
            permissions="oxychain.greetings.permissions",
            tables="oxychain.greetings.tables",
        )
        ''',
    "permissions.py": """
        from oxychain.core.access import Permission, R, Scope

        PERMISSIONS = (Permission("greeting.read", False, {R.PLANNER: Scope.ALL}),)
        """,
    "pages.py": """
        from fastapi import APIRouter, Request
        from fastapi.responses import Response

        from oxychain.core.web.deps import guarded
        from oxychain.core.web.templating import render

        router = APIRouter()


        @router.get("/greetings")
        def greetings_page(request: Request, _principal: guarded("greeting.read")) -> Response:
            return render(request, "greetings/hello.html")
        """,
    "cli.py": """
        import json


        def register(sub) -> None:
            p = sub.add_parser("greet", help="say hello")
            p.add_argument("--json", action="store_true")
            p.set_defaults(handler=lambda args: print(json.dumps({"hello": "world"})) or 0)
        """,
    "templates/greetings/hello.html": """
        {% extends "base.html" %}
        {% block content %}<h1 id="hello">{{ _("Hello from the new area") }}</h1>{% endblock %}
        """,
    "tables.py": """
        from sqlalchemy import Integer, String
        from sqlalchemy.orm import Mapped, mapped_column

        from oxychain.core.tables import Base


        class Greeting(Base):
            __tablename__ = "greetings"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            text: Mapped[str] = mapped_column(String(80))
        """,
    "migrations/greetings_0001_greetings.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "greetings_0001"
        down_revision = "0005"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.create_table(
                "greetings",
                sa.Column("id", sa.Integer(), nullable=False),
                sa.Column("text", sa.String(length=80), nullable=False),
                sa.PrimaryKeyConstraint("id", name=op.f("pk_greetings")),
            )


        def downgrade() -> None:
            op.drop_table("greetings")
        """,
    "translations/hi/LC_MESSAGES/messages.po": """
        msgid "Hello from the new area"
        msgstr "नए क्षेत्र से नमस्ते"
        """,
}

CHECK = """
import json, sys
from fastapi.testclient import TestClient
from oxychain import app
from oxychain.core import access
from oxychain.core.db import migrate
from oxychain.core.people import SYSTEM
from oxychain.core.services import auth, users
from oxychain.core.web.guards import SESSION_COOKIE

settings = app.Settings(database_url=sys.argv[1], environment="test")
migrate(settings)
oxy = app.bootstrap(settings)
web = app.create_app(oxy)
from sqlalchemy import inspect
out = {"permission": "greeting.read" in access.POLICY,
       "table": "greetings" in inspect(oxy.engine).get_table_names()}
for role in ("planner", "auditor"):
    users.create_user(oxy.uow(SYSTEM, write=True), users.CreateUser(
        username=role, display_name=role, password="a long password 1", role=role, language="hi"))
    session = auth.login(oxy.uow(write=True), settings, role, "a long password 1", "test")
    client = TestClient(web, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, session.token)
    page = client.get("/greetings")
    out[role] = [page.status_code, "नए क्षेत्र से नमस्ते" in page.text]
print(json.dumps(out))
"""


def _write_area(root: Path) -> None:
    for name, text in AREA_FILES.items():
        path = root / "greetings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def _changed(a: Path, b: Path, prefix: str = "") -> list[str]:
    """Files that differ ("name"), or exist on one side only ("+name", "-name")."""
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__"])
    found = [prefix + n for n in cmp.diff_files]
    found += [f"+{prefix}{n}" for n in cmp.right_only] + [f"-{prefix}{n}" for n in cmp.left_only]
    for name in cmp.common_dirs:
        found += _changed(a / name, b / name, f"{prefix}{name}/")
    return found


def test_a_new_area_is_its_own_folder_and_one_line_of_app_py(tmp_path: Path) -> None:
    copy = tmp_path / "src" / "oxychain"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    _write_area(copy)
    app_py = copy / "app.py"
    before = app_py.read_text(encoding="utf-8")
    after = before.replace(
        '    "oxychain.transparency",\n',
        '    "oxychain.transparency",\n    "oxychain.greetings",\n',
    )
    app_py.write_text(after, encoding="utf-8")

    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ['    "oxychain.greetings",']
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert sorted(_changed(SRC, copy)) == ["+greetings", "app.py"]

    env = {**os.environ, "PYTHONPATH": f"{tmp_path / 'src'}{os.pathsep}{ROOT}"}
    command = subprocess.run(
        [sys.executable, "-m", "oxychain.cli", "greet", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(command.stdout) == {"hello": "world"}

    url = f"sqlite:///{tmp_path / 'greetings.db'}"
    page = subprocess.run(
        [sys.executable, "-c", CHECK, url],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert page.returncode == 0, page.stderr
    result = json.loads(page.stdout.strip().splitlines()[-1])
    assert result == {
        "permission": True,
        "table": True,
        "planner": [200, True],
        "auditor": [403, False],
    }
