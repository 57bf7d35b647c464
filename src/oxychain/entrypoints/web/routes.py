"""Every page router, in the order the app includes them."""

from oxychain.entrypoints.web import (
    admin_pages,
    bid_pages,
    contract_pages,
    distribution_pages,
    inspection_figure_pages,
    inspection_pages,
    inspection_unit_pages,
    pages,
    planning_data_pages,
    planning_pages,
    service_pages,
    session_pages,
    tendering_pages,
    transparency_pages,
)

ROUTERS = (
    session_pages.router,
    pages.router,
    admin_pages.router,
    transparency_pages.router,
    tendering_pages.router,
    bid_pages.router,
    contract_pages.router,
    inspection_pages.router,
    inspection_unit_pages.router,
    inspection_figure_pages.router,
    distribution_pages.router,
    service_pages.router,
    planning_pages.router,
    planning_data_pages.router,
)
