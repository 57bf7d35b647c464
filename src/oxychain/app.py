"""The assembly: the one place that lists the areas.

Each area describes itself in its package's ``AREA`` (routers, commands, permissions,
tables, repositories, settings, demo step); adding an area is its own folder and one line
here. Areas depend downward only, in this order (DESIGN.md, "Layers and areas").
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from oxychain.core import areas
from oxychain.core.bootstrap import Oxychain
from oxychain.core.bootstrap import bootstrap as _bootstrap
from oxychain.core.config import CoreSettings, get_settings, settings_class

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["AREAS", "Settings", "bootstrap", "create_app", "get_settings", "install", "load_demo"]

AREAS = (
    "oxychain.core",
    "oxychain.masterdata",
    "oxychain.tendering",
    "oxychain.inspection",
    "oxychain.distribution",
    "oxychain.planning",
    "oxychain.finance",
    "oxychain.transparency",
)


def install() -> list[areas.Area]:
    """Install every area (idempotent): its permissions join the policy, its tables the
    schema, its repositories the unit of work, its templates and static files the web app."""
    installed = [importlib.import_module(name).AREA for name in AREAS]
    areas.install(installed)
    return installed


install()
# The composed settings class (core's fields and every area's), for code that builds one.
Settings = settings_class()


def bootstrap(settings: CoreSettings | None = None) -> Oxychain:
    install()
    return _bootstrap(settings or get_settings())


def create_app(oxychain: Oxychain | None = None) -> FastAPI:
    from oxychain.core.web.shell import web_app  # the CLI reads AREAS without the web stack

    return web_app(oxychain or bootstrap())


def load_demo(app: Oxychain) -> list:
    """Each area's demo step in order; the steps that create people return their logins."""
    logins: list = []
    for area in install():
        if area.demo:
            logins += importlib.import_module(area.demo).load(app) or []
    return logins
