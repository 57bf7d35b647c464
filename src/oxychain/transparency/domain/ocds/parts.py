"""The building blocks of a release: parties with their identifiers, items with their
classification and unit, values, documents and times (OCDS 1.1 schema)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from oxychain.core.clock import IST
from oxychain.transparency.domain.ocds.publisher import Publisher
from oxychain.transparency.domain.records import Bidder, TenderRecord, TrancheRecord

CURRENCY = "INR"
# UN/CEFACT Recommendation 20 (OCDS unitClassificationScheme "UNCEFACT"): H87 is "piece".
UNIT = {"scheme": "UNCEFACT", "id": "H87", "name": "piece"}


def buyer_party(publisher: Publisher) -> dict[str, Any]:
    """The corporation: it buys, and it runs the tender (procuring entity)."""
    party: dict[str, Any] = {
        "id": publisher.party_id,
        "name": publisher.name,
        "address": _address(publisher.address, publisher.locality, publisher.region),
        "roles": ["buyer", "procuringEntity"],
    }
    if publisher.postal_code:
        party["address"]["postalCode"] = publisher.postal_code
    if publisher.scheme and publisher.uid:
        party["identifier"] = {
            "scheme": publisher.scheme,
            "id": publisher.uid,
            "legalName": publisher.name,
        }
        if publisher.uri:
            party["identifier"]["uri"] = publisher.uri
    return party


def buyer_reference(publisher: Publisher) -> dict[str, str]:
    return {"id": publisher.party_id, "name": publisher.name}


def party_id(bidder: Bidder, publisher: Publisher) -> str:
    """A supplier's id across every process: its GSTIN with the scheme (stable, as
    Cardinal's indicators assume), else the supplier's code in the register."""
    if bidder.gstin:
        return f"{publisher.gstin_scheme}-{bidder.gstin}"
    return f"oxychain-supplier-{bidder.code}"


def supplier_party(bidder: Bidder, roles: set[str], publisher: Publisher) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": party_id(bidder, publisher),
        "name": bidder.name,
        "roles": sorted(roles),
    }
    identifiers = [
        (publisher.gstin_scheme, bidder.gstin),
        (publisher.pan_scheme, bidder.pan),
        (publisher.udyam_scheme, bidder.udyam),
    ]
    given = [{"scheme": s, "id": i, "legalName": bidder.name} for s, i in identifiers if i]
    if given:
        party["identifier"] = given[0]
        if given[1:]:
            party["additionalIdentifiers"] = given[1:]
    if bidder.address:
        party["address"] = _address(bidder.address)
    contact = {k: v for k, v in (("email", bidder.email), ("telephone", bidder.phone)) if v}
    if contact:
        party["contactPoint"] = contact
    if bidder.is_mse:
        # partyScale codelist: "sme" (the MSE Order 2012's micro and small enterprises).
        party["details"] = {"scale": "sme"}
    return party


def reference(bidder: Bidder, publisher: Publisher) -> dict[str, str]:
    return {"id": party_id(bidder, publisher), "name": bidder.name}


def _address(street: str, locality: str = "", region: str = "") -> dict[str, str]:
    address = {"streetAddress": street, "countryName": "India"}
    if locality:
        address["locality"] = locality
    if region:
        address["region"] = region
    return address


def item(
    tender: TenderRecord, quantity: int, publisher: Publisher, unit_price: Decimal | None = None
) -> dict[str, Any]:
    unit: dict[str, Any] = dict(UNIT)
    if unit_price is not None:
        unit["value"] = value(unit_price)
    out: dict[str, Any] = {
        "id": tender.item_code,
        "description": tender.item_name,
        "classification": {
            "scheme": publisher.item_scheme,
            "id": publisher.item_code,
            "description": publisher.item_label,
        },
        "quantity": quantity,
        "unit": unit,
    }
    if tender.item_name_hi:
        out["description_hi"] = tender.item_name_hi
    return out


def document(
    publisher: Publisher, doc_id: str, kind: str, title: str, path: str, when: datetime
) -> dict[str, Any]:
    """A document the app serves, by its address (documentType codelist)."""
    return {
        "id": doc_id,
        "documentType": kind,
        "title": title,
        "url": f"{publisher.documents_uri.rstrip('/')}{path}",
        "datePublished": iso(when),
        "format": "application/pdf" if path.endswith("pdf") or "letter" in path else "text/html",
        "language": "en",
    }


def value(amount: Decimal) -> dict[str, Any]:
    return {"amount": number(amount), "currency": CURRENCY}


def money_statistic(measure: str, amount: Decimal, at: str) -> dict[str, Any]:
    return {
        "id": measure,
        "measure": measure,
        "value": number(amount),
        "currency": CURRENCY,
        "date": at,
    }


def number(amount: Decimal) -> int | float:
    rounded = amount.quantize(Decimal("0.01"))
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def iso(moment: datetime | date) -> str:
    """RFC 3339 in UTC; a date is its midnight IST (+05:30), the day it falls due in India."""
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return datetime.combine(moment, time()).isoformat() + "+05:30"


def moment(text: str) -> datetime:
    """An OCDS date back as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp(when: datetime) -> str:
    return iso(when).replace(":", "").replace("-", "")


def day(on: date) -> datetime:
    """A day as its midnight in India, as an aware time."""
    return datetime.combine(on, time(), tzinfo=IST).astimezone(UTC)


def milestone(tranche: TrancheRecord, at: datetime) -> dict[str, Any]:
    delivered = tranche.delivered_on is not None and day(tranche.delivered_on) <= at
    if delivered and tranche.delivered_quantity >= tranche.quantity:
        status = "met"
    elif delivered and tranche.delivered_quantity > 0:
        status = "partiallyMet"
    else:
        status = "scheduled"
    milestone: dict[str, Any] = {
        "id": f"tranche-{tranche.id or tranche.number}",
        "title": f"Tranche {tranche.number}: {tranche.quantity} units to {tranche.consignee}",
        "type": "delivery",
        "dueDate": iso(tranche.due_date),
        "status": status,
    }
    if status == "met":
        milestone["dateMet"] = iso(tranche.delivered_on)
    return milestone
