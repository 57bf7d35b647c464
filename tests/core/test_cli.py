"""The `oxychain` command: every sub-command's help renders (argparse reads % in help)."""

from __future__ import annotations

import argparse

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
