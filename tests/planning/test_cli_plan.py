"""`oxychain plan allocate` end to end, in a subprocess as a person would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from oxychain.planning.domain.replay import check
from oxychain.planning.domain.scenario import parse_scenario
from oxychain.planning.domain.scenario_gen import generate


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "oxychain.cli", "plan", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def scenario_file(tmp_path: Path) -> tuple[Path, dict]:
    doc = generate(4, 40, 7, seed=21)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path, doc


def test_allocate_prints_a_plan_that_replays(scenario_file) -> None:
    path, doc = scenario_file
    done = run("allocate", "--scenario", str(path), "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["status"] == "optimal"
    assert set(plan) == {
        "status",
        "weighted_shortfall",
        "transport_cost",
        "shipments",
        "shortfall",
        "district_fill",
        "solve_seconds",
    }
    check(parse_scenario(doc), plan)


def test_allocate_without_json_prints_a_summary(scenario_file) -> None:
    path, _ = scenario_file
    done = run("allocate", "--scenario", str(path), "--time-limit", "60")
    assert done.returncode == 0, done.stderr
    assert "optimal" in done.stdout and "weighted shortfall" in done.stdout


def test_a_bad_scenario_names_field_and_row(tmp_path: Path, scenario_file) -> None:
    _, doc = scenario_file
    doc["routes"][3]["to"] = "F-9"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    done = run("allocate", "--scenario", str(path), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert 'routes[3].to: unknown facility "F-9"' in done.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read"),
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "scenario: must be an object"),
    ],
)
def test_unreadable_or_malformed_files_exit_2(tmp_path: Path, content, expected: str) -> None:
    path = tmp_path / "scenario.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = run("allocate", "--scenario", str(path), "--json")
    assert done.returncode == 2
    assert expected in done.stderr and done.stdout == ""


def test_a_bad_time_limit_is_refused(scenario_file) -> None:
    path, _ = scenario_file
    done = run("allocate", "--scenario", str(path), "--time-limit", "0")
    assert done.returncode == 2
    assert "must be more than 0 seconds" in done.stderr
