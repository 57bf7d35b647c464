"""The JSON API under /api/v1, one router per resource."""

from oxychain.entrypoints.api import (
    bids,
    contracts,
    distribution,
    inspection,
    masterdata,
    people,
    planning,
    service,
    system,
    tendering,
    transparency,
)

ROUTERS = (
    system.router,
    people.router,
    masterdata.router,
    tendering.router,
    bids.router,
    contracts.router,
    transparency.router,
    inspection.router,
    distribution.router,
    service.router,
    planning.router,
)
