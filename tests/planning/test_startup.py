"""Starting the app loads no planning engine: the solvers (LEMON, OR-Tools, HiGHS via scipy), the
forecast and numpy load when a plan is solved or a forecast computed."""

from __future__ import annotations

import json
import subprocess
import sys

ENGINES = (
    "pylmcf",
    "ortools",
    "scipy",
    "statsmodels",
    "oxychain.planning.domain.allocation",
    "oxychain.planning.domain.forecasting",
    "oxychain.planning.domain.explain",
    "oxychain.planning.domain.cases",
)


def test_the_app_starts_without_the_engines(tmp_path) -> None:  # noqa: ANN001
    script = (
        "import json, sys\n"
        "import oxychain.app as a\n"
        f"a.create_app(a.bootstrap(a.Settings(database_url='sqlite:///{tmp_path}/x.db')))\n"
        f"print(json.dumps([m for m in {ENGINES!r} if m in sys.modules]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == []
