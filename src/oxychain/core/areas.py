"""The areas the assembly installs, and what each brings: routers, commands, permissions,
tables, repositories, settings, templates, a demo step, the jobs the worker runs.

Core imports no area. An area describes itself in its package's ``AREA`` (module paths as
strings, so that describing an area imports nothing heavy); ``oxychain.app`` lists the
areas and installs them here, in order, before anything is served or run. Adding an area
touches its own folder and one line of ``app.py``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Area:
    name: str  # the package under ``oxychain``
    api: tuple[str, ...] = ()  # modules with a ``router``, mounted under /api/v1
    pages: tuple[str, ...] = ()  # modules with a page ``router``
    commands: tuple[str, ...] = ()  # modules with ``register(subparsers)``
    permissions: str | None = None  # module with ``PERMISSIONS``
    tables: str | None = None  # module defining the area's tables
    repositories: tuple[tuple[str, str], ...] = ()  # (unit-of-work attribute, "module:Class")
    settings: str | None = None  # "module:Class": a settings model mixed into Settings
    demo: str | None = None  # module with an idempotent ``load(app)``
    template_globals: str | None = None  # "module:function(lang) -> dict" for the pages
    jobs: tuple[str, ...] = ()  # modules with ``JOBS`` and ``schedules(settings)`` (core.worker)
    home_queue: str | None = None  # "module:function(uow, settings, now) -> [core.work.WorkItem]"

    @property
    def package(self) -> str:
        return f"oxychain.{self.name}"

    def folder(self, name: str) -> Path | None:
        """The area's ``templates``, ``static`` or ``translations`` folder, where it has one."""
        path = Path(str(resources.files(self.package) / name))
        return path if path.is_dir() else None


_INSTALLED: list[Area] = []


def install(areas: list[Area]) -> None:
    """Install the areas (the assembly calls this once; a second call with the same areas
    changes nothing)."""
    if [a.name for a in _INSTALLED] == [a.name for a in areas]:
        return
    from oxychain.core import access

    _INSTALLED[:] = areas
    for area in areas:
        if area.permissions:
            access.register(importlib.import_module(area.permissions).PERMISSIONS)


def installed() -> list[Area]:
    return list(_INSTALLED)


def load(spec: str) -> Any:
    """The object a "module:attribute" string names."""
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module), attribute)


def modules(kind: str) -> Iterator[Any]:
    """Each installed area's modules of one kind (``api``, ``pages``, ``commands``, ``jobs``)."""
    for area in _INSTALLED:
        for name in getattr(area, kind):
            yield importlib.import_module(name)


def import_tables() -> None:
    """Every installed area's tables, so that the shared metadata knows the whole schema."""
    importlib.import_module("oxychain.core.tables")
    for area in _INSTALLED:
        if area.tables:
            importlib.import_module(area.tables)


def folders(name: str) -> list[Path]:
    """Each installed area's folder of this name (core's first: it is installed first)."""
    return [p for area in _INSTALLED if (p := area.folder(name)) is not None]
