"""Finance settings: default payment terms, statutory deductions as dated rates, and the
names Tally knows the corporation's ledgers by."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Dated rates: each {"from": day it applies from, "rate_bp", "threshold_rupees", "source"};
# the newest that started on or before a bill's date applies.
TDS_GST = [
    {
        "from": "2018-10-01",
        "rate_bp": 200,
        "threshold_rupees": 250000,
        "source": "CGST Act 2017 s. 51 with SGST (1 % + 1 %), notification 50/2018-Central Tax, "
        "from 01-10-2018; UNVERIFIED that the corporation is a notified deductor",
    }
]
TDS_INCOME_TAX = [
    {
        "from": "2021-07-01",
        "rate_bp": 10,
        "threshold_rupees": 5000000,
        "source": "Income-tax Act 1961 s. 194Q (Finance Act 2021), from 01-07-2021; "
        "UNVERIFIED that it applies to the corporation as buyer",
    }
]
TALLY_LEDGERS = {
    "purchases": "Purchase of medical equipment",
    "bank": "State treasury bank account",
    "tds_gst": "TDS payable under GST",
    "tds_income_tax": "TDS payable under income tax (194Q)",
    "liquidated_damages": "Liquidated damages recovered",
    "recovery": "Recoveries from suppliers",
}


class FinanceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    finance_milestones: list[tuple[str, int]] = Field(
        [("receipt", 8000), ("installation", 2000)],
        description="Default payment milestones of a tender that sets none: [event, share in "
        "basis points], events receipt and installation (JSON; 80 % / 20 % is common practice, "
        "UNVERIFIED default).",
    )
    finance_pay_within_days: int = Field(
        30, description="Default days within which a submitted bill should be paid (UNVERIFIED)."
    )
    finance_recovery_rupees_per_day: int = Field(
        500,
        description="Default recovery per day a warranty fault stays unresolved past its SLA "
        "(₹ per device per day; UNVERIFIED default, a tender sets its own).",
    )
    finance_tds_gst: list[dict] = Field(
        TDS_GST,
        description="TDS under GST as dated rates: [{from, rate_bp, threshold_rupees, source}] "
        "(JSON); deducted on the taxable value when the contract's value exceeds the threshold "
        "(2 % above ₹2,50,000 from 01-10-2018; UNVERIFIED).",
    )
    finance_tds_income_tax: list[dict] = Field(
        TDS_INCOME_TAX,
        description="TDS under income tax as dated rates (JSON, as above); deducted on the part "
        "of a financial year's purchases from a supplier above the threshold (s. 194Q: 0.1 % "
        "above ₹50,00,000 from 01-07-2021; UNVERIFIED).",
    )
    finance_tally_company: str = Field(
        "",
        description="The company name in Tally the vouchers go to (SVCURRENTCOMPANY); empty: the "
        "company open in Tally.",
    )
    finance_tally_ledgers: dict[str, str] = Field(
        TALLY_LEDGERS,
        description="Tally ledger names for purchases, bank, tds_gst, tds_income_tax, "
        "liquidated_damages and recovery (JSON); suppliers' ledgers are their names.",
    )
