"""`oxychain qa plan`: the contract other tools rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oxychain.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["qa", "plan", *argv])
    except SystemExit as exc:  # argparse refuses bad arguments by exiting
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--lot-size", "500", "--aql", "2.5"],
            {"code_letter": "H", "plan_letter": "H", "sample_size": 50, "accept": 3, "reject": 4},
        ),
        (
            ["--lot-size", "500", "--aql", "2.5", "--severity", "tightened"],
            {"code_letter": "H", "plan_letter": "H", "sample_size": 50, "accept": 2, "reject": 3},
        ),
        (
            ["--lot-size", "500", "--aql", "2.5", "--severity", "reduced"],
            {"code_letter": "H", "plan_letter": "H", "sample_size": 20, "accept": 2, "reject": 3},
        ),
        (
            ["--lot-size", "500", "--aql", "0.65", "--level", "S-3"],
            {"code_letter": "D", "plan_letter": "F", "sample_size": 20, "accept": 0, "reject": 1},
        ),
        (  # the arrow leads to 13 items, more than the lot holds: all 8 are inspected
            ["--lot-size", "8", "--aql", "1.0"],
            {"code_letter": "A", "plan_letter": "E", "sample_size": 8, "accept": 0, "reject": 1},
        ),
    ],
)
def test_plan_as_json(capsys, argv, expected):
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == expected
    assert list(json.loads(out)) == [
        "code_letter",
        "plan_letter",
        "sample_size",
        "accept",
        "reject",
    ]
    assert out.count("\n") == 1  # one JSON document


def test_plan_for_people(capsys):
    code, out, _ = run(capsys, "--lot-size", "500", "--aql", "2.5")
    assert code == 0
    assert out.strip() == (
        "Lot of 500, AQL 2.5, level II, normal: code letter H; sample 50 items; "
        "accept if at most 3 nonconforming, reject at 4."
    )
    code, out, _ = run(capsys, "--lot-size", "8", "--aql", "1.0")
    assert "code letter A -> E; inspect all 8 items (100 %)" in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["--lot-size", "1", "--aql", "2.5"],
            "Field lot_size must be a whole number of items, at least",
        ),
        (["--lot-size", "500", "--aql", "3"], "Field aql must be one of 0.010, 0.015"),
        (["--lot-size", "500", "--aql", "x"], "Field aql must be one of"),
        (["--lot-size", "many", "--aql", "2.5"], "argument --lot-size: invalid int value"),
        (["--lot-size", "500", "--aql", "2.5", "--level", "IV"], "argument --level"),
        (["--lot-size", "500", "--aql", "2.5", "--severity", "strict"], "argument --severity"),
        (["--aql", "2.5"], "--lot-size"),
        (["--lot-size", "500"], "--aql"),
    ],
)
def test_bad_arguments_exit_2_with_a_message_on_stderr(capsys, argv, says):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 2
    assert out == ""
    assert says in err


def test_as_a_command(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "oxychain.cli", "qa", "plan"]
    done = subprocess.run(
        [*command, "--lot-size", "500", "--aql", "2.5", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "code_letter": "H",
        "plan_letter": "H",
        "sample_size": 50,
        "accept": 3,
        "reject": 4,
    }
    refused = subprocess.run(
        [*command, "--lot-size", "0", "--aql", "2.5", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert "lot_size" in refused.stderr
