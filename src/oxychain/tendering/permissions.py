"""Who may act on tenders, bids, the opening, awards and purchase orders."""

from __future__ import annotations

from oxychain.core.access import EVERYONE, HQ_READERS, Permission, R, Scope

PERMISSIONS = (
    # Tender notices are public; drafts are shown only to HQ (services.tendering).
    Permission("tender.read", False, EVERYONE),
    Permission("tender.write", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
    # Bids: a supplier its own; others only what the opening has revealed (services.bidding).
    Permission(
        "bid.read",
        False,
        {**HQ_READERS, R.BID_OPENER: Scope.ALL, R.SUPPLIER: Scope.OWN_SUPPLIER},
    ),
    Permission("bid.submit", True, {R.SUPPLIER: Scope.OWN_SUPPLIER}),
    # An opener's own key, and only their own seat on a committee (SELF: the seat's user).
    Permission("opener.key", True, {R.BID_OPENER: Scope.SELF}),
    Permission("share.release", True, {R.BID_OPENER: Scope.SELF}),
    Permission(
        "tender.evaluate", True, {R.PROCUREMENT_OFFICER: Scope.ALL, R.BID_OPENER: Scope.SELF}
    ),
    Permission("tender.award", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
    Permission("po.read", False, {**HQ_READERS, R.SUPPLIER: Scope.OWN_SUPPLIER}),
    Permission("po.write", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
)
