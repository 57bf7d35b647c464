"""Finance's JSON API under /api/v1: bills, payments, payment terms (``bills``); the ledger,
the securities register and the exports (``accounts``)."""
