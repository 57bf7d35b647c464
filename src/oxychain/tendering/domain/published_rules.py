"""The rules frozen when a tender is published: everything a bidder relies on, and the
hash published with the tender so that no later change goes unseen."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

FROZEN_FIELDS = (
    "reference",
    "title",
    "title_hi",
    "item_id",
    "quantity",
    "estimated_value_paise",
    "emd_bp",
    "emd_paise",
    "bid_security_mode",
    "declaration_suspension_months",
    "performance_security_bp",
    "ld_bp_per_week",
    "ld_cap_bp",
    "warranty_months",
    "bid_validity_days",
    "mii_preference",
    "mii_l1_share_bp",
    "mii_margin_bp",
    "mse_preference",
    "mse_share_bp",
    "mse_margin_bp",
    "preference_order",
    "mii_class_i_pct",
    "mii_class_ii_pct",
    "mii_class_i_only",
    "global_tender",
    "openers_required",
    "aql",
    "inspection_level",
)


def frozen(
    tender: Any, criteria: Sequence[Any], consignees: Sequence[Any], committee: Sequence[Any]
) -> dict[str, Any]:
    """Everything a bidder relies on: terms, criteria, consignees and the committee's keys."""
    out: dict[str, Any] = {name: getattr(tender, name) for name in FROZEN_FIELDS}
    out["deadline"] = tender.deadline.isoformat()
    out["opening_at"] = tender.opening_at.isoformat()
    out["criteria"] = [[c.key, c.requirement] for c in criteria]
    out["consignees"] = [[c.tranche, c.warehouse_id, c.quantity, c.due_days] for c in consignees]
    out["committee"] = [[m.opener_id, m.public_key] for m in committee]
    return out


def rules_hash(rules: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the frozen rules; published with the tender."""
    text = json.dumps(rules, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
