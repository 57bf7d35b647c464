"""Criteria a bid is evaluated on: eligibility first, then one technical criterion per limit
of the item's specification (the catalogue's limits, each with its source)."""

from __future__ import annotations

from dataclasses import dataclass

from oxychain.masterdata.domain.catalogue import Item

SRC_GFR_151 = "GFR 2017 rule 151 (debarment)"
SRC_ELIGIBILITY = "Manual for Procurement of Goods 2017, eligibility and qualification criteria"


@dataclass(frozen=True)
class Criterion:
    key: str
    kind: str  # eligibility | technical
    label: str
    label_hi: str
    requirement: str
    source: str


ELIGIBILITY = (
    Criterion(
        "registered_firm",
        "eligibility",
        "Registered firm with a valid GST registration",
        "वैध जीएसटी पंजीकरण वाली पंजीकृत फर्म",
        "required",
        SRC_ELIGIBILITY,
    ),
    Criterion(
        "manufacturer_or_authorised",
        "eligibility",
        "Manufacturer, or dealer authorised by the manufacturer",
        "निर्माता, या निर्माता द्वारा अधिकृत डीलर",
        "required",
        SRC_ELIGIBILITY,
    ),
    Criterion(
        "not_debarred",
        "eligibility",
        "Not debarred by any government buyer",
        "किसी सरकारी क्रेता द्वारा प्रतिबंधित नहीं",
        "required",
        SRC_GFR_151,
    ),
)


def criteria_for(item: Item) -> tuple[Criterion, ...]:
    """Eligibility criteria, then one technical criterion per limit of the item's spec."""
    technical = tuple(
        Criterion(
            limit.key, "technical", limit.label, limit.label_hi, limit.describe(), limit.source
        )
        for limit in item.limits
    )
    return ELIGIBILITY + technical
