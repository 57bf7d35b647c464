"""The `oxychain` command.

Each area registers its sub-commands from its own module (``cli_<area>.py``) through
``register(subparsers)``; a sub-command's handler takes the parsed arguments and returns
the exit code. Read commands take ``--json`` and print one JSON document on stdout;
errors go to stderr with a non-zero exit (2 for bad arguments).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# One line per area; a module lists its own sub-commands.
COMMAND_MODULES = (
    "cli_bid",
    "cli_core",
    "cli_export",
    "cli_forecast",
    "cli_plan",
    "cli_qa",
)


class ArgumentParser(argparse.ArgumentParser):
    """argparse that says what is wrong on stderr and exits 2, without the usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"oxychain: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="oxychain", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"oxychain.entrypoints.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
