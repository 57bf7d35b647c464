"""The JSON API under /api/v1, one router per resource."""

from oxychain.entrypoints.api import masterdata, people, system

ROUTERS = (system.router, people.router, masterdata.router)
