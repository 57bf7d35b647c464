"""The `oxychain` command: every sub-command's help renders (argparse reads % in help), and
a failure a person can mend reads as one line, never a traceback."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oxychain.cli import build_parser


def _parsers(parser: argparse.ArgumentParser):  # noqa: ANN202
    yield parser
    for action in parser._actions:  # noqa: SLF001 - argparse keeps sub-parsers here
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_command_has_working_help() -> None:
    parsers = list(_parsers(build_parser()))
    assert len(parsers) > 10
    for parser in parsers:
        assert parser.format_help().startswith("usage: oxychain")


# --- failures a person can mend: one clear line on stderr, a non-zero exit, no traceback ---


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "OXYCHAIN_ENVIRONMENT": "test", **env}
    return subprocess.run(
        [sys.executable, "-m", "oxychain.cli", *args],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_clear_line(done: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("oxychain")
    for word in words:
        assert word in lines[0], lines[0]


def test_an_unmigrated_database_says_to_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    done = _run(["audit", "verify"], tmp_path, OXYCHAIN_DATABASE_URL=url)
    _one_clear_line(done, 2, "not migrated", "oxychain migrate")


def test_a_missing_postgresql_database_is_one_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/oxy_no_such_database"
    done = _run(["audit", "verify"], tmp_path, OXYCHAIN_DATABASE_URL=url)
    _one_clear_line(done, 2, "cannot use the database")


def test_a_bad_setting_names_the_variable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    done = _run(["migrate"], tmp_path, OXYCHAIN_DATABASE_URL=url, OXYCHAIN_SQLITE_SYNCHRONOUS="OFF")
    _one_clear_line(done, 2, "bad setting", "OXYCHAIN_SQLITE_SYNCHRONOUS")
    assert not (tmp_path / "x.db").exists()


def test_a_database_in_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    done = _run(["migrate"], tmp_path, OXYCHAIN_DATABASE_URL="sqlite:////proc/oxychain/x.db")
    _one_clear_line(done, 2, "/proc/oxychain")


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "verify", "--file", "missing.jsonl"],
        ["plan", "allocate", "--scenario", "missing.json", "--json"],
        ["forecast", "--cases", "missing.csv", "--as-of", "2021-05-01", "--horizon", "7", "--json"],
    ],
)
def test_an_unreadable_file_is_one_line(tmp_path: Path, args: list[str]) -> None:
    done = _run(args, tmp_path)
    _one_clear_line(done, 2, "missing.")
