"""The settings as the domain's terms: the demand parameters a scenario starts from, the
transport between places and the lags of supplies on their way (OXYCHAIN_PLANNING_*)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oxychain.planning.domain import network, pipeline
from oxychain.planning.domain.plan import Demand

if TYPE_CHECKING:
    from oxychain.planning.settings import PlanningSettings as Settings


def default_demand(settings: Settings) -> Demand:
    return Demand(
        severe_share=settings.planning_severe_share,
        on_concentrator_share=settings.planning_on_concentrator_share,
        flow_lpm=settings.planning_flow_lpm,
        device_lpm=settings.planning_device_lpm,
        uptime=settings.planning_uptime,
        home_share=settings.planning_home_share,
    )


def transport_of(settings: Settings) -> network.Transport:
    return network.Transport(
        settings.planning_rupees_per_km,
        settings.planning_km_per_day,
        settings.planning_road_factor,
    )


def lags_of(settings: Settings) -> pipeline.Lags:
    return pipeline.Lags(
        settings.planning_supplier_days,
        settings.planning_inspection_days,
        settings.planning_reoffer_days,
        settings.planning_late_truck_days,
    )


def links_of(settings: Settings) -> network.Links:
    return network.Links(
        settings.planning_transfer_max_km,
        {
            key: None if link is None else link.model_dump()
            for key, link in settings.planning_transfer_links.items()
        },
    )
