"""An Open Contracting Data Standard 1.1 release package from the contracting records.

Each published tender is one contracting process (``ocid`` = prefix + reference) with
releases for its events (DOMAIN.md, "Open contracting (OCDS 1.1)"):

- ``tender`` at publication; ``tenderAmendment`` for each corrigendum;
- ``tenderUpdate`` at the deadline: the number of bids (the bids extension's
  ``bids.statistics``), and once the technical covers are open the bidders and, for
  each bid whose financial cover is open, its value (``bids.details``);
- ``tenderCancellation`` for a cancelled tender;
- ``award`` for each award; ``contract`` for each purchase order, and
  ``contractAmendment`` for each later version of it, with the delivery tranches as
  implementation milestones.

Nothing sealed leaves: a bid's value appears only once its financial cover is opened
(``BidRecord.unit_price`` is None before), and bidders are named only after the
technical opening. Bank accounts are never published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from oxychain.tendering.domain.tender import TenderStatus
from oxychain.transparency.domain.records import (
    AwardRecord,
    Bidder,
    BidStanding,
    ContractingRecords,
    ContractRecord,
    TenderRecord,
)

OCDS_VERSION = "1.1"
BIDS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/"
    "v1.1.5/extension.json"
)
CURRENCY = "INR"
BUYER_ID = "buyer"
_TENDER_STATUS = {
    TenderStatus.PUBLISHED: "active",
    TenderStatus.CLOSED: "active",
    TenderStatus.TECHNICAL_OPENING: "active",
    TenderStatus.TECHNICAL_EVALUATION: "active",
    TenderStatus.FINANCIAL_OPENING: "active",
    TenderStatus.AWARDED: "complete",
    TenderStatus.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Publisher:
    """Who publishes (and buys): the corporation, from the settings."""

    name: str
    address: str
    ocid_prefix: str
    base_uri: str


def release_package(
    records: ContractingRecords, publisher: Publisher, published: datetime
) -> dict[str, Any]:
    """The package of every release of every published tender, newest data as of
    ``published``. With no published tender the package has no releases (the schema
    asks for at least one: there is nothing to publish yet)."""
    releases = [
        release
        for tender in records.tenders
        if tender.status is not TenderStatus.DRAFT
        for release in _releases(tender, records, publisher)
    ]
    return {
        "uri": f"{publisher.base_uri.rstrip('/')}/release-package-{_stamp(published)}.json",
        "version": OCDS_VERSION,
        "extensions": [BIDS_EXTENSION],
        "publishedDate": _iso(published),
        "publisher": {"name": publisher.name},
        "releases": releases,
    }


def ocid(publisher: Publisher, reference: str) -> str:
    """prefix + the tender reference, with anything but letters, digits and '-' as '-'."""
    return f"{publisher.ocid_prefix}-{re.sub(r'[^0-9A-Za-z-]+', '-', reference).strip('-')}"


# --- releases -----------------------------------------------------------------------------


def _releases(tender: TenderRecord, records: ContractingRecords, publisher: Publisher):
    process = ocid(publisher, tender.reference)

    def release(suffix: str, tag: str, when: datetime, **sections: Any) -> dict[str, Any]:
        return {
            "ocid": process,
            "id": f"{process}-{suffix}",
            "date": _iso(when),
            "tag": [tag],
            "initiationType": "tender",
            "parties": _parties(tender, records, publisher),
            "buyer": {"id": BUYER_ID, "name": publisher.name},
            "language": "en",
            **sections,
        }

    yield release("tender", "tender", tender.published_at, tender=_tender(tender, records))
    for corrigendum in tender.corrigenda:
        amended = _tender(tender, records)
        amended["amendments"] = [
            {
                "id": corrigendum.id,
                "date": _iso(corrigendum.published_at),
                "rationale": corrigendum.description,
            }
        ]
        yield release(
            f"corrigendum-{corrigendum.id}",
            "tenderAmendment",
            corrigendum.published_at,
            tender=amended,
        )
    if tender.closed:
        yield release(
            "bids",
            "tenderUpdate",
            tender.deadline,
            tender=_tender(tender, records),
            bids=_bids(tender, records),
        )
    if tender.status is TenderStatus.CANCELLED:
        yield release(
            "cancellation",
            "tenderCancellation",
            tender.cancelled_at or tender.published_at,
            tender=_tender(tender, records),
        )
    for award in tender.awards:
        yield release(
            f"award-{award.id}",
            "award",
            award.date,
            tender={"id": tender.reference},
            awards=[_award(award, tender, records)],
        )
    for contract in tender.contracts:
        tag = "contract" if contract.version == 1 else "contractAmendment"
        yield release(
            f"contract-{contract.id}",
            tag,
            contract.issued_at,
            tender={"id": tender.reference},
            contracts=[_contract(contract, tender, process)],
        )


def _tender(tender: TenderRecord, records: ContractingRecords) -> dict[str, Any]:
    section: dict[str, Any] = {
        "id": tender.reference,
        "title": tender.title,
        "status": _TENDER_STATUS[tender.status],
        "items": [_item(tender, tender.quantity)],
        "procurementMethod": "open",
        "procurementMethodDetails": "Two-bid open e-tender (GFR 2017 rule 163)",
        "mainProcurementCategory": "goods",
        "awardCriteria": "priceOnly",
        "awardCriteriaDetails": "Lowest evaluated price (L1) among technically responsive bids",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {"startDate": _iso(tender.published_at), "endDate": _iso(tender.deadline)},
    }
    if tender.estimated_value is not None:
        section["value"] = _value(tender.estimated_value)
    if tender.closed:
        section["numberOfTenderers"] = len({b.bidder for b in tender.submitted_bids})
    if tender.bids_opened:
        codes = sorted({b.bidder for b in tender.submitted_bids})
        section["tenderers"] = [_reference(records.bidders[c]) for c in codes]
    return section


def _bids(tender: TenderRecord, records: ContractingRecords) -> dict[str, Any]:
    submitted = tender.submitted_bids
    at = _iso(tender.deadline)
    statistics = [
        {"id": "bids", "measure": "bids", "value": len(submitted), "date": at},
        {"id": "electronicBids", "measure": "electronicBids", "value": len(submitted)},
    ]
    if tender.bids_opened:
        valid = [b for b in submitted if b.status is BidStanding.VALID]
        mse = sum(records.bidders[b.bidder].is_mse for b in submitted)
        statistics += [
            {"id": "validBids", "measure": "validBids", "value": len(valid)},
            {"id": "smeBids", "measure": "smeBids", "value": mse, "notes": "Micro and small"},
        ]
        prices = [b.unit_price * tender.quantity for b in valid if b.unit_price is not None]
        if prices:
            statistics += [
                _money_statistic("lowestValidBidValue", min(prices)),
                _money_statistic("highestValidBidValue", max(prices)),
            ]
    section: dict[str, Any] = {"statistics": statistics}
    if tender.bids_opened:
        section["details"] = [_bid(bid, tender, records) for bid in tender.bids]
    return section


def _bid(bid, tender: TenderRecord, records: ContractingRecords) -> dict[str, Any]:  # noqa: ANN001
    detail: dict[str, Any] = {
        "id": bid.id,
        "date": _iso(bid.submitted_at),
        "status": bid.status.value,
        "tenderers": [_reference(records.bidders[bid.bidder])],
    }
    if bid.unit_price is not None and bid.submitted:
        detail["value"] = _value(bid.unit_price * tender.quantity)
    return detail


def _award(award: AwardRecord, tender: TenderRecord, records: ContractingRecords) -> dict:
    return {
        "id": award.id,
        "title": f"{tender.item_name} × {award.quantity}",
        "status": award.status,
        "date": _iso(award.date),
        "value": _value(award.value),
        "suppliers": [_reference(records.bidders[award.supplier])],
        "items": [_item(tender, award.quantity, award.unit_price)],
    }


def _contract(contract: ContractRecord, tender: TenderRecord, process: str) -> dict[str, Any]:
    section: dict[str, Any] = {
        "id": contract.id,
        "awardID": contract.award_id,
        "title": f"Purchase order {contract.number}, version {contract.version}",
        "status": contract.status,
        "value": _value(contract.value),
        "items": [_item(tender, contract.quantity, contract.unit_price)],
        "dateSigned": _iso(contract.issued_at),
    }
    if contract.tranches:
        section["period"] = {
            "startDate": _iso(contract.issued_at),
            "endDate": _iso(max(t.due_date for t in contract.tranches)),
        }
        section["implementation"] = {"milestones": [_milestone(t) for t in contract.tranches]}
    if contract.amends:
        section["amendments"] = [
            {
                "id": contract.id,
                "date": _iso(contract.issued_at),
                "rationale": contract.amendment_reason or "Amended purchase order",
                "amendsReleaseID": f"{process}-contract-{contract.amends}",
                "releaseID": f"{process}-contract-{contract.id}",
            }
        ]
    return section


def _milestone(tranche) -> dict[str, Any]:  # noqa: ANN001
    if tranche.delivered_quantity >= tranche.quantity and tranche.delivered_on:
        status = "met"
    elif tranche.delivered_quantity > 0:
        status = "partiallyMet"
    else:
        status = "scheduled"
    milestone: dict[str, Any] = {
        "id": f"tranche-{tranche.id or tranche.number}",
        "title": f"Tranche {tranche.number}: {tranche.quantity} units to {tranche.consignee}",
        "type": "delivery",
        "dueDate": _iso(tranche.due_date),
        "status": status,
    }
    if status == "met":
        milestone["dateMet"] = _iso(tranche.delivered_on)
    return milestone


# --- parts --------------------------------------------------------------------------------


def _parties(
    tender: TenderRecord, records: ContractingRecords, publisher: Publisher
) -> list[dict[str, Any]]:
    roles: dict[str, set[str]] = {}
    if tender.bids_opened:
        for bid in tender.submitted_bids:
            roles.setdefault(bid.bidder, set()).add("tenderer")
    for award in tender.awards:
        roles.setdefault(award.supplier, set()).add("supplier")
    buyer = {
        "id": BUYER_ID,
        "name": publisher.name,
        "address": {"streetAddress": publisher.address, "countryName": "India"},
        "roles": ["buyer", "procuringEntity"],
    }
    return [buyer] + [_party(records.bidders[code], roles[code]) for code in sorted(roles)]


def _party(bidder: Bidder, roles: set[str]) -> dict[str, Any]:
    party: dict[str, Any] = {"id": bidder.code, "name": bidder.name, "roles": sorted(roles)}
    if bidder.address:
        party["address"] = {"streetAddress": bidder.address, "countryName": "India"}
    contact = {k: v for k, v in (("email", bidder.email), ("telephone", bidder.phone)) if v}
    if contact:
        party["contactPoint"] = contact
    return party


def _reference(bidder: Bidder) -> dict[str, str]:
    return {"id": bidder.code, "name": bidder.name}


def _item(tender: TenderRecord, quantity: int, unit_price: Decimal | None = None) -> dict:
    unit: dict[str, Any] = {"name": "unit"}
    if unit_price is not None:
        unit["value"] = _value(unit_price)
    return {
        "id": tender.item_code,
        "description": tender.item_name,
        "quantity": quantity,
        "unit": unit,
    }


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": _number(amount), "currency": CURRENCY}


def _money_statistic(measure: str, amount: Decimal) -> dict[str, Any]:
    return {"id": measure, "measure": measure, "value": _number(amount), "currency": CURRENCY}


def _number(amount: Decimal) -> int | float:
    rounded = amount.quantize(Decimal("0.01"))
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def _iso(moment: datetime | date) -> str:
    """RFC 3339 in UTC; a date is its midnight IST (+05:30), the day it falls due in India."""
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return datetime.combine(moment, time()).isoformat() + "+05:30"


def _stamp(moment: datetime) -> str:
    return _iso(moment).replace(":", "").replace("-", "")
