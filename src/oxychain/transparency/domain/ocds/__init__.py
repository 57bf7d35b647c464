"""An Open Contracting Data Standard 1.1 release package from the contracting records:
each release a snapshot of one event (``releases``), parties and items with their
identifiers and classifications (``parts``), the publisher and its settings
(``publisher``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from oxychain.tendering.domain.tender import TenderStatus
from oxychain.transparency.domain.ocds import parts
from oxychain.transparency.domain.ocds.publisher import Publisher, check_publishable
from oxychain.transparency.domain.ocds.releases import Process, Transactions, ocid
from oxychain.transparency.domain.records import ContractingRecords

OCDS_VERSION = "1.1"
BIDS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/"
    "v1.1.5/extension.json"
)

__all__ = [
    "BIDS_EXTENSION",
    "Publisher",
    "check_publishable",
    "contract_suppliers",
    "ocid",
    "release_package",
]


def release_package(
    records: ContractingRecords,
    publisher: Publisher,
    published: datetime,
    transactions: Transactions | None = None,
) -> dict[str, Any]:
    """The package of every release of every published tender as of ``published``. With
    no published tender the package has no releases (nothing to publish yet)."""
    releases = [
        release
        for tender in records.tenders
        if tender.status is not TenderStatus.DRAFT
        for release in Process(tender, records, publisher, transactions or {}).releases()
    ]
    package: dict[str, Any] = {
        "uri": f"{publisher.base_uri.rstrip('/')}/release-package-{parts.stamp(published)}.json",
        "version": OCDS_VERSION,
        "extensions": [BIDS_EXTENSION],
        "publishedDate": parts.iso(published),
        "publisher": {"name": publisher.name},
        "releases": releases,
    }
    if publisher.scheme and publisher.uid:
        package["publisher"] |= {"scheme": publisher.scheme, "uid": publisher.uid}
    if publisher.uri:
        package["publisher"]["uri"] = publisher.uri
    if publisher.license:
        package["license"] = publisher.license
    if publisher.publication_policy:
        package["publicationPolicy"] = publisher.publication_policy
    return package


def contract_suppliers(records: ContractingRecords, publisher: Publisher) -> dict[str, dict]:
    """Contract id → its supplier's organization reference (for finance's transactions)."""
    return {
        contract.id: parts.reference(records.bidders[contract.supplier], publisher)
        for tender in records.tenders
        for contract in tender.contracts
    }


def buyer_reference(publisher: Publisher) -> dict[str, str]:
    return parts.buyer_reference(publisher)
