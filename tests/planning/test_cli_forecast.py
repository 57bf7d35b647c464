"""`oxychain forecast`: the contract other tools rely on, run as they run it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

import oxychain

DATA = Path(oxychain.__file__).parent / "planning" / "data" / "covid"
NATIONAL = DATA / "covid_india_national.csv"
STATES = DATA / "covid_states_dev.csv"


def oxychain_cli(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oxychain.cli", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def forecast_json(cases: Path, as_of: str, horizon: int, *extra: str) -> dict:
    run = oxychain_cli(
        "forecast", "--cases", cases, "--as-of", as_of, "--horizon", str(horizon), "--json", *extra
    )
    assert (run.returncode, run.stderr) == (0, "")
    return json.loads(run.stdout)


def test_national_file_prints_the_contract_shape_exactly():
    doc = forecast_json(NATIONAL, "2021-04-20", 7)
    assert list(doc) == ["as_of", "model", "regions"]
    assert doc["as_of"] == "2021-04-20" and doc["model"] == "blend"
    (region,) = doc["regions"]
    assert list(region) == ["region", "forecast"] and region["region"] == "India"
    assert [p["date"] for p in region["forecast"]] == [
        (date(2021, 4, 20) + timedelta(days=k)).isoformat() for k in range(1, 8)
    ]
    for p in region["forecast"]:
        assert list(p) == ["date", "new_cases", "low", "high"]
        assert 0 <= p["low"] <= p["new_cases"] <= p["high"]


def test_each_state_gets_a_forecast_and_the_model_is_a_choice():
    doc = forecast_json(STATES, "2021-05-01", 3, "--model", "naive")
    assert doc["model"] == "naive"
    assert [r["region"] for r in doc["regions"]] == [
        "Delhi",
        "Karnataka",
        "Kerala",
        "Maharashtra",
        "Tamil Nadu",
    ]
    assert all(len(r["forecast"]) == 3 for r in doc["regions"])


def test_rows_after_as_of_never_change_the_output(tmp_path):
    as_of = "2021-04-20"
    lines = NATIONAL.read_text().splitlines()
    altered = [
        line if line.startswith("date") or line[:10] <= as_of else f"{line[:10]},0,0"
        for line in lines
    ]
    copy = tmp_path / "altered.csv"
    copy.write_text("\n".join(altered) + "\n")
    assert forecast_json(NATIONAL, as_of, 14) == forecast_json(copy, as_of, 14)


def test_without_json_a_person_reads_a_table():
    run = oxychain_cli("forecast", "--cases", NATIONAL, "--as-of", "2021-04-20", "--horizon", "2")
    assert run.returncode == 0
    assert run.stdout.splitlines()[1].startswith("India\t2021-04-21\t")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", "2021-04-20", "--horizon", "7"], "--cases"),
        (["--cases", "missing.csv", "--as-of", "2021-04-20", "--horizon", "7"], "missing.csv"),
        (["--cases", NATIONAL, "--as-of", "20-04-2021", "--horizon", "7"], "YYYY-MM-DD"),
        (["--cases", NATIONAL, "--as-of", "2021-04-20", "--horizon", "0"], "1 to 42"),
        (["--cases", NATIONAL, "--as-of", "2021-04-20", "--horizon", "43"], "1 to 42"),
        (
            ["--cases", NATIONAL, "--as-of", "2021-04-20", "--horizon", "7", "--model", "x"],
            "--model",
        ),
        (["--cases", NATIONAL, "--as-of", "2019-01-01", "--horizon", "7"], "on or before"),
        (["--cases", NATIONAL, "--as-of", "2024-01-01", "--horizon", "7"], "days before"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(argv, message):
    run = oxychain_cli("forecast", *argv, "--json")
    assert run.returncode == 2
    assert run.stdout == ""
    assert message in run.stderr


def test_a_bad_row_is_named_on_stderr(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,district,confirmed\n2021-04-01,Agra,10\n2021-04-02,Agra,ten\n")
    run = oxychain_cli("forecast", "--cases", bad, "--as-of", "2021-04-02", "--horizon", "7")
    assert run.returncode == 2 and run.stdout == ""
    assert "row 3, column 'confirmed'" in run.stderr
