"""Who may set payment terms, enter, check and pay bills, keep the securities register and
read the ledger. The finance officer (a role of core.people) checks and pays; whoever
entered or submitted a bill never passes it (domain/bill.py); the auditor reads all."""

from __future__ import annotations

from oxychain.core.access import EVERYONE, Permission, R, Scope

#: Headquarters' readers of money matters.
FINANCE_READERS = {
    R.PROCUREMENT_OFFICER: Scope.ALL,
    R.FINANCE_OFFICER: Scope.ALL,
    R.AUDITOR: Scope.ALL,
    R.ADMIN: Scope.ALL,
}

PERMISSIONS = (
    # A tender's payment terms are part of its published rules; drafts: headquarters only.
    Permission("terms.read", False, EVERYONE),
    Permission("terms.write", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
    Permission("bill.read", False, {**FINANCE_READERS, R.SUPPLIER: Scope.OWN_SUPPLIER}),
    # A supplier enters its own bills; finance enters one received on paper.
    Permission("bill.write", True, {R.SUPPLIER: Scope.OWN_SUPPLIER, R.FINANCE_OFFICER: Scope.ALL}),
    Permission("bill.check", True, {R.FINANCE_OFFICER: Scope.ALL}),
    Permission("payment.write", True, {R.FINANCE_OFFICER: Scope.ALL}),
    Permission("ledger.read", False, {**FINANCE_READERS, R.SUPPLIER: Scope.OWN_SUPPLIER}),
    Permission("finance.summary", False, FINANCE_READERS),
    Permission("finance.export", False, FINANCE_READERS),
    Permission("security.read", False, {**FINANCE_READERS, R.SUPPLIER: Scope.OWN_SUPPLIER}),
    Permission("security.write", True, {R.FINANCE_OFFICER: Scope.ALL}),
)
