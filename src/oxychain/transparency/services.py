"""Transparency: the open-contracting export and the red flags.

Reading only: nothing here changes the state, so nothing is audited.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from oxychain.core import clock
from oxychain.core.access import can, require
from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem
from oxychain.finance.services import exports
from oxychain.transparency.domain import ocds
from oxychain.transparency.domain.mse_report import YearRow, yearly_report
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
        documents_uri=settings.ocds_documents_uri,
        scheme=settings.ocds_publisher_scheme,
        uid=settings.ocds_publisher_uid,
        uri=settings.ocds_publisher_uri,
        license=settings.ocds_license,
        publication_policy=settings.ocds_publication_policy,
        gstin_scheme=settings.ocds_gstin_scheme,
        pan_scheme=settings.ocds_pan_scheme,
        udyam_scheme=settings.ocds_udyam_scheme,
        item_scheme=settings.ocds_item_scheme,
        item_code=settings.ocds_item_code,
    )


def ocds_package(uow: UnitOfWork, settings: Settings, now: datetime | None = None) -> dict:
    """One OCDS 1.1 release package of every published tender (public information);
    refused in production while a publishing setting is a placeholder."""
    who = publisher(settings)
    ocds.check_publishable(who, settings.environment)
    records = contracting_records(uow)
    suppliers = ocds.contract_suppliers(records, who)
    source = f"{who.documents_uri.rstrip('/')}/bills"
    # Finance sits below transparency: its published payments and deductions, read as is.
    buyer = ocds.buyer_reference(who)
    transactions = exports.ocds_transactions(uow, buyer, suppliers, source) if suppliers else {}
    moment = now or clock.now().replace(microsecond=0)
    return ocds.release_package(records, who, moment, transactions)


def rules(settings: Settings) -> RedFlagRules:
    return RedFlagRules(
        min_bid_period_days=settings.redflag_min_bid_period_days,
        close_bid_pct=Decimal(str(settings.redflag_close_bid_pct)),
        discount_pct=Decimal(str(settings.redflag_discount_pct)),
        over_reference_pct=Decimal(str(settings.redflag_over_reference_pct)),
        frequent_bidder_min_bids=settings.redflag_frequent_bidder_min_bids,
        frequent_bidder_max_win_pct=Decimal(str(settings.redflag_frequent_bidder_max_win_pct)),
        rotation_min_tenders=settings.redflag_rotation_min_tenders,
        disqualified_min_bids=settings.redflag_disqualified_min_bids,
        item_classification=settings.ocds_item_code,
    )


def red_flag_report(uow: UnitOfWork, settings: Settings) -> list[RedFlag]:
    """Every red flag over all tenders (procurement officer, auditor)."""
    require(uow.principal, "redflags.read")
    return red_flags(contracting_records(uow), rules(settings))


def mse_report(uow: UnitOfWork) -> list[YearRow]:
    """Procurement from MSEs per financial year against the Order's targets (HQ)."""
    require(uow.principal, "mse.report")
    with uow:
        return yearly_report(uow.transparency.order_values())


def home_queue(uow: UnitOfWork, settings: Settings, now: datetime) -> list[WorkItem]:
    """The auditor's home-page item: the red flags across all tenders."""
    if uow.principal.role is not Role.AUDITOR or not can(uow.principal, "redflags.read"):
        return []
    flags = red_flag_report(uow, settings)
    return [WorkItem(N_("red flags raised across all tenders"), len(flags), "/redflags")]
