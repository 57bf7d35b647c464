"""Transparency: the open-contracting export and the red flags.

Reading only: nothing here changes the state, so nothing is audited.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.uow import UnitOfWork
from oxychain.transparency.domain import ocds
from oxychain.transparency.domain.records import ContractingRecords
from oxychain.transparency.domain.redflags import RedFlag, RedFlagRules, red_flags
from oxychain.transparency.settings import TransparencySettings as Settings


def contracting_records(uow: UnitOfWork) -> ContractingRecords:
    with uow:
        return uow.transparency.records()


def publisher(settings: Settings) -> ocds.Publisher:
    return ocds.Publisher(
        name=settings.buyer_name,
        address=settings.buyer_address,
        ocid_prefix=settings.ocds_ocid_prefix,
        base_uri=settings.ocds_base_uri,
    )


def ocds_package(uow: UnitOfWork, settings: Settings, now: datetime | None = None) -> dict:
    """One OCDS 1.1 release package of every published tender (public information)."""
    records = contracting_records(uow)
    moment = now or clock.now().replace(microsecond=0)
    return ocds.release_package(records, publisher(settings), moment)


def rules(settings: Settings) -> RedFlagRules:
    return RedFlagRules(
        min_bid_period_days=settings.redflag_min_bid_period_days,
        close_bid_pct=Decimal(str(settings.redflag_close_bid_pct)),
        discount_pct=Decimal(str(settings.redflag_discount_pct)),
        over_reference_pct=Decimal(str(settings.redflag_over_reference_pct)),
        frequent_bidder_min_bids=settings.redflag_frequent_bidder_min_bids,
        frequent_bidder_max_win_pct=Decimal(str(settings.redflag_frequent_bidder_max_win_pct)),
        rotation_min_tenders=settings.redflag_rotation_min_tenders,
    )


def red_flag_report(uow: UnitOfWork, settings: Settings) -> list[RedFlag]:
    """Every red flag over all tenders (procurement officer, auditor)."""
    require(uow.principal, "redflags.read")
    return red_flags(contracting_records(uow), rules(settings))
