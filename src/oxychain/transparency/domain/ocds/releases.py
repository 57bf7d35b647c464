"""The releases of one contracting process, each a snapshot of what was public at its date.

Each published tender is one contracting process (``ocid`` = prefix + reference) with a
release for each event (DOMAIN.md, "Open contracting (OCDS 1.1)"):

- ``planning`` when the tender was drafted (tender.status ``planned``);
- ``tender`` at publication (``active``), ``tenderAmendment`` for each corrigendum;
- ``tenderUpdate`` at the deadline (the number of bids), at the technical opening (who
  bid), at the end of the technical evaluation (which bids are valid) and at the
  financial opening (the bids' values);
- ``tenderCancellation``; ``award`` for each award (the tender ``complete``);
- ``contract`` for each purchase order and ``contractAmendment`` for each later version
  (one stable contract id); ``implementation`` at each delivery and each payment or
  deduction, with the milestones and transactions known by then.

A release never states a fact dated after it, so a compiled record's history is true:
its ``tender.status`` reads planned, active, complete with the dates they happened.
Nothing sealed leaves: a bid's value appears only once its financial cover is opened,
bidders are named only after the technical opening, bank accounts never.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from oxychain.tendering.domain.tender import TenderStatus
from oxychain.transparency.domain.ocds import parts
from oxychain.transparency.domain.ocds.publisher import Publisher
from oxychain.transparency.domain.records import (
    AwardRecord,
    BidStanding,
    ContractingRecords,
    ContractRecord,
    TenderRecord,
)

Transactions = Mapping[str, list[dict[str, Any]]]


def ocid(publisher: Publisher, reference: str) -> str:
    """prefix + the tender reference, with anything but letters, digits and '-' as '-'."""
    return f"{publisher.ocid_prefix}-{re.sub(r'[^0-9A-Za-z-]+', '-', reference).strip('-')}"


class Process:
    """One tender's releases, built for a publisher from the records."""

    def __init__(
        self,
        tender: TenderRecord,
        records: ContractingRecords,
        publisher: Publisher,
        transactions: Transactions,
    ) -> None:
        self.tender, self.records, self.publisher = tender, records, publisher
        self.transactions = transactions
        self.ocid = ocid(publisher, tender.reference)

    # --- the events -------------------------------------------------------------------

    def releases(self) -> Iterator[dict[str, Any]]:
        t = self.tender
        if t.created_at is not None and t.published_at and t.created_at < t.published_at:
            yield self.release("planning", "planning", t.created_at)
        yield self.release("tender", "tender", t.published_at)
        for c in t.corrigenda:
            yield self.release(f"corrigendum-{c.id}", "tenderAmendment", c.published_at)
        if t.closed:
            yield self.release("bids", "tenderUpdate", t.deadline)
        steps = (("opening", t.opened_at), ("evaluation", t.evaluated_at))
        for name, at in (*steps, ("prices", t.prices_opened_at)):
            if at is not None and t.bids_opened:
                yield self.release(name, "tenderUpdate", at)
        if t.status is TenderStatus.CANCELLED:
            yield self.release("cancellation", "tenderCancellation", t.cancelled_at)
        for award in t.awards:
            yield self.release(f"award-{award.id}", "award", award.date, awards=[award])
        for contract in t.contracts:
            tag = "contract" if contract.version == 1 else "contractAmendment"
            yield self.release(
                _contract_release(contract), tag, contract.issued_at, contract=contract
            )
        yield from self.implementation()

    def implementation(self) -> Iterator[dict[str, Any]]:
        """A release at each delivery, payment or deduction of each contract."""
        by_number: dict[str, list[ContractRecord]] = {}
        for contract in self.tender.contracts:
            by_number.setdefault(contract.number, []).append(contract)
        for number, versions in by_number.items():
            moments = {
                parts.day(tr.delivered_on) for v in versions for tr in v.tranches if tr.delivered_on
            }
            moments |= {parts.moment(x["date"]) for x in self.transactions.get(number, [])}
            for at in sorted(moments):
                in_force = [v for v in versions if v.issued_at <= at]
                if in_force:
                    suffix = f"implementation-{number}-{parts.stamp(at)}"
                    yield self.release(suffix, "implementation", at, contract=in_force[-1])

    # --- one release ------------------------------------------------------------------

    def release(
        self,
        suffix: str,
        tag: str,
        when: datetime | None,
        awards: list[AwardRecord] | None = None,
        contract: ContractRecord | None = None,
    ) -> dict[str, Any]:
        at = when or self.tender.published_at
        out: dict[str, Any] = {
            "ocid": self.ocid,
            "id": f"{self.ocid}-{re.sub(r'[^0-9A-Za-z-]+', '-', suffix)}",
            "date": parts.iso(at),
            "tag": [tag],
            "initiationType": "tender",
            "language": "en",
            "parties": self.parties(at),
            "buyer": parts.buyer_reference(self.publisher),
            "tender": self.tender_section(at),
        }
        if tag == "planning":
            out["planning"] = {"rationale": "Concentrators for the districts' requirement"}
        bids = self.bids_section(at)
        if bids:
            out["bids"] = bids
        if awards:
            out["awards"] = [self.award(a) for a in awards]
        if contract is not None:
            out["contracts"] = [self.contract(contract, at)]
        return out

    def parties(self, at: datetime) -> list[dict[str, Any]]:
        t = self.tender
        roles: dict[str, set[str]] = {}
        if t.opened_at is not None and t.opened_at <= at and t.bids_opened:
            for bid in t.submitted_bids:
                roles.setdefault(bid.bidder, set()).add("tenderer")
        for award in t.awards:
            if award.date <= at:
                roles.setdefault(award.supplier, set()).add("supplier")
        suppliers = [
            parts.supplier_party(self.records.bidders[code], roles[code], self.publisher)
            for code in sorted(roles)
        ]
        return [parts.buyer_party(self.publisher), *suppliers]

    def status(self, at: datetime) -> str:
        t = self.tender
        if t.cancelled_at is not None and at >= t.cancelled_at:
            return "cancelled"
        if t.awarded_at is not None and at >= t.awarded_at and t.status is TenderStatus.AWARDED:
            return "complete"
        if t.published_at is not None and at >= t.published_at:
            return "active"
        return "planned"

    def tender_section(self, at: datetime) -> dict[str, Any]:
        t, pub = self.tender, self.publisher
        status = self.status(at)
        section: dict[str, Any] = {
            "id": t.reference,
            "title": t.title,
            "status": status,
            "items": [parts.item(t, t.quantity, pub)],
            "procuringEntity": parts.buyer_reference(pub),
            "mainProcurementCategory": "goods",
        }
        if t.title_hi:
            section["title_hi"] = t.title_hi
        if t.estimated_value is not None:
            section["value"] = parts.value(t.estimated_value)
        if status == "planned":
            return section
        section |= {
            "procurementMethod": "open",
            "procurementMethodDetails": "Two-bid open e-tender (GFR 2017 rule 163)",
            "awardCriteria": "priceOnly",
            "awardCriteriaDetails": "Lowest evaluated price (L1) among technically responsive bids",
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": {
                "startDate": parts.iso(t.published_at),
                "endDate": parts.iso(t.deadline_on(at)),
            },
            "documents": self.tender_documents(at),
        }
        amendments = [c for c in t.corrigenda if c.published_at <= at]
        if amendments:
            section["amendments"] = [
                {"id": c.id, "date": parts.iso(c.published_at), "rationale": c.description}
                for c in amendments
            ]
        if t.closed and t.deadline <= at:
            section["numberOfTenderers"] = len({b.bidder for b in t.submitted_bids})
        if t.bids_opened and t.opened_at is not None and t.opened_at <= at:
            codes = sorted({b.bidder for b in t.submitted_bids})
            section["tenderers"] = [parts.reference(self.records.bidders[c], pub) for c in codes]
        return section

    def tender_documents(self, at: datetime) -> list[dict[str, Any]]:
        t, pub, ref = self.tender, self.publisher, self.tender.reference
        notice = f"/public/tenders/{ref}"
        docs = [
            parts.document(pub, "notice", "tenderNotice", "Tender notice", notice, t.published_at)
        ]
        for c in t.corrigenda:
            if c.published_at <= at:
                path = f"{notice}#corrigenda"  # the notice lists every corrigendum
                title = f"Corrigendum {c.id}"
                docs.append(
                    parts.document(
                        pub, f"corrigendum-{c.id}", "tenderNotice", title, path, c.published_at
                    )
                )
        if t.evaluated_at is not None and t.evaluated_at <= at and t.bids_opened:
            path = f"/tenders/{ref}/comparative"
            docs.append(
                parts.document(
                    pub,
                    "evaluation",
                    "evaluationReports",
                    "Comparative statement",
                    path,
                    t.evaluated_at,
                )
            )
        if t.awarded_at is not None and t.awarded_at <= at and self.status(at) == "complete":
            docs.append(
                parts.document(
                    pub,
                    "award-notice",
                    "awardNotice",
                    "Award notice",
                    f"{notice}#awards",
                    t.awarded_at,
                )
            )
        return docs

    def bids_section(self, at: datetime) -> dict[str, Any] | None:
        t = self.tender
        if not (t.closed and t.deadline <= at):
            return None
        submitted = t.submitted_bids
        stamp = parts.iso(t.deadline)
        statistics: list[dict[str, Any]] = [
            {"id": "bids", "measure": "bids", "value": len(submitted), "date": stamp},
            {
                "id": "electronicBids",
                "measure": "electronicBids",
                "value": len(submitted),
                "date": stamp,
            },
        ]
        opened = t.bids_opened and t.opened_at is not None and t.opened_at <= at
        if not opened:
            return {"statistics": statistics}
        evaluated = t.evaluated_at is not None and t.evaluated_at <= at
        priced = t.prices_opened_at is not None and t.prices_opened_at <= at
        mse = sum(self.records.bidders[b.bidder].is_mse for b in submitted)
        statistics.append(
            {"id": "smeBids", "measure": "smeBids", "value": mse, "date": parts.iso(t.opened_at),
             "notes": "Micro and small enterprises (MSE Order 2012)"}
        )  # fmt: skip
        if evaluated:
            valid = [b for b in submitted if b.status is BidStanding.VALID]
            statistics.append(
                {"id": "validBids", "measure": "validBids", "value": len(valid),
                 "date": parts.iso(t.evaluated_at)}
            )  # fmt: skip
            prices = [b.unit_price * t.quantity for b in valid if b.unit_price is not None]
            if priced and prices:
                on = parts.iso(t.prices_opened_at)
                statistics += [
                    parts.money_statistic("lowestValidBidValue", min(prices), on),
                    parts.money_statistic("highestValidBidValue", max(prices), on),
                ]
        details = []
        for bid in t.bids:
            standing = bid.status
            if standing is not BidStanding.WITHDRAWN and not evaluated:
                standing = BidStanding.PENDING
            detail: dict[str, Any] = {
                "id": bid.id,
                "date": parts.iso(bid.submitted_at),
                "status": standing.value,
                "tenderers": [parts.reference(self.records.bidders[bid.bidder], self.publisher)],
            }
            if priced and bid.unit_price is not None and bid.submitted:
                detail["value"] = parts.value(bid.unit_price * t.quantity)
            details.append(detail)
        return {"statistics": statistics, "details": details}

    def award(self, award: AwardRecord) -> dict[str, Any]:
        t, pub = self.tender, self.publisher
        out: dict[str, Any] = {
            "id": award.id,
            "title": f"{t.item_name} × {award.quantity}",
            "status": award.status,
            "date": parts.iso(award.date),
            "value": parts.value(award.value),
            "suppliers": [parts.reference(self.records.bidders[award.supplier], pub)],
            "items": [parts.item(t, award.quantity, pub, award.unit_price)],
        }
        if t.item_name_hi:
            out["title_hi"] = f"{t.item_name_hi} × {award.quantity}"
        if award.bid_id and award.bid_id.startswith("BID-"):
            path = f"/bids/{award.bid_id.removeprefix('BID-')}/letter-of-award"
            title = f"Letter of award {award.letter_number}".strip()
            out["documents"] = [
                parts.document(pub, f"loa-{award.id}", "awardNotice", title, path, award.date)
            ]
        return out

    def contract(self, contract: ContractRecord, at: datetime) -> dict[str, Any]:
        t, pub = self.tender, self.publisher
        section: dict[str, Any] = {
            "id": contract.id,
            "awardID": contract.award_id,
            "title": f"Purchase order {contract.number}",
            "status": contract.status,
            "value": parts.value(contract.value),
            "items": [parts.item(t, contract.quantity, pub, contract.unit_price)],
            "dateSigned": parts.iso(self._first_issue(contract)),
        }
        if contract.order_id is not None:
            number = contract.version_number or contract.number
            path = f"/purchase-orders/{contract.order_id}/pdf"
            section["documents"] = [
                parts.document(pub, f"po-{contract.version}", "contractSigned",
                               f"Purchase order {number}", path, contract.issued_at)
            ]  # fmt: skip
        if contract.tranches:
            section["period"] = {
                "startDate": parts.iso(contract.issued_at),
                "endDate": parts.iso(max(tr.due_date for tr in contract.tranches)),
            }
            implementation: dict[str, Any] = {
                "milestones": [parts.milestone(tr, at) for tr in contract.tranches]
            }
            paid = [
                x
                for x in self.transactions.get(contract.number, [])
                if parts.moment(x["date"]) <= at
            ]
            if paid:
                implementation["transactions"] = paid
            section["implementation"] = implementation
        amendments = [v for v in self.tender.contracts if v.number == contract.number]
        amendments = [v for v in amendments if 1 < v.version <= contract.version]
        if amendments:
            section["amendments"] = [self._amendment(v) for v in amendments]
        return section

    def _amendment(self, version: ContractRecord) -> dict[str, Any]:
        before = _version(self.tender, version.number, version.version - 1) or version
        return {
            "id": f"{version.number}-A{version.version - 1}",
            "date": parts.iso(version.issued_at),
            "rationale": version.amendment_reason or "Amended purchase order",
            "amendsReleaseID": f"{self.ocid}-{_contract_release(before)}",
            "releaseID": f"{self.ocid}-{_contract_release(version)}",
        }

    def _first_issue(self, contract: ContractRecord) -> datetime:
        first = _version(self.tender, contract.number, 1)
        return first.issued_at if first else contract.issued_at


def _version(tender: TenderRecord, number: str, version: int) -> ContractRecord | None:
    return next((c for c in tender.contracts if c.number == number and c.version == version), None)


def _contract_release(contract: ContractRecord) -> str:
    return re.sub(r"[^0-9A-Za-z-]+", "-", f"contract-{contract.number}-v{contract.version}")
