"""Bills and payments as Tally vouchers, in Tally's XML import format, so that the accounts
office books them without retyping (TallyPrime / Tally.ERP 9: Gateway of Tally → Import →
Transactions, or an HTTP POST to Tally's port).

The envelope is the one Tally's developer reference documents for importing data
("Integration using XML", "Case Study I – XML Request and Response Formats", "Significance
of Tags"): ENVELOPE / HEADER / TALLYREQUEST "Import Data", then BODY / IMPORTDATA with a
REQUESTDESC (REPORTNAME "Vouchers", or "All Masters" for ledgers; STATICVARIABLES /
SVCURRENTCOMPANY names the company) and REQUESTDATA holding one TALLYMESSAGE per object.
A voucher (VOUCHER VCHTYPE=… ACTION="Create") carries DATE as yyyymmdd, VOUCHERTYPENAME,
VOUCHERNUMBER, PARTYLEDGERNAME, NARRATION and one ALLLEDGERENTRIES.LIST per ledger: a debit
is ISDEEMEDPOSITIVE "Yes" with a negative AMOUNT, a credit "No" with a positive one, and the
amounts of a voucher add up to zero. BILLALLOCATIONS.LIST on the supplier's ledger keeps
Tally's bill-wise outstanding by our bill number ("New Ref" when the bill is booked, "Agst
Ref" when it is paid).

Passing a bill books a Journal: Dr purchases (its gross, GST included: the corporation is
taken not to claim input credit), Cr the supplier (the net), Cr each deduction's ledger.
A payment is a Payment voucher: Dr the supplier, Cr the bank, the UTR in the narration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from oxychain.finance.domain.money import RUPEE

#: The ledger groups of Tally's default chart of accounts that the masters go under.
GROUPS = {
    "supplier": "Sundry Creditors",
    "purchases": "Purchase Accounts",
    "bank": "Bank Accounts",
    "tds_gst": "Duties & Taxes",
    "tds_income_tax": "Duties & Taxes",
    "liquidated_damages": "Indirect Incomes",
    "recovery": "Indirect Incomes",
}


@dataclass(frozen=True)
class Entry:
    ledger: str
    amount_paise: int  # a debit is positive here; Tally writes it negative
    party: bool = False
    bill: tuple[str, str] | None = None  # (bill number, "New Ref" | "Agst Ref")


@dataclass(frozen=True)
class Voucher:
    kind: str  # Journal | Payment
    number: str
    on: date
    party: str
    narration: str
    entries: tuple[Entry, ...]

    def balanced(self) -> bool:
        return sum(e.amount_paise for e in self.entries) == 0


def booking(
    bill: str,
    on: date,
    supplier: str,
    gross: int,
    net: int,
    deductions: Sequence[tuple[str, int]],
    ledgers: dict[str, str],
    narration: str,
) -> Voucher:
    """The Journal that books a passed bill: deductions is [(kind, amount)]."""
    entries = [
        Entry(ledgers["purchases"], gross),
        Entry(supplier, -net, party=True, bill=(bill, "New Ref")),
        *(Entry(ledgers[kind], -amount) for kind, amount in deductions if amount),
    ]
    return Voucher("Journal", bill, on, supplier, narration, tuple(_merge(entries)))


def payment(
    number: str,
    bill: str,
    on: date,
    supplier: str,
    amount: int,
    ledgers: dict[str, str],
    narration: str,
) -> Voucher:
    entries = (
        Entry(supplier, amount, party=True, bill=(bill, "Agst Ref")),
        Entry(ledgers["bank"], -amount),
    )
    return Voucher("Payment", number, on, supplier, narration, entries)


def _merge(entries: list[Entry]) -> list[Entry]:
    """One entry per ledger (two deductions to one ledger are one credit)."""
    out: dict[str, Entry] = {}
    for e in entries:
        if e.ledger in out:
            old = out[e.ledger]
            out[e.ledger] = Entry(e.ledger, old.amount_paise + e.amount_paise, old.party, old.bill)
        else:
            out[e.ledger] = e
    return list(out.values())


def amount(paise: int) -> str:
    """Tally's amount: rupees with two decimals, a debit negative."""
    return f"{Decimal(-paise) / RUPEE:.2f}"


def _envelope(report: str, company: str) -> tuple[Element, Element]:
    envelope = Element("ENVELOPE")
    SubElement(SubElement(envelope, "HEADER"), "TALLYREQUEST").text = "Import Data"
    data = SubElement(SubElement(envelope, "BODY"), "IMPORTDATA")
    desc = SubElement(data, "REQUESTDESC")
    SubElement(desc, "REPORTNAME").text = report
    if company:
        SubElement(SubElement(desc, "STATICVARIABLES"), "SVCURRENTCOMPANY").text = company
    return envelope, SubElement(data, "REQUESTDATA")


def _message(parent: Element) -> Element:
    return SubElement(parent, "TALLYMESSAGE", {"xmlns:UDF": "TallyUDF"})


def _text(parent: Element, tag: str, value: str) -> None:
    SubElement(parent, tag).text = value


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def vouchers_xml(vouchers: Sequence[Voucher], company: str) -> bytes:
    envelope, data = _envelope("Vouchers", company)
    for v in vouchers:
        if not v.balanced():
            raise ValueError(f"voucher {v.number} does not balance")
        attrs = {"VCHTYPE": v.kind, "ACTION": "Create", "OBJVIEW": "Accounting Voucher View"}
        node = SubElement(_message(data), "VOUCHER", attrs)
        _text(node, "DATE", v.on.strftime("%Y%m%d"))
        _text(node, "VOUCHERTYPENAME", v.kind)
        _text(node, "VOUCHERNUMBER", v.number)
        _text(node, "PARTYLEDGERNAME", v.party)
        _text(node, "NARRATION", v.narration)
        _text(node, "PERSISTEDVIEW", "Accounting Voucher View")
        for e in v.entries:
            line = SubElement(node, "ALLLEDGERENTRIES.LIST")
            _text(line, "LEDGERNAME", e.ledger)
            _text(line, "ISDEEMEDPOSITIVE", _yes(e.amount_paise > 0))
            _text(line, "ISPARTYLEDGER", _yes(e.party))
            _text(line, "AMOUNT", amount(e.amount_paise))
            if e.bill:
                bill = SubElement(line, "BILLALLOCATIONS.LIST")
                _text(bill, "NAME", e.bill[0])
                _text(bill, "BILLTYPE", e.bill[1])
                _text(bill, "AMOUNT", amount(e.amount_paise))
    return _bytes(envelope)


def masters_xml(ledgers: Sequence[tuple[str, str]], company: str) -> bytes:
    """The ledgers the vouchers name, to import first: [(name, kind of GROUPS)]."""
    envelope, data = _envelope("All Masters", company)
    for name, kind in ledgers:
        node = SubElement(_message(data), "LEDGER", {"NAME": name, "ACTION": "Create"})
        names = SubElement(node, "NAME.LIST", {"TYPE": "String"})
        _text(names, "NAME", name)
        _text(node, "PARENT", GROUPS[kind])
        _text(node, "ISBILLWISEON", _yes(kind == "supplier"))
    return _bytes(envelope)


def _bytes(envelope: Element) -> bytes:
    indent(envelope)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(envelope, encoding="utf-8")
